// One process owns an embedded data directory (PGlite does not lock it). The lock file records the
// owner's pid and start time, so a lock left by a crashed or killed process is taken over.
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

export class DataDirBusyError extends Error {
  override name = 'DataDirBusyError';
}

interface LockOwner {
  pid: number;
  /** Kernel start time of the process (clock ticks since boot), so a reused pid is not mistaken for the owner. */
  processStart: string | null;
  host: string;
  since: string;
}

function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22; the command name (field 2) may contain spaces, so count from its closing paren.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function isAlive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true; // cannot check another machine's processes: be safe
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  const start = processStartTime(owner.pid);
  return owner.processStart === null || start === null || start === owner.processStart;
}

export interface DataDirLock {
  release(): void;
}

/** Takes the lock on `dir` or throws DataDirBusyError naming the owner. */
export function lockDataDir(dir: string): DataDirLock {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'juxta.lock');
  const me: LockOwner = { pid: process.pid, processStart: processStartTime(process.pid), host: hostname(), since: new Date().toISOString() };
  const body = JSON.stringify(me);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, body);
      closeSync(fd);
      return { release: () => releaseIfOwned(file) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let owner: LockOwner | null = null;
    try {
      owner = JSON.parse(readFileSync(file, 'utf8')) as LockOwner;
    } catch {
      owner = null; // half-written by a process that died mid-write: stale
    }
    if (owner && isAlive(owner)) {
      throw new DataDirBusyError(
        `Data directory ${dir} is in use by another Juxta process (pid ${owner.pid} on ${owner.host}, since ${owner.since}); stop it, or set DATA_DIR to another directory`,
      );
    }
    // Stale: remove it and retry the exclusive create, so two processes taking over race safely.
    const tmp = `${file}.stale-${process.pid}`;
    try {
      renameSync(file, tmp);
      rmSync(tmp, { force: true });
    } catch {
      // someone else took it over first; loop and look again
    }
  }
  throw new DataDirBusyError(`Could not take the lock on data directory ${dir}; another process keeps taking it`);
}

function releaseIfOwned(file: string): void {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as LockOwner;
    if (owner.pid === process.pid) rmSync(file, { force: true });
  } catch {
    // already gone
  }
}

/** For tests: write a lock as if another process held it. */
export function writeLockFileForTest(dir: string, owner: LockOwner): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'juxta.lock'), JSON.stringify(owner));
}
