// deploy/nginx.conf (the proxy of docker-compose.yml) as nginx itself reads it: `nginx -t`.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => spawnSync(p, ['-v']).status === 0);
const dir = mkdtempSync(path.join(os.tmpdir(), 'juxta-nginx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** nginx -t on `config`; the upstream host names exist only on compose's network, so they become local addresses. */
function nginxTest(config: string): { ok: boolean; output: string } {
  const file = path.join(dir, 'nginx.conf');
  writeFileSync(file, config.replace(/server app-a:3000/, 'server 127.0.0.1:3001').replace(/server app-b:3000/, 'server 127.0.0.1:3002'));
  // Output to a file: the config logs to /dev/stdout and /dev/stderr, which nginx cannot open on a socket (node's pipes).
  const outputFile = path.join(dir, 'output.txt');
  const out = openSync(outputFile, 'w');
  const r = spawnSync(nginx!, ['-t', '-c', file, '-p', dir, '-e', 'stderr', '-g', `pid ${path.join(dir, 'nginx.pid')};`], { stdio: ['ignore', out, out] });
  closeSync(out);
  return { ok: r.status === 0, output: readFileSync(outputFile, 'utf8') };
}

// CI installs nginx (.ci/run); skipped only where the binary is missing, and then it says so.
describe.skipIf(!nginx)(`deploy/nginx.conf under nginx -t${nginx ? '' : ' (skipped: no nginx binary here; apt-get install nginx)'}`, () => {
  const config = readFileSync(path.join(root, 'deploy/nginx.conf'), 'utf8');

  it('is a valid nginx configuration', () => {
    const r = nginxTest(config);
    expect(r.output).toContain('syntax is ok');
    expect(r.ok, r.output).toBe(true);
  });

  it('and nginx -t does refuse a broken one (the check above can fail)', () => {
    expect(nginxTest(config.replace('proxy_read_timeout 3600s;', 'proxy_read_timeout forever;')).ok).toBe(false);
  });
});
