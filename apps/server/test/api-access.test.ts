// The Matomo API behind Bearer tokens: the access matrix, and every authentication error.

import { createPublicKey, createSign, generateKeyPairSync } from 'node:crypto';
import { getCode, postToken } from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as clients from '../src/clients/client.repository';
import type { Scope } from '../src/protocol/scopes';
import { callApi, kinds, seedApiFixture, tokenFor, type UserKind } from './api-fixture';
import { callAsAdmin } from './support/admin-api';
import { openSigningKeys } from './support/signing-keys';
import { startTestServer, type TestServer } from './test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await seedApiFixture(server);
});
afterAll(() => server.stop());

// One method of each level, on site 1 (where siteadmin, writer and viewer have their access).
const methods = {
  view: ['VisitsSummary.get', { idSite: '1', period: 'day', date: 'today' }],
  // (Annotations.add needs only view access on the site, as in Matomo: tested below.)
  write: ['Annotations.delete', { idSite: '1', idNote: '999999' }],
  admin: ['SitesManager.updateSite', { idSite: '1' }],
  superuser: ['OAuth2.getClients', {}],
} as const;

// Expected status per user kind and scope, for the view, write, admin and superuser methods.
// 403: the scope is below the method's level. 401: the user (capped by the scope) lacks access.
const expected: Record<UserKind, Record<Scope, [number, number, number, number]>> = {
  superuser: {
    'matomo:read': [200, 403, 403, 403],
    'matomo:write': [200, 200, 403, 403],
    'matomo:admin': [200, 200, 200, 403],
    'matomo:superuser': [200, 200, 200, 200],
  },
  siteadmin: {
    'matomo:read': [200, 403, 403, 403],
    'matomo:write': [200, 200, 403, 403],
    'matomo:admin': [200, 200, 200, 403],
    'matomo:superuser': [200, 200, 200, 401],
  },
  writer: {
    'matomo:read': [200, 403, 403, 403],
    'matomo:write': [200, 200, 403, 403],
    'matomo:admin': [200, 200, 401, 403],
    'matomo:superuser': [200, 200, 401, 401],
  },
  viewer: {
    'matomo:read': [200, 403, 403, 403],
    'matomo:write': [200, 401, 403, 403],
    'matomo:admin': [200, 401, 401, 403],
    'matomo:superuser': [200, 401, 401, 401],
  },
  noaccess: {
    'matomo:read': [401, 403, 403, 403],
    'matomo:write': [401, 401, 403, 403],
    'matomo:admin': [401, 401, 401, 403],
    'matomo:superuser': [401, 401, 401, 401],
  },
};

test('Annotations.add: view access to the site is enough, as in Matomo, but never with a read token', async () => {
  const add = async (kind: UserKind, scope: Scope) =>
    callApi(
      server,
      'Annotations.add',
      { idSite: '1', date: '2026-11-01', note: 'by a viewer' },
      {
        token: await tokenFor(server, kind, scope),
      },
    );
  const added = await add('viewer', 'matomo:write');
  expect(added.status).toBe(200);
  expect(added.body).toMatchObject({ note: 'by a viewer', user: 'viewer' });
  const read = await add('viewer', 'matomo:read');
  expect(read.status).toBe(403);
  expect(read.headers.get('WWW-Authenticate')).toContain('scope="matomo:write"');
  expect((await add('noaccess', 'matomo:write')).status).toBe(401);
});

