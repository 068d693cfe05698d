// Serves the built web app (web/dist) with history-API fallback to index.html; unknown /api paths stay JSON 404s.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors';

export const staticWebPlugin = fp(async (app: FastifyInstance, opts: { root: string }) => {
  const indexFile = path.join(opts.root, 'index.html');
  const hasBuild = existsSync(indexFile);
  // Small and fixed for the life of the process: read once.
  const indexHtml = hasBuild ? readFileSync(indexFile) : null;
  if (hasBuild) {
    // Vite puts a content hash in every asset name, so they never change. Other paths are app routes
    // (history API), answered with index.html below; the few top-level files (icons) are sent from there too.
    await app.register(fastifyStatic, {
      root: path.join(opts.root, 'assets'),
      prefix: '/assets/',
      wildcard: true,
      index: false,
      redirect: false,
      setHeaders: (reply) => reply.header('cache-control', 'public, max-age=31536000, immutable'),
    });
  }

  app.setNotFoundHandler((request, reply) => {
    const pathname = request.url.split('?')[0] ?? '/';
    const isApi = pathname.startsWith('/api/') || pathname === '/api';
    // HEAD answers as GET does (Node leaves the body out): link checkers and proxies probe pages with it.
    const isRead = request.method === 'GET' || request.method === 'HEAD';
    const isPage = isRead && !isApi && !path.extname(pathname);
    if (isPage && indexHtml) return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(indexHtml);
    const topLevelFile = /^\/[\w.-]+\.\w+$/.test(pathname) ? path.join(opts.root, pathname) : null;
    if (isRead && hasBuild && topLevelFile && existsSync(topLevelFile)) {
      return reply.sendFile(pathname.slice(1), opts.root);
    }
    if (isPage) {
      return reply.type('text/plain').status(503).send('The web app is not built yet: run `npm run build` (npm start does it for you).');
    }
    return reply.send(new AppError('NOT_FOUND', `No such route for ${request.method}: check the method and the path (the API is listed at /docs).`));
  });
});
