// A fresh database for one test file, cloned from the run's migrated template; or an empty one.
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { databaseUrlWithName } from './template-db';

export interface TestDatabase {
  /** Environment for loadConfig: DATABASE_URL or DATA_DIR. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

async function onServer(url: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** A new Postgres database made from `template` on the run's server. */
async function postgresDatabase(url: string, template: string): Promise<TestDatabase> {
  const name = `juxta_t_${randomUUID().replaceAll('-', '')}`;
  await onServer(url, `CREATE DATABASE ${name} TEMPLATE ${template}`);
  return {
    env: { DATABASE_URL: databaseUrlWithName(url, name) },
    drop: () => onServer(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

function pgliteDataDir(copyOf?: string): TestDatabase {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'juxta-test-'));
  if (copyOf) cpSync(copyOf, dir, { recursive: true });
  return { env: { DATA_DIR: dir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const template = inject('templateDb');
  return template.kind === 'postgres' ? postgresDatabase(template.url, template.template) : pgliteDataDir(template.dir);
}

/**
 * A database with nothing in it, not even the migrations: of this run's kind, or PGlite in a run on
 * Postgres (PGlite is always at hand; Postgres only when the run has one).
 */
export async function createEmptyDatabase(kind: 'postgres' | 'pglite' = inject('templateDb').kind): Promise<TestDatabase> {
  const template = inject('templateDb');
  if (kind === 'pglite') return pgliteDataDir();
  if (template.kind !== 'postgres') throw new Error('no Postgres in this test run (set DATABASE_URL)');
  return postgresDatabase(template.url, 'template0');
}
