import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseTrustProxy } from '../config/trust-proxy';
import { type ForwardedRequest, resolveClientAddress } from './client-address';

function resolve(setting: string, request: Partial<ForwardedRequest>) {
  return resolveClientAddress(parseTrustProxy(setting), {
    peer: '127.0.0.1',
    forwardedFor: undefined,
    forwardedProto: undefined,
    encrypted: false,
    ...request,
  });
}

describe('the client address', () => {
  test.each<[string, string, Partial<ForwardedRequest>, string]>([
    // what, TRUST_PROXY, request, client address
    ['no proxy trusted: the peer', 'false', { forwardedFor: '203.0.113.1' }, '127.0.0.1'],
    ['no header: the peer', 'loopback', {}, '127.0.0.1'],
    ['trusted peer: the entry it added', 'loopback', { forwardedFor: '203.0.113.1' }, '203.0.113.1'],
    [
      'forged entries left of the one the proxy added are ignored',
      'loopback',
      { forwardedFor: '10.9.9.9, 198.51.100.66, 203.0.113.1' },
      '203.0.113.1',
    ],
    [
      'untrusted peer: its whole header is ignored (regression: forged X-Forwarded-For sent straight to the port)',
      '198.51.100.0/24',
      { peer: '127.0.0.1', forwardedFor: '203.0.113.1' },
      '127.0.0.1',
    ],
    [
      'trusted proxies in a chain are passed through, up to the first untrusted address',
      '10.0.0.0/8, loopback',
      { forwardedFor: '192.0.2.5, 203.0.113.1, 10.0.0.2, 10.0.0.1' },
      '203.0.113.1',
    ],
    [
      'every entry trusted: the leftmost is the client',
      'loopback, 10.0.0.0/8',
      { forwardedFor: '10.0.0.3, 10.0.0.2' },
      '10.0.0.3',
    ],
    ['1 hop: the last entry', '1', { forwardedFor: '10.9.9.9, 203.0.113.1' }, '203.0.113.1'],
    ['1 hop, any peer address', '1', { peer: '192.0.2.200', forwardedFor: '203.0.113.1' }, '203.0.113.1'],
    [
      '2 hops: the second-to-last entry',
      '2',
      { forwardedFor: '10.9.9.9, 203.0.113.1, 10.0.0.1' },
      '203.0.113.1',
    ],
    ['more hops than entries: the leftmost', '3', { forwardedFor: '203.0.113.1' }, '203.0.113.1'],
    ['hops and no header: the peer', '2', {}, '127.0.0.1'],
    ['IPv6 peer and entries', 'loopback', { peer: '::1', forwardedFor: '2001:db8::7' }, '2001:db8::7'],
    [
      'IPv6 range of proxies',
      '2001:db8:ffff::/48',
      { peer: '2001:db8:ffff::2', forwardedFor: '2001:db8::7, 2001:db8:ffff::1' },
      '2001:db8::7',
    ],
    [
      'IPv4-mapped peer matches an IPv4 range',
      'loopback',
      { peer: '::ffff:127.0.0.1', forwardedFor: '203.0.113.1' },
      '203.0.113.1',
    ],
    [
      'IPv4-mapped entry matches an IPv4 range',
      '10.0.0.0/8, loopback',
      { forwardedFor: '203.0.113.1, ::ffff:10.0.0.1' },
      '203.0.113.1',
    ],
    [
      'IPv4-mapped peer outside the range: the peer',
      '10.0.0.0/8',
      { peer: '::ffff:127.0.0.1', forwardedFor: '203.0.113.1' },
      '::ffff:127.0.0.1',
    ],
    ['an entry with a port', 'loopback', { forwardedFor: '203.0.113.1:51234' }, '203.0.113.1'],
    ['an IPv6 entry in brackets', 'loopback', { forwardedFor: '[2001:db8::7]:443' }, '2001:db8::7'],
    [
      'a bad entry: the trusted proxy that passed it on',
      'loopback',
      { forwardedFor: 'not-an-ip' },
      '127.0.0.1',
    ],
    [
      'a bad entry further in: the last trusted hop',
      'loopback, 10.0.0.0/8',
      { forwardedFor: '203.0.113.1, unknown, 10.0.0.1' },
      '10.0.0.1',
    ],
    ['an empty entry', 'loopback', { forwardedFor: '203.0.113.1, ' }, '127.0.0.1'],
    ['an empty header', 'loopback', { forwardedFor: '' }, '127.0.0.1'],
    ['a bad entry within the hop count', '2', { forwardedFor: '<script>, 203.0.113.1' }, '203.0.113.1'],
    ['brackets around IPv4', 'loopback', { forwardedFor: '[203.0.113.1]' }, '127.0.0.1'],
    ['no peer (socket gone)', 'loopback', { peer: undefined, forwardedFor: '203.0.113.1' }, ''],
  ])('%s', (_what, setting, request, ip) => {
    expect(resolve(setting, request).ip).toBe(ip);
  });

  test('whatever a client prepends, the address the trusted proxies saw wins', () => {
    const entry = fc.oneof(fc.ipV4(), fc.ipV6(), fc.string({ unit: 'grapheme-ascii' }));
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 6 }), (forged) => {
        const header = [...forged.map((part) => part.replaceAll(',', '')), '203.0.113.1', '10.0.0.1'].join(
          ',',
        );
        expect(resolve('loopback, 10.0.0.0/8', { forwardedFor: header }).ip).toBe('203.0.113.1');
      }),
    );
  });

  test('from an untrusted peer, no header changes anything', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (forwardedFor, forwardedProto) => {
        expect(resolve('10.0.0.0/8', { forwardedFor, forwardedProto })).toEqual({
          ip: '127.0.0.1',
          protocol: 'http',
          hops: 0,
        });
      }),
    );
  });
});

