// The backup file: gzip'd lines. Line 1 is the header (an object); then, per table in foreign-key order,
// ["table", name], one line per row (the row as Postgres's row_to_json writes it), ["end", name, rows];
// last ["done", {table: rows}]. A file without its "done" line is truncated and is refused.
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { BackupError } from './session';

export const BACKUP_FORMAT = 'juxta-backup';
/** Bump when the layout above changes; restore refuses versions it does not know. */
export const BACKUP_VERSION = 1;

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  /** The kind of database it was taken from. */
  database: 'pglite' | 'postgres';
  /** The migrations applied to that database: the schema the rows are in. */
  migrations: { name: string; checksum: string }[];
  /** The tables in the order they follow, parents before the tables that reference them. */
  tables: string[];
}

export type ControlLine = ['table', string] | ['end', string, number] | ['done', Record<string, number>];

/** The file's lines, decompressed as they are read; a damaged or cut gzip stream throws. */
export async function* backupLines(file: Readable): AsyncGenerator<string> {
  const gunzip = file.pipe(createGunzip());
  file.on('error', (err) => gunzip.destroy(err));
  gunzip.setEncoding('utf8');
  let rest = '';
  try {
    for await (const chunk of gunzip as AsyncIterable<string>) {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop()!;
      yield* parts;
    }
  } catch (err) {
    throw new BackupError(`The backup file cannot be read to its end (${(err as Error).message}): it is truncated or damaged.`);
  }
  if (rest !== '') yield rest;
}

export function parseHeader(line: string | undefined): BackupHeader {
  let header: Partial<BackupHeader> | null = null;
  try {
    header = line ? (JSON.parse(line) as Partial<BackupHeader>) : null;
  } catch {
    // reported below
  }
  if (!header || header.format !== BACKUP_FORMAT) throw new BackupError('This is not a Juxta backup (made by npm run db:backup).');
  if (typeof header.version !== 'number' || header.version > BACKUP_VERSION) {
    throw new BackupError(`This backup has format version ${header.version}; this Juxta reads up to ${BACKUP_VERSION}: upgrade Juxta, then restore.`);
  }
  if (!Array.isArray(header.migrations) || !Array.isArray(header.tables)) throw new BackupError('The backup header is incomplete: the file is damaged.');
  return header as BackupHeader;
}
