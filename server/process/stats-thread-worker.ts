// Entry of the stats thread: runs the tasks the main thread posts, one at a time, and posts back each
// result or the error's text under the task's id.
import { parentPort } from 'node:worker_threads';
import { installLazySourceMapsInBuild } from './lazy-source-maps';
import { runStatsTask, type StatsTaskName } from './stats-thread-tasks';

installLazySourceMapsInBuild(import.meta.url);

if (!parentPort) throw new Error('stats-thread-worker runs as a worker thread only');
const port = parentPort;

port.on('message', ({ id, name, input }: { id: number; name: StatsTaskName; input: never }) => {
  try {
    port.postMessage({ id, result: runStatsTask(name, input) });
  } catch (error) {
    port.postMessage({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
