import { execFileSync } from 'node:child_process';
import type { BenchContext } from '../context';
import { apiRequest, tokenRequest } from '../http';
import { isMatomoError, type LoadRequest, runLoad } from '../load';
import { perSecond, type Section, times } from '../results';

/** The resident set of a process, bytes (`ps`: Linux and macOS alike). */
function rss(pid: number): number {
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024;
}

const megabytes = (value: number) => `${(value / 1024 / 1024).toFixed(1)} MB`;

/**
 * The server's RSS before and after a long mixed load (tokens, API calls, reports), after a
 * warm-up of the same load: what a steady load makes it keep.
 */
export async function memory(
  context: BenchContext,
  server: { url: string; pid: number; token: string },
): Promise<Section> {
  const api = (params: Record<string, string>) => apiRequest(server.token, { idSite: '1', ...params });
  const mixed: LoadRequest[] = [
    tokenRequest,
    api({ method: 'API.getMatomoVersion' }),
    api({ method: 'VisitsSummary.get', period: 'day', date: 'last30' }),
    tokenRequest,
    api({ method: 'API.getMatomoVersion' }),
    api({ method: 'UserCountry.getCountry', period: 'month', date: 'today' }),
  ];
  const load = (seconds: number) =>
    runLoad({
      url: server.url,
      connections: 10,
      seconds,
      timeoutSeconds: 120,
      requests: mixed,
      verifyBody: (body) => !isMatomoError(body),
    });
  const warmUp = context.seconds(10, 1);
  const seconds = context.seconds(60, 3);
  context.log(`memory: ${warmUp} s of warm-up, then ${seconds} s of mixed load…`);
  await load(warmUp);
  const before = rss(server.pid);
  const result = await load(seconds);
  const after = rss(server.pid);
  const growth = after / before - 1;
  return {
    title: 'Memory (RSS of the server, mixed load, 10 connections)',
    rows: [
      { name: 'RSS after warm-up', figure: megabytes(before) },
      {
        name: `RSS after ${seconds} s more`,
        figure: `${megabytes(after)} (${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)}%)`,
        reference: `after warm-up: ${megabytes(before)}`,
        ratio: times(after / before),
        target: 'growth < 10%',
        met: growth < 0.1,
      },
    ],
    notes: [
      `Load: each connection sends in turn a token request, API.getMatomoVersion, VisitsSummary.get (30 days), a token request, API.getMatomoVersion, UserCountry.getCountry (this month); ${perSecond(result.rate)} responses. Warm-up: ${warmUp} s of the same load. Same server as the reports (SQLite).`,
    ],
  };
}
