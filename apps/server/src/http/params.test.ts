import { describe, expect, test } from 'vitest';
import { Params } from './params';

describe('Params: request parameters exactly as sent', () => {
  const params = Params.parse('a=1&b=&c=x&c=y&d=&d=&e=%20&urls%5B%5D=u1&urls%5B%5D=u2&f=+');

  test.each<[string, string | undefined, string[], boolean, boolean, boolean]>([
    // name, get, getAll, has, sent, isRepeated
    ['a', '1', ['1'], true, true, false],
    ['b', undefined, [], false, true, false],
    ['c', 'x', ['x', 'y'], true, true, true],
    ['d', undefined, [], false, true, true],
    ['e', ' ', [' '], true, true, false],
    ['f', ' ', [' '], true, true, false],
    ['urls[]', 'u1', ['u1', 'u2'], true, true, true],
    ['missing', undefined, [], false, false, false],
    ['__proto__', undefined, [], false, false, false],
  ])('%s', (name, get, getAll, has, sent, repeated) => {
    expect({
      get: params.get(name),
      getAll: params.getAll(name),
      has: params.has(name),
      sent: params.sent(name),
      repeated: params.isRepeated(name),
    }).toEqual({ get, getAll, has, sent, repeated });
  });

  test('an empty value counts as absent, also when a real one follows (RFC 6749 §3.1)', () => {
    const emptyFirst = Params.parse('scope=&scope=matomo:admin');
    expect([emptyFirst.get('scope'), emptyFirst.getAll('scope'), emptyFirst.isRepeated('scope')]).toEqual([
      undefined,
      ['matomo:admin'],
      true,
    ]);
  });

  test('names keep their order; merge adds the other parameters after these', () => {
    expect(params.names()).toEqual(['a', 'b', 'c', 'd', 'e', 'urls[]', 'f']);
    const merged = Params.parse('a=1&b=2').merge(Params.parse('a=3&c=4'));
    expect([merged.names(), merged.getAll('a'), merged.isRepeated('a'), merged.get('c')]).toEqual([
      ['a', 'b', 'c'],
      ['1', '3'],
      true,
      '4',
    ]);
    expect(new Params().names()).toEqual([]);
  });
});
