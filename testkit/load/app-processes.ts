// Starts app instances as child processes (testkit/load/app-process.ts) on one database and waits until each listens.
import { spawn, type ChildProcess } from 'node:child_process';

export interface AppProcess {
  baseUrl: string;
  child: ChildProcess;
}

export function startAppProcess(databaseUrl: string, poolSize = 10): Promise<AppProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'testkit/load/app-process.ts'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, DB_POOL_SIZE: String(poolSize) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`app process did not start: ${out}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const port = /LISTENING (\d+)/.exec(out)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve({ baseUrl: `http://127.0.0.1:${port}`, child });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`app process exited with ${code}: ${out}`));
    });
  });
}

export async function stopAppProcess(p: AppProcess): Promise<void> {
  if (p.child.exitCode !== null) return;
  const exited = new Promise((r) => p.child.once('exit', r));
  p.child.kill('SIGTERM');
  await exited;
}
