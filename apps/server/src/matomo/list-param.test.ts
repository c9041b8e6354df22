import { describe, expect, test } from 'vitest';
import { MatomoApiError } from '../errors/matomo-api-error';
import { Params } from '../http/params';
import { listParam, readIdSites } from './list-param';

const params = (query: string) => Params.parse(query);

describe('listParam', () => {
  test.each<[string, string[] | undefined]>([
    ['', undefined],
    ['other=1', undefined],
    ['urls=', undefined],
    ['urls=a', ['a']],
    ['urls=a%0Ab%0A%20c%20', ['a', 'b', 'c']],
    ['urls=a%0A%0Ab', ['a', 'b']],
    // Repeated, or PHP style: each value as sent (trimmed), never split.
    ['urls=a%0Ab&urls=c', ['a\nb', 'c']],
    ['urls[]=a&urls[]=%20b%20', ['a', 'b']],
    ['urls=a&urls[]=b', ['a', 'b']],
    ['urls[]=x', ['x']],
    ['urls[]=%20', []],
  ])('%s → %j', (query, expected) => {
    expect(listParam(params(query), 'urls', /\n/)).toEqual(expected);
  });
});

describe('readIdSites (as Site::getIdSitesFromIdSitesString)', () => {
  test.each<[string, 'all' | number[] | 'refused']>([
    ['idSite=all', 'all'],
    ['idSite=1', [1]],
    ['idSite=3,1,2', [1, 2, 3]],
    ['idSite=1,1', [1]],
    ['idSite=1,', [1]],
    ['idSite=%201%20,%092', [1, 2]],
    ['idSite=%0D1%0D', [1]],
    ['idSite=%0A1%0B', [1]],
    ['idSite=%001', [1]],
    ['idSite=abc,2', [2]],
    ['idSite=0,-1,2', [2]],
    ['idSite=,', []],
    ['idSite=%20', []],
    ['idSite=ALL', []],
    ['idSite=e3', []],
    ['idSite=.', []],
    ['idSite=1&idSite=2', [1, 2]],
    ['idSite=1.5', 'refused'],
    ['idSite=1.', 'refused'],
    ['idSite=.5', 'refused'],
    ['idSite=1.55', 'refused'],
    ['idSite=1e3', 'refused'],
    ['idSite=1e%2B3', 'refused'],
    ['idSite=%2B1', 'refused'],
    ['idSite=9007199254740993', 'refused'],
  ])('%s → %j', (query, expected) => {
    if (expected === 'refused') {
      expect(() => readIdSites(params(query))).toThrow(MatomoApiError);
      expect(() => readIdSites(params(query))).toThrow('The parameter idSite is not valid');
    } else {
      expect(readIdSites(params(query))).toEqual(expected);
    }
  });

  test('no idSite at all: Matomo’s message', () => {
    expect(() => readIdSites(params(''))).toThrow("Please specify a value for 'idSite'.");
  });
});
