// npm run db:backup: every table in one REPEATABLE READ transaction (one consistent snapshot while the
// server keeps running on Postgres), streamed through a cursor into a gzip'd file with bounded memory.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { BACKUP_FORMAT, BACKUP_VERSION, type BackupHeader, type ControlLine } from './backup-format';
import { BackupError, type RawSession } from './session';

/** Rows per FETCH: a few MB of JSON at most, whatever the table's size. */
const FETCH_ROWS = 2000;

export interface BackupSummary {
  header: BackupHeader;
  rows: Record<string, number>;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Tables ordered so that every table comes after the tables its foreign keys point to. */
export function parentsFirst(tables: string[], edges: { child: string; parent: string }[]): string[] {
  const sorted: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (table: string) => {
    if (state.get(table) === 'done') return;
    if (state.get(table) === 'visiting') throw new BackupError(`Foreign keys form a cycle through ${table}; this backup format cannot order it.`);
    state.set(table, 'visiting');
    for (const e of edges) if (e.child === table && e.parent !== table && tables.includes(e.parent)) visit(e.parent);
    state.set(table, 'done');
    sorted.push(table);
  };
  for (const table of [...tables].sort()) visit(table);
  return sorted;
}

export async function listTables(session: RawSession): Promise<string[]> {
  const tables = await session.query<{ name: string }>(
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY tablename",
  );
  const edges = await session.query<{ child: string; parent: string }>(
    `SELECT child.relname AS child, parent.relname AS parent FROM pg_constraint c
       JOIN pg_class child ON child.oid = c.conrelid JOIN pg_class parent ON parent.oid = c.confrelid
      WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace`,
  );
  return parentsFirst(
    tables.map((t) => t.name),
    edges,
  );
}

/**
 * A table's stored columns, in table order, quoted for SQL: every column but those the database generates
 * (Prompt."searchText"), which a backup leaves out and a restore cannot write: they are computed again.
 */
export async function storedColumns(session: RawSession, table: string): Promise<string> {
  const columns = await session.query<{ name: string }>(
    `SELECT attname AS name FROM pg_attribute
      WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum`,
    [quote(table)],
  );
  return columns.map((c) => quote(c.name)).join(', ');
}

export async function writeBackup(session: RawSession, out: Writable): Promise<BackupSummary> {
  const gzip = createGzip({ level: 4 });
  gzip.pipe(out);
  const write = async (text: string) => {
    if (!gzip.write(text)) await once(gzip, 'drain');
  };
  const line = (value: BackupHeader | ControlLine) => write(JSON.stringify(value) + '\n');
  const rows: Record<string, number> = {};
  await session.exec('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const present = await session.query<{ ok: boolean }>("SELECT to_regclass('public._prisma_migrations') IS NOT NULL AS ok");
    if (!present[0]?.ok) throw new BackupError(`${session.where} has no Juxta schema (no _prisma_migrations table): nothing to back up.`);
    const migrations = await session.query<{ name: string; checksum: string }>(
      'SELECT migration_name AS name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name',
    );
    const header: BackupHeader = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt: new Date().toISOString(),
      database: session.kind,
      migrations,
      tables: await listTables(session),
    };
    await line(header);
    for (const table of header.tables) {
      await line(['table', table]);
      let count = 0;
      const columns = await storedColumns(session, table);
      await session.exec(`DECLARE backup_rows NO SCROLL CURSOR FOR SELECT row_to_json(t)::text AS j FROM (SELECT ${columns} FROM ${quote(table)}) t`);
      for (;;) {
        const batch = await session.query<{ j: string }>(`FETCH FORWARD ${FETCH_ROWS} FROM backup_rows`);
        if (batch.length === 0) break;
        let text = '';
        for (const row of batch) text += row.j + '\n';
        await write(text);
        count += batch.length;
      }
      await session.exec('CLOSE backup_rows');
      rows[table] = count;
      await line(['end', table, count]);
    }
    await line(['done', rows]);
    await session.exec('COMMIT');
    gzip.end();
    await once(out, 'finish');
    return { header, rows };
  } catch (err) {
    await session.exec('ROLLBACK').catch(() => {});
    gzip.destroy();
    throw err;
  }
}
