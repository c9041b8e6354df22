// The audit log records what an operator needs to reconstruct: sign-ins, consent, tokens, clients.

import { statSync } from 'node:fs';
import { join } from 'node:path';
import { authorizeThroughPages, createAgent, getCode, postToken } from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from './test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

async function events() {
  await server.flushAuditLog();
  return server.db.selectFrom('audit_log').selectAll().orderBy('id').execute();
}

describe('the audit log', () => {
  test('records consent decisions, tokens issued and revoked, without any token or secret', async () => {
    const credentials = { client_id: 'analytics_app', client_secret: '7fa9c0f81b8b4a12' };
    const code = await getCode(server.url);
    const tokens = await postToken(server.url, {
      grant_type: 'authorization_code',
      ...credentials,
      redirect_uri: 'https://example-app.com/oauth/callback',
      code,
    });
    await authorizeThroughPages(
      createAgent(server.url),
      '/oauth2/authorize?response_type=code&client_id=analytics_app&scope=matomo:read',
      { decision: 'deny' },
    );
    await postToken(
      server.url,
      { token: String(tokens.body.access_token), ...credentials },
      { path: '/oauth2/revoke' },
    );
    await postToken(
      server.url,
      { token: String(tokens.body.refresh_token), ...credentials },
      { path: '/oauth2/revoke' },
    );

    const rows = await events();
    const names = rows.map((row) => row.event);
    for (const event of [
      'login.succeeded',
      'consent.allowed',
      'consent.denied',
      'token.issued',
      'token.revoked',
      'grant.revoked',
    ]) {
      expect(names).toContain(event);
    }
    const issued = rows.find((row) => row.event === 'token.issued');
    expect(issued).toMatchObject({
      actor: 'demo',
      client_id: 'analytics_app',
      ip: expect.stringMatching(/127\.0\.0\.1/),
    });
    expect(JSON.parse(issued?.detail ?? '{}')).toMatchObject({
      grant_type: 'authorization_code',
      scope: 'matomo:read',
    });
    const everything = JSON.stringify(rows);
    for (const secret of [
      code,
      String(tokens.body.access_token),
      String(tokens.body.refresh_token),
      credentials.client_secret,
    ]) {
      expect(everything).not.toContain(secret);
    }
  });

  test('records failed client authentication', async () => {
    await postToken(server.url, {
      grant_type: 'client_credentials',
      client_id: 'analytics_app',
      client_secret: 'not-it',
    });
    const rows = await events();
    expect(rows.some((row) => row.event === 'client.authentication_failed')).toBe(true);
    expect(JSON.stringify(rows)).not.toContain('not-it');
  });
});

describe('keys at rest', () => {
  test('the generated key-encryption secret is readable by the server’s user only (0600)', () => {
    const mode = statSync(join(server.dir, 'master.key')).mode & 0o777;
    expect(mode).toBe(0o600);
  });
});
