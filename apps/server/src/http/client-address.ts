import { isIP } from 'node:net';
import { isTrustedHop, type TrustProxy } from '../config/trust-proxy';
import type { AppMiddleware } from './state';

export interface ForwardedRequest {
  /** The socket's peer: whoever opened the connection to this server. */
  peer: string | undefined;
  /** `X-Forwarded-For` as received (several headers already joined with `, ` by Node). */
  forwardedFor: string | undefined;
  /** `X-Forwarded-Proto` as received. */
  forwardedProto: string | undefined;
  /** The connection itself is TLS. */
  encrypted: boolean;
}

export interface ClientAddress {
  /** The client's address: the first one, from the server outwards, that is not a trusted proxy. */
  ip: string;
  /** How the client reached the first trusted proxy (or this server, when none is in between). */
  protocol: 'http' | 'https';
  /** How many `X-Forwarded-For` entries were believed. */
  hops: number;
}

/**
 * The address in one `X-Forwarded-For` entry: an IP address, also in the forms some proxies write
 * (`198.51.100.7:51234`, `[2001:db8::1]:443`); undefined for anything else.
 */
function entryAddress(entry: string): string | undefined {
  if (isIP(entry)) return entry;
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(entry)?.[1];
  if (bracketed !== undefined) return isIP(bracketed) === 6 ? bracketed : undefined;
  // Stryker disable next-line StringLiteral: any text that is no IPv4 address does as well as ''
  const ipv4 = /^([\d.]+):\d{1,5}$/.exec(entry)?.[1] ?? '';
  return isIP(ipv4) === 4 ? ipv4 : undefined;
}

/**
 * Walks from the socket's peer leftwards through `X-Forwarded-For`, as proxy-addr (Express) does:
 * an entry is believed only when the address that handed it over is trusted, so the first
 * untrusted address is the client, and whatever a client wrote to the left of it is ignored. An
 * entry that is no address stops the walk at the trusted proxy that passed it on.
 */
export function resolveClientAddress(trust: TrustProxy, request: ForwardedRequest): ClientAddress {
  const own = request.encrypted ? 'https' : 'http';
  const peer = request.peer ?? '';
  // Stryker disable next-line ArrayDeclaration: a made-up entry is no address: it ends the walk at once
  const fromServerOutwards = request.forwardedFor?.split(',').reverse() ?? [];
  let ip = peer;
  let hops = 0;
  for (const entry of fromServerOutwards) {
    if (!isTrustedHop(trust, ip, hops)) break;
    const next = entryAddress(entry.trim());
    if (next === undefined) break;
    ip = next;
    hops++;
  }
  if (!isTrustedHop(trust, peer, 0)) return { ip, protocol: own, hops };
  return { ip, protocol: forwardedProtocol(request.forwardedProto, hops) ?? own, hops };
}

/**
 * The protocol the trusted proxies report. Proxies that append to `X-Forwarded-For` and
 * `X-Forwarded-Proto` alike keep them aligned from the right, so the entry of the hop the client
 * was found at is the protocol it spoke; a proxy that sets one value (nginx's
 * `X-Forwarded-Proto $scheme`) leaves a single entry, used whatever the hop count.
 */
function forwardedProtocol(header: string | undefined, hops: number): 'http' | 'https' | undefined {
  if (header === undefined) return undefined;
  const values = header.split(',').map((value) => value.trim().toLowerCase());
  const value = values[Math.max(0, values.length - Math.max(hops, 1))];
  return value === 'https' || value === 'http' ? value : undefined;
}

/**
 * Sets `ctx.ip` and `ctx.protocol` (so `ctx.secure`, `ctx.href` and the cookies' secure check)
 * from the socket and, where `trust` says so, the proxies' `X-Forwarded-For` and
 * `X-Forwarded-Proto`. Koa's own `app.proxy` stays off: it believes these headers from anyone.
 */
export function clientAddress(trust: TrustProxy): AppMiddleware {
  return async function resolveClient(ctx, next) {
    const client = resolveClientAddress(trust, {
      peer: ctx.req.socket.remoteAddress,
      forwardedFor: ctx.get('X-Forwarded-For') || undefined,
      forwardedProto: ctx.get('X-Forwarded-Proto') || undefined,
      encrypted: Boolean((ctx.req.socket as { encrypted?: boolean }).encrypted),
    });
    ctx.request.ip = client.ip;
    // Koa computes `protocol` from the socket (app.proxy off); the resolved one shadows it.
    Object.defineProperty(ctx.request, 'protocol', { value: client.protocol, configurable: true });
    await next();
  };
}
