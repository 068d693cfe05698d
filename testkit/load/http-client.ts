// A small keep-alive JSON client over node:http for load tests and benchmarks (no per-request TLS,
// fetch or supertest overhead), sending the session cookie and our Origin like the web app does.
import http from 'node:http';

export interface JsonReply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- load tests read many reply shapes; the tests check them
  body: any;
  /** Raw body text, for scans. */
  text: string;
  headers: http.IncomingHttpHeaders;
}

export class JsonClient {
  private readonly agent: http.Agent;
  /** Requests sent, to check that every app instance took part. */
  requests = 0;
  constructor(
    private readonly baseUrl: string,
    private readonly origin: string,
    maxSockets = 256,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  request(method: 'GET' | 'POST', path: string, session: string, body?: unknown): Promise<JsonReply> {
    this.requests += 1;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = http.request(
        `${this.baseUrl}${path}`,
        {
          method,
          agent: this.agent,
          headers: {
            cookie: `juxta_session=${session}`,
            origin: this.origin,
            ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null, text, headers: res.headers });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
