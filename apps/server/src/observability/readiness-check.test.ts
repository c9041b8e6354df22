import { makeTempDir } from '@matomo-oauth2/testing';
import { afterAll, expect, test } from 'vitest';
import { openDatabase } from '../db/database';
import { createReadinessCheck } from './readiness-check';

const temp = makeTempDir();
afterAll(() => temp.remove());

// What the check asks of the key store: a signer, or the error of a store without one.
const signing = { signer: () => ({}) as never };
const noKey = {
  signer: () => {
    throw new Error('No signing key is active');
  },
};

test('ready when select 1 answers and a key signs; a fixed reason otherwise', async () => {
  const db = openDatabase(`${temp.dir}/ready.sqlite`);
  expect(await createReadinessCheck({ db, keys: signing })()).toBeUndefined();
  expect(await createReadinessCheck({ db, keys: noKey })()).toBe('no signing key is loaded');
  await db.destroy();
  expect(await createReadinessCheck({ db, keys: signing })()).toBe('the database does not answer');
});
