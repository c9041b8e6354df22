import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from 'vitest';

const serverDir = join(import.meta.dirname, '..', '..');

test('in a node:cluster the primary serves every worker’s metrics, summed; workers do not listen', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/cluster-metrics-fixture.ts'], {
    cwd: serverDir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', () => {
        const match = /metrics at (\S+)/.exec(output);
        if (match?.[1]) resolve(match[1]);
      });
      void exited.then((code) => reject(new Error(`exited with ${code}: ${output}`)));
    });
    const response = await fetch(url);
    expect(response.status).toBe(200);
    const text = await response.text();
    // Worker 1 counted 1 token, worker 2 counted 2.
    expect(text).toContain('oauth_tokens_issued_total{grant_type="client_credentials"} 3');
    expect(text).toContain('http_requests_total{method="GET",route="/api/:method",status="200"} 2');
    expect(text).toContain(
      'http_request_duration_seconds_count{method="GET",route="/api/:method",status="200"} 2',
    );
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d/m);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
});
