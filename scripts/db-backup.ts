// `npm run db:backup -- <file>`: a consistent snapshot of the configured database (DATABASE_URL, or the
// embedded one in DATA_DIR with the server stopped) in Juxta's portable backup format (gzip'd JSON lines).
import { createWriteStream, existsSync, renameSync, rmSync } from 'node:fs';
import { writeBackup } from '../server/db/backup/write-backup';
import { fileArgument, onConfiguredDatabase } from './backup-cli';

const file = fileArgument('Usage: npm run db:backup -- <file>   (e.g. juxta-2026-12-06.jsonl.gz)');
if (existsSync(file)) {
  console.error(`${file} exists already; pick a new file name (a backup never overwrites one).`);
  process.exit(2);
}
// Written under another name and renamed at the end: a file with the final name is always a complete backup.
const partial = `${file}.partial`;
const started = performance.now();
await onConfiguredDatabase(
  async (session) => {
    const { header, rows } = await writeBackup(session, createWriteStream(partial));
    renameSync(partial, file);
    const total = Object.values(rows).reduce((a, b) => a + b, 0);
    console.error(
      `Backed up ${session.where}: ${total} rows in ${header.tables.length} tables at schema ${header.migrations.at(-1)?.name ?? '(none)'}, ` +
        `in ${((performance.now() - started) / 1000).toFixed(1)} s -> ${file}`,
    );
  },
  () => rmSync(partial, { force: true }),
);
