// Reads an export back through HTTP byte for byte, and builds export URLs.
import type { FastifyInstance } from 'fastify';
import { client, type TestUser } from './app';

export interface DownloadedExport {
  status: number;
  headers: Record<string, string>;
  /** The body exactly as sent. */
  text: string;
  /** Each JSONL line parsed (empty for an error reply). */
  lines: unknown[];
}

/** GET an export path through HTTP as `user` (session) and keep the body byte for byte. */
export async function download(app: FastifyInstance, user: { session: string } | null, path: string, bearer?: string): Promise<DownloadedExport> {
  const test = client(app, user as TestUser | null, bearer)
    .get(path)
    .buffer(true)
    .parse((res, done) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => done(null, text));
    });
  const res = await test;
  const text = res.body as string;
  const ok = res.status === 200 && String(res.headers['content-type']).startsWith('application/x-ndjson');
  return {
    status: res.status,
    headers: res.headers as Record<string, string>,
    text,
    lines: ok ? text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as unknown) : [],
  };
}

/** The export URL of a campaign with these query options. */
export function exportPath(campaignId: string, query: Record<string, string>, endpoint: '' | '/count' | '/card' = ''): string {
  return `/api/campaigns/${campaignId}/export${endpoint}?${new URLSearchParams(query)}`;
}
