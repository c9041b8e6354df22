import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { createHealth, type Health } from './health';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** Health in front of an app that is not there yet: every other request waits (as in startServer). */
async function frontDoor(health: Health): Promise<{ url: string; waiting: number[] }> {
  const waiting: number[] = [];
  server = createServer((req, res) => {
    if (health.answer(req, res)) return;
    waiting.push(waiting.length);
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, waiting };
}

async function get(url: string) {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as unknown, headers: response.headers };
}

test('while starting: /healthz 200 at once, /readyz 503 "starting"', async () => {
  const { url, waiting } = await frontDoor(createHealth());
  expect((await get(`${url}/healthz`)).body).toEqual({ status: 'ok' });
  const ready = await get(`${url}/readyz`);
  expect(ready.status).toBe(503);
  expect(ready.body).toEqual({ status: 'starting', reason: 'the server is starting' });
  expect(ready.headers.get('Cache-Control')).toBe('no-store');
  expect(waiting).toEqual([]);
  // Anything else is not health's: it goes on to the app.
  expect((await fetch(`${url}/healthz/more`)).status).toBe(204);
  expect((await fetch(`${url}/metrics`)).status).toBe(204);
  expect(waiting).toHaveLength(2);
});

test('once ready: what the check says, its reason, or a fixed reason when it throws', async () => {
  const health = createHealth();
  const { url } = await frontDoor(health);
  let reason: string | undefined;
  let fails = false;
  health.ready(async () => {
    if (fails) throw new Error('connect ECONNREFUSED postgres://operator:hunter2@db');
    return reason;
  });
  expect(await get(`${url}/readyz`)).toMatchObject({ status: 200, body: { status: 'ready' } });
  reason = 'the database does not answer';
  expect(await get(`${url}/readyz`)).toMatchObject({
    status: 503,
    body: { status: 'unavailable', reason: 'the database does not answer' },
  });
  fails = true;
  const failed = await get(`${url}/readyz`);
  expect(failed).toMatchObject({
    status: 503,
    body: { status: 'unavailable', reason: 'the readiness check failed' },
  });
  expect(JSON.stringify(failed.body)).not.toContain('hunter2');
});

test('once stopping: 503 "stopping" although the check passes, even for a check already under way', async () => {
  const health = createHealth();
  const { url } = await frontDoor(health);
  let release: () => void = () => {};
  let entered: () => void = () => {};
  const checking = new Promise<void>((resolve) => {
    entered = resolve;
  });
  health.ready(async () => {
    entered();
    await new Promise<void>((resolve) => {
      release = resolve;
    });
    return undefined;
  });
  const during = get(`${url}/readyz`);
  await checking;
  health.stopping();
  release();
  expect(await during).toMatchObject({ status: 503, body: { status: 'stopping' } });
  const after = await fetch(`${url}/readyz`);
  expect(after.status).toBe(503);
  expect(after.headers.get('Connection')).toBe('close');
  expect((await get(`${url}/healthz`)).status).toBe(200);
});
