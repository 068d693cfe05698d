# Juxta in a container. The build stage installs everything and builds the Prisma client, the web app and
# the server bundle (dist/server); the image holds that build, the production dependencies, the migrations
# and the demo data, and runs plain node: no tsx, no TypeScript sources, no dev dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/web/dist ./web/dist
COPY --from=build --chown=node:node /app/prisma/migrations ./prisma/migrations
COPY --from=build --chown=node:node /app/prisma/demo ./prisma/demo
# npm run db:backup | db:restore | secrets:rotate run their bundles through this launcher (or: node dist/server/db-backup.js <file>).
COPY --from=build --chown=node:node /app/scripts/run-built.mjs ./scripts/run-built.mjs
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The same command as npm start (V8 flags included; tests/unit/deployment-files.test.ts checks it).
CMD ["node", "--max-semi-space-size=4", "dist/server/main.js"]
