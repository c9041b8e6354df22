import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestDatabase } from '../../test/support/test-database';
import { registerClient } from '../clients/client-registration';
import type { Db } from '../db/database';
import { signInFormTargets } from './sign-in-form-targets';

let db: Db;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ db, close } = await openTestDatabase());
  const base = {
    grantTypes: ['authorization_code' as const],
    scope: 'matomo:read' as const,
    ownerLogin: 'owner',
  };
  await registerClient(
    db,
    { ...base, clientId: 'one', name: 'One', redirectUris: ['https://one.example/cb'] },
    0,
  );
  // Ids of the longest length read, and one longer (registered here, as no form would allow).
  for (const length of [80, 81]) {
    const clientId = 'l'.repeat(length);
    await registerClient(
      db,
      { ...base, clientId, name: clientId, redirectUris: [`https://l${length}.example/cb`] },
      0,
    );
  }
  await registerClient(
    db,
    {
      ...base,
      clientId: 'two',
      name: 'Two',
      redirectUris: ['https://two.example/cb', 'http://127.0.0.1/cb'],
    },
    0,
  );
});
afterAll(() => close());

describe('where a sign-in may lead on to (CSP form-action)', () => {
  test.each<[string, string | undefined, string[]]>([
    ['no return_to', undefined, []],
    ['a page that is no authorization request', '/account', []],
    ['the only redirect URI of the client', '/oauth2/authorize?client_id=one', ['https://one.example']],
    [
      'the Matomo route form',
      '/index.php?module=OAuth2&action=authorize&client_id=one',
      ['https://one.example'],
    ],
    [
      'the redirect URI sent, registered',
      `/oauth2/authorize?client_id=two&redirect_uri=${encodeURIComponent('https://two.example/cb')}`,
      ['https://two.example'],
    ],
    [
      'a loopback redirect URI on another port',
      `/oauth2/authorize?client_id=two&redirect_uri=${encodeURIComponent('http://127.0.0.1:5173/cb')}`,
      ['http://127.0.0.1:5173'],
    ],
    [
      'a redirect URI the client did not register',
      `/oauth2/authorize?client_id=two&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`,
      [],
    ],
    ['no redirect URI, and the client has several', '/oauth2/authorize?client_id=two', []],
    ['an unknown client', '/oauth2/authorize?client_id=nobody', []],
    ['no client', '/oauth2/authorize', []],
    [
      'a client id of the longest length',
      `/oauth2/authorize?client_id=${'l'.repeat(80)}`,
      ['https://l80.example'],
    ],
    ['a client id too long to be one', `/oauth2/authorize?client_id=${'l'.repeat(81)}`, []],
    ['another page, whatever its query', '/account?client_id=one', []],
  ])('%s', async (_, returnTo, expected) => {
    expect(await signInFormTargets(db, returnTo)).toEqual(expected);
  });
});
