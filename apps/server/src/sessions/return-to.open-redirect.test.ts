// The sign-in page's return_to is no open redirector (RFC 9700 §4.11): what an attacker would try.
import { describe, expect, test } from 'vitest';
import { safeReturnTo } from './return-to';

describe('safeReturnTo against an open redirect', () => {
  test.each<[string, string]>([
    ['/admin', '/admin'],
    ['/admin/', '/admin/'],
    ['/admin/clients?page=2', '/admin/clients?page=2'],
    // What the browser would request anyway: normalized, without a fragment.
    ['/admin/../oauth2/authorize?client_id=a', '/oauth2/authorize?client_id=a'],
    ['/oauth2/authorize?client_id=a#top', '/oauth2/authorize?client_id=a'],
    ['/admin/a b', '/admin/a%20b'],
    ['/index.php?action=authorize&module=OAuth2', '/index.php?action=authorize&module=OAuth2'],
    [`/admin/${'a'.repeat(4089)}`, `/admin/${'a'.repeat(4089)}`],
  ])('keeps %s as %s', (value, kept) => {
    expect(safeReturnTo(value)).toBe(kept);
  });

  test.each([
    ['a value longer than 4096 characters', `/admin/${'a'.repeat(4090)}`],
    ['a relative path', 'oauth2/authorize?client_id=a'],
    ['a scheme-relative URL, even to the placeholder host', '//server.invalid/admin'],
    ['a backslash anywhere', '/admin/a\\b'],
    ['a backslash after the first slash', '/\\server.invalid/admin'],
    ['a control character', '/admin/\u0001'],
    ['the last control character', '/admin/\u001f'],
    ['a tab, which URL parsers drop', '/admin/\t'],
    ['a newline', '/admin\n/x'],
    ['a page that only starts like /admin', '/administrator'],
    ['index.php for another module', '/index.php?module=oauth2&action=authorize'],
    ['index.php for another action', '/index.php?module=OAuth2&action=token'],
    ['index.php without an action', '/index.php?module=OAuth2'],
    ['index.php alone', '/index.php'],
    ['another page with index.php’s parameters', '/oauth2/token?module=OAuth2&action=authorize'],
  ])('drops %s', (_, value) => {
    expect(safeReturnTo(value)).toBeUndefined();
  });
});
