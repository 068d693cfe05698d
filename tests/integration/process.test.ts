// The server as a process: one clear line for each start-up problem, and no committed data lost to SIGKILL.
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { openDatabase } from '../../server/db/database';
import { createTestDatabase } from '../helpers/test-db';

const root = path.resolve(import.meta.dirname, '../..');
// node --import tsx, not the tsx CLI: the CLI runs the script in a grandchild, and SIGKILL would miss it.
const node = process.execPath;
const viaTsx = (script: string, ...args: string[]) => ['--import', 'tsx', script, ...args];
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function startServer(env: Record<string, string>) {
  const child = spawn(node, viaTsx('server/main.ts'), {
    cwd: root,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', JUXTA_DEMO: 'false', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Juxta is running')) resolve(out);
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  return { child, ready };
}

function runToExit(env: Record<string, string>) {
  const r = spawnSync(node, viaTsx('server/main.ts'), {
    cwd: root,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', JUXTA_DEMO: 'false', PORT: '0', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stderr: r.stderr.trim() };
}

describe('start-up problems give one clear line and a non-zero exit', () => {
  it('bad configuration names the variable', () => {
    const r = runToExit({ PORT: 'eighty', DATA_DIR: '/nonexistent-never-used' });
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^juxta: Invalid configuration: PORT/);
  });

  it('an unreachable DATABASE_URL says where and why, without a stack trace', () => {
    const r = runToExit({ DATABASE_URL: 'postgresql://juxta:secret@127.0.0.1:1/juxta' });
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('Cannot connect to postgresql://juxta:***@127.0.0.1:1/juxta');
    expect(r.stderr).not.toContain('secret');
  });

  it.runIf(!process.env.DATABASE_URL)('a busy data directory names its owner', async () => {
    const db = await createTestDatabase();
    dirs.push(db.env.DATA_DIR as string);
    const first = startServer(db.env);
    await first.ready;
    const r = runToExit(db.env);
    first.child.kill('SIGTERM');
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/is in use by another Juxta process \(pid \d+/);
  });
});

describe.runIf(!process.env.DATABASE_URL)('crash safety of the embedded database', () => {
  it('keeps committed data after SIGKILL, and the restart takes the stale lock over', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'juxta-crash-'));
    dirs.push(dir);
    const email = `crash-${randomUUID()}@juxta.test`;
    const child = spawn(node, viaTsx('tests/helpers/commit-then-hang.ts', email), { cwd: root, env: { PATH: process.env.PATH, DATA_DIR: dir }, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('committed') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited ${code}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));

    const db = await openDatabase(loadConfig({ DATA_DIR: dir }));
    try {
      expect(await db.prisma.user.count({ where: { email } })).toBe(1);
    } finally {
      await db.close();
    }
  });
});
