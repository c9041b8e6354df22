import type { BenchContext } from '../context';
import { apiRequest, send } from '../http';
import { isMatomoError, type LoadRequest, runLoad } from '../load';
import { ms, perSecond, type Section, times } from '../results';

const metadata: LoadRequest = { path: '/.well-known/oauth-authorization-server' };

/**
 * `API.getMatomoVersion` with a Bearer token (the JWT check, the token's state, the Matomo
 * dispatch) beside the static metadata document, both at 50 connections on the same server: the
 * cost of the Bearer path over a route that does nothing.
 */
export async function bearerApi(context: BenchContext, url: string, token: string): Promise<Section> {
  const call = apiRequest(token, { method: 'API.getMatomoVersion' });
  const probe = await send(url, call);
  if (probe.status !== 200 || isMatomoError(probe.body) || !/"value"/.test(probe.body))
    throw new Error(`API.getMatomoVersion answered ${probe.status} ${probe.body.slice(0, 300)}`);
  const seconds = context.seconds(10, 1);
  const warmupSeconds = context.seconds(3, 0);
  context.log('static metadata route: 50 connections…');
  const still = await runLoad({ url, connections: 50, seconds, warmupSeconds, requests: [metadata] });
  context.log('API.getMatomoVersion with Bearer: 50 connections…');
  const api = await runLoad({
    url,
    connections: 50,
    seconds,
    warmupSeconds,
    requests: [call],
    verifyBody: (body) => !isMatomoError(body),
  });
  const extraMs = 1000 / api.rate - 1000 / still.rate;
  return {
    title: 'Bearer-checked API call (50 connections)',
    rows: [
      {
        name: 'static metadata route',
        figure: `${perSecond(still.rate)}, p50 ${ms(still.p50)}, p99 ${ms(still.p99)}`,
      },
      {
        name: 'API.getMatomoVersion with Bearer',
        figure: `${perSecond(api.rate)}, p50 ${ms(api.p50)}, p99 ${ms(api.p99)}`,
        reference: `static route: ${perSecond(still.rate)}`,
        ratio: times(api.rate / still.rate),
        target: '≥ 0.25× static',
        met: api.rate >= 0.25 * still.rate,
      },
      {
        name: 'API.getMatomoVersion p99',
        figure: ms(api.p99),
        reference: `static route p99: ${ms(still.p99)}`,
        ratio: times(api.p99 / Math.max(still.p99, 1)),
        target: '< 10 ms',
        met: api.p99 < 10,
      },
    ],
    notes: [
      `Each Bearer-checked request costs ${extraMs.toFixed(3)} ms of server time more than the static route (1/rate difference). Same server as the reports (SQLite, demo data). Each route: 10 s after 3 s of warm-up load, not counted.`,
    ],
  };
}
