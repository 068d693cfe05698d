// db:backup and db:restore: a backup restored into the other kind of database (and back) holds every row of
// every table; restore refuses a non-empty database, a truncated file and a backup newer than the code,
// migrates an older backup forward and sets sequences past the restored ids; a backup taken while raters
// judge (Postgres) restores to a consistent state.
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { restoreBackup } from '../../server/db/backup/restore-backup';
import { openRawSession, type RawSession } from '../../server/db/backup/session';
import { writeBackup, type BackupSummary } from '../../server/db/backup/write-backup';
import { openDatabase } from '../../server/db/database';
import { readMigrations } from '../../server/db/migrate';
import { client, createUser, startTestApp, type TestApp } from '../helpers/app';
import { seedComparisons } from '../../testkit/factory';
import { addJudgments, seedCampaign, setRaterExcluded, undoJudgment, type CampaignJudgment } from '../../testkit/factory';
import { createEmptyDatabase, type TestDatabase } from '../helpers/test-db';
import { JsonClient } from '../../testkit/load/http-client';
import { measureInvariants } from '../../testkit/load/invariant-report';
import { createRaters } from '../../testkit/factory';
import { CALM, runRater, unruly, type RunStats } from '../../testkit/load/simulated-rater';

const runKind = inject('templateDb').kind;
const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/upgrade/four-migrations-with-data.sql');

const dir = mkdtempSync(path.join(os.tmpdir(), 'juxta-backup-'));
const databases: TestDatabase[] = [];
const config = (db: TestDatabase) => loadConfig({ LOG_LEVEL: 'silent', JUXTA_DEMO: 'false', ...db.env });

async function withSession<T>(db: TestDatabase, work: (s: RawSession) => Promise<T>): Promise<T> {
  const session = await openRawSession(config(db));
  try {
    return await work(session);
  } finally {
    await session.close();
  }
}

async function empty(kind: 'postgres' | 'pglite' = runKind): Promise<TestDatabase> {
  const db = await createEmptyDatabase(kind);
  databases.push(db);
  return db;
}

async function backup(db: TestDatabase, name = `${randomUUID()}.jsonl.gz`): Promise<{ file: string; summary: BackupSummary }> {
  const file = path.join(dir, name);
  const summary = await withSession(db, (s) => writeBackup(s, createWriteStream(file)));
  return { file, summary };
}

const restore = (db: TestDatabase, file: string) => withSession(db, (s) => restoreBackup(s, createReadStream(file)));

/** Every table's rows as Postgres writes them as JSON, sorted; and the migrations applied. */
async function snapshot(db: TestDatabase): Promise<Record<string, string[]>> {
  return withSession(db, async (s) => {
    const tables = await s.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'");
    const out: Record<string, string[]> = {};
    for (const { name } of tables) out[name] = (await s.query<{ j: string }>(`SELECT row_to_json(t)::text AS j FROM "${name}" t`)).map((r) => r.j).sort();
    out._migrations = (await s.query<{ name: string }>('SELECT migration_name AS name FROM "_prisma_migrations" ORDER BY 1')).map((r) => r.name);
    return out;
  });
}

const rowCount = (snap: Record<string, string[]>) => Object.entries(snap).filter(([t]) => t !== '_migrations').reduce((n, [, rows]) => n + rows.length, 0);

