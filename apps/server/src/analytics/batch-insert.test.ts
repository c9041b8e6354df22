import { describe, expect, test } from 'vitest';
import { AnalyticsFixture } from '../../test/analytics/analytics-fixture';
import { BatchInsert, literal } from './batch-insert';

const fixture = AnalyticsFixture.forTests();

describe('BatchInsert', () => {
  test('writes strings exactly as given, quotes and all', async () => {
    const names = [
      "it's",
      "''; drop table log_action; --",
      'ünïcødé ✓ 日本',
      'back\\slash',
      'line\nbreak',
      '',
    ];
    const insert = new BatchInsert('log_action', ['type', 'name', 'title', 'parent_idaction']);
    for (const name of names) insert.add(['outlink', name, null, null]);
    expect(insert.pendingRows).toBe(names.length);
    await insert.flush(fixture.db);
    expect(insert.pendingRows).toBe(0);
    const rows = await fixture.db
      .selectFrom('log_action')
      .select(['name', 'title'])
      .orderBy('idaction')
      .execute();
    expect(rows).toEqual(names.map((name) => ({ name, title: null })));
  });

  test('says when a batch is full', () => {
    const insert = new BatchInsert('log_action', ['type', 'name', 'title', 'parent_idaction'], 2);
    insert.add(['outlink', 'a', null, null]);
    expect(insert.isFull).toBe(false);
    insert.add(['outlink', 'b', null, null]);
    expect(insert.isFull).toBe(true);
    expect(() => insert.add(['outlink'])).toThrow(/expected 4 values/);
  });

  test('refuses values it cannot write as standard literals', () => {
    expect(literal(42)).toBe('42');
    expect(literal(null)).toBe('null');
    expect(literal("a'b")).toBe("'a''b'");
    expect(() => literal(1.5)).toThrow(/Not an integer/);
    expect(() => literal(Number.NaN)).toThrow(/Not an integer/);
    expect(() => literal('nul\0')).toThrow(/NUL/);
  });
});