describe('the protocol', () => {
  test.each<[string, string, Partial<ForwardedRequest>, 'http' | 'https']>([
    ['plain connection, no proxy', 'false', { forwardedProto: 'https' }, 'http'],
    ['TLS connection', 'false', { encrypted: true, forwardedProto: 'http' }, 'https'],
    [
      'untrusted peer: X-Forwarded-Proto ignored',
      '198.51.100.0/24',
      { forwardedFor: '203.0.113.1', forwardedProto: 'https' },
      'http',
    ],
    ['trusted peer', 'loopback', { forwardedFor: '203.0.113.1', forwardedProto: 'https' }, 'https'],
    [
      'trusted peer, upper case',
      'loopback',
      { forwardedFor: '203.0.113.1', forwardedProto: 'HTTPS' },
      'https',
    ],
    ['trusted peer without X-Forwarded-For', 'loopback', { forwardedProto: 'https' }, 'https'],
    [
      'hop count',
      '1',
      { peer: '192.0.2.200', forwardedFor: '203.0.113.1', forwardedProto: 'https' },
      'https',
    ],
    [
      'one value set by the nearest proxy, client found two hops out',
      'loopback, 10.0.0.0/8',
      { forwardedFor: '203.0.113.1, 10.0.0.1', forwardedProto: 'https' },
      'https',
    ],
    [
      'appended by each proxy: the entry of the hop the client was found at',
      'loopback, 10.0.0.0/8',
      { forwardedFor: '203.0.113.1, 10.0.0.1', forwardedProto: 'https, http' },
      'https',
    ],
    [
      'an entry the client forged left of the trusted ones is not read',
      'loopback',
      { forwardedFor: '10.9.9.9, 203.0.113.1', forwardedProto: 'https, http' },
      'http',
    ],
    [
      'neither http nor https: the connection',
      'loopback',
      { forwardedFor: '203.0.113.1', forwardedProto: 'ftp' },
      'http',
    ],
    ['empty', 'loopback', { forwardedFor: '203.0.113.1', forwardedProto: '' }, 'http'],
    [
      'TLS to a trusted proxy that says http',
      'loopback',
      { encrypted: true, forwardedFor: '203.0.113.1', forwardedProto: 'http' },
      'http',
    ],
  ])('%s', (_what, setting, request, protocol) => {
    expect(resolve(setting, request).protocol).toBe(protocol);
  });
});
