// bench:judge's load generator in a process of its own, so that building, sending and parsing HTTP
// requests does not share the app's event loop: takes one ClientTask from the parent over IPC, runs it,
// answers with the figure and exits.
import { JsonClient } from '../tests/load/http-client';
import { httpLoop, latency, throughput, type ClientResult, type ClientTask } from './judge-loops';

process.once('message', (task: ClientTask) => {
  void (async (): Promise<ClientResult> => {
    const http = new JsonClient(task.baseUrl, task.origin, task.raters.length * 2);
    try {
      const loop = httpLoop(http);
      const steps = await Promise.all(task.raters.map((r) => loop.start(r, task.campaignId)));
      return task.kind === 'throughput' ? { throughput: await throughput(steps, task.seconds) } : { latency: await latency(steps, task.rate, task.seconds) };
    } finally {
      http.close();
    }
  })()
    .catch((error: unknown) => ({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }))
    .then((result) => process.send!(result, () => process.exit(0)));
});
