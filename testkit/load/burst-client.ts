// Fires N identical GET requests at once from its own process (so that they all reach the server
// together, as an outside client's would) and prints their statuses as JSON, or with `body` each
// reply's status, body and Retry-After: `burst-client.ts <url> <cookie> <n> [body]`.
import http from 'node:http';

const [url, cookie, n, withBody] = process.argv.slice(2) as [string, string, string, string | undefined];
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const one = () =>
  new Promise<{ status: number; body: string; retryAfter: string | undefined }>((resolve, reject) => {
    const req = http.get(url, { agent, headers: { cookie } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, retryAfter: res.headers['retry-after'] }));
    });
    req.on('error', reject);
  });
const replies = await Promise.all(Array.from({ length: Number(n) }, one));
process.stdout.write(JSON.stringify(withBody ? replies : replies.map((r) => r.status)));
