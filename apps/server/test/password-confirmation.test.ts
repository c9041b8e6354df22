// Password confirmation (OAuth2.* methods) counts failures like sign-in: per address, per login
// and address, and per account, so that guesses spread over many addresses are refused too.

import { clientCredentialsToken } from '@matomo-oauth2/testing';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { registerClient } from '../src/clients/client-registration';
import { defaultRateLimits } from '../src/config/settings';
import { parseTrustProxy } from '../src/config/trust-proxy';
import { adminPassword, startTestServer, type TestServer } from './test-server';

let server: TestServer;
let token: string;

beforeAll(async () => {
  // The test is the proxy: each guess comes from another address.
  server = await startTestServer({ trustProxy: parseTrustProxy('loopback'), demo: false });
  await registerClient(
    server.db,
    {
      clientId: 'operator_tool',
      secret: 'operator-tool-secret',
      name: 'Operator tool',
      ownerLogin: 'admin',
      grantTypes: ['client_credentials'],
      scope: 'matomo:superuser',
    },
    server.clock(),
  );
  token = await clientCredentialsToken(server.url, 'operator_tool', 'operator-tool-secret');
});
afterAll(() => server.stop());

function deleteClient(address: string, passwordConfirmation: string) {
  return fetch(`${server.url}/api/OAuth2.deleteClient`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Forwarded-For': address,
    },
    body: new URLSearchParams({ format: 'json', clientId: 'operator_tool', passwordConfirmation }),
  });
}

test('guesses from 110 different addresses are refused before the 110th, with 429 and Retry-After', async () => {
  const answers: { status: number; message: string; retryAfter: string | null }[] = [];
  for (let i = 0; i < 110; i++) {
    const response = await deleteClient(`198.51.100.${i + 1}`, `wrong-guess-${i}`);
    const body = (await response.json()) as { message: string };
    answers.push({
      status: response.status,
      message: body.message,
      retryAfter: response.headers.get('Retry-After'),
    });
  }
  const limit = defaultRateLimits.loginPerAccount.limit;
  expect(limit).toBeLessThan(110);
  expect(
    answers
      .slice(0, limit)
      .every((answer) => answer.message === 'The current password you entered is not correct.'),
  ).toBe(true);
  const refused = answers.slice(limit);
  expect(refused.length).toBeGreaterThan(0);
  for (const answer of refused) {
    expect(answer.status).toBe(429);
    expect(answer.message).toMatch(/^Too many wrong passwords\. Try again in \d+ minute\(s\)\.$/);
    expect(Number(answer.retryAfter)).toBeGreaterThan(0);
  }
  // The right password is refused too while the account is locked: the guesser cannot tell.
  const right = await deleteClient('203.0.113.9', adminPassword);
  expect(right.status).toBe(429);
  expect(await server.db.selectFrom('clients').select('client_id').execute()).toEqual([
    { client_id: 'operator_tool' },
  ]);
});

test('sign-in and confirmations share the counters: the locked account cannot sign in either', async () => {
  const page = await fetch(`${server.url}/login`);
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const cookie = page.headers
    .getSetCookie()
    .map((value) => value.split(';')[0])
    .join('; ');
  const response = await fetch(`${server.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Cookie: cookie,
      'X-Forwarded-For': '203.0.113.77',
    },
    body: new URLSearchParams({ csrf_token: csrf, login: 'admin', password: adminPassword }),
  });
  expect(response.status).toBe(429);
});
