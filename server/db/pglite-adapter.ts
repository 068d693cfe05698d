// Prisma's adapter for PGlite, with its lost COMMIT error put back.
//
// pglite-prisma-adapter 0.7.2 starts a transaction with `engine.transaction(work).catch(reject)`, where
// `reject` belongs to a promise already settled once the transaction began, and its commit() awaits that
// caught promise: a COMMIT that fails (a deferred constraint, a serialization failure) resolved as a
// success, so a route answered 200 for a change that was rolled back. Postgres through @prisma/adapter-pg
// rejects. The adapter only ever calls `.catch` on what `transaction` returns, so the engine it is given
// returns a promise whose `.catch` hands over only failures to start; later ones (the COMMIT's) reach
// commit(), which awaits it, and from there Prisma's `$transaction`, as on Postgres.
import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { PrismaPGlite } from 'pglite-prisma-adapter';

/** The engine as the adapter sees it: every member is PGlite's own except `transaction`. */
function withCommitErrors(engine: PGlite): PGlite {
  const transaction = <T>(work: (tx: Transaction) => Promise<T>): Promise<T> => {
    let started = false;
    const result = engine.transaction((tx) => {
      started = true;
      return work(tx);
    });
    // Promise.prototype.catch on `result` itself: the own `catch` below would call itself.
    const handOver = (onError: (err: unknown) => unknown) =>
      Promise.prototype.catch.call(result, (err: unknown) => {
        if (!started) return onError(err);
        throw err;
      });
    return Object.assign(result, { catch: handOver });
  };
  // Bound once per method, not on every access: the adapter reaches `query` through here on every statement.
  const bound = new Map<PropertyKey, unknown>([['transaction', transaction]]);
  return new Proxy(engine, {
    get(target, property) {
      if (bound.has(property)) return bound.get(property);
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const method = (value as (...args: unknown[]) => unknown).bind(target);
      bound.set(property, method);
      return method;
    },
  });
}

export async function pgliteAdapter(engine: PGlite): Promise<PrismaPGlite> {
  // Loaded here, not at start-up: a server on Postgres never needs it.
  const { PrismaPGlite } = await import('pglite-prisma-adapter');
  return new PrismaPGlite(withCommitErrors(engine));
}
