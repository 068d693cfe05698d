// Shutdown with work in flight (issue 12, item 4): SIGTERM during an import that would never finish on
// its own ends the process after the grace period, the import cancelled and cleaned up; and on the
// embedded database an import left RUNNING by a dead process is cleaned up at the next start.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { openDatabase } from '../../server/db/database';
import { runStartupTasks } from '../../server/services/startup';
import { createUser, startTestApp } from '../helpers/app';
import { seedComparisons } from '../../testkit/factory';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db';
import { newCampaign, upload } from './import-helpers';

const root = path.resolve(import.meta.dirname, '../..');
const databases: TestDatabase[] = [];
afterAll(async () => Promise.all(databases.map((d) => d.drop())));

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

function call(port: number, method: string, url: string, headers: Record<string, string>, body?: string) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: url, headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('shutdown', () => {
  it('SIGTERM during an import whose body never ends: the process exits after the grace period and the import is cancelled', async () => {
    const db = await createTestDatabase();
    databases.push(db);
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const password = 'shutdown test password';
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        ...db.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: origin,
        LOG_LEVEL: 'warn',
        JUXTA_DEMO: 'false',
        JUXTA_ADMIN_EMAIL: 'admin@juxta.test',
        JUXTA_ADMIN_PASSWORD: password,
        SHUTDOWN_GRACE_SECONDS: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => (out += d.toString()).includes('Juxta is running') && resolve());
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      void exited.then(() => reject(new Error(out)));
    });

    const json = { 'content-type': 'application/json', origin };
    const login = await call(port, 'POST', '/api/auth/login', json, JSON.stringify({ email: 'admin@juxta.test', password }));
    const cookie = (login.headers['set-cookie'] as string[])[0]!.split(';')[0]!;
    const campaign = JSON.parse((await call(port, 'POST', '/api/campaigns', { ...json, cookie }, JSON.stringify({ name: 'Shutdown' }))).body) as { id: string };
    const importId = randomUUID();
    const slow = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: `/api/campaigns/${campaign.id}/imports?importId=${importId}`,
      headers: { 'content-type': 'application/x-ndjson', origin, cookie, 'transfer-encoding': 'chunked' },
    });
    slow.on('error', () => {});
    const reply = new Promise<number>((resolve) => slow.on('response', (res) => resolve(res.statusCode ?? 0)));
    slow.write(JSON.stringify({ prompt: 'q', responses: [{ model: 'a', content: 'x' }, { model: 'b', content: 'y' }] }) + '\n');
    while ((await call(port, 'GET', `/api/imports/${importId}`, { cookie })).status !== 200);

    const t0 = performance.now();
    child.kill('SIGTERM');
    const code = await exited;
    console.log(`shutdown with a running import: exited ${code} after ${Math.round(performance.now() - t0)} ms (grace 1 s)`);
    expect(code).toBe(0);
    expect(await reply).toBe(503);
    slow.destroy();

    const after = await openDatabase(loadConfig(db.env));
    try {
      const row = await after.prisma.import.findUniqueOrThrow({ where: { id: importId } });
      expect(row.status).toBe('FAILED');
      expect(JSON.stringify(row.errors)).toContain('the import was cancelled: the server is shutting down');
      expect(await after.prisma.prompt.count({ where: { importId } })).toBe(0);
    } finally {
      await after.close();
    }
  }, 120_000);

  it.runIf(!process.env.DATABASE_URL)('start-up on the embedded database cleans up an import a dead process left RUNNING, without waiting', async () => {
    const t = await startTestApp();
    try {
      const admin = await createUser(t.app, 'ADMIN');
      const campaignId = await newCampaign(t.app, admin);
      // Staged rows of an import whose heartbeat is fresh: its process died a moment ago.
      const left = await seedComparisons(t.app.ctx.db.prisma, { campaignId, importStatus: 'RUNNING' });
      await upload(t.app, admin, campaignId, '{"prompt":"q","responses":[{"model":"a","content":"x"},{"model":"b","content":"y"}]}', 'application/x-ndjson').expect(409);
      await runStartupTasks(t.app.ctx);
      const row = await t.app.ctx.db.prisma.import.findUniqueOrThrow({ where: { id: left.importId } });
      expect(row.status).toBe('FAILED');
      expect(await t.app.ctx.db.prisma.comparison.count({ where: { importId: left.importId } })).toBe(0);
      await upload(t.app, admin, campaignId, '{"prompt":"q","responses":[{"model":"a","content":"x"},{"model":"b","content":"y"}]}', 'application/x-ndjson').expect(201);
    } finally {
      await t.close();
    }
  });
});
