// What every service receives: the database, a clock and a source of randomness (both replaceable in tests),
// the config, a logger, and the counters GET /metrics reports.
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config';
import type { Database } from '../db/database';

export interface Clock {
  now(): Date;
}

export interface Random {
  /** Cryptographically strong bytes (tokens, seeds). */
  bytes(n: number): Buffer;
  /** Uniform in [0, 1); side order and gold mixing. */
  float(): number;
  uuid(): string;
}

/** Events the services count for GET /metrics (server/plugins/metrics.ts keeps the counters). */
export interface Metrics {
  /** A judgment was stored (a replayed retry is not one). */
  judgmentStored(): void;
}

export interface ServiceContext {
  readonly db: Database;
  readonly clock: Clock;
  readonly random: Random;
  readonly config: Config;
  readonly log: FastifyBaseLogger;
  readonly metrics: Metrics;
}

/** For a context outside the server (scripts, benchmarks): counts nothing. */
export const noMetrics: Metrics = { judgmentStored: () => {} };

export const systemClock: Clock = { now: () => new Date() };

export const systemRandom: Random = {
  bytes: (n) => randomBytes(n),
  float: () => randomBytes(4).readUInt32BE() / 2 ** 32,
  uuid: () => randomUUID(),
};
