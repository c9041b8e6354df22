import type { BenchContext } from '../context';
import { startDemoServer } from '../demo-server';
import { tokenRequest } from '../http';
import { type LoadResult, runLoad } from '../load';
import { ms, perSecond, type Row, type Section, times } from '../results';

/** Token issuance (the default algorithm) with `WORKERS=1` and `WORKERS=2`: what the second process adds. */
export async function workers(context: BenchContext): Promise<Section> {
  const results: LoadResult[] = [];
  for (const count of [1, 2]) {
    const server = await startDemoServer(context, {
      name: `workers-${count}`,
      visitsPerDay: 0,
      env: { WORKERS: String(count) },
    });
    try {
      context.log(`WORKERS=${count}: tokens, 50 connections…`);
      results.push(
        await runLoad({
          url: server.url,
          connections: 50,
          seconds: context.seconds(10, 1),
          warmupSeconds: context.seconds(3, 0),
          requests: [tokenRequest],
        }),
      );
    } finally {
      await server.stop();
    }
  }
  const [one, two] = results as [LoadResult, LoadResult];
  const figure = (load: LoadResult) => `${perSecond(load.rate)}, p50 ${ms(load.p50)}, p99 ${ms(load.p99)}`;
  const rows: Row[] = [
    { name: 'WORKERS=1 tokens', figure: figure(one) },
    {
      name: 'WORKERS=2 tokens',
      figure: figure(two),
      reference: `WORKERS=1: ${perSecond(one.rate)}`,
      ratio: times(two.rate / one.rate),
    },
  ];
  return {
    title: 'Workers (token issuance, default algorithm, 50 connections)',
    rows,
    notes: [
      'Each on a fresh SQLite database; the load generator shares the same cores. 10 s after 3 s of warm-up load, not counted.',
    ],
  };
}
