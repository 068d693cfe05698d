// The start-up migration runner and the schema: no drift, prisma-compatible history, atomic and race-free.
import { randomUUID } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { applyMigrations, MigrationError, readMigrations, type MigrationConnection } from '../../server/db/migrate';
import { createPglite } from '../../server/db/pglite';
import { diffMigrationsToSchema } from '../../server/db/schema-diff';
import { databaseUrlWithName } from '../helpers/template-db';

function pgliteConnection(db: PGlite): MigrationConnection {
  return {
    query: async <T>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params)).rows,
    exec: async (s: string) => {
      await db.exec(s);
    },
  };
}

/** A new PGlite database with every migration before the one named `…suffix` applied, to write rows as they were then. */
async function migratedUpTo(suffix: string): Promise<{ db: PGlite; migrations: ReturnType<typeof readMigrations>; at: number }> {
  const db = await createPglite();
  const migrations = readMigrations();
  const at = migrations.findIndex((m) => m.name.endsWith(suffix));
  expect(at).toBeGreaterThan(0);
  await applyMigrations(pgliteConnection(db), migrations.slice(0, at));
  return { db, migrations, at };
}

describe('migrations', () => {
  it('produce exactly prisma/schema.prisma (no drift)', async () => {
    expect(await diffMigrationsToSchema()).toBe('');
  });

  it('record _prisma_migrations rows as prisma migrate deploy does, and apply nothing twice', async () => {
    const db = await createPglite();
    const migrations = readMigrations();
    expect(await applyMigrations(pgliteConnection(db))).toEqual(migrations.map((m) => m.name));
    expect(await applyMigrations(pgliteConnection(db))).toEqual([]);
    const rows = (await db.query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    )).rows;
    expect(rows.map((r) => [r.migration_name, r.checksum, r.applied_steps_count])).toEqual(migrations.map((m) => [m.name, m.checksum, 1]));
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
    await db.close();
  });

  it('give judgments stored before judgment_left_is_a the screen order of their assignments, and assignments their guideline version', async () => {
    const { db, migrations, at } = await migratedUpTo('_judgment_left_is_a');
    const [campaign, rater, other] = [randomUUID(), randomUUID(), randomUUID()];
    await db.exec(`
      INSERT INTO "User" (id, email, name, role) VALUES ('${rater}', 'r@juxta.test', 'R', 'RATER'), ('${other}', 'o@juxta.test', 'O', 'RATER');
      INSERT INTO "Campaign" (id, name, design, pairing, seed, "updatedAt") VALUES ('${campaign}', 'C', '{}', '{}', 's', now());
      INSERT INTO "Import" (id, "campaignId", format, status) VALUES ('${campaign}', '${campaign}', 'native', 'PUBLISHED');
      INSERT INTO "Prompt" (id, "campaignId", key, context, "importId") VALUES (1, '${campaign}', 'p', '[]', '${campaign}');
      INSERT INTO "Response" (id, "campaignId", "promptId", model, content, "importId") VALUES
        (1, '${campaign}', 1, 'x', 'a', '${campaign}'), (2, '${campaign}', 1, 'y', 'b', '${campaign}');
      INSERT INTO "Comparison" (id, "campaignId", "promptId", "responseAId", "responseBId", target, "importId") VALUES (1, '${campaign}', 1, 1, 2, 3, '${campaign}');
      INSERT INTO "Assignment" (id, "campaignId", "comparisonId", "raterId", "leftIsA", status, "expiresAt") VALUES
        ('${campaign.slice(0, -1)}1', '${campaign}', 1, '${rater}', true, 'SUBMITTED', now()),
        ('${campaign.slice(0, -1)}2', '${campaign}', 1, '${other}', false, 'SUBMITTED', now());
      INSERT INTO "Judgment" ("assignmentId", "campaignId", "comparisonId", "raterId", choice, "timeMs", "idempotencyKey", "guidelineVersion") VALUES
        ('${campaign.slice(0, -1)}1', '${campaign}', 1, '${rater}', 'A', 1, 'k1', 1),
        ('${campaign.slice(0, -1)}2', '${campaign}', 1, '${other}', 'B', 1, 'k2', 1);`);
    expect(await applyMigrations(pgliteConnection(db), migrations)).toEqual(migrations.slice(at).map((m) => m.name));
    const rows = (await db.query<{ key: string; leftIsA: boolean }>('SELECT "idempotencyKey" AS key, "leftIsA" FROM "Judgment" ORDER BY 1')).rows;
    expect(rows).toEqual([{ key: 'k1', leftIsA: true }, { key: 'k2', leftIsA: false }]);
    // assignment_guideline_version: an assignment takes its judgment's guideline version.
    const versions = (await db.query<{ v: number }>('SELECT DISTINCT "guidelineVersion" AS v FROM "Assignment"')).rows;
    expect(versions).toEqual([{ v: 1 }]);
    // response_identity: a response stored when identity was (prompt, model) gets the key an import gives it now.
    const keys = (await db.query<{ key: string }>('SELECT key FROM "Response" ORDER BY id')).rows;
    expect(keys).toEqual([{ key: 'model:x#0' }, { key: 'model:y#0' }]);
    await db.close();
  });

  it('give API tokens made before scopes the admin scope they had, and no campaign limit', async () => {
    const { db, migrations } = await migratedUpTo('_api_token_scopes');
    const [admin, token] = [randomUUID(), randomUUID()];
    await db.exec(`
      INSERT INTO "User" (id, email, name, role) VALUES ('${admin}', 'a@juxta.test', 'A', 'ADMIN');
      INSERT INTO "ApiToken" (id, name, "tokenHash", prefix, "userId") VALUES ('${token}', 'old script', 'h', 'jxt_old', '${admin}');`);
    expect((await db.query<{ scopes: string[] }>('SELECT scopes FROM "ApiToken"')).rows).toEqual([{ scopes: [] }]);
    await applyMigrations(pgliteConnection(db), migrations);
    const rows = (await db.query<{ scopes: string[]; campaignIds: string[] }>('SELECT scopes, "campaignIds" FROM "ApiToken"')).rows;
    expect(rows).toEqual([{ scopes: ['admin'], campaignIds: [] }]);
    await db.close();
  });

  it('give ranking judgments stored before judgment_stats_columns the card order of their assignments and their ranking as text, and pair judgments neither', async () => {
    const { db, migrations, at } = await migratedUpTo('_judgment_stats_columns');
    const [campaign, rater] = [randomUUID(), randomUUID()];
    const assignment = (n: number) => `${campaign.slice(0, -1)}${n}`;
    await db.exec(`
      INSERT INTO "User" (id, email, name, role) VALUES ('${rater}', 'r@juxta.test', 'R', 'RATER');
      INSERT INTO "Campaign" (id, name, design, pairing, seed, "updatedAt") VALUES ('${campaign}', 'C', '{}', '{}', 's', now());
      INSERT INTO "Import" (id, "campaignId", format, status) VALUES ('${campaign}', '${campaign}', 'native', 'PUBLISHED');
      INSERT INTO "Prompt" (id, "campaignId", key, context, "importId") VALUES (1, '${campaign}', 'p', '[]', '${campaign}');
      INSERT INTO "Response" (id, "campaignId", "promptId", key, model, content, "importId") VALUES
        (1, '${campaign}', 1, 'x', 'x', 'a', '${campaign}'), (2, '${campaign}', 1, 'y', 'y', 'b', '${campaign}'), (3, '${campaign}', 1, 'z', 'z', 'c', '${campaign}');
      INSERT INTO "Comparison" (id, "campaignId", "promptId", "responseAId", "responseBId", "modelA", "modelB", slots, target, "importId") VALUES
        (1, '${campaign}', 1, 1, 2, 'x', 'y', '{1,2,3}', 3, '${campaign}'), (2, '${campaign}', 1, 2, 3, 'y', 'z', '{}', 3, '${campaign}');
      INSERT INTO "Assignment" (id, "campaignId", "comparisonId", "raterId", "leftIsA", "shownOrder", status, "expiresAt", "guidelineVersion") VALUES
        ('${assignment(1)}', '${campaign}', 1, '${rater}', true, '{2,0,1}', 'SUBMITTED', now(), 1),
        ('${assignment(2)}', '${campaign}', 2, '${rater}', false, '{}', 'SUBMITTED', now(), 1);
      INSERT INTO "Judgment" ("assignmentId", "campaignId", "comparisonId", "raterId", choice, "leftIsA", ranking, "timeMs", "idempotencyKey", "guidelineVersion") VALUES
        ('${assignment(1)}', '${campaign}', 1, '${rater}', 'B', true, '[[1], [0, 2]]', 1, 'k1', 1),
        ('${assignment(2)}', '${campaign}', 2, '${rater}', 'A', false, NULL, 1, 'k2', 1);`);
    expect(await applyMigrations(pgliteConnection(db), migrations)).toEqual(migrations.slice(at).map((m) => m.name));
    const rows = (await db.query<{ key: string; shownOrder: number[]; rankingText: string | null }>('SELECT "idempotencyKey" AS key, "shownOrder", "rankingText" FROM "Judgment" ORDER BY 1')).rows;
    expect(rows).toEqual([
      { key: 'k1', shownOrder: [2, 0, 1], rankingText: '[[1],[0,2]]' },
      { key: 'k2', shownOrder: [], rankingText: null },
    ]);
    await db.close();
  });

  it('roll a failing migration back whole and stop with a message naming it', async () => {
    const db = await createPglite();
    const bad = { name: '20990101000000_broken', sql: 'CREATE TABLE "half" (id int);\nSELECT no_such_function();', checksum: 'x' };
    const err = await applyMigrations(pgliteConnection(db), [bad]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationError);
    expect((err as Error).message).toContain('20990101000000_broken');
    const half = await db.query(`SELECT to_regclass('"half"') AS t`);
    expect(half.rows).toEqual([{ t: null }]);
    const recorded = await db.query('SELECT count(*)::int AS n FROM "_prisma_migrations"');
    expect(recorded.rows).toEqual([{ n: 0 }]);
    await db.close();
  });

  it.runIf(process.env.DATABASE_URL)('migrate an empty Postgres once when two instances start at the same moment', async () => {
    const url = process.env.DATABASE_URL as string;
    const name = `juxta_race_${randomUUID().replaceAll('-', '')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    try {
      const clients = [0, 1].map(() => new pg.Client({ connectionString: databaseUrlWithName(url, name) }));
      await Promise.all(clients.map((c) => c.connect()));
      const results = await Promise.all(
        clients.map((c) =>
          applyMigrations({
            query: async <T>(sql: string, params?: unknown[]) => (await c.query(sql, params)).rows as T[],
            exec: async (s: string) => {
              await c.query(s);
            },
          }),
        ),
      );
      expect(results.flat().sort()).toEqual(readMigrations().map((m) => m.name));
      const rows = await clients[0]!.query('SELECT count(*)::int AS n FROM "_prisma_migrations"');
      expect(rows.rows[0].n).toBe(readMigrations().length);
      await Promise.all(clients.map((c) => c.end()));
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
