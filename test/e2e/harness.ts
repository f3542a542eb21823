// Browser e2e helpers: the built web client, Debian's Chromium through playwright-core,
// relays on loopback, and screenshots into test-artifacts/ for a person to look at.
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startRelay, type Relay } from '#server/index.ts';
import type { Space } from '#client-core';
import { ensureBuilt } from '../support/baton-bin.ts';
import { findSystemPackage, hasSystemPackage } from '../support/system.ts';
import { waitUntil } from '../support/wait.ts';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const artifacts = join(root, 'test-artifacts');
const CHROMIUM = findSystemPackage('chromium') ?? '/usr/bin/chromium';

/** Builds client/dist if it is missing or stale (the same check `npm start` makes). */
export function ensureWebBuilt(): void {
  ensureBuilt('web');
  if (!existsSync(join(root, 'client/dist/index.html'))) throw new Error('the web client did not build');
}

/** Builds the single-file client and returns its path. */
export function buildSingleFile(): string {
  const r = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '-c', join(root, 'client/web/vite.config.ts'), '--mode', 'single'], {
    cwd: root,
    stdio: 'inherit',
  });
  const file = join(root, 'dist-single/baton.html');
  if (r.status !== 0 || !existsSync(file)) throw new Error('the single-file client did not build');
  return file;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

export interface TestRelay {
  relay: Relay;
  dataDir: string;
  /** Stops the relay, keeping its data directory. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  restart(): Promise<void>;
  url: string;
  cleanup(): Promise<void>;
}

export async function startTestRelay(): Promise<TestRelay> {
  const dataDir = mkdtempSync(join(tmpdir(), 'baton-e2e-'));
  const quiet = () => {};
  let relay = await startRelay({ port: 0, host: '127.0.0.1', dataDir, log: quiet });
  let running = true;
  const port = relay.port;
  const t: TestRelay = {
    get relay() {
      return relay;
    },
    dataDir,
    url: relay.url,
    async stop() {
      if (running) await relay.close();
      running = false;
    },
    async restart() {
      relay = await startRelay({ port, host: '127.0.0.1', dataDir, log: quiet });
      running = true;
    },
    async cleanup() {
      await t.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}

/** The relay and browser that `useRelayAndBrowser` starts for a file's tests. */
export interface RelayAndBrowser {
  readonly relay: TestRelay;
  readonly browser: Browser;
  /** True where Chromium is missing: the file's tests skip on it (`test.skipIf(missing)`). */
  readonly missing: boolean;
}

/**
 * A relay serving the built web client and a Chromium, started before the file's tests and
 * stopped after them. Call it at the top level of the file, before the file's own `beforeAll`:
 * vitest runs `beforeAll` hooks in order and `afterAll` hooks in reverse, so the file's own
 * set-up sees both started and its clean-up runs before they stop. Nothing starts where
 * Chromium is missing.
 */
export function useRelayAndBrowser(): RelayAndBrowser {
  const missing = !hasSystemPackage('chromium');
  let relay: TestRelay | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    if (missing) return;
    ensureWebBuilt();
    relay = await startTestRelay();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await relay?.cleanup();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the test ${what} is not started: use it inside a test or a later beforeAll${missing ? ' (Chromium is missing)' : ''}`);
    return value;
  };
  return {
    get relay() {
      return started(relay, 'relay');
    },
    get browser() {
      return started(browser, 'browser');
    },
    missing,
  };
}

/** Collects page errors so a test can assert none happened. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource|WebSocket connection to/.test(m.text())) errors.push(m.text());
  });
  return errors;
}

export async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage });
}

/** A few lines of the demo texts, for realistic posts. */
export function seedLines(count: number): string[] {
  for (const file of [join(root, '../shared/seeds/internet-activism.txt')]) {
    if (!existsSync(file)) continue;
    const lines = readFileSync(file, 'utf8')
      .split(/(?<=\.)\s+/)
      .map((l) => l.trim())
      .filter((l) => l.length > 40 && l.length < 240 && !l.startsWith('=='));
    if (lines.length >= count) return lines.slice(0, count);
  }
  return [
    'Internet activism uses electronic communication to let citizen movements coordinate faster.',
    'Activists use internet technologies for fundraising, community building, lobbying and organizing.',
    'A digital campaign is an organised public effort making collective claims on a target authority.',
  ].slice(0, count);
}

/** Resolves once a relay's receipts cover every local write of these spaces. */
export async function delivered(spaces: Space[], timeoutMs: number): Promise<void> {
  await waitUntil(() => spaces.every((s) => s.outbox().length === 0), { timeoutMs, intervalMs: 50, what: 'the relay to confirm the writes' });
}

/**
 * Bundles a TypeScript entry (its imports relative to the repository root) for the browser and
 * serves it on loopback as the one script of an empty page; `url` is that page.
 */
/**
 * Test pages draw no PDF pages: pdf.js's worker is a Vite `?url` asset that esbuild does not
 * know, so they take the single-file build's stand-in (the built app's own test,
 * web-pdf-thumbnail, covers the renderer).
 */
const noPdfRenderer: Plugin = {
  name: 'no-pdf-renderer',
  setup(b) {
    b.onResolve({ filter: /^\.\/pdf-page\.ts$/ }, () => ({ path: join(root, 'client/web/lib/pdf-page-none.ts') }));
  },
};

export async function servePageScript(entry: string): Promise<{ url: string; close(): void }> {
  const bundled = await build({ stdin: { contents: entry, resolveDir: root, loader: 'ts' }, bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent', plugins: [noPdfRenderer] });
  const script = bundled.outputFiles[0]!.text;
  const server = createServer((req, res) => {
    if (req.url === '/app.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script type="module" src="/app.js"></script>');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`, close: () => server.close() };
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** One rule axe-core found broken, with each element that breaks it. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  /** Each element: its selector and axe-core's summary of what is wrong with it. */
  nodes: { target: string; summary: string }[];
}

/**
 * Runs axe-core on the page (injected once; a page under a content security policy needs a
 * context with bypassCSP) and returns the rules it found broken: only `rules` if given, only
 * inside the `include` selector if given.
 */
export async function axeViolations(page: Page, o: { rules?: string[]; include?: string } = {}): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object'))) await page.addScriptTag({ path: AXE });
  const context = o.include ? JSON.stringify(o.include) : 'document';
  const options = JSON.stringify({ resultTypes: ['violations'], ...(o.rules ? { runOnly: o.rules } : {}) });
  return (await page.evaluate(
    `axe.run(${context}, ${options}).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary ?? '' })) })))`,
  )) as AxeViolation[];
}

/** The serious and critical violations, one line each: rule, count, help and the first two places. */
export async function axeSerious(page: Page): Promise<string[]> {
  const found = await axeViolations(page);
  return found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.nodes.length}): ${v.help} at ${v.nodes
      .slice(0, 2)
      .map((n) => n.target)
      .join(' | ')}`);
}
