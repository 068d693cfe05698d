// Fires N identical GET requests at once from its own process (so that they all reach the server
// together, as an outside client's would) and prints their statuses as JSON, or with `body` each
// reply's status, body and Retry-After: `burst-client.ts <url> <cookie> <n> [body]`.
// All N connections are opened first and the requests then written in one synchronous loop: sent
// as each connection opened, a fast server (PGlite, whose queries never yield to the event loop)
// could answer one before the next arrived, and the flood was never in flight together.
import http from 'node:http';
import net from 'node:net';

const [url, cookie, n, withBody] = process.argv.slice(2) as [string, string, string, string | undefined];
const { hostname, port } = new URL(url);
const sockets = await Promise.all(
  Array.from(
    { length: Number(n) },
    () =>
      new Promise<net.Socket>((resolve, reject) => {
        const socket = net.connect(Number(port), hostname, () => resolve(socket));
        socket.once('error', reject);
      }),
  ),
);
const replies = await Promise.all(
  sockets.map(
    (socket) =>
      new Promise<{ status: number; body: string; retryAfter: string | undefined }>((resolve, reject) => {
        const req = http.get(url, { createConnection: () => socket, headers: { cookie, connection: 'close' } }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, retryAfter: res.headers['retry-after'] }));
        });
        req.on('error', reject);
      }),
  ),
);
process.stdout.write(JSON.stringify(withBody ? replies : replies.map((r) => r.status)));
