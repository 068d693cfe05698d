// GET /metrics in Prometheus text (prom-client), for holders of METRICS_TOKEN only, and what it reports:
// request durations per route, judgments stored, open leases, running imports, unfinished generation jobs
// (items per status), the Postgres pool, and
// the process (event-loop lag, memory, GC: prom-client's default metrics). One registry per app.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../db/database';
import { openLeasesByCampaign, runningImports, unfinishedGenerationJobs } from '../db/repositories/monitoring';
import type { Clock, Metrics } from '../services/context';

export interface AppMetrics extends Metrics {
  readonly registry: Registry;
  observeRequest(labels: { method: string; route: string; status_code: number }, seconds: number): void;
}

type Log = (err: unknown, what: string) => void;

/** A gauge refilled from the database on every scrape; a failed read leaves it empty and says so in the log. */
function databaseGauge(registry: Registry, log: Log, name: string, help: string, labelNames: string[], fill: (set: (labels: Record<string, string>, value: number) => void) => Promise<void>) {
  return new Gauge({
    name,
    help,
    labelNames,
    registers: [registry],
    async collect() {
      this.reset();
      try {
        await fill((labels, value) => this.set(labels, value));
      } catch (err) {
        log(err, name);
      }
    },
  });
}

export function createMetrics(db: Database, clock: Clock, log: Log): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requestDuration = new Histogram({
    name: 'juxta_http_request_duration_seconds',
    help: 'Time to answer a request, by route template, method and status',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120, 600],
    registers: [registry],
  });
  const judgments = new Counter({
    name: 'juxta_judgments_total',
    help: 'Judgments stored by this instance (replayed retries not counted); rate() gives judgments per second',
    registers: [registry],
  });
  databaseGauge(registry, log, 'juxta_open_leases', 'Unexpired leases (comparisons out with a rater) per ACTIVE or PAUSED campaign', ['campaign_id'], async (set) => {
    for (const row of await openLeasesByCampaign(db, clock.now())) set({ campaign_id: row.campaignId }, row.leases);
  });
  databaseGauge(registry, log, 'juxta_import_progress', 'What each running import has read so far: unit="records" or unit="bytes" (its phase as a label)', ['import_id', 'campaign_id', 'phase', 'unit'], async (set) => {
    for (const row of await runningImports(db)) {
      const labels = { import_id: row.id, campaign_id: row.campaignId, phase: row.phase };
      set({ ...labels, unit: 'records' }, row.records);
      set({ ...labels, unit: 'bytes' }, row.bytes);
    }
  });
  databaseGauge(
    registry,
    log,
    'juxta_generation_job_items',
    'Items of each generation job not finished (QUEUED, RUNNING or PAUSED) per item status: PENDING, LEASED, DONE, FAILED, CANCELLED; done/total is its progress',
    ['job_id', 'campaign_id', 'job_status', 'item_status'],
    async (set) => {
      for (const row of await unfinishedGenerationJobs(db)) {
        set({ job_id: row.jobId, campaign_id: row.campaignId, job_status: row.jobStatus, item_status: row.itemStatus }, row.items);
      }
    },
  );
  if (db.pool) {
    const pool = db.pool;
    new Gauge({
      name: 'juxta_db_pool_connections',
      help: 'Postgres connections of this instance: in_use, idle, and waiting (requests queued for a connection)',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        this.set({ state: 'in_use' }, pool.totalCount - pool.idleCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
  }
  return {
    registry,
    judgmentStored: () => judgments.inc(),
    observeRequest: (labels, seconds) => requestDuration.observe(labels, seconds),
  };
}

export const metricsPlugin = fp(async (app: FastifyInstance, { metrics }: { metrics: AppMetrics }) => {
  app.addHook('onResponse', async (request, reply) => {
    metrics.observeRequest({ method: request.method, route: request.routeOptions.url ?? '(no route)', status_code: reply.statusCode }, reply.elapsedTime / 1000);
  });
  app.get(
    '/metrics',
    { config: { access: 'metrics' }, schema: { tags: ['health'], summary: 'Prometheus metrics (Authorization: Bearer <METRICS_TOKEN>)' } },
    async (_request, reply) => reply.header('cache-control', 'no-store').type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
});
