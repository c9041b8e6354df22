// `keys list|rotate|revoke`: revoke ends a compromised key's tokens at once, on a server that runs.
import { postToken } from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../../src/server';
import { answerOnceBoundPassed } from '../support/token-state-bound';
import { cli, cliError, cliJson, newDatabase, startOn } from './cli-harness';

interface Key {
  kid: string;
  state: 'signing' | 'published' | 'retired';
  created_at: string;
  signs_from: string;
}

const kidOf = (token: string): string =>
  JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()).kid as string;

let database: Awaited<ReturnType<typeof newDatabase>>;
let env: Record<string, string>;
beforeAll(async () => {
  database = await newDatabase();
  env = database.env;
  await cliJson(env, ['sites', 'add', '--name', 'Shop']);
});
afterAll(() => database.remove());

describe('keys list and rotate', () => {
  test('a new database has one key, signing', async () => {
    const keys = await cliJson<Key[]>(env, ['keys', 'list']);
    expect(keys).toEqual([
      {
        kid: expect.any(String),
        alg: 'RS256',
        state: 'signing',
        created_at: expect.any(String),
        signs_from: expect.any(String),
      },
    ]);
    const table = (await cli(env, ['keys', 'list'])).stdout.split('\n');
    expect(table[0]).toMatch(/^KID\s+ALG\s+STATE\s+CREATED\s+SIGNS FROM$/);
    expect(table[1]).toMatch(new RegExp(`^${keys[0]?.kid}\\s+RS256\\s+signing\\s`));
  });

  test('rotate publishes a key that signs after KEY_ROTATION_LEAD; keys:rotate and keys:list are aliases', async () => {
    const rotated = await cliJson<{ kid: string; signs_from: string; keys: Key[] }>(
      { ...env, KEY_ROTATION_LEAD: '3600' },
      ['keys', 'rotate'],
    );
    expect(Date.parse(rotated.signs_from)).toBeGreaterThan(Date.now() + 3500_000);
    expect(rotated.keys.map((key) => key.state)).toEqual(['signing', 'published']);
    const alias = await cli({ ...env, KEY_ROTATION_LEAD: '7200' }, ['keys:rotate']);
    expect(alias.code).toBe(0);
    expect(alias.stdout).toMatch(/^New signing key (\S+): published now, signs from /);
    expect((await cliJson<Key[]>(env, ['keys:list'])).map((key) => key.state)).toEqual([
      'signing',
      'published',
      'published',
    ]);
    // The rotations are in the audit log.
    const entries = await cliJson<{ detail: { kid: string } }[]>(env, [
      'audit',
      'tail',
      '--event',
      'key.created',
    ]);
    expect(entries.map((entry) => entry.detail.kid)).toContain(rotated.kid);
  });

  test('revoke of an unknown kid is one line', async () => {
    expect((await cliError(env, ['keys', 'revoke', 'nope'])).stderr).toBe('error: unknown key "nope"\n');
  });
});

describe('keys revoke', () => {
  // A key id is a JWK thumbprint (base64url) and may start with `-`: after `--`, it is never read as an option.
  async function revoke<T>(kid: string): Promise<T> {
    const result = await cli(env, ['keys', 'revoke', '--json', '--', kid]);
    expect(result.stderr, kid).toBe('');
    expect(result.code, kid).toBe(0);
    return JSON.parse(result.stdout) as T;
  }

  let server: RunningServer;
  let client: { id: string; secret: string };
  beforeAll(async () => {
    server = await startOn(env);
    const created = await cliJson<{ client: { client_id: string }; secret: string }>(env, [
      'clients',
      'create',
      '--name',
      'Backend',
      '--grant-types',
      'client_credentials',
      '--scope',
      'matomo:read',
    ]);
    client = { id: created.client.client_id, secret: created.secret };
  });
  afterAll(() => server.close());

  const token = async () => {
    const response = await postToken(server.url, {
      grant_type: 'client_credentials',
      client_id: client.id,
      client_secret: client.secret,
    });
    expect(response.status).toBe(200);
    return String(response.body.access_token);
  };
  const api = (bearer: string) =>
    fetch(`${server.url}/api/API.getMatomoVersion`, { headers: { Authorization: `Bearer ${bearer}` } });
  const jwks = async () =>
    ((await (await fetch(`${server.url}/oauth2/jwks`)).json()) as { keys: { kid: string }[] }).keys.map(
      (key) => key.kid,
    );
  const introspect = async (bearer: string) =>
    (
      await postToken(
        server.url,
        { token: bearer, client_id: client.id, client_secret: client.secret },
        { path: '/oauth2/introspect' },
      )
    ).body.active;

  test('the signing key: its tokens are refused (the API within a second), it leaves the JWK Set, a new key signs', async () => {
    const before = await token();
    const revokedKid = kidOf(before);
    expect((await api(before)).status).toBe(200);
    expect(await jwks()).toContain(revokedKid);
    expect(await introspect(before)).toBe(true);

    // From outside the server (its own database connection, as another process would).
    const revoked = performance.now();
    const result = await revoke<{ kid: string; replaced_by: string; keys: Key[] }>(revokedKid);
    expect(result.kid).toBe(revokedKid);
    expect(result.replaced_by).toEqual(expect.any(String));

    // With no SIGHUP and no reload: introspection refuses it at once, the API once the second its
    // Bearer check may remember a token has passed.
    expect(await introspect(before)).toBe(false);
    const refused = await answerOnceBoundPassed(
      revoked,
      () => api(before),
      (response) => response.status === 401,
    );
    expect(refused.status).toBe(401);
    expect(refused.headers.get('WWW-Authenticate')).toMatch(/error="invalid_token"/);
    expect(await introspect(before)).toBe(false);
    expect(await jwks()).not.toContain(revokedKid);
    expect(await jwks()).toContain(result.replaced_by);
    // Signing never stopped: the next token is signed by the replacement, and works.
    const after = await token();
    expect(kidOf(after)).toBe(result.replaced_by);
    expect((await api(after)).status).toBe(200);
    expect(result.keys.find((key) => key.kid === result.replaced_by)?.state).toBe('signing');

    const audit = await cliJson<{ event: string; detail: Record<string, string> }[]>(env, [
      'audit',
      'tail',
      '--event',
      'key.revoked',
    ]);
    expect(audit.at(-1)?.detail).toEqual({ kid: revokedKid, replaced_by: result.replaced_by });
  });

  test('a published key that does not sign yet: it leaves the JWK Set; the signing key stays', async () => {
    const { kid } = await cliJson<{ kid: string }>(env, ['keys', 'rotate']);
    expect(await jwks()).toContain(kid);
    const current = await token();
    const result = await revoke<{ replaced_by: string | null }>(kid);
    expect(result.replaced_by).toBeNull();
    expect(await jwks()).not.toContain(kid);
    expect((await api(current)).status).toBe(200);
    expect(kidOf(await token())).toBe(kidOf(current));
  });
});
