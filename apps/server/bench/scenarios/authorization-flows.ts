import { createHash, randomBytes } from 'node:crypto';
import { checkedRadio, createBrowser, readForm } from '../browser';
import type { BenchContext } from '../context';
import { oneCoreRate } from '../one-core-rate';
import { ms, perSecond, type Section, times } from '../results';
import { type BenchServer, runServerCommand } from '../server';

/** The demo's public client: PKCE, loopback redirect URI (always asked for consent, RFC 8252 §8.6). */
const client = { id: 'matomo_demo_spa', redirectUri: 'http://127.0.0.1/callback' };

const CONNECTIONS = 8;

/**
 * The sign-in limits count attempts in flight as failures until they succeed: at most 5 per login
 * and 20 per address (src/config/settings.ts). Eight concurrent flows over four users keep two per
 * login in flight, so no flow is refused: every flow must succeed.
 */
const users = [
  { login: 'demo', password: 'demo' },
  ...[1, 2, 3].map((n) => ({ login: `bench-${n}`, password: `bench-flow-password-${n}` })),
];

async function createUsers(context: BenchContext, server: BenchServer): Promise<void> {
  await Promise.all(
    users.slice(1).map(async ({ login, password }) => {
      const options = { entry: context.entry, env: server.env };
      await runServerCommand(['users', 'create', login, '--email', `${login}@example.org`], {
        ...options,
        stdin: password,
      });
      await runServerCommand(['users', 'set-access', login, '--site', '1', '--access', 'view'], options);
    }),
  );
}

function expectStatus(step: string, response: Response, status: number): void {
  if (response.status !== status) throw new Error(`${step}: ${response.status} instead of ${status}`);
}

/** One whole flow, as a browser and the client would: authorize, sign in, consent, redeem the code. */
async function flow(url: string, user: { login: string; password: string }): Promise<void> {
  const browser = createBrowser(url);
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(8).toString('base64url');
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: client.id,
    redirect_uri: client.redirectUri,
    scope: 'matomo:read',
    state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  const signInPage = await browser.get(`/oauth2/authorize?${query}`);
  expectStatus('authorize', signInPage, 200);
  const signIn = readForm(await signInPage.text(), 'password');
  const signedIn = await browser.postForm(signIn.action, {
    ...signIn.fields,
    login: user.login,
    password: user.password,
  });
  expectStatus('sign-in', signedIn, 303);
  const consentPage = await browser.get(signedIn.headers.get('location') ?? '');
  expectStatus('consent page', consentPage, 200);
  const html = await consentPage.text();
  const consent = readForm(html, 'decision');
  const decided = await browser.postForm(consent.action, {
    csrf_token: consent.fields.csrf_token ?? '',
    decision: 'allow',
    selected_scope: consent.fields.selected_scope ?? checkedRadio(html, 'selected_scope') ?? 'matomo:read',
  });
  expectStatus('consent', decided, 303);
  const redirect = new URL(decided.headers.get('location') ?? '', url);
  const code = redirect.searchParams.get('code');
  if (!code || redirect.searchParams.get('state') !== state)
    throw new Error(
      `consent: redirected to ${redirect.pathname}${redirect.search.replace(/code=[^&]+/, 'code=…')}`,
    );
  const token = await fetch(new URL('/oauth2/token', url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: client.id,
      redirect_uri: client.redirectUri,
      code,
      code_verifier: verifier,
    }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await token.json()) as { access_token?: unknown; error?: unknown };
  if (token.status !== 200 || typeof body.access_token !== 'string')
    throw new Error(`token: ${token.status} ${String(body.error)}`);
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

/**
 * Complete authorization-code + PKCE flows per second over HTTP, 8 at a time, each with a fresh
 * browser (cookies), beside what one core hashes of the server's password check (scrypt), which
 * dominates a flow. Every failure is counted and shown, and fails the run.
 */
export async function authorizationFlows(context: BenchContext, server: BenchServer): Promise<Section> {
  const scrypt = await oneCoreRate('scrypt', context.seconds(2, 0.3) * 1000);
  await createUsers(context, server);
  context.log(`authorization-code + PKCE flows: ${CONNECTIONS} at a time…`);
  const durations: number[] = [];
  const failures = new Map<string, number>();
  const started = performance.now();
  const deadline = started + context.seconds(10, 1) * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, index) => {
      const user = users[index % users.length] as (typeof users)[number];
      while (performance.now() < deadline) {
        const begun = performance.now();
        try {
          await flow(server.url, user);
          durations.push(performance.now() - begun);
        } catch (error) {
          const reason = (error as Error).message;
          failures.set(reason, (failures.get(reason) ?? 0) + 1);
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const sorted = durations.sort((a, b) => a - b);
  const rate = sorted.length / elapsed;
  const failed = [...failures.values()].reduce((sum, count) => sum + count, 0);
  return {
    title: `Authorization-code + PKCE flows (${CONNECTIONS} at a time)`,
    rows: [
      {
        name: 'complete flows',
        figure: `${rate.toFixed(1)}/s, p50 ${ms(percentile(sorted, 50))}, p99 ${ms(percentile(sorted, 99))} (${sorted.length} flows, ${failed} failed)`,
        reference: `one core hashes ${perSecond(scrypt)} passwords`,
        ratio: times(rate / scrypt),
      },
    ],
    notes: [
      'A flow: GET /oauth2/authorize (sign-in page), POST /login, GET the consent page, POST the decision, POST /oauth2/token with the code verifier; a fresh cookie jar each; four users (demo and three made with `users create`) so that the sign-in limits, which count attempts in flight, refuse none. Ratio: flows/s ÷ the scrypt password checks (N=2^15, r=8, p=1) one core computes per second.',
    ],
    ...(failed > 0
      ? { problems: [...failures].map(([reason, count]) => `${count} flows failed: ${reason}`) }
      : {}),
  };
}
