import { describe, expect, test } from 'vitest';
import { appHref, resolveAppHrefs } from './app-href';
import { html } from './html';

describe('appHref', () => {
  test('a link to one of the server paths, under the issuer path once the page is sent', () => {
    const page = html`<a href="${appHref('/admin/users/a b?x=1&y="2"')}">Users</a>`.value;
    expect(resolveAppHrefs(page, '/auth')).toBe(
      '<a href="/auth/admin/users/a b?x=1&amp;y=&quot;2&quot;">Users</a>',
    );
    expect(resolveAppHrefs(page, '')).toBe('<a href="/admin/users/a b?x=1&amp;y=&quot;2&quot;">Users</a>');
  });

  test('regression: data that spells the placeholder is escaped, never resolved', () => {
    const name = '<app-root>/evil';
    const page = html`<p>${name}</p><a href="${appHref(`/admin/users/${name}`)}">x</a>`.value;
    const resolved = resolveAppHrefs(page, '/auth');
    expect(resolved).toBe(
      '<p>&lt;app-root&gt;/evil</p><a href="/auth/admin/users/&lt;app-root&gt;/evil">x</a>',
    );
  });
});
