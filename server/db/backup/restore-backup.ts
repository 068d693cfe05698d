// npm run db:restore: loads a backup into an EMPTY database of either kind. It builds the schema the rows
// were written in (the backup's migrations), loads every table in one transaction (a truncated or damaged
// file leaves no rows), sets each sequence past the restored ids, then migrates forward to this code's schema.
import type { Readable } from 'node:stream';
import { applyMigrations, readMigrations, type Migration } from '../migrate';
import { backupLines, parseHeader, type BackupHeader, type ControlLine } from './backup-format';
import { BackupError, type RawSession } from './session';
import { listTables, storedColumns } from './write-backup';

/** Rows per INSERT, and a byte cap so a table of long texts stays within a few MB per statement. */
const BATCH_ROWS = 1000;
const BATCH_BYTES = 4 * 1024 * 1024;

export interface RestoreSummary {
  header: BackupHeader;
  rows: Record<string, number>;
  /** Migrations applied after the load, to bring an older backup to this code's schema. */
  migratedForward: string[];
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Refuses a backup that needs migrations this code does not have. */
function backupMigrations(header: BackupHeader, code: Migration[]): Migration[] {
  const known = new Map(code.map((m) => [m.name, m]));
  const unknown = header.migrations.filter((m) => !known.has(m.name)).map((m) => m.name);
  if (unknown.length > 0) {
    throw new BackupError(`This backup was made by a newer Juxta (migrations unknown here: ${unknown.join(', ')}): upgrade Juxta, then restore.`);
  }
  return header.migrations.map((m) => known.get(m.name)!);
}

/** Refuses a database that holds anything, or whose schema is already past the backup's. */
async function checkEmpty(session: RawSession, header: BackupHeader): Promise<void> {
  const present = await session.query<{ ok: boolean }>("SELECT to_regclass('public._prisma_migrations') IS NOT NULL AS ok");
  const advice = 'Restore into an empty database: a new one (createdb) for Postgres, a new DATA_DIR for the embedded one.';
  if (present[0]?.ok) {
    const applied = await session.query<{ name: string }>('SELECT migration_name AS name FROM "_prisma_migrations" WHERE rolled_back_at IS NULL');
    const inBackup = new Set(header.migrations.map((m) => m.name));
    const ahead = applied.map((m) => m.name).filter((name) => !inBackup.has(name));
    if (ahead.length > 0) throw new BackupError(`${session.where} already has a newer schema than the backup (${ahead.join(', ')}). ${advice}`);
  }
  const tables = await session.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'");
  for (const { name } of tables) {
    const [row] = await session.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${quote(name)}) AS any`);
    if (row?.any) throw new BackupError(`${session.where} is not empty (table ${name} has rows). ${advice}`);
  }
  if (!present[0]?.ok && tables.length > 0) throw new BackupError(`${session.where} holds tables that are not Juxta's (${tables[0]!.name}). ${advice}`);
}

/** Every serial column starts after the largest restored id. */
async function setSequences(session: RawSession): Promise<void> {
  const serials = await session.query<{ tbl: string; col: string }>(
    `SELECT table_name AS tbl, column_name AS col FROM information_schema.columns
      WHERE table_schema = 'public' AND column_default LIKE 'nextval(%'`,
  );
  for (const { tbl, col } of serials) {
    await session.query(
      `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT max(${quote(col)}) FROM ${quote(tbl)}), 0) + 1, false)`,
      [quote(tbl), col],
    );
  }
}

/**
 * The rows go in as they were, summaries included: the tables' own triggers (which keep summaries such as a
 * comparison's vote counts as judgments arrive) are off during the load, or they would count everything twice.
 */
async function setUserTriggers(session: RawSession, tables: Iterable<string>, on: boolean): Promise<void> {
  for (const table of tables) await session.exec(`ALTER TABLE ${quote(table)} ${on ? 'ENABLE' : 'DISABLE'} TRIGGER USER`);
}

async function loadRows(session: RawSession, lines: AsyncGenerator<string>, header: BackupHeader): Promise<Record<string, number>> {
  const tables = new Set(await listTables(session));
  await setUserTriggers(session, tables, false);
  const rows = await readTables(session, lines, header, tables);
  await setUserTriggers(session, tables, true);
  return rows;
}

async function readTables(session: RawSession, lines: AsyncGenerator<string>, header: BackupHeader, tables: Set<string>): Promise<Record<string, number>> {
  const rows: Record<string, number> = {};
  let table: string | null = null;
  let columns = '';
  let batch: string[] = [];
  let bytes = 0;
  let count = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await session.query(`INSERT INTO ${quote(table!)} (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::${quote(table!)}, $1::json)`, [
      `[${batch.join(',')}]`,
    ]);
    count += batch.length;
    batch = [];
    bytes = 0;
  };
  for await (const line of lines) {
    if (line.startsWith('{')) {
      if (table === null) throw new BackupError('The backup has a row outside any table: the file is damaged.');
      batch.push(line);
      bytes += line.length;
      if (batch.length >= BATCH_ROWS || bytes >= BATCH_BYTES) await flush();
      continue;
    }
    const control = JSON.parse(line) as ControlLine;
    if (control[0] === 'table') {
      if (!tables.has(control[1])) throw new BackupError(`The backup has a table ${control[1]} that its own migrations do not create: the file is damaged.`);
      table = control[1];
      columns = await storedColumns(session, table);
      count = 0;
    } else if (control[0] === 'end') {
      await flush();
      if (control[1] !== table || control[2] !== count) throw new BackupError(`Table ${control[1]}: the backup says ${control[2]} rows, ${count} were read: the file is damaged.`);
      rows[table] = count;
      table = null;
    } else if (control[0] === 'done') {
      const missing = header.tables.filter((t) => rows[t] === undefined);
      if (missing.length > 0) throw new BackupError(`The backup ends without tables ${missing.join(', ')}: the file is damaged.`);
      return rows;
    }
  }
  throw new BackupError('The backup file ends before its last line: it is truncated (was the backup interrupted?). Nothing was restored.');
}

export async function restoreBackup(session: RawSession, file: Readable, log: (msg: string) => void = () => {}): Promise<RestoreSummary> {
  const lines = backupLines(file);
  const first = await lines.next();
  const header = parseHeader(first.done ? undefined : first.value);
  const code = readMigrations();
  const schema = backupMigrations(header, code);
  await checkEmpty(session, header);
  await applyMigrations(session, schema, log);
  await session.exec('BEGIN');
  let rows: Record<string, number>;
  try {
    rows = await loadRows(session, lines, header);
    await setSequences(session);
    await session.exec('COMMIT');
  } catch (err) {
    await session.exec('ROLLBACK').catch(() => {});
    await lines.return(undefined);
    throw err;
  }
  const migratedForward = await applyMigrations(session, code, log);
  await session.exec('ANALYZE');
  return { header, rows, migratedForward };
}
