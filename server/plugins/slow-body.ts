// Slow bodies: a request whose body delivers less than MIN_BODY_BYTES in a window of
// `windowSeconds` is cut off (its connection closed). An idle/minimum-throughput rule, not a total
// time: a large upload at a sane speed takes as long as it needs, a trickle of a byte every few seconds does not.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Per window; a judgment or login body is far smaller and arrives in one packet. */
export const MIN_BODY_BYTES = 1024;

export const slowBodyPlugin = fp(async (app: FastifyInstance, options: { windowSeconds: number }) => {
  app.addHook('onRequest', async (request) => {
    const raw = request.raw;
    const hasBody = Number(raw.headers['content-length'] ?? 0) > 0 || raw.headers['transfer-encoding'] !== undefined;
    if (!hasBody || raw.complete) return;
    const socket = raw.socket;
    let seen = socket.bytesRead;
    // One keep-alive connection carries many requests: every listener added to its socket is taken off
    // again when this request's body is over (they piled up, one per judgment, holding each request).
    const stop = () => {
      clearInterval(timer);
      socket.off('close', stop);
      raw.off('end', stop);
      raw.off('close', stop);
    };
    const timer = setInterval(() => {
      if (raw.complete || socket.destroyed) return stop();
      // Bytes waiting to be read mean the server is the slow one (an import writing a batch): not the client's fault.
      const behind = raw.readableLength > 0;
      if (!behind && socket.bytesRead - seen < MIN_BODY_BYTES) {
        stop();
        request.log.info({ bytesRead: socket.bytesRead }, `request body slower than ${MIN_BODY_BYTES} bytes per ${options.windowSeconds} s: connection closed`);
        socket.destroy();
        return;
      }
      seen = socket.bytesRead;
    }, options.windowSeconds * 1000);
    timer.unref();
    raw.once('end', stop);
    raw.once('close', stop);
    socket.once('close', stop);
  });
});
