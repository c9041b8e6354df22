import type { BenchContext } from '../context';
import { startDemoServer } from '../demo-server';
import { clientCredentialsToken, jwtAlg, tokenRequest } from '../http';
import { runLoad } from '../load';
import { oneCoreRate } from '../one-core-rate';
import { ms, perSecond, type Row, type Section, times } from '../results';

export const signingAlgorithms = ['RS256', 'ES256', 'EdDSA'] as const;
export type SigningAlgorithm = (typeof signingAlgorithms)[number];

/** The targets: RS256 near the algorithm's limit, ES256 an absolute rate; none for EdDSA. */
const targets: Record<
  SigningAlgorithm,
  { text: string; met: (rate: number, raw: number) => boolean } | undefined
> = {
  RS256: { text: '≥ 0.9× one core', met: (rate, raw) => rate >= 0.9 * raw },
  ES256: { text: '≥ 6,500/s', met: (rate) => rate >= 6500 },
  EdDSA: undefined,
};

/**
 * Client credentials tokens per second at 50 connections, per `ACCESS_TOKEN_ALG`, beside what one
 * core signs of the same algorithm and claims (node:crypto, in a process of its own, the server
 * idle). A server that does not know the algorithm (it signs with another, or refuses to start
 * with it) gets a row that says so.
 */
export async function tokenIssuance(context: BenchContext): Promise<Section> {
  const rows: Row[] = [];
  for (const alg of signingAlgorithms) {
    const raw = await oneCoreRate(alg, context.seconds(2, 0.3) * 1000);
    const reference = `one core signs ${perSecond(raw)}`;
    let server: Awaited<ReturnType<typeof startDemoServer>>;
    try {
      server = await startDemoServer(context, {
        name: `tokens-${alg}`,
        visitsPerDay: 0,
        env: { ACCESS_TOKEN_ALG: alg },
      });
    } catch (error) {
      if (!/ACCESS_TOKEN_ALG/.test((error as Error).message)) throw error;
      rows.push({
        name: alg,
        figure: '—',
        reference,
        note: 'not supported by this server: it refused ACCESS_TOKEN_ALG',
      });
      continue;
    }
    try {
      const signedWith = jwtAlg(await clientCredentialsToken(server.url));
      if (signedWith !== alg) {
        rows.push({
          name: alg,
          figure: '—',
          reference,
          note: `not supported by this server: it signs ${signedWith}`,
        });
        continue;
      }
      context.log(`tokens ${alg}: 50 connections…`);
      const load = await runLoad({
        url: server.url,
        connections: 50,
        seconds: context.seconds(10, 1),
        warmupSeconds: context.seconds(3, 0),
        requests: [tokenRequest],
      });
      const target = targets[alg];
      rows.push({
        name: `${alg} tokens`,
        figure: `${perSecond(load.rate)}, p50 ${ms(load.p50)}, p99 ${ms(load.p99)}`,
        reference,
        ratio: times(load.rate / raw),
        ...(target ? { target: target.text, met: target.met(load.rate, raw) } : {}),
      });
    } finally {
      await server.stop();
    }
  }
  return {
    title: 'Token issuance (client credentials, 50 connections)',
    rows,
    notes: [
      "Ratio: tokens/s ÷ the JWTs one core signs per second (the server's own synchronous signer, `signCompactJwt` of src/tokens/signing-algorithm.ts, in a process of its own: same algorithm, same header and claims, a fresh `jti` each), measured in the same run while the server is idle. Each algorithm on a fresh SQLite database (demo clients, no analytics).",
      'Tokens/s, p50 and p99 over 10 s, after 3 s of the same load that are not counted (the first second runs at about half the steady rate, before the code is compiled).',
    ],
  };
}
