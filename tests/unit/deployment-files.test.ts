// docker-compose.yml and .env.example must stay in step with server/config.ts (no Docker engine runs here to try them).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_VARIABLES } from '../../server/config';

const root = path.resolve(import.meta.dirname, '../..');
const read = (f: string) => readFileSync(path.join(root, f), 'utf8');

describe('deployment files', () => {
  it('.env.example documents exactly the variables the config reads', () => {
    const documented = [...read('.env.example').matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it('docker-compose.yml is valid, runs the app on Postgres with health checks and a volume, and sets only known variables', () => {
    const compose = parse(read('docker-compose.yml'));
    expect(Object.keys(compose.services).sort()).toEqual(['app', 'db']);
    const app = compose.services.app;
    expect(app.build).toBe('.');
    expect(app.depends_on.db.condition).toBe('service_healthy');
    expect(app.healthcheck.test.join(' ')).toContain('/api/health');
    expect(compose.services.db.healthcheck.test.join(' ')).toContain('pg_isready');
    expect(compose.services.db.volumes[0]).toMatch(/^pgdata:/);
    expect(Object.keys(compose.volumes)).toContain('pgdata');
    for (const name of Object.keys(app.environment)) expect(CONFIG_VARIABLES).toContain(name);
    expect(app.environment.DATABASE_URL).toMatch(/^postgresql:\/\/juxta:.*@db:5432\/juxta$/);
  });

  it('the Dockerfile runs plain node on the build, as npm start does, without dev dependencies, and checks health', () => {
    const dockerfile = read('Dockerfile')
      .split('\n')
      .filter((l) => !l.startsWith('#'))
      .join('\n');
    const cmd = JSON.parse(/^CMD (.+)$/m.exec(dockerfile)![1]!) as string[];
    expect(cmd).toEqual(['node', '--enable-source-maps', 'dist/server/main.js']);
    expect(JSON.parse(read('package.json')).scripts.start).toMatch(/&& node --enable-source-maps dist\/server\/main\.js$/);
    expect(dockerfile).not.toMatch(/tsx|server\/main\.ts/);
    expect(dockerfile).toContain('npm prune --omit=dev');
    // The final stage takes the build's output, never the whole tree with its dev dependencies.
    const final = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
    expect(final).not.toMatch(/COPY --from=build\S* \/app \/app/);
    expect(final).toContain('/app/dist');
    expect(dockerfile).toContain('/api/health');
    expect(read('.dockerignore').split('\n')).toEqual(expect.arrayContaining(['node_modules', 'dist']));
  });
});
