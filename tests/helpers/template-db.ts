// A migrated template database made once per test run; each test file clones it (tests/helpers/test-db.ts).
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pgliteDir } from '../../server/db/database';
import { applyMigrations, readMigrations } from '../../server/db/migrate';
import { createPglite } from '../../server/db/pglite';

export type TemplateDb = { kind: 'postgres'; url: string; template: string } | { kind: 'pglite'; dir: string };

function migrationsHash(): string {
  const h = createHash('sha256');
  for (const m of readMigrations()) h.update(`${m.name}:${m.checksum}\n`);
  return h.digest('hex').slice(0, 12);
}

export function databaseUrlWithName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function prepareTemplate(databaseUrl: string | undefined): Promise<TemplateDb> {
  const hash = migrationsHash();
  if (databaseUrl) {
    const template = `juxta_tpl_${hash}`;
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (exists.rowCount === 0) {
        // Build under a temporary name and rename, so a half-migrated template is never used.
        const building = `juxta_tplb_${randomUUID().replaceAll('-', '')}`;
        await admin.query(`CREATE DATABASE ${building}`);
        const c = new pg.Client({ connectionString: databaseUrlWithName(databaseUrl, building) });
        await c.connect();
        await applyMigrations({
          query: async <T>(sql: string, params?: unknown[]) => (await c.query(sql, params)).rows as T[],
          exec: async (s: string) => {
            await c.query(s);
          },
        });
        await c.end();
        try {
          await admin.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
        } catch {
          await admin.query(`DROP DATABASE IF EXISTS ${building}`); // another run made it first
        }
      }
    } finally {
      await admin.end();
    }
    return { kind: 'postgres', url: databaseUrl, template };
  }
  const dir = path.join(os.tmpdir(), `juxta-test-template-${hash}`);
  if (!existsSync(dir)) {
    const building = `${dir}.building-${process.pid}`;
    rmSync(building, { recursive: true, force: true });
    mkdirSync(building, { recursive: true });
    const db = await createPglite(pgliteDir(building));
    await applyMigrations({
      query: async <T>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params)).rows,
      exec: async (s: string) => {
        await db.exec(s);
      },
    });
    await db.close();
    try {
      renameSync(building, dir);
    } catch {
      rmSync(building, { recursive: true, force: true });
    }
  }
  return { kind: 'pglite', dir };
}
