// A cap on one user's requests in progress at once (the rater loop): a rater firing dozens of calls
// side by side is refused with 429 before any work, so everyone else's requests stay fast. It counts
// requests in flight, not a rate: one judgment every few seconds, a prefetch and a retry stay far below.
// Per app instance (the state is a count that empties as requests finish).
import type { FastifyInstance } from 'fastify';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { AppError } from '../errors';
import { requireAuth } from './auth';

export function limitInFlightPerUser(app: FastifyInstance, max: number): void {
  const inFlight = new Map<string, number>();
  app.addHook('onRequest', async (request, reply) => {
    const userId = requireAuth(request).user.id;
    const now = inFlight.get(userId) ?? 0;
    if (now >= max) {
      reply.header('retry-after', '1');
      throw new AppError('RATE_LIMITED', `You have ${max} requests still in progress: wait for them to finish, then try again.`);
    }
    inFlight.set(userId, now + 1);
    reply.raw.once('close', () => {
      const left = (inFlight.get(userId) ?? 1) - 1;
      if (left > 0) inFlight.set(userId, left);
      else inFlight.delete(userId);
    });
    // On PGlite a request's queries resolve without ever returning to the event loop, so requests would
    // run strictly one after another and never be seen in flight together: let the loop read the
    // requests already waiting, so that a flood is counted (and refused cheaply) instead of queued.
    await nextTurn();
  });
}
