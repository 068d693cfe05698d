// What readiness (GET /api/health/ready) and GET /metrics read from the database: applied migrations,
// open leases, running imports, unfinished generation jobs. Each is cheap enough to run on every probe or scrape.
import type { Db } from '../handle';
import { MONITORING_SQL } from '../sql/monitoring';

/** Names of the migrations the database has applied (as `prisma migrate deploy` records them). */
export async function appliedMigrationNames(db: Db): Promise<string[]> {
  const rows = await db.sql.query<{ name: string }>(MONITORING_SQL.appliedMigrations, []);
  return rows.map((r) => r.name);
}

export interface OpenLeases {
  campaignId: string;
  leases: number;
}

/** Unexpired leases of each campaign that can hold any (ACTIVE or PAUSED). */
export async function openLeasesByCampaign(db: Db, now: Date): Promise<OpenLeases[]> {
  return db.sql.query<OpenLeases>(MONITORING_SQL.openLeasesByCampaign, [now.toISOString()]);
}

export interface RunningImport {
  id: string;
  campaignId: string;
  phase: string;
  bytes: number;
  records: number;
}

export async function runningImports(db: Db): Promise<RunningImport[]> {
  const rows = await db.prisma.import.findMany({
    where: { status: 'RUNNING' },
    select: { id: true, campaignId: true, phase: true, bytes: true, records: true },
  });
  return rows.map((r) => ({ ...r, bytes: Number(r.bytes) }));
}

export interface GenerationJobItems {
  jobId: string;
  campaignId: string;
  jobStatus: string;
  itemStatus: string;
  items: number;
}

/** Items per status of every generation job not finished (MONITORING_SQL.unfinishedGenerationJobs). */
export async function unfinishedGenerationJobs(db: Db): Promise<GenerationJobItems[]> {
  return db.sql.query<GenerationJobItems>(MONITORING_SQL.unfinishedGenerationJobs, []);
}
