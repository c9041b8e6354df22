// From nothing to a working sign-in, as the README tells an operator: a new production database,
// the first super user from a secret file, a site, a client and a user with access, all with the
// command line; then a user signs in through that client. No step touches the database by hand.

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  authorizeThroughPages,
  createAgent,
  makeTempDir,
  postToken,
  readForm,
  rfcChallenge,
  rfcVerifier,
} from '@matomo-oauth2/testing';
import { afterAll, expect, test } from 'vitest';
import { serverEnv, startServerProcess } from './support/server-process';

const serverDir = join(import.meta.dirname, '..');
const temp = makeTempDir();
afterAll(() => temp.remove());

const issuer = 'https://auth.example.test';
const adminPasswordFile = join(temp.dir, 'admin-password.secret');
const alicePasswordFile = join(temp.dir, 'alice-password.secret');
writeFileSync(adminPasswordFile, 'operator-chosen-passphrase\n', { mode: 0o600 });
writeFileSync(alicePasswordFile, 'alice-chosen-passphrase\n', { mode: 0o600 });
const settings = {
  NODE_ENV: 'production',
  ISSUER: issuer,
  TRUST_PROXY: 'loopback',
  DATABASE_PATH: join(temp.dir, 'production', 'matomo-oauth2.sqlite'),
  ADMIN_PASSWORD_FILE: adminPasswordFile,
};

/** `npm run server -- <args> --json`, as the README writes it (main.ts is what that runs). */
function command<T>(...args: string[]): T {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args, '--json'], {
    cwd: serverDir,
    env: serverEnv(settings),
    encoding: 'utf8',
  });
  expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  return JSON.parse(result.stdout) as T;
}

test('bootstrapping from nothing with the README’s commands', async () => {
  // Commands refuse a database that does not exist: the first start creates it.
  const before = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'users', 'list'], {
    cwd: serverDir,
    env: serverEnv(settings),
    encoding: 'utf8',
  });
  expect(before.status).not.toBe(0);
  expect(before.stderr).toMatch(/^error: no database at /);

  const server = await startServerProcess(['serve'], settings);
  try {
    // Behind the TLS proxy: the proxy says the request came over https.
    const proxied = { 'X-Forwarded-Proto': 'https' };
    const site = command<{ idsite: number }>(
      'sites',
      'add',
      '--name',
      'Shop',
      '--url',
      'https://shop.example.org',
      '--timezone',
      'Europe/Paris',
      '--currency',
      'EUR',
    );
    const { client } = command<{ client: { client_id: string } }>(
      'clients',
      'create',
      '--name',
      'Shop dashboard',
      '--type',
      'public',
      '--grant-types',
      'authorization_code,refresh_token',
      '--scope',
      'matomo:read',
      '--redirect-uri',
      'http://127.0.0.1/callback',
    );
    command('users', 'create', 'alice', '--email', 'alice@example.org', '--password-file', alicePasswordFile);
    command('users', 'set-access', 'alice', '--site', String(site.idsite), '--access', 'view');

    // Alice signs in through the new client (authorization code with PKCE, through the pages).
    const redirectUri = 'http://127.0.0.1:5173/callback';
    const agent = createAgent(server.url);
    const callback = await authorizeThroughPages(
      agent,
      `/oauth2/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: client.client_id,
        redirect_uri: redirectUri,
        scope: 'matomo:read',
        state: 'bootstrap',
        code_challenge: rfcChallenge,
        code_challenge_method: 'S256',
      })}`,
      { login: 'alice', password: 'alice-chosen-passphrase' },
    );
    expect(callback.searchParams.get('iss')).toBe(issuer);
    const tokens = await postToken(server.url, {
      grant_type: 'authorization_code',
      client_id: client.client_id,
      redirect_uri: redirectUri,
      code: callback.searchParams.get('code') ?? '',
      code_verifier: rfcVerifier,
    });
    expect(tokens.status).toBe(200);
    const sites = await fetch(`${server.url}/api/SitesManager.getSitesWithAtLeastViewAccess?format=json`, {
      headers: { Authorization: `Bearer ${tokens.body.access_token}`, ...proxied },
    });
    expect(
      ((await sites.json()) as { idsite: number; name: string }[]).map(({ idsite, name }) => ({
        idsite,
        name,
      })),
    ).toEqual([{ idsite: site.idsite, name: 'Shop' }]);

    // The first super user signs in to the admin pages with the password from the secret file.
    const admin = createAgent(server.url);
    const toSignIn = await admin.get('/admin/clients', proxied);
    expect(toSignIn.status).toBe(303);
    const form = readForm(
      await (await admin.get(toSignIn.headers.get('Location') ?? '', proxied)).text(),
      'password',
    );
    const signedIn = await admin.postForm(
      '/login',
      { ...form.fields, login: 'admin', password: 'operator-chosen-passphrase' },
      proxied,
    );
    expect(signedIn.headers.get('Location')).toBe('/admin/clients');
    const list = await admin.get('/admin/clients', proxied);
    expect(list.status).toBe(200);
    expect(await list.text()).toContain('Shop dashboard');
  } finally {
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  }
}, 60_000);
