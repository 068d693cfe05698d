/// <reference lib="dom" />
// Builds the test-only pages of web/test-harness with the app's Vite config and opens one in Chromium,
// recording every dialog, canary call and request that leaves the harness, so tests can tell
// whether rendered content did anything.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { launchBrowser, type Browser } from './browser';

const HARNESS_ORIGIN = 'http://harness.test';
const webRoot = fileURLToPath(new URL('../../web', import.meta.url));

/** Builds web/ with its own config, for the given HTML entry points (paths relative to web/). */
export async function buildWeb(entries: string[], outDir: string): Promise<void> {
  await build({
    configFile: join(webRoot, 'vite.config.ts'),
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      // Lets the bundle-size test follow exactly what each entry loads up front.
      manifest: true,
      rolldownOptions: { input: entries.map((entry) => join(webRoot, entry)) },
    },
  });
}
const contentTypes: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
};

export interface HarnessPage {
  page: Page;
  /** Messages of dialogs (alert, confirm, prompt) that opened. */
  dialogs: string[];
  /** URLs the page asked for that are not part of the harness build (remote images, beacons...). */
  strayRequests: string[];
  /** Calls of the alert/confirm/prompt/print canaries, from any frame. */
  canaryCalls(): Promise<string[]>;
  close(): Promise<void>;
}

// Payloads announce themselves by calling these; the canary counts them in the top window.
function installCanaries(): void {
  const record = (call: string) => {
    let sink: Window = window;
    try {
      sink = window.top ?? window;
      void sink.document; // throws for a cross-origin top
    } catch {
      sink = window;
    }
    const calls = ((sink as unknown as { xssCanary?: string[] }).xssCanary ??= []);
    calls.push(call);
  };
  for (const name of ['alert', 'confirm', 'prompt', 'print'] as const) {
    Object.defineProperty(window, name, {
      value: (...args: unknown[]) => record(`${name}(${args.map(String).join(',')})`),
    });
  }
}

/** Opens web/test-harness/<name>.html, which sets window[readyGlobal] once it is ready. */
export async function openHarnessPage(name: 'markdown' | 'rater-view', readyGlobal: string): Promise<HarnessPage> {
  const outDir = await mkdtemp(join(tmpdir(), 'juxta-harness-'));
  await buildWeb([`test-harness/${name}.html`], outDir);

  const browser: Browser = await launchBrowser();
  const { context } = browser;
  const dialogs: string[] = [];
  const strayRequests: string[] = [];
  await context.addInitScript(installCanaries);
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    const file = normalize(join(outDir, url.pathname));
    if (url.origin === HARNESS_ORIGIN && file.startsWith(outDir) && existsSync(file)) {
      const body = await readFile(file);
      await route.fulfill({ body, contentType: contentTypes[extname(file)] ?? 'application/octet-stream' });
      return;
    }
    strayRequests.push(url.href);
    await route.abort();
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(`${HARNESS_ORIGIN}/test-harness/${name}.html`);
  await page.waitForFunction((global) => global in window, readyGlobal);

  return {
    page,
    dialogs,
    strayRequests,
    canaryCalls: () => page.evaluate(() => (window as unknown as { xssCanary?: string[] }).xssCanary ?? []),
    async close() {
      await browser.close();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}
