// The real server as its own process (`node --import tsx server/main.ts`), for tests that kill it (SIGKILL,
// SIGTERM) and start it again on the same database, or run two of them side by side.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  url: string;
  /** Everything it wrote to stdout and stderr, in chunks. */
  log: string[];
}

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/**
 * Starts the server with `env` (plus PORT, PUBLIC_URL, HOST; `port` to reuse one, as a restart does) and
 * resolves once it says it is running. `allLogs`, when given, collects this process's output too.
 */
export async function startServerProcess(env: Record<string, string>, options: { port?: number; allLogs?: string[] } = {}): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, JUXTA_DEMO: 'false', PUBLIC_URL: url, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  const collect = (d: Buffer) => {
    log.push(d.toString());
    options.allLogs?.push(d.toString());
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => log.join('').includes('Juxta is running') && (clearInterval(timer), resolve()), 50);
    child.on('exit', (code) => (clearInterval(timer), reject(new Error(`server exited ${code}: ${log.join('')}`))));
  });
  return { child, port, url, log };
}

const exited = (child: ChildProcess) => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r)));

/** Sends `signal` (SIGTERM: a graceful stop; SIGKILL: a crash) and waits until the process is gone. */
export async function stopServerProcess(server: ServerProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const done = exited(server.child);
  server.child.kill(signal);
  await done;
}

/** Logs in through the API and returns the session cookie (`name=value`). */
export async function loginCookie(server: ServerProcess, credentials: { email: string; password: string }): Promise<string> {
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify(credentials),
  });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  return login.headers.get('set-cookie')!.split(';')[0]!;
}
