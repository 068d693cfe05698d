// docker-compose.yml, deploy/nginx.conf and .env.example must stay in step with server/config.ts (no Docker
// engine runs here to try them; tests/unit/nginx-config.test.ts has nginx check its config).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startCommand } from '../../scripts/start-command';
import { CONFIG_VARIABLES, loadConfig } from '../../server/config';

const root = path.resolve(import.meta.dirname, '../..');
const read = (f: string) => readFileSync(path.join(root, f), 'utf8');

describe('deployment files', () => {
  it('.env.example documents exactly the variables the config reads', () => {
    const documented = [...read('.env.example').matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it('docker-compose.yml runs two app instances on one Postgres behind nginx, with health checks, a volume and only known variables', () => {
    const compose = parse(read('docker-compose.yml'));
    expect(Object.keys(compose.services).sort()).toEqual(['app-a', 'app-b', 'db', 'proxy']);
    for (const name of ['app-a', 'app-b']) {
      const app = compose.services[name];
      expect(app.build).toBe('.');
      expect(app.depends_on.db.condition).toBe('service_healthy');
      expect(app.healthcheck.test.join(' ')).toContain('/api/health/ready');
      for (const variable of Object.keys(app.environment)) expect(CONFIG_VARIABLES).toContain(variable);
      expect(app.environment.DATABASE_URL).toMatch(/^postgresql:\/\/juxta:.*@db:5432\/juxta$/);
      // Behind the proxy: its X-Forwarded-* headers are trusted (one hop), and only the proxy is published.
      expect(loadConfig({ TRUST_PROXY: app.environment.TRUST_PROXY }).trustProxy).toBeTruthy();
      expect(app.ports).toBeUndefined();
      expect(app.environment.PUBLIC_URL).toContain(':8080');
    }
    expect(compose.services['app-a']).toEqual(compose.services['app-b']);
    const proxy = compose.services.proxy;
    expect(proxy.image).toMatch(/^nginx:/);
    expect(proxy.volumes).toContain('./deploy/nginx.conf:/etc/nginx/nginx.conf:ro');
    expect(proxy.ports).toEqual(['${JUXTA_PORT:-8080}:80']);
    expect(proxy.depends_on).toEqual({ 'app-a': { condition: 'service_healthy' }, 'app-b': { condition: 'service_healthy' } });
    expect(compose.services.db.healthcheck.test.join(' ')).toContain('pg_isready');
    expect(compose.services.db.volumes[0]).toMatch(/^pgdata:/);
    expect(Object.keys(compose.volumes)).toContain('pgdata');
  });

  it('nginx balances over exactly the app services, passes the proxy headers, and outlasts the longest import', () => {
    const nginx = read('deploy/nginx.conf').replace(/#.*$/gm, '');
    const upstream = /upstream juxta \{([^}]*)\}/.exec(nginx)![1]!;
    expect([...upstream.matchAll(/server ([\w-]+):3000/g)].map((m) => m[1]).sort()).toEqual(['app-a', 'app-b']);
    for (const header of ['X-Forwarded-For $remote_addr', 'X-Forwarded-Proto $scheme', 'X-Forwarded-Host $http_host', 'Host $http_host', 'X-Request-Id']) {
      expect(nginx).toContain(`proxy_set_header ${header}`);
    }
    const seconds = (directive: string) => Number(new RegExp(`${directive} (\\d+)s;`).exec(nginx)?.[1]);
    // The import request answers when the import is done: the proxy must wait at least that long (an hour
    // is far above bench:import's 600,000 comparisons in 40-90 s, and IMPORT_MAX_* bound an import).
    expect(seconds('proxy_read_timeout')).toBeGreaterThanOrEqual(3600);
    expect(seconds('proxy_send_timeout')).toBeGreaterThanOrEqual(3600);
    expect(nginx).toContain('proxy_request_buffering off;');
    const maxBody = Number(/client_max_body_size (\d+)m;/.exec(nginx)?.[1]) * 1024 * 1024;
    expect(maxBody).toBeGreaterThan(loadConfig({}).import.maxUploadBytes);
  });

  it('the Dockerfile runs plain node on the build, as npm start does, without dev dependencies, and checks health', () => {
    const dockerfile = read('Dockerfile')
      .split('\n')
      .filter((l) => !l.startsWith('#'))
      .join('\n');
    const cmd = JSON.parse(/^CMD (.+)$/m.exec(dockerfile)![1]!) as string[];
    expect(cmd).toEqual(startCommand());
    expect(cmd).toEqual(['node', '--max-semi-space-size=4', 'dist/server/main.js']);
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
