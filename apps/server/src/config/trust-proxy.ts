import { BlockList, isIP } from 'node:net';

/**
 * Which reverse proxies are believed: none, a number of hops in front of the server, or the
 * proxies' own addresses (and ranges). Only a trusted proxy's `X-Forwarded-For` and
 * `X-Forwarded-Proto` are read; anyone else who sends them is ignored.
 */
export type TrustProxy =
  | { kind: 'none' }
  | { kind: 'hops'; hops: number }
  | { kind: 'addresses'; text: string; list: BlockList };

/** The names Express also uses for the usual private ranges. */
const presets: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

export class TrustProxyError extends Error {
  override readonly name = 'TrustProxyError';
}

/** Parses `TRUST_PROXY`: `false`, a hop count, or addresses / CIDR ranges / preset names, comma-separated. */
export function parseTrustProxy(value: string): TrustProxy {
  const text = value.trim();
  const lower = text.toLowerCase();
  // '0' is the hop count below, which is none.
  if (['', 'false', 'no', 'off'].includes(lower)) return { kind: 'none' };
  if (['true', 'yes', 'on'].includes(lower))
    throw new TrustProxyError(
      'TRUST_PROXY=true would believe X-Forwarded-For from whoever connects: name the proxies (TRUST_PROXY=loopback, an address, or a CIDR range such as 10.0.0.0/8), or give a hop count (TRUST_PROXY=1) when nothing but the proxy can reach this port',
    );
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > 10) throw new TrustProxyError(`TRUST_PROXY: at most 10 hops, got ${hops}`);
    return hops === 0 ? { kind: 'none' } : { kind: 'hops', hops };
  }
  const list = new BlockList();
  for (const entry of text.split(',').map((part) => part.trim())) {
    for (const range of presets[entry.toLowerCase()] ?? [entry]) addRange(list, range);
  }
  return { kind: 'addresses', text, list };
}

function addRange(list: BlockList, range: string): void {
  // split() always returns at least one part.
  const [address, prefixText, ...rest] = range.split('/') as [string, ...string[]];
  const family = isIP(address);
  const max = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (
    family === 0 ||
    rest.length > 0 ||
    (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) ||
    prefix > max
  )
    throw new TrustProxyError(
      `TRUST_PROXY: "${range}" is not an address, a CIDR range, a hop count, or loopback / linklocal / uniquelocal`,
    );
  list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * True when `address` (as a socket gives it) is one of the trusted proxies. An IPv4-mapped IPv6
 * address (`::ffff:127.0.0.1`, what a dual-stack socket reports) matches the IPv4 ranges: Node's
 * BlockList compares the two forms as one, both ways. Anything that is no address matches nothing.
 */
export function isTrustedProxy(trust: TrustProxy, address: string): boolean {
  if (trust.kind !== 'addresses') return false;
  return trust.list.check(address, isIP(address) === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Whether what `address` says about its own peer is believed. `hop` counts the proxies already
 * passed on the way in: 0 for the socket's peer, 1 for the address that peer reported, and so on.
 * With a hop count N the N nearest are believed whatever their address.
 */
export function isTrustedHop(trust: TrustProxy, address: string, hop: number): boolean {
  if (trust.kind === 'hops') return hop < trust.hops;
  return isTrustedProxy(trust, address);
}
