// GET replies asked for as soon as a URL is known, before the page that reads them has loaded: its chunk
// and the session check then run alongside the requests instead of before them (the Results page). Each
// visit of the page prefetches anew and the page takes the replies at once, so none goes stale.
const started = new Map<string, Promise<Response>>();

export function prefetch(...paths: string[]): void {
  for (const path of paths) {
    const reply = fetch(path, { headers: { accept: 'application/json' } });
    reply.catch(() => {}); // a failure surfaces when the page takes the reply
    started.set(path, reply);
  }
}

/** The reply prefetched for this path, once. */
export function takePrefetched(path: string): Promise<Response> | undefined {
  const reply = started.get(path);
  started.delete(path);
  return reply;
}
