// bench:attacks — the hardening issue's attacks, run one after another against one real server process
// (the embedded database by default; BENCH_DATABASE_URL for Postgres), while a prober asks /api/health
// every 100 ms and the server's RSS is read from /proc every 100 ms. For each attack it prints what the
// server answered, how long the attack ran, /api/health p50/p95/max and the peak RSS, next to the same
// figures for the idle server measured first in the same run (the baseline). Outcomes are asserted by the
// tests (tests/integration/import-bounds, request-limits, shutdown, auth-login ...); this prints the costs.
//   tsx bench/attacks.ts [--only pairs,gzip-blank,...]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { freshBenchDatabase } from './bench-database';
import { startArgs } from '../scripts/start-command';

const { values: args } = parseArgs({ options: { only: { type: 'string' } } });
const ADMIN = { email: 'attack-admin@juxta.test', password: 'a long enough password' };
const root = path.resolve(import.meta.dirname, '..');

interface Server {
  child: ChildProcess;
  url: string;
  output: string[];
}

async function freeServerPort(): Promise<number> {
  const s = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => s.once('listening', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/** The built server (what `npm start` runs) on a fresh database, with the first admin. */
async function startServer(env: Record<string, string>): Promise<Server> {
  const port = await freeServerPort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, startArgs(), {
    cwd: root,
    env: { PATH: process.env.PATH, ...env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, LOG_LEVEL: 'warn', TRUST_PROXY: '1', JUXTA_DEMO: 'false', JUXTA_ADMIN_EMAIL: ADMIN.email, JUXTA_ADMIN_PASSWORD: ADMIN.password },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited: ${output.join('')}`);
    const ok = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
    if (ok) return { child, url, output };
    await sleep(100);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return line ? Number(line.split(/\s+/)[1]) / 1024 : 0;
}

/** Health probes every 100 ms (a probe slower than 10 s counts as 10 s) and RSS samples, until stopped. */
function watch(server: Server) {
  const latencies: number[] = [];
  let peakRss = rssMiB(server.child.pid!);
  let failures = 0;
  let running = true;
  const probes = (async () => {
    while (running) {
      const started = performance.now();
      const ok = await fetch(`${server.url}/api/health`, { signal: AbortSignal.timeout(10_000) }).then((r) => r.ok, () => false);
      latencies.push(performance.now() - started);
      if (!ok) failures++;
      await sleep(100);
    }
  })();
  const rssTimer = setInterval(() => {
    if (server.child.exitCode === null) peakRss = Math.max(peakRss, rssMiB(server.child.pid!));
  }, 100);
  return async () => {
    running = false;
    clearInterval(rssTimer);
    await probes;
    const sorted = [...latencies].sort((a, b) => a - b);
    const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
    return { probes: sorted.length, failures, p50: at(50), p95: at(95), max: sorted.at(-1) ?? NaN, peakRss };
  };
}

/** The server trusts one proxy hop (TRUST_PROXY=1): each caller says which address it comes from. */
const from = (address: string) => ({ 'content-type': 'application/json', 'x-forwarded-for': address });
let logins = 0;

async function login(server: Server, credentials = ADMIN): Promise<string> {
  // A refused upload's connection is closed by the server; the client's pool may try it once more.
  await fetch(`${server.url}/api/health`).catch(() => null);
  const res = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { ...from(`10.1.0.${++logins}`), origin: server.url }, body: JSON.stringify(credentials) });
  if (!res.ok) throw new Error(`login: ${res.status} ${await res.text()}`);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

async function call(server: Server, cookie: string, method: string, route: string, body?: string | Buffer, contentType = 'application/json') {
  const res = await fetch(`${server.url}${route}`, {
    method,
    headers: { cookie, origin: server.url, ...(body === undefined ? {} : { 'content-type': contentType }) },
    body: typeof body === 'string' || body === undefined ? body : new Uint8Array(body),
  });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

async function newCampaign(server: Server, cookie: string): Promise<string> {
  const res = await call(server, cookie, 'POST', '/api/campaigns', JSON.stringify({ name: `Attack ${Date.now()} ${Math.random()}` }));
  if (res.status !== 201 && res.status !== 200) throw new Error(`campaign: ${res.status} ${res.text}`);
  return res.json().id as string;
}

const importLine = (responses: number) =>
  JSON.stringify({ id: 'p0', prompt: 'one prompt', responses: Array.from({ length: responses }, (_, m) => ({ model: `m${m}`, content: `answer ${m}` }) ) }) + '\n';

/** One attack: what it does, and a one-line description of what the server answered. */
type Attack = (server: Server, cookie: string) => Promise<string>;

const attacks: Record<string, Attack> = {
  /** Finding 1: an 800 KB line of 20,000 responses (it once made 6 GB and an out-of-memory death). */
  async 'pairs-20000'(server, cookie) {
    const campaign = await newCampaign(server, cookie);
    const res = await call(server, cookie, 'POST', `/api/campaigns/${campaign}/imports`, importLine(20_000), 'application/x-ndjson');
    return `${res.status} ${res.text.slice(0, 140)}`;
  },
  /** Finding 2: 10 MB of gzip that inflates to blank lines. */
  async 'gzip-blank'(server, cookie) {
    const campaign = await newCampaign(server, cookie);
    const body = gzipSync(Buffer.alloc(1024 * 1024 * 1024, '\n'), { level: 9 });
    const res = await call(server, cookie, 'POST', `/api/campaigns/${campaign}/imports`, body, 'application/gzip');
    return `${(body.length / 1e6).toFixed(1)} MB gzip (1 GiB inflated): ${res.status} ${res.text.slice(0, 140)}`;
  },
  /** Finding 2: gzip of `{}` lines (one error each). */
  async 'gzip-objects'(server, cookie) {
    const campaign = await newCampaign(server, cookie);
    const body = gzipSync(Buffer.from('{}\n'.repeat(50_000_000)), { level: 9 });
    const res = await call(server, cookie, 'POST', `/api/campaigns/${campaign}/imports?format=native`, body, 'application/gzip');
    return `${(body.length / 1e6).toFixed(1)} MB gzip of 50 M "{}" lines: ${res.status} ${res.text.slice(0, 140)}`;
  },
  /** Finding 3: a CSV header of 72,000 columns under the 1 MiB line limit. */
  async 'csv-columns'(server, cookie) {
    const campaign = await newCampaign(server, cookie);
    const header = ['prompt', ...Array.from({ length: 72_000 }, (_, i) => `c${i}`)].join(',');
    const res = await call(server, cookie, 'POST', `/api/campaigns/${campaign}/imports`, `${header}\nq,${'a,'.repeat(71_999)}a\n`, 'text/csv');
    return `${res.status} ${res.text.slice(0, 140)}`;
  },
  /** Finding 5: 500 connections trickling a body at one byte per 5 s. */
  async 'slow-bodies'(server, cookie) {
    const campaign = await newCampaign(server, cookie);
    const { port } = new URL(server.url);
    let closedByServer = 0;
    const sockets = Array.from({ length: 500 }, () => {
      const socket = net.connect(Number(port), '127.0.0.1');
      socket.on('error', () => {});
      socket.on('close', () => closedByServer++);
      socket.write(`POST /api/campaigns/${campaign}/imports HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\nOrigin: ${server.url}\r\nContent-Type: application/x-ndjson\r\nContent-Length: 100000\r\n\r\n`);
      return socket;
    });
    const trickle = setInterval(() => sockets.forEach((s) => s.writable && s.write('x')), 5000);
    const started = Date.now();
    while (closedByServer < sockets.length && Date.now() - started < 120_000) await sleep(500);
    clearInterval(trickle);
    sockets.forEach((s) => s.destroy());
    return `${closedByServer} of 500 closed by the server after ${((Date.now() - started) / 1000).toFixed(0)} s`;
  },
  /** Finding 5: one rater firing 50 concurrent `next` calls, 40 rounds. */
  async 'rater-flood'(server, cookie) {
    const campaign = await newCampaign(server, cookie);
    const lines = Array.from({ length: 200 }, (_, i) => JSON.stringify({ id: `q${i}`, prompt: `q${i}`, responses: [{ model: 'a', content: 'x' }, { model: 'b', content: 'y' }] })).join('\n');
    const imported = await call(server, cookie, 'POST', `/api/campaigns/${campaign}/imports`, lines, 'application/x-ndjson');
    if (imported.status !== 201) throw new Error(`rater-flood import: ${imported.status} ${imported.text}`);
    const activated = await call(server, cookie, 'PATCH', `/api/campaigns/${campaign}`, JSON.stringify({ status: 'ACTIVE', contentWarning: null }));
    if (activated.status !== 200) throw new Error(`rater-flood activate: ${activated.status} ${activated.text}`);
    const invite = (await call(server, cookie, 'POST', '/api/invites', JSON.stringify({ role: 'RATER', campaignId: campaign }))).json();
    const rater = { email: `rater-${Date.now()}@juxta.test`, password: 'another long password' };
    const accepted = await fetch(`${server.url}/api/invites/${invite.token as string}/accept`, {
      method: 'POST', headers: { 'content-type': 'application/json', origin: server.url }, body: JSON.stringify({ name: 'Flooder', ...rater }),
    });
    const raterCookie = accepted.headers.get('set-cookie')!.split(';')[0]!;
    const statuses: Record<number, number> = {};
    for (let round = 0; round < 40; round++) {
      const replies = await Promise.all(Array.from({ length: 50 }, () => call(server, raterCookie, 'GET', `/api/campaigns/${campaign}/assignments/next`)));
      for (const r of replies) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    }
    return `2,000 next calls: ${Object.entries(statuses).map(([s, n]) => `${n} x ${s}`).join(', ')}`;
  },
  /** Finding 8: 300 wrong passwords for the admin's email from one address, then the owner from another. */
  async 'login-guessing'(server) {
    const statuses: Record<number, number> = {};
    for (let i = 0; i < 300; i++) {
      const res = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { ...from('10.6.6.6'), origin: server.url }, body: JSON.stringify({ email: ADMIN.email, password: `guess number ${i}` }) });
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    }
    const owner = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { ...from('10.7.7.7'), origin: server.url }, body: JSON.stringify(ADMIN) });
    return `300 guesses from one address: ${Object.entries(statuses).map(([s, n]) => `${n} x ${s}`).join(', ')}; the owner's right password from another address then: ${owner.status}`;
  },
};

const only = args.only?.split(',');
const dataDir = mkdtempSync(path.join(tmpdir(), 'juxta-attacks-'));
const env: Record<string, string> = process.env.BENCH_DATABASE_URL ? { DATABASE_URL: await freshBenchDatabase('juxta_bench_attacks') } : { DATA_DIR: dataDir };
const server = await startServer(env);
const f = (x: number) => x.toFixed(1);
try {
  console.log(`bench:attacks on ${'DATABASE_URL' in env ? 'Postgres' : 'the embedded database'}; /api/health every 100 ms, RSS every 100 ms`);
  const idle = watch(server);
  await sleep(5000);
  const base = await idle();
  console.log(`baseline (idle, 5 s): health p50 ${f(base.p50)} ms, p95 ${f(base.p95)} ms, max ${f(base.max)} ms; RSS ${f(base.peakRss)} MiB`);
  for (const [name, attack] of Object.entries(attacks)) {
    if (only && !only.includes(name)) continue;
    const cookie = await login(server);
    const stop = watch(server);
    const started = performance.now();
    let outcome: string;
    try {
      outcome = await attack(server, cookie);
    } catch (err) {
      outcome = `FAILED: ${err instanceof Error ? err.message : String(err)}`;
    }
    const seconds = (performance.now() - started) / 1000;
    const m = await stop();
    console.log(`${name}: ${outcome}`);
    console.log(`  ${f(seconds)} s; health p50 ${f(m.p50)} ms, p95 ${f(m.p95)} ms, max ${f(m.max)} ms, ${m.failures} of ${m.probes} probes failed; peak RSS ${f(m.peakRss)} MiB`);
    if (server.child.exitCode !== null) throw new Error(`the server died during ${name}: ${server.output.join('').slice(-2000)}`);
  }
  // Finding 4: SIGTERM during an import that is still reading; the process must exit within the grace period.
  if (!only || only.includes('shutdown')) {
    const cookie = await login(server);
    const campaign = await newCampaign(server, cookie);
    const { port } = new URL(server.url);
    const socket = net.connect(Number(port), '127.0.0.1');
    socket.on('error', () => {});
    socket.write(`POST /api/campaigns/${campaign}/imports HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\nOrigin: ${server.url}\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n`);
    const feed = setInterval(() => socket.writable && socket.write(`${(importLine(2).length).toString(16)}\r\n${importLine(2).replace('p0', `p${Math.random()}`)}\r\n`), 5);
    await sleep(2000);
    const started = performance.now();
    const exited = new Promise<number | null>((r) => server.child.once('exit', (code) => r(code)));
    server.child.kill('SIGTERM');
    const code = await exited;
    clearInterval(feed);
    socket.destroy();
    console.log(`shutdown: SIGTERM during a running import: exited with ${code} after ${f((performance.now() - started) / 1000)} s (grace period 10 s)`);
  }
} finally {
  if (server.child.exitCode === null) server.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
}
