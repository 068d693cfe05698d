// bench:judge's load generator in a process of its own, so that building, sending and parsing HTTP
// requests does not share the app's event loop: takes one ClientTask from the parent over IPC, runs it,
// answers with the figure and exits.
import { runClientTask, type ClientResult, type ClientTask } from './judge-loops';

process.once('message', (task: ClientTask) => {
  runClientTask(task)
    .catch((error: unknown): ClientResult => ({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }))
    .then((result) => process.send!(result, () => process.exit(0)));
});
