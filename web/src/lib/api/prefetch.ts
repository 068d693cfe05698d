// GET replies asked for as soon as a URL is known, before the page that reads them has loaded: its chunk
// and the session check then run alongside the requests instead of before them (the Results page).
const started = new Map<string, { at: number; reply: Promise<Response> }>();

/** A prefetched reply older than this is not used: the page asks again. */
const FRESH_MS = 10_000;

export function prefetch(...paths: string[]): void {
  for (const path of paths) {
    const reply = fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json' } });
    reply.catch(() => {}); // a failure surfaces when the page takes the reply (or asks again)
    started.set(path, { at: Date.now(), reply });
  }
}

/** The reply prefetched for this path, once, while fresh. */
export function takePrefetched(path: string): Promise<Response> | undefined {
  const entry = started.get(path);
  started.delete(path);
  return entry && Date.now() - entry.at < FRESH_MS ? entry.reply : undefined;
}