describe('the access matrix: scope × user × method level', () => {
  const cases = kinds.flatMap((kind) =>
    (Object.keys(expected[kind]) as Scope[]).map((scope) => [kind, scope, expected[kind][scope]] as const),
  );

  test.each(cases)('%s with %s', async (kind, scope, statuses) => {
    const token = await tokenFor(server, kind, scope);
    const levels = ['view', 'write', 'admin', 'superuser'] as const;
    const actual: number[] = [];
    for (const level of levels) {
      const [method, params] = methods[level];
      const result = await callApi(server, method, { ...params }, { token });
      actual.push(result.status);
      const challenge = result.headers.get('WWW-Authenticate') ?? '';
      if (result.status === 403) {
        expect(challenge).toContain('error="insufficient_scope"');
        expect(challenge).toContain(`scope="matomo:${level === 'view' ? 'read' : level}"`);
        expect(result.body).toMatchObject({ result: 'error' });
      }
      if (result.status === 401) {
        expect(challenge).not.toContain('error=');
        expect((result.body as { message: string }).message).toMatch(
          /^You can't access this resource as it requires '(view|write|admin|superuser)' access/,
        );
      }
    }
    expect(actual).toEqual(statuses);
  });

  test('a site-scoped method checks every site of a list', async () => {
    const token = await tokenFor(server, 'viewer', 'matomo:read');
    const one = await callApi(
      server,
      'VisitsSummary.get',
      { idSite: '1', period: 'day', date: 'today' },
      { token },
    );
    expect(one.status).toBe(200);
    const two = await callApi(
      server,
      'VisitsSummary.get',
      { idSite: '1,2', period: 'day', date: 'today' },
      { token },
    );
    expect(two.status).toBe(401);
    expect((two.body as { message: string }).message).toContain("'view' access for the website id = 2");
  });

  test('an unknown site is refused like a forbidden one', async () => {
    const token = await tokenFor(server, 'viewer', 'matomo:read');
    const result = await callApi(
      server,
      'VisitsSummary.get',
      { idSite: '999', period: 'day', date: 'today' },
      { token },
    );
    expect(result.status).toBe(401);
    expect((result.body as { message: string }).message).toContain('website id = 999');
  });

  test('idSite=all means the sites the caller can see', async () => {
    const viewer = await tokenFor(server, 'viewer', 'matomo:read');
    const mine = await callApi(
      server,
      'VisitsSummary.getVisits',
      { idSite: 'all', period: 'day', date: 'today' },
      { token: viewer },
    );
    expect(Object.keys(mine.body as object)).toEqual(['1']);
    const root = await tokenFor(server, 'superuser', 'matomo:read');
    const everything = await callApi(
      server,
      'VisitsSummary.getVisits',
      { idSite: 'all', period: 'day', date: 'today' },
      { token: root },
    );
    expect(Object.keys(everything.body as object).length).toBeGreaterThanOrEqual(3);
  });

  test('a user token (authorization code) acts as its user, capped by its scope', async () => {
    const code = await getCode(server.url);
    const tokens = await postToken(server.url, {
      grant_type: 'authorization_code',
      client_id: 'analytics_app',
      client_secret: '7fa9c0f81b8b4a12',
      redirect_uri: 'https://example-app.com/oauth/callback',
      code,
    });
    const token = String(tokens.body.access_token);
    // demo: view on site 1, write on site 2; the token is matomo:read.
    expect(
      (await callApi(server, 'VisitsSummary.get', { idSite: '1,2', period: 'day', date: 'today' }, { token }))
        .status,
    ).toBe(200);
    expect(
      (await callApi(server, 'Annotations.add', { idSite: '2', date: '2026-11-01', note: 'x' }, { token }))
        .status,
    ).toBe(403);
    const sites = await callApi(server, 'SitesManager.getSitesWithAtLeastViewAccess', {}, { token });
    expect((sites.body as { idsite: number }[]).map((site) => site.idsite)).toEqual([1, 2]);
  });
});

