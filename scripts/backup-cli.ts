// What db:backup and db:restore share: one raw session on the configured database, closed whatever happens
// (the embedded database's lock is released), and a failure printed as a sentence with exit code 1.
import { loadConfig } from '../server/config';
import { BackupError, openRawSession, type RawSession } from '../server/db/backup/session';

export async function onConfiguredDatabase(work: (session: RawSession) => Promise<void>, onFailure: () => void = () => {}): Promise<void> {
  let session: RawSession;
  try {
    session = await openRawSession(loadConfig());
  } catch (err) {
    return report(err);
  }
  try {
    await work(session);
  } catch (err) {
    onFailure();
    report(err);
  } finally {
    await session.close();
  }
}

function report(err: unknown): void {
  console.error(err instanceof BackupError ? err.message : err);
  process.exitCode = 1;
}

/** `<file>` from the command line, or the usage and exit code 2. */
export function fileArgument(usage: string): string {
  const file = process.argv[2];
  if (!file || file.startsWith('-')) {
    console.error(usage);
    process.exit(2);
  }
  return file;
}
