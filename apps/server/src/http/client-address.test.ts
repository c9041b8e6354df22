import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import Koa from 'koa';
import { describe, expect, test } from 'vitest';
import { parseTrustProxy } from '../config/trust-proxy';
import { clientAddress, type ForwardedRequest, resolveClientAddress } from './client-address';

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
    ['an IPv6 entry in brackets, no port', 'loopback', { forwardedFor: '[2001:db8::7]' }, '2001:db8::7'],
    ['text before brackets', 'loopback', { forwardedFor: 'x[2001:db8::7]:443' }, '127.0.0.1'],
    ['text after brackets', 'loopback', { forwardedFor: '[2001:db8::7]x' }, '127.0.0.1'],
    ['text after a bracketed port', 'loopback', { forwardedFor: '[2001:db8::7]:443x' }, '127.0.0.1'],
    ['a bracketed port too long', 'loopback', { forwardedFor: '[2001:db8::7]:123456' }, '127.0.0.1'],
    ['text before an entry with a port', 'loopback', { forwardedFor: 'x203.0.113.1:80' }, '127.0.0.1'],
    ['text after an entry with a port', 'loopback', { forwardedFor: '203.0.113.1:80x' }, '127.0.0.1'],
    ['a port too long', 'loopback', { forwardedFor: '203.0.113.1:123456' }, '127.0.0.1'],
    ['no IPv4 address before a port', 'loopback', { forwardedFor: '999.0.0.1:80' }, '127.0.0.1'],
    ['a short IPv4 address before a port', 'loopback', { forwardedFor: '1.2.3:80' }, '127.0.0.1'],
    [
      'spaces around entries',
      'loopback, 10.0.0.0/8',
      { forwardedFor: ' 192.0.2.5 ,  203.0.113.1 ,10.0.0.1  ' },
      '203.0.113.1',
    ],
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
      'spaces around the entry read',
      'loopback',
      { forwardedFor: '10.9.9.9, 203.0.113.1', forwardedProto: 'http,  https ' },
      'https',
    ],
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

describe('the clientAddress middleware', () => {
  /** Serves the resolved address and protocol from a real socket on 127.0.0.1. */
  async function served(settings: string[], headers: Record<string, string>) {
    const app = new Koa();
    for (const setting of settings) app.use(clientAddress(parseTrustProxy(setting)));
    app.use((ctx) => {
      ctx.body = { ip: ctx.ip, protocol: ctx.protocol, secure: ctx.secure };
    });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/`, { headers });
      expect(response.status).toBe(200);
      return await response.json();
    } finally {
      server.close();
    }
  }

  const forwarded = { 'X-Forwarded-For': '203.0.113.1', 'X-Forwarded-Proto': 'https' };

  test.each<[string, string[], Record<string, string>, { ip: string; protocol: string; secure: boolean }]>([
    [
      'a trusted peer’s headers set ctx.ip and ctx.protocol',
      ['loopback'],
      forwarded,
      { ip: '203.0.113.1', protocol: 'https', secure: true },
    ],
    [
      'an untrusted peer’s headers change nothing',
      ['10.0.0.0/8'],
      forwarded,
      { ip: '127.0.0.1', protocol: 'http', secure: false },
    ],
    ['no headers: the socket', ['loopback'], {}, { ip: '127.0.0.1', protocol: 'http', secure: false }],
    [
      'X-Forwarded-For alone keeps the socket’s protocol',
      ['loopback'],
      { 'X-Forwarded-For': '203.0.113.1' },
      { ip: '203.0.113.1', protocol: 'http', secure: false },
    ],
    [
      'X-Forwarded-Proto alone keeps the peer’s address',
      ['loopback'],
      { 'X-Forwarded-Proto': 'https' },
      { ip: '127.0.0.1', protocol: 'https', secure: true },
    ],
    [
      'resolved again by a later middleware (the protocol stays redefinable)',
      ['false', 'loopback'],
      forwarded,
      { ip: '203.0.113.1', protocol: 'https', secure: true },
    ],
  ])('%s', async (_what, settings, headers, expected) => {
    expect(await served(settings, headers)).toEqual(expected);
  });
});
