// The production build: `node dist/server/main.js` (what npm start and the Docker image run) serves the
// API from the bundle alone, stats thread included, with no TypeScript loader anywhere in the process.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../server/plugins/auth';
import { createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { everyoneJudges, seedStats } from '../../testkit/factory';
import { startArgs } from '../../scripts/start-command';

const root = path.resolve(import.meta.dirname, '../..');
const COMMANDS = ['dist/server/db-backup.js', 'dist/server/db-restore.js', 'dist/server/secrets-rotate.js'];
const BUNDLES = ['dist/server/main.js', 'dist/server/stats-thread-worker.js', ...COMMANDS];

/** One of the operator's commands from its bundle, as the Docker image runs it: plain node, no tsx anywhere. */
function runCommand(bundle: string, args: string[], env: Record<string, string>) {
  const res = spawnSync(process.execPath, ['--enable-source-maps', bundle, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', JUXTA_DEMO: 'false', ...env },
    encoding: 'utf8',
  });
  return { status: res.status, output: `${res.stdout}${res.stderr}` };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function startBuiltServer(env: Record<string, string>): { child: ChildProcess; ready: Promise<void> } {
  // Plain node, nothing preloaded: the environment carries no NODE_OPTIONS that could register tsx.
  const child = spawn(process.execPath, startArgs(), {
    cwd: root,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', JUXTA_DEMO: 'false', HOST: '127.0.0.1', PUBLIC_URL: 'http://juxta.test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Juxta is running')) resolve();
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`the built server exited with ${code}:\n${out}`)));
  });
  return { child, ready };
}

describe('the production build', () => {
  let t: TestApp;
  let admin: TestUser;
  let campaignId: string;
  let server: ReturnType<typeof startBuiltServer>;
  let baseUrl: string;

  beforeAll(async () => {
    // What npm start does first: build the server bundle if it is missing or older than its sources.
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/ensure-built.ts', 'server'], { cwd: root, stdio: 'pipe' });
    t = await startTestApp();
    admin = await createUser(t.app, 'ADMIN');
    ({ campaignId } = await seedStats(t.app, {
      comparisons: [
        { modelA: 'alpha', modelB: 'beta' },
        { modelA: 'beta', modelB: 'gamma' },
        { modelA: 'alpha', modelB: 'gamma' },
      ],
      raters: 3,
      judgments: everyoneJudges(3, 3, (c, r) => (c + r) % 3 === 0 ? 'B' : 'A'),
    }));
    // The embedded database has one owner at a time: hand it over to the built server.
    await t.app.close();
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    server = startBuiltServer({ ...t.database.env, PORT: String(port) });
    await server.ready;
  }, 120_000);

  afterAll(async () => {
    if (server?.child.exitCode === null) {
      const exited = new Promise((r) => server.child.once('exit', r));
      server.child.kill('SIGTERM');
      await exited;
    }
    await t?.database.drop();
  });

  it('bundles no TypeScript loader: the stats thread and the operator\'s commands are entries of their own', () => {
    for (const bundle of BUNDLES) expect(readFileSync(path.join(root, bundle), 'utf8')).not.toMatch(/\btsx\b|\.ts["'`]/);
  });

  it('answers GET /api/health from plain node', async () => {
    const res = await fetch(`${baseUrl}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });

  it('serves campaign stats, whose agreement panel runs on the stats thread', async () => {
    const res = await fetch(`${baseUrl}/api/campaigns/${campaignId}/stats?rounds=50`, {
      headers: { cookie: `${SESSION_COOKIE}=${admin.session}`, origin: 'http://juxta.test' },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { agreement: { krippendorffAlpha: { value: number | null; units: number } }; leaderboard: { model: string }[] };
    expect(typeof body.agreement.krippendorffAlpha.value).toBe('number');
    expect(body.agreement.krippendorffAlpha.units).toBe(3);
    expect(body.leaderboard.map((r) => r.model).sort()).toEqual(['alpha', 'beta', 'gamma']);
  });

  it('runs db:backup, db:restore and secrets:rotate from their bundles with plain node', async () => {
    // The server is done with the database (an embedded one has one owner at a time).
    const exited = new Promise((r) => server.child.once('exit', r));
    server.child.kill('SIGTERM');
    await exited;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'juxta-commands-'));
    try {
      const file = path.join(dir, 'backup.jsonl.gz');
      const backup = runCommand(COMMANDS[0]!, [file], t.database.env);
      expect(backup.output).toMatch(/^Backed up .*: (\d+) rows in \d+ tables/m);
      expect(backup.status).toBe(0);
      const rows = /: (\d+) rows/.exec(backup.output)![1];
      // Into a new embedded database (the move the README describes), then the keys rotated there.
      const target = { DATA_DIR: path.join(dir, 'restored') };
      const restore = runCommand(COMMANDS[1]!, [file], target);
      expect(restore.output).toContain(`Restored ${rows} rows`);
      expect(restore.status).toBe(0);
      const key = () => randomBytes(32).toString('base64');
      const rotate = runCommand(COMMANDS[2]!, [], { ...target, JUXTA_SECRET_KEY: key(), JUXTA_NEW_SECRET_KEY: key() });
      expect(rotate.output).toContain('Re-encrypted 0 API key(s)');
      expect(rotate.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
