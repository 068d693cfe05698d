// The fetch that model endpoints are called through: it refuses, at connect time, any address that is a
// cloud metadata service (server/domain/generation/metadata-address.ts), whatever the URL said: DNS answers,
// redirects and IP literals (IPv4-mapped IPv6 included) are all checked on the address actually dialled.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type Socket } from 'node:net';
import type { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import { isBlockedAddress, type AddressCheck } from '../../domain/generation/metadata-address';

export class BlockedAddressError extends Error {
  override name = 'BlockedAddressError';
  readonly code = 'JUXTA_BLOCKED_ADDRESS';
  constructor(readonly address: string) {
    super(`the endpoint resolves to ${address}, a cloud metadata address, which Juxta never connects to`);
  }
}

type LookupCallback = (err: Error | null, address: string | LookupAddress[], family?: number) => void;

/** A DNS lookup that drops blocked answers (fails when none is left), so the socket never dials them. */
const guardedLookup = (isBlocked: AddressCheck) => (hostname: string, options: object, callback: LookupCallback): void => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '');
    const list = addresses as LookupAddress[];
    const allowed = list.filter((a) => !isBlocked(a.address));
    if (allowed.length === 0) return callback(new BlockedAddressError(list[0]?.address ?? hostname), '');
    if ((options as { all?: boolean }).all) return callback(null, allowed);
    return callback(null, allowed[0]!.address, allowed[0]!.family);
  });
};

type Undici = typeof import('undici');

function guardedConnector(undici: Undici, isBlocked: AddressCheck): buildConnector.connector {
  const connect = undici.buildConnector({ lookup: guardedLookup(isBlocked) } as buildConnector.BuildOptions);
  return (options, callback) => {
    // An IP literal is dialled without a lookup: check it here.
    if (isIP(options.hostname.replace(/^\[|\]$/g, '')) && isBlocked(options.hostname)) {
      return callback(new BlockedAddressError(options.hostname), null);
    }
    connect(options, (err, socket) => {
      if (err) return callback(err, null);
      // The address actually connected to, whatever led there.
      const remote = (socket as Socket).remoteAddress;
      if (remote && isBlocked(remote)) {
        socket!.destroy();
        return callback(new BlockedAddressError(remote), null);
      }
      return callback(null, socket!);
    });
  };
}

/**
 * fetch through one pooled agent (keep-alive connections are reused) that refuses what `isBlocked` says.
 * undici loads with the first request: a server that never calls a model endpoint never holds it.
 */
export function createGuardedFetch(isBlocked: AddressCheck): typeof globalThis.fetch {
  let client: Promise<{ undici: Undici; agent: Agent }> | null = null;
  return (async (input: Parameters<typeof undiciFetch>[0], init?: Parameters<typeof undiciFetch>[1]) => {
    client ??= import('undici').then((undici) => ({
      undici,
      agent: new undici.Agent({ connect: guardedConnector(undici, isBlocked), connections: 256, keepAliveTimeout: 10_000 }),
    }));
    const { undici, agent } = await client;
    return undici.fetch(input, { ...init, dispatcher: agent });
  }) as unknown as typeof globalThis.fetch;
}

/** The fetch the openai client uses for every endpoint (`fetch` option). */
export const guardedFetch = createGuardedFetch(isBlockedAddress);

/** True when `err` (or its cause chain) is the guard's refusal. */
export function isBlockedAddressError(err: unknown): BlockedAddressError | null {
  for (let e: unknown = err, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof BlockedAddressError) return e;
  }
  return null;
}
