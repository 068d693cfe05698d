// `npm run db:restore -- <file>`: loads a backup made by db:backup into the configured database, which must
// be empty (a new Postgres database, or a new DATA_DIR), and migrates it to this version's schema.
import { createReadStream, existsSync } from 'node:fs';
import { restoreBackup } from '../server/db/backup/restore-backup';
import { fileArgument, onConfiguredDatabase } from './backup-cli';

const file = fileArgument('Usage: npm run db:restore -- <file>   (a file made by npm run db:backup)');
if (!existsSync(file)) {
  console.error(`${file} does not exist.`);
  process.exit(2);
}
const started = performance.now();
await onConfiguredDatabase(async (session) => {
  const { header, rows, migratedForward } = await restoreBackup(session, createReadStream(file), (msg) => console.error(msg));
  const total = Object.values(rows).reduce((a, b) => a + b, 0);
  console.error(
    `Restored ${total} rows in ${header.tables.length} tables (backup of ${header.createdAt}, from ${header.database}) into ${session.where} ` +
      `in ${((performance.now() - started) / 1000).toFixed(1)} s` +
      (migratedForward.length ? `; then migrated forward: ${migratedForward.join(', ')}` : ''),
  );
});
