// One app instance in its own process (tests/integration/rater-multiprocess.test.ts): buildApp on the
// given DATABASE_URL, listening on a free port it prints as "LISTENING <port>".
import { buildApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { refreshPrioritiesPeriodically } from '../../server/services/selection/refresh-pair-priorities';

const config = loadConfig({
  DATABASE_URL: process.env.DATABASE_URL,
  DB_POOL_SIZE: process.env.DB_POOL_SIZE,
  PUBLIC_URL: 'http://juxta.test',
  LOG_LEVEL: 'error',
  JUXTA_DEMO: 'false',
  // Active selection's background refresh, as main.ts runs it, every second so that a short test sees several.
  SELECTION_REFRESH_SECONDS: '1',
});
const app = await buildApp(config);
const stopRefreshing = refreshPrioritiesPeriodically(app.ctx);
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.stdout.write(`LISTENING ${typeof address === 'object' && address ? address.port : 0}\n`);
const stop = async () => {
  stopRefreshing();
  await app.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