afterAll(async () => {
  for (const db of databases) await db.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('backup and restore', () => {
  let source: TestDatabase;
  let sourceSnapshot: Record<string, string[]>;
  let sourceBackup: string;

  beforeAll(async () => {
    // A database with something in every table the app writes, through the app, then closed (PGlite's lock).
    const t: TestApp = await startTestApp();
    source = t.database;
    databases.push(source);
    const admin = await createUser(t.app, 'ADMIN');
    const c = await seedCampaign(t.app, {
      design: { scale: { allowTie: true, allowBothBad: true, strengthLevels: ['Slightly', 'Much'] }, criteria: [{ name: 'honest', label: 'Honest' }] },
      raters: 3,
      prompts: [
        { context: [{ role: 'user', content: 'Quotes " and \\ backslashes, emoji 🦜, "日本語", tab\tand\nnewline' }], responses: [{ model: 'm1', content: 'a' }, { model: 'm2', content: 'b' }, { model: 'm3', content: '' }] },
        { context: [{ role: 'user', content: 'Gold' }], responses: [{ model: 'm1', content: 'good' }, { model: 'm2', content: 'bad' }], gold: 'A' },
      ],
    });
    const judgments: CampaignJudgment[] = c.comparisons.flatMap((comparison, i) =>
      c.raters.map((rater, r) => ({ comparison, rater, choice: (['A', 'B', 'TIE', 'BOTH_BAD'] as const)[(i + r) % 4], strength: (i + r) % 4 < 2 ? 1 + (r % 2) : null, leftIsA: r % 2 === 0, rationale: r === 0 ? 'ok' : null, criteria: { honest: { choice: 'A', strength: 2 } } })),
    );
    const ids = await addJudgments(t.app, c, judgments);
    await undoJudgment(t.app, ids[1]!, new Date());
    await setRaterExcluded(t.app, c, c.raters[2]!, true, new Date());
    const prisma = t.app.ctx.db.prisma;
    const assignment = await prisma.assignment.findFirstOrThrow({ where: { campaignId: c.id } });
    await prisma.flag.create({ data: { campaignId: c.id, assignmentId: assignment.id, comparisonId: assignment.comparisonId, raterId: assignment.raterId, reason: 'HARMFUL', target: 'A', note: 'x' } });
    const as = client(t.app, admin);
    await as.post('/api/tokens').send({ name: 'nightly', expiresInDays: 3 }).expect(201);
    await as.post('/api/invites').send({ role: 'RATER', campaignId: c.id }).expect(201);
    await as.patch(`/api/campaigns/${c.id}`).send({ votesPerComparison: 4 }).expect(200);
    await as.get(`/api/campaigns/${c.id}/export?format=raw`).expect(200);
    await t.app.close();
    sourceSnapshot = await snapshot(source);
    sourceBackup = (await backup(source)).file;
  }, 120_000);

  it('the seeded database has rows in the tables of every kind of value (uuid, serial, bigserial, json, arrays, enums, times)', () => {
    const seeded = ['User', 'Session', 'ApiToken', 'Invite', 'Campaign', 'CampaignGuideline', 'CampaignMember', 'RaterExclusion', 'Import', 'Prompt', 'Response', 'Comparison', 'Assignment', 'Judgment', 'Flag', 'AuditEvent'];
    expect(seeded.filter((table) => !sourceSnapshot[table]?.length)).toEqual([]);
  });

  const kinds = runKind === 'postgres' ? (['pglite', 'postgres'] as const) : (['pglite'] as const);
  it(`restores into ${kinds.join(', then back into ')}: every table row for row`, async () => {
    let file = sourceBackup;
    for (const kind of kinds) {
      const target = await empty(kind);
      const result = await restore(target, file);
      expect(result.migratedForward).toEqual([]);
      expect(await snapshot(target)).toEqual(sourceSnapshot);
      file = (await backup(target)).file;
    }
  }, 120_000);

  it('sets every sequence past the restored ids; refuses a second restore into the now non-empty database, changing nothing', async () => {
    const target = await empty();
    await restore(target, sourceBackup);
    const db = await openDatabase(config(target));
    try {
      const before = await db.prisma.judgment.aggregate({ _max: { id: true } });
      const event = await db.prisma.auditEvent.create({ data: { actor: 'system', via: 'system', action: 'test.sequence', targetType: 'test', targetId: '1' } });
      const maxEvent = sourceSnapshot.AuditEvent!.map((row) => BigInt((JSON.parse(row) as { id: number }).id)).reduce((a, b) => (a > b ? a : b));
      expect(event.id).toBeGreaterThan(maxEvent);
      const [next] = await db.prisma.$queryRawUnsafe<{ id: bigint }[]>(`SELECT nextval(pg_get_serial_sequence('"Judgment"', 'id')) AS id`);
      expect(Number(next!.id)).toBeGreaterThan(before._max.id!);
    } finally {
      await db.close();
    }
    const before = await snapshot(target);
    await expect(restore(target, sourceBackup)).rejects.toThrow(/is not empty \(table \w+ has rows\).*new DATA_DIR/);
    expect(await snapshot(target)).toEqual(before);
  }, 120_000); // 9 s alone at load 12, 42 s in CI beside another file (PGlite: each database opened is seconds)

  it('refuses a truncated or damaged file and leaves no rows behind', async () => {
    const whole = readFileSync(sourceBackup);
    const cut = path.join(dir, 'cut.jsonl.gz');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const lines = gunzipSync(whole).toString().split('\n');
    const withoutEnd = path.join(dir, 'no-end.jsonl.gz');
    writeFileSync(withoutEnd, gzipSync(lines.slice(0, -3).join('\n')));
    const lostRow = path.join(dir, 'lost-row.jsonl.gz');
    writeFileSync(lostRow, gzipSync(lines.filter((_, i) => i !== 2).join('\n')));
    const cases: [string, RegExp][] = [
      [cut, /truncated or damaged/],
      [withoutEnd, /truncated/],
      [lostRow, /says \d+ rows, \d+ were read/],
    ];
    const target = await empty();
    for (const [file, message] of cases) {
      await expect(restore(target, file)).rejects.toThrow(message);
      expect(rowCount(await snapshot(target))).toBe(0);
    }
    // Nothing was loaded, so the same database takes the complete backup afterwards.
    await restore(target, sourceBackup);
    expect(await snapshot(target)).toEqual(sourceSnapshot);
  }, 120_000);

  it('refuses a backup made by a newer Juxta, and a file that is no backup, before touching the database', async () => {
    const lines = gunzipSync(readFileSync(sourceBackup)).toString().split('\n');
    const header = JSON.parse(lines[0]!) as { migrations: { name: string; checksum: string }[]; version: number };
    const newer = path.join(dir, 'newer.jsonl.gz');
    writeFileSync(newer, gzipSync([JSON.stringify({ ...header, migrations: [...header.migrations, { name: '29991231000000_future', checksum: 'x' }] }), ...lines.slice(1)].join('\n')));
    const newerFormat = path.join(dir, 'newer-format.jsonl.gz');
    writeFileSync(newerFormat, gzipSync([JSON.stringify({ ...header, version: 99 }), ...lines.slice(1)].join('\n')));
    const notBackup = path.join(dir, 'not-backup.jsonl.gz');
    writeFileSync(notBackup, gzipSync('{"prompt": "hello"}\n'));
    const cases: [string, RegExp][] = [
      [newer, /made by a newer Juxta \(migrations unknown here: 29991231000000_future\): upgrade Juxta/],
      [newerFormat, /format version 99.*upgrade Juxta/],
      [notBackup, /not a Juxta backup/],
    ];
    const target = await empty();
    for (const [file, message] of cases) {
      await expect(restore(target, file)).rejects.toThrow(message);
      const tables = await withSession(target, (s) => s.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"));
      expect(tables).toEqual([]);
    }
  }, 120_000); // 13 s alone at load 12, 22 s in CI beside another file

  it('migrates an older backup forward: one taken at the first four migrations loads and ends at this schema', async () => {
    const old = await empty();
    await withSession(old, async (s) => {
      await s.exec(readFileSync(FIXTURE, 'utf8'));
    });
    const { file, summary } = await backup(old);
    expect(summary.header.migrations).toHaveLength(4);
    const target = await empty('pglite');
    const result = await restore(target, file);
    const code = readMigrations().map((m) => m.name);
    expect(result.migratedForward).toEqual(code.slice(4));
    const restored = await snapshot(target);
    expect(restored._migrations).toEqual(code);
    for (const [table, rows] of Object.entries(summary.rows)) expect(restored[table], table).toHaveLength(rows);
    expect(summary.rows.Judgment).toBeGreaterThan(50);
  }, 120_000);
});

describe.skipIf(runKind !== 'postgres')('a backup taken while raters judge (Postgres)', () => {
  it('restores to a consistent state: counters match the judgments and leases, nothing doubled or over k', async () => {
    const t = await startTestApp();
    databases.push(t.database);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    const http = new JsonClient(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, t.app.ctx.config.publicUrl);
    const prisma = t.app.ctx.db.prisma;
    const seeded = await seedComparisons(prisma, { prompts: 40, models: 3, votes: 3, leaseSeconds: 2 });
    const raters = await createRaters(prisma, seeded.campaignId, 30);
    const stats: RunStats = { accepted: [], leaseLost: 0, abandoned: 0, bodies: [] };
    const work = Promise.all(raters.map((r) => runRater(http, r, seeded.campaignId, unruly(2000, 20), stats)));
    const total = seeded.comparisonIds.length * 3;
    while (stats.accepted.length < total / 3) await new Promise((r) => setTimeout(r, 20));
    const taken = await backup(t.database);
    await work;
    await Promise.all(raters.map((r) => runRater(http, r, seeded.campaignId, CALM, stats)));
    http.close();
    await t.close();
    databases.pop();

    expect(taken.summary.rows.Judgment).toBeGreaterThan(0);
    expect(taken.summary.rows.Judgment).toBeLessThan(total);
    const target = await empty('postgres');
    await restore(target, taken.file);
    const db = await openDatabase(config(target));
    try {
      const report = await measureInvariants(db.prisma, seeded.campaignId, []);
      expect(report).toMatchObject({ overTarget: 0, counterDrift: 0, doubleJudged: 0 });
      const judged = await db.prisma.judgment.count({ where: { campaignId: seeded.campaignId } });
      expect(judged).toBe(taken.summary.rows.Judgment);
    } finally {
      await db.close();
    }
  }, 180_000);
});

describe.skipIf(runKind !== 'pglite')('the embedded database held by a running server', () => {
  it('is not backed up: the command says to stop the server first', async () => {
    const t = await startTestApp();
    try {
      await expect(backup(t.database)).rejects.toThrow(/Stop the Juxta server first/);
    } finally {
      await t.close();
    }
  });
});
