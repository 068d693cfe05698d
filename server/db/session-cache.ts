// A short per-instance cache of session lookups (the one query every authenticated request makes), kept
// correct across instances by Postgres LISTEN/NOTIFY: triggers (migration session_cache_notify) send the
// user id on channel juxta_auth in the transaction that revokes or deletes a session or deactivates,
// reactivates, renames or re-roles a user, and every instance drops that user's entries when it hears it.
// Postgres: the listener is a direct pg.Client of its own (a pooled connection would not stay subscribed).
// PGlite: its own listen() API (one process; the notice arrives before the committing query returns).
// While the listener is not connected (starting, errored, reconnecting) the cache is bypassed and emptied.
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export const AUTH_CHANNEL = 'juxta_auth';
const TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;
const RECONNECT_MS = [250, 1_000, 5_000];

interface Entry<T> {
  value: T;
  userId: string;
  until: number;
}

export class SessionCache<T = unknown> {
  private readonly entries = new Map<string, Entry<T>>();
  private listening = false;
  private generation = 0;
  private readonly heard = new Set<(userId: string) => void>();
  private waiting: (() => void)[] = [];

  constructor(
    private readonly ttlMs = TTL_MS,
    private readonly maxEntries = MAX_ENTRIES,
  ) {}

  /** Whether the cache is in use: only while the invalidation listener is connected. */
  get active(): boolean {
    return this.listening;
  }

  get(key: string): T | undefined {
    if (!this.listening) return undefined;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= performance.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Take this before reading the database; pass it to set(), which then ignores a read that a notice overtook. */
  stamp(): number {
    return this.generation;
  }

  set(key: string, userId: string, value: T, stamp: number): void {
    if (!this.listening || stamp !== this.generation) return;
    // Bounded: the oldest entry goes first (a Map iterates in insertion order).
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, userId, until: performance.now() + this.ttlMs });
  }

  /** Drops every entry of the user (their sessions or account changed). */
  evictUser(userId: string): void {
    this.generation++;
    for (const [key, entry] of this.entries) if (entry.userId === userId) this.entries.delete(key);
    for (const fn of this.heard) fn(userId);
  }

  /** Drops one session's entry (this instance changed it; the notice reaches the others). */
  evictKey(key: string): void {
    this.generation++;
    this.entries.delete(key);
  }

  /** Calls fn on every invalidation (tests wait on it to know another instance heard a notice). */
  onEvict(fn: (userId: string) => void): () => void {
    this.heard.add(fn);
    return () => this.heard.delete(fn);
  }

  setListening(up: boolean): void {
    this.generation++;
    if (!up) this.entries.clear();
    this.listening = up;
    if (up) for (const resolve of this.waiting.splice(0)) resolve();
  }

  /** Resolves once the listener is connected (at once if it is). */
  whenListening(): Promise<void> {
    return this.listening ? Promise.resolve() : new Promise((resolve) => this.waiting.push(resolve));
  }
}

export interface CacheListener {
  close(): Promise<void>;
  /** Postgres only, for tests: drops the listener's connection as a network failure would. */
  breakConnection?(): void;
}

/** Listens on a direct connection of its own, reconnecting after errors; the cache is off while it is down. */
export function listenOnPostgres(url: string, cache: SessionCache, log: (msg: string) => void): CacheListener {
  let client: pg.Client | null = null;
  let closed = false;
  let failures = 0;
  let timer: NodeJS.Timeout | null = null;

  const down = (why: string) => {
    cache.setListening(false);
    const c = client;
    client = null;
    c?.end().catch(() => {});
    if (closed) return;
    log(`session cache off (listener: ${why}); reconnecting`);
    timer = setTimeout(connect, RECONNECT_MS[Math.min(failures++, RECONNECT_MS.length - 1)]);
    timer.unref();
  };

  const connect = async () => {
    timer = null;
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    client = c;
    c.on('notification', (msg) => {
      if (msg.channel === AUTH_CHANNEL && msg.payload) cache.evictUser(msg.payload);
    });
    c.on('error', (err) => {
      if (client === c) down(err.message);
    });
    c.on('end', () => {
      if (client === c) down('connection ended');
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${AUTH_CHANNEL}`);
      if (client !== c || closed) return;
      failures = 0;
      cache.setListening(true);
    } catch (err) {
      if (client === c) down((err as Error).message);
    }
  };

  void connect();
  return {
    close: async () => {
      closed = true;
      cache.setListening(false);
      if (timer) clearTimeout(timer);
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
    breakConnection: () => {
      const c = client;
      if (c) c.emit('error', new Error('connection broken (test)'));
    },
  };
}

/** PGlite's own LISTEN: notices from this process's transactions, delivered in-process. */
export async function listenOnPglite(engine: PGlite, cache: SessionCache): Promise<CacheListener> {
  const unlisten = await engine.listen(AUTH_CHANNEL, (payload) => cache.evictUser(payload));
  cache.setListening(true);
  return {
    close: async () => {
      cache.setListening(false);
      if (!engine.closed) await unlisten().catch(() => {});
    },
  };
}
