// buildApp(config): the whole Fastify application, without listening. Tests and server/main.ts use it.
import cookie from '@fastify/cookie';
import helmet from 'helmet';
import Fastify, { LogController, type FastifyInstance, type RouteOptions } from 'fastify';
import { serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config';
import { openDatabase, type Database } from './db/database';
import { authPlugin } from './plugins/auth';
import { docsPlugin } from './plugins/docs';
import { answerClientError, answerFrameworkError, errorHandlerPlugin } from './plugins/error-handler';
import { createMetrics, metricsPlugin } from './plugins/metrics';
import { loggerOptions, requestIdOf, requestLogPlugin } from './plugins/request-log';
import { RunningWork } from './plugins/running-work';
import { slowBodyPlugin } from './plugins/slow-body';
import { staticWebPlugin } from './plugins/static-web';
import { safeTextValidatorCompiler } from './plugins/validation';
import { apiRoutes } from './routes';
import { systemClock, systemRandom, type Clock, type Random, type ServiceContext } from './services/context';

declare module 'fastify' {
  interface FastifyInstance {
    ctx: ServiceContext;
    runningWork: RunningWork;
  }
}

export interface AppOverrides {
  clock?: Clock;
  random?: Random;
  /** An already open database (tests that share one between app instances); the app then does not close it. */
  db?: Database;
  /** false: no log at all (most tests). */
  logger?: boolean;
  /** Log lines go here instead of stdout (tests that read the log). */
  logStream?: { write(line: string): void };
  /** Sees every route as it is registered (the route access test enumerates them with it). */
  onRoute?: (route: RouteOptions) => void;
}

/** Believe the last `hops` entries of X-Forwarded-For (the proxies in front of us added them), no earlier one. */
const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: overrides.logger === false ? false : loggerOptions(config.logLevel, overrides.logStream),
    // One line per request, written by the request-log plugin, instead of fastify's two.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId: requestIdOf,
    // A hop count as a function: Fastify takes a number too, but its types do not say so.
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy && [...config.trustProxy],
    // Imports stream their bodies through their own parsers; JSON bodies elsewhere are small.
    bodyLimit: 1024 * 1024,
    // Refusals before routing keep the error envelope and never echo the URL.
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  }).withTypeProvider<ZodTypeProvider>();
  for (const warning of config.warnings) app.log.warn(warning);
  app.setValidatorCompiler(safeTextValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  if (overrides.onRoute) app.addHook('onRoute', overrides.onRoute);

  const db = overrides.db ?? (await openDatabase(config, (msg) => app.log.info(msg)));
  if (!overrides.db) app.addHook('onClose', async () => db.close());
  const clock = overrides.clock ?? systemClock;
  const metrics = createMetrics(db, clock, (err, what) => app.log.warn({ err }, `metrics: ${what} could not be read`));
  app.decorate('ctx', {
    db,
    clock,
    random: overrides.random ?? systemRandom,
    config,
    log: app.log,
    metrics,
  } satisfies ServiceContext);
  app.decorate('runningWork', new RunningWork());

  // Over plain http (a LAN address, not loopback) upgrade-insecure-requests makes browsers fetch every
  // script over https (a white page) and HSTS would pin a host that serves no https: both only for https.
  const servedOverHttps = config.publicUrl.startsWith('https:');
  // First, so that every reply, refusals included, carries its request id.
  await app.register(requestLogPlugin);
  // Security headers: helmet's middleware built once. (@fastify/helmet builds it anew for every request,
  // parsing the CSP directives each time: 4% of the rater loop's CPU.)
  const securityHeaders = helmet({
    strictTransportSecurity: servedOverHttps,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: servedOverHttps ? [] : null,
      },
    },
    // The SPA is same-origin only; this keeps other sites from embedding our responses.
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
  app.addHook('onRequest', (request, reply, done) =>
    securityHeaders(request.raw, reply.raw, (err) => {
      // Browsers honour these two only on a potentially trustworthy origin; elsewhere (plain http on a LAN
      // address) Chromium ignores them and logs a warning on every page, so they are not sent there.
      if (!potentiallyTrustworthy(request.protocol, request.hostname)) {
        reply.raw.removeHeader('Cross-Origin-Opener-Policy');
        reply.raw.removeHeader('Origin-Agent-Cluster');
      }
      done(err as Error | undefined);
    }),
  );
  await app.register(slowBodyPlugin, { windowSeconds: config.requestBodyTimeoutSeconds });
  await app.register(cookie);
  await app.register(errorHandlerPlugin);
  await app.register(docsPlugin);
  await app.register(authPlugin);
  await app.register(metricsPlugin, { metrics });
  await app.register(apiRoutes, { prefix: '/api' });
  await app.register(staticWebPlugin, { root: config.webDistDir });
  await app.ready();
  return app;
}

/**
 * The request's origin is potentially trustworthy (W3C Secure Contexts): https (a trusted proxy's
 * X-Forwarded-Proto counts, through Fastify's trustProxy), or a loopback host: localhost, *.localhost,
 * 127.0.0.0/8, [::1]. `hostname` without its port.
 */
export function potentiallyTrustworthy(protocol: string, hostname: string): boolean {
  if (protocol === 'https') return true;
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return host === 'localhost' || host.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(host) || host === '[::1]' || host === '::1';
}