describe('authentication errors (RFC 6750)', () => {
  const view = ['VisitsSummary.get', { idSite: '1', period: 'day', date: 'today' }] as const;

  async function expectInvalidToken(token: string) {
    const result = await callApi(server, view[0], { ...view[1] }, { token });
    expect(result.status).toBe(401);
    expect(result.headers.get('WWW-Authenticate')).toMatch(
      /^Bearer realm="matomo", error="invalid_token", error_description="[^"]+"/,
    );
    expect(result.body).toMatchObject({ result: 'error', message: expect.any(String) });
    return result;
  }

  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const parts = (token: string) => {
    const [header = '', payload = ''] = token.split('.');
    return {
      header: JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, unknown>,
      payload: JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>,
      signature: token.split('.')[2] ?? '',
    };
  };
  const signWithStrangerKey = (header: object, payload: object) => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const input = `${b64(header)}.${b64(payload)}`;
    return `${input}.${createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url')}`;
  };

  // Security checklist item 47.
  test('no token: 401 with WWW-Authenticate: Bearer realm, no error code', async () => {
    const result = await callApi(server, view[0], { ...view[1] });
    expect(result.status).toBe(401);
    expect(result.headers.get('WWW-Authenticate')).toBe('Bearer realm="matomo"');
    expect(result.body).toEqual({
      result: 'error',
      message: expect.stringContaining('access token is required'),
    });
  });

  test('another Authorization scheme counts as no token', async () => {
    const result = await callApi(
      server,
      view[0],
      { ...view[1] },
      { headers: { Authorization: 'Basic YTpi' } },
    );
    expect(result.status).toBe(401);
    expect(result.headers.get('WWW-Authenticate')).toBe('Bearer realm="matomo"');
  });

  // Security checklist item 49.
  test('?access_token= is ignored; so is token_auth', async () => {
    const token = await tokenFor(server, 'viewer', 'matomo:read');
    const inQuery = await callApi(server, view[0], { ...view[1], access_token: token }, { verb: 'GET' });
    expect(inQuery.status).toBe(401);
    expect(inQuery.headers.get('WWW-Authenticate')).toBe('Bearer realm="matomo"');
    const tokenAuth = await callApi(server, view[0], { ...view[1], token_auth: token }, { verb: 'GET' });
    expect(tokenAuth.status).toBe(401);
  });

  // Security checklist item 49.
  test('a token in two places: 400 invalid_request', async () => {
    const token = await tokenFor(server, 'viewer', 'matomo:read');
    for (const verb of ['GET', 'POST'] as const) {
      const result = await callApi(server, view[0], { ...view[1], access_token: token }, { token, verb });
      expect(result.status).toBe(400);
      expect(result.headers.get('WWW-Authenticate')).toContain('error="invalid_request"');
      expect(result.body).toMatchObject({ result: 'error' });
    }
  });

  test('a malformed Bearer value: 400 invalid_request', async () => {
    const result = await callApi(
      server,
      view[0],
      { ...view[1] },
      { headers: { Authorization: 'Bearer a b c' } },
    );
    expect(result.status).toBe(400);
  });

  // Security checklist item 44.
  test('invalid, tampered, expired, wrong typ, alg none, HS256, unknown kid, wrong iss or aud: 401 invalid_token', async () => {
    const good = await tokenFor(server, 'viewer', 'matomo:read');
    const { header, payload, signature } = parts(good);
    await expectInvalidToken('not-a-jwt');
    await expectInvalidToken(`${b64(header)}.${b64({ ...payload, scope: 'matomo:superuser' })}.${signature}`);
    await expectInvalidToken(`${b64({ ...header, alg: 'none' })}.${b64(payload)}.`);
    const jwk = ((await (await fetch(`${server.url}/oauth2/jwks`)).json()) as { keys: object[] })
      .keys[0] as object;
    const pem = createPublicKey({ key: jwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const { createHmac } = await import('node:crypto');
    const hsInput = `${b64({ ...header, alg: 'HS256' })}.${b64(payload)}`;
    await expectInvalidToken(`${hsInput}.${createHmac('sha256', pem).update(hsInput).digest('base64url')}`);
    await expectInvalidToken(signWithStrangerKey(header, payload));
    await expectInvalidToken(signWithStrangerKey({ ...header, kid: 'unknown-kid' }, payload));
    // Claims the server would check even if the signature were good (a stranger's key cannot
    // show that; the codec tests sign with the real key).
    for (const changes of [{ typ: 'JWT' }])
      await expectInvalidToken(signWithStrangerKey({ ...header, ...changes }, payload));
    for (const changes of [
      { iss: 'https://evil.example' },
      { aud: 'https://other.example' },
      { exp: 1_000_000 },
    ]) {
      await expectInvalidToken(signWithStrangerKey(header, { ...payload, ...changes }));
    }
  });

  // Security checklist item 44.
  test('with the real key: wrong typ, iss, aud and an expired token are refused', async () => {
    const { codec, keys } = await openSigningKeys(server);
    const client = await clients.find(server.db, 'viewer_read');
    const { token } = await codec.sign({
      sub: 'viewer_read',
      clientId: 'viewer_read',
      scope: 'matomo:read',
      owner: 'viewer',
      grantId: client?.credentialsId ?? '',
    });
    expect((await callApi(server, view[0], { ...view[1] }, { token })).status).toBe(200);
    const { header, payload } = parts(token);
    const signReal = async (h: object, p: object) => {
      const input = `${b64(h)}.${b64(p)}`;
      const { privateKey } = keys.signer();
      const { sign } = await import('node:crypto');
      return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
    };
    expect(
      (await callApi(server, view[0], { ...view[1] }, { token: await signReal(header, payload) })).status,
    ).toBe(200);
    const result = await expectInvalidToken(await signReal({ ...header, typ: 'JWT' }, payload));
    expect(result.headers.get('WWW-Authenticate')).toContain('typ');
    await expectInvalidToken(await signReal(header, { ...payload, iss: 'https://evil.example' }));
    await expectInvalidToken(await signReal(header, { ...payload, aud: 'https://other.example' }));
    const expired = await expectInvalidToken(await signReal(header, { ...payload, iat: 1000, exp: 2000 }));
    expect(expired.headers.get('WWW-Authenticate')).toContain('expired');
  });

  test('revoked (RFC 7009): refused at once', async () => {
    const token = await tokenFor(server, 'viewer', 'matomo:read');
    expect((await callApi(server, view[0], { ...view[1] }, { token })).status).toBe(200);
    await postToken(
      server.url,
      { token, client_id: 'viewer_read', client_secret: 'fixture-secret' },
      { path: '/oauth2/revoke' },
    );
    await expectInvalidToken(token);
  });

  test('a paused client’s tokens are refused, and stay refused after it resumes; a deleted client’s too', async () => {
    const token = await tokenFor(server, 'writer', 'matomo:read');
    const setActive = (active: '0' | '1') =>
      callAsAdmin(server, 'OAuth2.setClientActive', { clientId: 'writer_read', active });
    expect((await setActive('0')).status).toBe(200);
    await expectInvalidToken(token);
    expect((await setActive('1')).status).toBe(200);
    await expectInvalidToken(token);
    const fresh = await tokenFor(server, 'writer', 'matomo:read');
    expect((await callApi(server, view[0], { ...view[1] }, { token: fresh })).status).toBe(200);
    expect((await callAsAdmin(server, 'OAuth2.deleteClient', { clientId: 'writer_read' })).body).toEqual({
      deleted: true,
    });
    await expectInvalidToken(fresh);
  });

  test('rotating a client’s secret ends the tokens the old secret got', async () => {
    const token = await tokenFor(server, 'viewer', 'matomo:write');
    expect((await callApi(server, view[0], { ...view[1] }, { token })).status).toBe(200);
    const rotated = await callAsAdmin(server, 'OAuth2.rotateSecret', { clientId: 'viewer_write' });
    expect(rotated.body).toMatchObject({ client_id: 'viewer_write' });
    await expectInvalidToken(token);
  });

  test('lowering a client’s scope caps its tokens at once', async () => {
    const token = await tokenFor(server, 'writer', 'matomo:write');
    const write = ['Annotations.add', { idSite: '1', date: '2026-11-01', note: 'before' }] as const;
    expect((await callApi(server, write[0], { ...write[1] }, { token })).status).toBe(200);
    const current = (await callAsAdmin(server, 'OAuth2.getClient', { clientId: 'writer_write' })).body as {
      name: string;
      grant_types: string[];
      type: string;
    };
    const updated = await callAsAdmin(server, 'OAuth2.updateClient', {
      clientId: 'writer_write',
      name: current.name,
      grantTypes: current.grant_types,
      type: current.type,
      scope: 'matomo:read',
    });
    expect(updated.body).toMatchObject({ client: { scope: 'matomo:read' } });
    const after = await callApi(server, write[0], { ...write[1], note: 'after' }, { token });
    expect(after.status).toBe(403);
    expect(after.headers.get('WWW-Authenticate')).toContain('scope="matomo:write"');
    expect((await callApi(server, view[0], { ...view[1] }, { token })).status).toBe(200);
    const introspection = await postToken(
      server.url,
      { token, client_id: 'writer_write', client_secret: 'fixture-secret' },
      { path: '/oauth2/introspect' },
    );
    expect(introspection.body).toMatchObject({ active: true, scope: 'matomo:read' });
  });

  test('the refresh that replaces an access token ends it', async () => {
    const code = await getCode(server.url);
    const first = await postToken(server.url, {
      grant_type: 'authorization_code',
      client_id: 'analytics_app',
      client_secret: '7fa9c0f81b8b4a12',
      redirect_uri: 'https://example-app.com/oauth/callback',
      code,
    });
    const token = String(first.body.access_token);
    expect((await callApi(server, view[0], { ...view[1] }, { token })).status).toBe(200);
    await postToken(server.url, {
      grant_type: 'refresh_token',
      client_id: 'analytics_app',
      client_secret: '7fa9c0f81b8b4a12',
      refresh_token: String(first.body.refresh_token),
    });
    await expectInvalidToken(token);
  });
});
