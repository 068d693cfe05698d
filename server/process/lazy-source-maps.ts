// Stack traces of the build (dist/server) name the TypeScript sources, with each bundle's source map read
// the first time one of its frames is printed rather than at start-up. `node --enable-source-maps` reads
// and keeps every loaded module's map (ours and the packages') before the first request: 10-14 MB of the
// server's RSS at ready (bench:startup), for traces that are printed only when something goes wrong.
// Node's own SourceMap class (node:module) does the decoding; this file only decides when.
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bundle files of `dir` (a `.js` with a `.js.map` beside it); other frames are printed as they are. */
export function installLazySourceMaps(dir: string): void {
  // Started with --enable-source-maps (NODE_OPTIONS included): Node maps every frame already.
  if ((process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled) return;
  const maps = new Map<string, SourceMap | null>();
  const mapOf = (file: string): SourceMap | null => {
    if (!maps.has(file)) {
      let map: SourceMap | null = null;
      try {
        map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
      } catch {
        // No map or an unreadable one: the frame stays as it is.
      }
      maps.set(file, map);
    }
    return maps.get(file)!;
  };
  const inside = `${path.resolve(dir)}${path.sep}`;

  const frameText = (frame: NodeJS.CallSite): string => {
    const text = String(frame);
    const name = frame.getFileName();
    const line = frame.getLineNumber();
    const column = frame.getColumnNumber();
    if (!name || line === null || column === null) return text;
    const file = name.startsWith('file:') ? fileURLToPath(name) : name;
    if (!file.startsWith(inside) || !file.endsWith('.js')) return text;
    const entry = mapOf(file)?.findEntry(line - 1, column - 1);
    if (!entry || !('originalSource' in entry)) return text;
    const source = entry.originalSource.startsWith('file:') ? fileURLToPath(entry.originalSource) : path.resolve(path.dirname(file), entry.originalSource);
    return text.replace(`${name}:${line}:${column}`, `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`);
  };

  Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]): string => {
    let header: string;
    try {
      header = Error.prototype.toString.call(error);
    } catch {
      header = '<error>';
    }
    return frames.length === 0 ? header : `${header}\n${frames.map((frame) => `    at ${frameText(frame)}`).join('\n')}`;
  };
}

declare const JUXTA_BUILD: boolean | undefined;

/** In the build only (tsx maps the sources itself): the bundles beside `moduleUrl`, the caller's import.meta.url. */
export function installLazySourceMapsInBuild(moduleUrl: string): void {
  if (typeof JUXTA_BUILD !== 'undefined') installLazySourceMaps(path.dirname(fileURLToPath(moduleUrl)));
}
