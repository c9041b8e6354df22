// Packaging checks: the packed tarball is what gets tested, offline. Node built-ins are fine here
// (this folder is not part of the SDK's sources).
import { execFileSync, spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { publint } from 'publint';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BROWSER_BUDGET, bundleMainEntry } from './browser-bundle';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

// Under `pnpm test`, npm_execpath is the running pnpm (a JS file or a launcher); otherwise pnpm from PATH.
const pnpm = (args: string[]) => {
  const execPath = process.env.npm_execpath ?? '';
  const options = { cwd: root, encoding: 'utf8' } as const;
  if (!/pnpm/.test(execPath)) return execFileSync('pnpm', args, options);
  return /\.[cm]?js$/.test(execPath)
    ? execFileSync(process.execPath, [execPath, ...args], options)
    : execFileSync(execPath, args, options);
};

let work: string;
let tarball: string;
let project: string;

beforeAll(() => {
  execFileSync(bin('tsup'), [], { cwd: root, stdio: 'pipe' });
  work = mkdtempSync(join(tmpdir(), 'matomo-oauth2-sdk-pack-'));
  pnpm(['pack', '--pack-destination', work]);
  const name = readdirSync(work).find((file) => file.endsWith('.tgz'));
  if (!name) throw new Error('pnpm pack wrote no tarball');
  tarball = join(work, name);

  // A project that installed the tarball: node_modules/@matomo-oauth2/sdk and its one dependency.
  project = join(work, 'project');
  const modules = join(project, 'node_modules');
  mkdirSync(join(modules, '@matomo-oauth2'), { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', work]);
  renameSync(join(work, 'package'), join(modules, '@matomo-oauth2', 'sdk'));
  symlinkSync(
    realpathSync(join(root, 'node_modules', 'openapi-fetch')),
    join(modules, 'openapi-fetch'),
    'dir',
  );
  writeFileSync(join(project, 'package.json'), '{"private":true}');
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('browser bundle of the main entry', () => {
  test(`is at most ${BROWSER_BUDGET} bytes minified and gzipped, openapi-fetch included`, async () => {
    const { code, gzipped, inputs } = await bundleMainEntry();
    expect(inputs.some((input) => input.includes('openapi-fetch'))).toBe(true);
    expect(inputs.filter((input) => input.startsWith('node:'))).toEqual([]);
    console.info(
      `main entry, browser ESM: ${code.length} B minified, ${gzipped} B gzipped (budget ${BROWSER_BUDGET} B)`,
    );
    expect(gzipped).toBeLessThanOrEqual(BROWSER_BUDGET);
  });

  test('also bundles as an IIFE for a plain <script> page', async () => {
    const result = await build({
      entryPoints: [join(root, 'src', 'index.ts')],
      bundle: true,
      minify: true,
      format: 'iife',
      globalName: 'MatomoOAuth2',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    });
    const script = new TextDecoder().decode(result.outputFiles[0]?.contents);
    const global = new Function(`${script}; return MatomoOAuth2;`)() as Record<string, unknown>;
    expect(typeof global.createBrowserLogin).toBe('function');
    expect(typeof global.createMatomoClient).toBe('function');
  });
});

describe('the packed package', () => {
  test('publint reports nothing', async () => {
    const packed = readFileSync(tarball);
    const { messages } = await publint({
      pack: { tarball: packed.buffer.slice(packed.byteOffset, packed.byteOffset + packed.byteLength) },
      level: 'suggestion',
      strict: true,
    });
    expect(messages).toEqual([]);
  });

  test('are-the-types-wrong reports nothing, for node10, node16 (ESM and CJS) and bundlers', () => {
    const run = spawnSync(bin('attw'), [tarball, '--format', 'json'], { encoding: 'utf8' });
    const report = JSON.parse(run.stdout) as { problems: unknown; analysis: { entrypoints: object } };
    expect(report.problems).toEqual({});
    expect(Object.keys(report.analysis.entrypoints).sort()).toEqual([
      '.',
      './broadcast-lock',
      './client-credentials',
      './openapi',
      './openid',
      './package.json',
      './pkce',
      './results',
    ]);
    expect(run.status).toBe(0);
  });

  test('holds dist, package.json and the README, with the publish exports and openapi-fetch as the only dependency', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
    const others = files.filter((file) => !file.startsWith('package/dist/'));
    expect(others.sort()).toEqual(['package/README.md', 'package/package.json']);
    const manifest = JSON.parse(
      readFileSync(join(project, 'node_modules/@matomo-oauth2/sdk/package.json'), 'utf8'),
    );
    expect(Object.keys(manifest.dependencies)).toEqual(['openapi-fetch']);
    expect(JSON.stringify(manifest.exports)).not.toContain('./src/');
  });

  const smoke = `
    const vector = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    const json = (body, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    const matomo = sdk.createMatomoClient({
      baseUrl: 'https://matomo.test',
      auth: { getAccessToken: async () => 'token' },
      fetch: async (request) => json(request.headers.get('authorization') === 'Bearer token' ? { value: '5.2.0' } : {}),
    });
    const auth = cc.createClientCredentials({
      server: { token_endpoint: 'https://auth.test/token' },
      clientId: 'id',
      clientSecret: 'secret',
      scope: 'matomo:read',
      fetch: async () => json({ error: 'invalid_client' }, 401),
    });
    const error = await auth.getAccessToken().catch((e) => e);
    const login = oidc.createOpenIdLogin({
      server: { issuer: 'https://auth.test', token_endpoint: 'https://auth.test/token' },
      clientId: 'id',
      redirectUri: 'https://app.test/cb',
      crossTab: false,
    });
    console.log(JSON.stringify({
      exports: Object.keys(sdk).sort(),
      clientCredentials: Object.keys(cc).sort(),
      openid: Object.keys(oidc).sort(),
      openapi: Object.keys(openapi),
      signedIn: await login.isAuthenticated(),
      userError: await login.getUser().then(() => '', (e) => e instanceof sdk.ProtocolError && e.code),
      challenge: await pkce.computeCodeChallenge(vector),
      version: await matomo.call('API.getMatomoVersion'),
      sharedErrorClasses: error instanceof sdk.OAuthResponseError && error.code === 'ERR_OAUTH_RESPONSE',
    }));
  `;

  const expected = async () => ({
    exports: Object.keys(await import('../src/index')).sort(),
    clientCredentials: ['createClientCredentials'],
    openid: Object.keys(await import('../src/openid')).sort(),
    openapi: [],
    signedIn: false,
    userError: 'ERR_NOT_SUPPORTED',
    challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    version: { value: '5.2.0' },
    sharedErrorClasses: true,
  });

  test('imports from Node ESM', async () => {
    writeFileSync(
      join(project, 'smoke.mjs'),
      `import * as sdk from '@matomo-oauth2/sdk';
       import * as cc from '@matomo-oauth2/sdk/client-credentials';
       import * as oidc from '@matomo-oauth2/sdk/openid';
       import * as openapi from '@matomo-oauth2/sdk/openapi';
       import * as pkce from '@matomo-oauth2/sdk/pkce';
       ${smoke}`,
    );
    const output = execFileSync(process.execPath, ['smoke.mjs'], { cwd: project, encoding: 'utf8' });
    expect(JSON.parse(output)).toEqual(await expected());
  });

  test('requires from Node CJS', async () => {
    writeFileSync(
      join(project, 'smoke.cjs'),
      `const sdk = require('@matomo-oauth2/sdk');
       const cc = require('@matomo-oauth2/sdk/client-credentials');
       const oidc = require('@matomo-oauth2/sdk/openid');
       const openapi = require('@matomo-oauth2/sdk/openapi');
       const pkce = require('@matomo-oauth2/sdk/pkce');
       (async () => { ${smoke} })();`,
    );
    const output = execFileSync(process.execPath, ['smoke.cjs'], { cwd: project, encoding: 'utf8' });
    expect(JSON.parse(output)).toEqual(await expected());
  });
});
