import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Params } from '../http/params';
import { auditLink, readAuditQuery } from './audit-filter';

const read = (query: string) => readAuditQuery(Params.parse(query));

describe('the audit page query', () => {
  test('filters and page read from the query string', () => {
    expect(read('event=user.created&client=app_1&user=bob&page=3')).toEqual({
      values: { event: 'user.created', client: 'app_1', user: 'bob' },
      filter: { event: 'user.created', clientId: 'app_1', user: 'bob' },
      page: 3,
      errors: {},
    });
  });

  test.each(['', 'page=0', 'page=-2', 'page=x', 'page=1.5', 'page=99999999'])('%s is page 1', (query) => {
    expect(read(query).page).toBe(1);
  });

  test('an unknown event is an error beside the filter, and filters nothing', () => {
    const query = read('event=token.stolen');
    expect(query.errors).toEqual({ event: 'There is no event "token.stolen".' });
    expect(query.filter.event).toBeUndefined();
    expect(query.values.event).toBe('token.stolen');
  });

  test('links keep every filter, and leave out what is empty and page 1', () => {
    expect(auditLink({ event: '', client: '', user: '' })).toBe('/admin/audit');
    expect(auditLink({ event: 'logout', client: '', user: 'a b&c' }, 2)).toBe(
      '/admin/audit?event=logout&user=a+b%26c&page=2',
    );
  });

  test('a link read back gives the same filters and page (property)', () => {
    const value = fc.string({ maxLength: 250 });
    fc.assert(
      fc.property(
        value,
        value,
        value,
        fc.integer({ min: 1, max: 1_000_000 }),
        (event, client, user, page) => {
          const link = auditLink({ event, client, user }, page);
          const query = read(link.split('?')[1] ?? '');
          const typed = (text: string) => text.trim().slice(0, 200);
          expect(query.values).toEqual({ event: typed(event), client: typed(client), user: typed(user) });
          expect(query.page).toBe(page);
        },
      ),
    );
  });
});
