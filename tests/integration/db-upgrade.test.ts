// Upgrades: a database made by the first release's schema (the first four migrations) with data
// (tests/fixtures/upgrade) migrates at start-up, and its exports at a fixed asOf equal, byte for byte,
// those of the same rows loaded fresh into this version's schema.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { EXPORT_FORMATS } from '../../server/contract/exports';
import { openRawSession } from '../../server/db/backup/session';
import { openDatabase } from '../../server/db/database';
import { readMigrations } from '../../server/db/migrate';
import { createUser } from '../helpers/app';
import { download, exportPath } from '../helpers/export-download';
import { createEmptyDatabase, type TestDatabase } from '../helpers/test-db';

const FIXTURE = readFileSync(path.resolve(import.meta.dirname, '../fixtures/upgrade/four-migrations-with-data.sql'), 'utf8');
const FIXTURE_MIGRATIONS = 4;
/** The fixture's campaigns (ids fixed in the file). */
const CAMPAIGNS = ['0a5c0af1-83b4-458e-b995-da173c05b808', 'e4f1c47e-bdaf-440d-882a-df19bc7fca27'];
const AS_OF = '2026-11-21T00:00:00.000Z';

const databases: TestDatabase[] = [];
const config = (db: TestDatabase) => loadConfig({ LOG_LEVEL: 'silent', JUXTA_DEMO: 'false', PUBLIC_URL: 'http://juxta.test', ...db.env });

async function runSql(db: TestDatabase, sql: string): Promise<void> {
  const session = await openRawSession(config(db));
  try {
    await session.exec(sql);
  } finally {
    await session.close();
  }
}

/** The fixture's tables, parents first (pg_dump writes them alphabetically and adds the foreign keys after). */
const LOAD_ORDER = ['User', 'Campaign', 'CampaignGuideline', 'CampaignMember', 'Import', 'Prompt', 'Response', 'Comparison', 'Assignment', 'Judgment', 'Flag', 'RaterExclusion', 'ApiToken', 'Invite', 'Session'];

/**
 * Columns added since the fixture that have no default: the value today's code writes for such a row.
 * Loading the old rows fresh leaves them empty until filled with it (a new required column goes here).
 */
const FRESH_VALUES: { table: string; column: string; value: string }[] = [
  // An import's key for a response without an external id (the fixture's responses have none): model and sample index.
  { table: 'Response', column: 'key', value: `'model:' || "model" || '#0'` },
  // A comparison's model pair: its responses' models.
  { table: 'Comparison', column: 'modelA', value: `(SELECT r.model FROM "Response" r WHERE r.id = "responseAId")` },
  { table: 'Comparison', column: 'modelB', value: `(SELECT r.model FROM "Response" r WHERE r.id = "responseBId")` },
];

/**
 * Columns dropped since the fixture (with their old types): loading the old rows fresh adds them back for
 * the INSERTs and drops them again, as the migration that removed them did.
 */
const DROPPED_COLUMNS: { table: string; column: string; type: string }[] = [
  // The per-account lockout gave way to the login back-off table (LoginFailure).
  { table: 'User', column: 'failedLoginCount', type: 'integer' },
  { table: 'User', column: 'failedLoginWindowStart', type: 'timestamptz' },
];

/** The fixture's rows alone (its INSERTs and sequence positions), for a database that has the current schema already. */
function fixtureRows(): string {
  const lines = FIXTURE.split('\n');
  const tableOf = (line: string) => /^INSERT INTO public\."(\w+)"/.exec(line)?.[1];
  const inserts = lines.filter((line) => tableOf(line) !== undefined);
  const unknown = inserts.map(tableOf).filter((table) => !LOAD_ORDER.includes(table!));
  if (unknown.length > 0) throw new Error(`add ${unknown[0]} to LOAD_ORDER`);
  const ordered = LOAD_ORDER.flatMap((table) => inserts.filter((line) => tableOf(line) === table));
  const column = (f: (typeof FRESH_VALUES)[number]) => `"${f.table}" ALTER COLUMN "${f.column}"`;
  return [
    'SET search_path = public;',
    ...FRESH_VALUES.map((f) => `ALTER TABLE ${column(f)} DROP NOT NULL;`),
    ...DROPPED_COLUMNS.map((d) => `ALTER TABLE "${d.table}" ADD COLUMN "${d.column}" ${d.type};`),
    ...ordered,
    ...DROPPED_COLUMNS.map((d) => `ALTER TABLE "${d.table}" DROP COLUMN "${d.column}";`),
    ...FRESH_VALUES.map((f) => `UPDATE "${f.table}" SET "${f.column}" = ${f.value} WHERE "${f.column}" IS NULL; ALTER TABLE ${column(f)} SET NOT NULL;`),
    ...lines.filter((line) => line.startsWith('SELECT pg_catalog.setval(')),
  ].join('\n');
}

/** Every export format of every fixture campaign at AS_OF, through HTTP on an app started on `db`; pair formats with
 * minJudgments=1, as the fixture's pairs have fewer judgments than k (the default minimum since issue 14). */
async function exportsOf(db: TestDatabase): Promise<Record<string, string>> {
  const app: FastifyInstance = await buildApp(config(db), { logger: false });
  try {
    const admin = await createUser(app, 'ADMIN');
    const out: Record<string, string> = {};
    for (const campaignId of CAMPAIGNS) {
      for (const format of EXPORT_FORMATS) {
        const res = await download(app, admin, exportPath(campaignId, format === 'raw' ? { format, asOf: AS_OF } : { format, asOf: AS_OF, minJudgments: '1' }));
        expect(res.status, `${format}: ${res.text.slice(0, 200)}`).toBe(200);
        out[`${campaignId} ${format}`] = res.text;
      }
    }
    return out;
  } finally {
    await app.close();
  }
}

afterAll(async () => {
  for (const db of databases) await db.drop();
});

describe('upgrade from the first release', () => {
  it('migrates the fixture at start-up, and its exports at a fixed asOf equal those of the same rows loaded fresh', async () => {
    const upgraded = await createEmptyDatabase();
    databases.push(upgraded);
    await runSql(upgraded, FIXTURE);
    const opened = await openDatabase(config(upgraded));
    const applied = await opened.prisma.$queryRawUnsafe<{ name: string }[]>('SELECT migration_name AS name FROM "_prisma_migrations" ORDER BY 1');
    await opened.close();
    const code = readMigrations().map((m) => m.name);
    expect(code.length).toBeGreaterThan(FIXTURE_MIGRATIONS);
    expect(applied.map((m) => m.name)).toEqual(code);

    const fresh = await createEmptyDatabase();
    databases.push(fresh);
    await (await openDatabase(config(fresh))).close();
    await runSql(fresh, fixtureRows());

    const [before, after] = [await exportsOf(fresh), await exportsOf(upgraded)];
    expect(Object.keys(after)).toHaveLength(CAMPAIGNS.length * EXPORT_FORMATS.length);
    for (const key of Object.keys(before)) {
      expect(after[key], key).toBe(before[key]);
      // The second campaign's two raters split every vote: only its raw export has lines.
      if (key.startsWith(CAMPAIGNS[0]!) || key.endsWith(' raw')) expect(after[key]!.length, `${key} is empty`).toBeGreaterThan(0);
    }
    // The fixture's judgments are in them: the raw export of the first campaign has its standing judgments.
    expect(after[`${CAMPAIGNS[0]} raw`]!.split('\n').filter(Boolean).length).toBeGreaterThan(40);
  }, 180_000);
});
