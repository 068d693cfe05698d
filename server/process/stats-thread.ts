// One worker thread that computes a part of a stats request while the main thread computes the rest
// (the agreement panel beside the leaderboard, the rater table and the other panels): with two cores that nearly
// halves the wait at a million judgments. Started by the first task,
// ended after a minute without work, and never what keeps the process alive. A thread that dies fails its tasks; the next task starts a new one.
import { Worker } from 'node:worker_threads';
import type { StatsTaskInput, StatsTaskName, StatsTaskResult } from './stats-thread-tasks';

const IDLE_MS = 60_000;

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
}

let worker: Worker | null = null;
let idleTimer: NodeJS.Timeout | null = null;
let nextId = 0;
const pending = new Map<number, Pending>();

/** Defined (true) by the production build only (scripts/ensure-built.ts), which then drops the tsx branch below. */
declare const JUXTA_BUILD: boolean | undefined;

/**
 * The thread. From the build (dist/server) its entry is a bundle of its own beside this one; from the
 * TypeScript sources (tsx, vitest) it registers tsx first, since the main thread's loader hooks do not
 * reach worker threads.
 */
function newWorker(): Worker {
  const options = { name: 'juxta-stats' };
  if (typeof JUXTA_BUILD !== 'undefined') return new Worker(new URL('./stats-thread-worker.js', import.meta.url), options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./stats-thread-worker.ts', import.meta.url).href;
  const source = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(source, { ...options, eval: true });
}

function failAll(error: Error): void {
  for (const task of pending.values()) task.reject(error);
  pending.clear();
}

function startWorker(): Worker {
  const started = newWorker();
  started.unref();
  started.on('message', ({ id, result, error }: { id: number; result?: unknown; error?: string }) => {
    const task = pending.get(id);
    if (!task) return;
    pending.delete(id);
    if (error === undefined) task.resolve(result);
    else task.reject(new Error(`stats thread: ${error}`));
    if (pending.size === 0) scheduleIdleEnd();
  });
  started.on('error', (error) => {
    if (worker === started) worker = null;
    failAll(new Error(`stats thread failed: ${error.message}`));
  });
  started.on('exit', (code) => {
    if (worker === started) worker = null;
    if (pending.size > 0) failAll(new Error(`stats thread exited with code ${code}`));
  });
  return started;
}

function scheduleIdleEnd(): void {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = setTimeout(() => void endStatsThread(), IDLE_MS);
  idleTimer.unref();
}

/** Runs a task on the stats thread; `transfer` lists buffers of `input` to move rather than copy (unusable here afterwards). */
export function runOnStatsThread<K extends StatsTaskName>(name: K, input: StatsTaskInput<K>, transfer: ArrayBuffer[] = []): Promise<StatsTaskResult<K>> {
  if (idleTimer) clearTimeout(idleTimer);
  worker ??= startWorker();
  const id = nextId++;
  const result = new Promise<StatsTaskResult<K>>((resolve, reject) => pending.set(id, { resolve: resolve as (r: unknown) => void, reject }));
  worker.postMessage({ id, name, input }, transfer);
  return result;
}

/** Ends the thread now (tasks still running fail). */
export async function endStatsThread(): Promise<void> {
  if (idleTimer) clearTimeout(idleTimer);
  const ending = worker;
  worker = null;
  if (ending) await ending.terminate();
}
