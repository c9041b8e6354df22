// Races a test runs against several server processes (instances or cluster workers): each
// request goes to the next base URL in turn, so that the processes answer them side by side.
import { createAgent, getCode, postToken, readForm } from '@matomo-oauth2/testing';

export const demoApp = {
  client_id: 'analytics_app',
  client_secret: '7fa9c0f81b8b4a12',
  redirect_uri: 'https://example-app.com/oauth/callback',
};

/** The base URL of request `index`: round-robin over `urls`. */
export const nth = (urls: readonly string[], index: number): string => urls[index % urls.length] as string;

/** The Matomo API's answer to an access token: 200 while it is good, 401 once it has ended. */
export async function apiStatus(baseUrl: string, accessToken: string): Promise<number> {
  const response = await fetch(new URL('/api/API.getMatomoVersion', baseUrl), {
    headers: { Authorization: `Bearer ${accessToken}` },
  });
  await response.arrayBuffer();
  return response.status;
}

export const refreshAt = (baseUrl: string, refreshToken: string) =>
  postToken(baseUrl, {
    grant_type: 'refresh_token',
    client_id: demoApp.client_id,
    client_secret: demoApp.client_secret,
    refresh_token: refreshToken,
  });

export interface CodeRace {
  /** Every redemption's status and body, in the order sent. */
  results: { status: number; body: Record<string, unknown> }[];
  /** The one token response's body. */
  winner: Record<string, unknown> | undefined;
}

/** Signs in as demo on the first URL, then redeems the one code `attempts` times at once over every URL. */
export async function raceOneCode(urls: readonly string[], attempts = 8): Promise<CodeRace> {
  const code = await getCode(nth(urls, 0));
  const results = await Promise.all(
    Array.from({ length: attempts }, (_, index) =>
      postToken(nth(urls, index), { grant_type: 'authorization_code', ...demoApp, code }),
    ),
  );
  return { results, winner: results.find((result) => result.status === 200)?.body };
}

/** A sign-in form ready to post: its agent (with the login CSRF cookie) and hidden fields. */
async function signInForm(baseUrl: string, headers?: Record<string, string>) {
  const agent = createAgent(baseUrl);
  const page = await agent.get('/login', headers);
  return { agent, fields: readForm(await page.text(), 'password').fields };
}

/**
 * `attempts` wrong passwords for `login`, posted all at once over every URL (each with a sign-in
 * form fetched first, from the same URL): the statuses, in the order sent.
 */
export async function wrongPasswordBurst(
  urls: readonly string[],
  login: string,
  attempts: number,
): Promise<number[]> {
  const forms = await Promise.all(
    Array.from({ length: attempts }, (_, index) => signInForm(nth(urls, index))),
  );
  const answers = await Promise.all(
    forms.map(({ agent, fields }, index) =>
      agent.postForm('/login', { ...fields, login, password: `wrong-${index}` }),
    ),
  );
  return Promise.all(
    answers.map(async (answer) => {
      await answer.arrayBuffer();
      return answer.status;
    }),
  );
}

/**
 * One sign-in with `password` on `baseUrl` (with `headers`, e.g. a proxy's X-Forwarded-For): its
 * status (303 signed in, 401 wrong, 429 limited).
 */
export async function signInStatus(
  baseUrl: string,
  login: string,
  password: string,
  headers?: Record<string, string>,
): Promise<number> {
  const { agent, fields } = await signInForm(baseUrl, headers);
  const answer = await agent.postForm('/login', { ...fields, login, password }, headers);
  await answer.arrayBuffer();
  return answer.status;
}

/** The `kid` in a JWT's header. */
export function kidOf(jwt: string): string {
  const header = JSON.parse(Buffer.from(jwt.split('.')[0] ?? '', 'base64url').toString()) as { kid?: string };
  return header.kid ?? '';
}
