// A first visit on a slow link: Chromium, throttled to 400 kbit/s each way with 400 ms of
// latency and its cache disabled, opens the read link of a 300-post thread held by a relay on
// loopback that also serves the web client. Timed from navigation: the first loading state on
// screen, the thread's title, its newest post, and every post; and whether "Offline" ever showed.
//   node --import tsx test/bench/slow-link.ts
//   SLOW_LINK_BEFORE=<dir of an older client/dist> also times that build, in the same rounds
//   (SLOW_LINK_BEFORE_LABEL names it in the table).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { generateIdentity, initSodium } from '#shared';
import { BatonClient, MemoryStore, boards } from '#client-core';
import { routeHash } from '#client-web/lib/route.ts';
import { launchBrowser, seedLines } from '../e2e/harness.ts';
import { waitUntil } from '../support/wait.ts';
import { finish } from './lib/finish.ts';
import { describeMachine, loadAverage } from './lib/machine.ts';
import { recordSection, table, today } from './lib/report.ts';
import { startBaton, type ServerProcess } from './lib/servers.ts';
import { fmt } from './lib/stats.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const POSTS = Number(process.env.SLOW_LINK_POSTS ?? 300);
const RUNS = Number(process.env.SLOW_LINK_RUNS ?? 3);
const KBITS = 400;
const LATENCY_MS = 400;
const TITLE = 'Which mirrors still answer?';
const LIMIT_MS = 90_000;
const CPU_SLOWDOWN = 4;
/** 36 characters, as the issue typed. */
const TYPED = 'Relay b answers again from the east.';
/** What was done to get here, and what each gave (kept with the figures). */
const NOTES = [
  'What was done, measured with this script (load averages of 10 to 19 on this shared machine):',
  '',
  '- The first script: `index.html` holds a loading screen, and its module script (`client/web/main.ts`, about 9 KB as served; `npm test` fails past 100 KB) loads the app (Lit, Yjs, libsodium: about 200 KB brotli, of which libsodium 111 KB) with `import()`. A loading state went from 5.2 s (the whole 713 KB script first) to 0.5 s.',
  "- A thread's first screen published by its writers in a small space of its own (docs/PROTOCOL.md §6, \"First screen\"), fetched by the app before the thread: the title and newest posts went from 12 to 14 s to about 8 s (the app itself takes some 5 s to arrive).",
  '- The first script reads that first screen itself, before the app has arrived: BLAKE2b and XChaCha20-Poly1305 in JavaScript (hand-written when measured; since then the @noble libraries, 11 KB brotli for the whole first script), a reader of Yjs updates, and Ed25519 through WebCrypto: 2.3 s on a quieter machine, 2.7 to 3.1 s under this load.',
  '- The service worker (whose install fetches every chunk) and the check worker (a file of 128 KB with its own libsodium) had started as soon as the app showed a screen and competed with the thread for the link: the whole thread took 18 s. They now wait until the screen has synced, and the app no longer fetches the first screen again when the first script showed it: 13.4 to 15.2 s, still 1 to 2 s slower than before (12.7 to 14.1 s in the same rounds).',
  "- Why, from every request and WebSocket frame of a run (DevTools protocol): the thread's sync (one message of 189 KB, as in the old build) could start only once the app had arrived and run, and then waited two more round trips (its epoch list, the WebSocket) with the link idle; and the app arrived 2 s later than the old single script (at 7.1 s against 5.1 s): its request waits for the first script (1.6 s against 0.6 s), it is 241 KB against 201 KB (features added since), and it shares the link with the first screen's requests. The service worker, the check worker and the question to the serving relay (0.7 KB, beside the epoch list) were not it: the workers start after the whole thread, and the question costs no round trip. The first script now fetches the thread whole over HTTP once the first look is read, beside the app, and the app checks and stores it before opening the thread, whose sync then brings a few bytes (client/web/first-screen/thread-fetch.ts): the link is busy from the second second on, and the whole thread shows about 1.5 s after the app has arrived. In the same rounds (2 runs each, load 4 to 6): 14.7 and 14.5 s without it (f452e98), 11.4 and 11.7 s with it, the title unchanged (2.9 to 3.1 s).",
  "- Typing: no difference at 4x; 36 characters take 0.7 to 2.2 s with either build here, varying with the machine's load more than with the build (the thread now renders 50 of its 300 posts).",
].join('\n');

/** Watches the page from its first script on: when each thing first showed, in ms since navigation. */
const WATCH = `
(() => {
  const marks = (window.__marks = {});
  const text = (node, out) => {
    if (node.nodeType === 3) { out.push(node.data); return; }
    if (node.shadowRoot) text(node.shadowRoot, out);
    for (const c of node.childNodes) text(c, out);
  };
  const tick = () => {
    if (!document.body) return;
    const out = [];
    text(document.body, out);
    const all = out.join(' ');
    const now = performance.now();
    const mark = (name, yes) => { if (yes && marks[name] === undefined) marks[name] = now; };
    mark('loading', /Starting|Opening|Loading|Looking for/.test(all));
    mark('title', all.includes(${JSON.stringify(TITLE)}));
    mark('newest', all.includes('Post ${POSTS} of ${POSTS}.'));
    mark('offline', /Offline/.test(all));
    const posts = (function count(node) {
      let n = node.localName === 'baton-post' ? 1 : 0;
      if (node.shadowRoot) n += count(node.shadowRoot);
      for (const c of node.children ?? []) n += count(c);
      return n;
    })(document.body);
    mark('whole', /\\(\\s*${POSTS}\\s*\\)/.test(all) || posts >= ${POSTS});
  };
  setInterval(tick, 50);
})();
`;

interface Marks {
  loading?: number;
  title?: number;
  newest?: number;
  whole?: number;
  offline?: number;
}

async function seedThread(relay: ServerProcess): Promise<{ read: string; write: string }> {
  const url = `http://127.0.0.1:${relay.port}`;
  const lines = seedLines(3);
  const client = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'Archivist', connection: { WebSocket: WebSocket as unknown as typeof globalThis.WebSocket } });
  try {
    const { board } = await boards.createBoard(client, { title: 'Keep the lights on', relays: [url] });
    const { thread, caps } = await boards.createThread(client, board, { title: TITLE });
    for (let i = 1; i <= POSTS; i++) {
      boards.post(client, thread, { body: `Post ${i} of ${POSTS}. ${lines[i % lines.length]}` });
      // A few posts per blob, as people post over days, not one blob of 300.
      if (i % 3 === 0) thread.flush();
      // Posts are ordered by time, then id: each its own millisecond, so the newest is the last.
      await new Promise((r) => setTimeout(r, 2));
    }
    await waitUntil(() => board.outbox().length === 0 && thread.outbox().length === 0, { timeoutMs: 60_000, intervalMs: 50, what: 'the relay to confirm the thread' });
    // Whatever the client publishes beside the thread (its first screen) has time to go out too.
    await new Promise((r) => setTimeout(r, 4000));
    await waitUntil(() => client.openSpaces().every((s) => s.outbox().length === 0), { timeoutMs: 30_000, intervalMs: 50, what: 'every write to be confirmed' });
    return { read: `${url}/${routeHash(caps.read)}`, write: `${url}/${routeHash(caps.write)}` };
  } finally {
    await client.close();
  }
}

async function visit(browser: Awaited<ReturnType<typeof launchBrowser>>, link: string): Promise<Marks> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: LATENCY_MS,
      downloadThroughput: (KBITS * 1000) / 8,
      uploadThroughput: (KBITS * 1000) / 8,
    });
    await page.addInitScript(WATCH);
    await page.goto(link, { waitUntil: 'commit' });
    const t0 = Date.now();
    while (Date.now() - t0 < LIMIT_MS) {
      const marks = (await page.evaluate('window.__marks').catch(() => null)) as Marks | null;
      if (marks?.whole !== undefined && marks.newest !== undefined) return marks;
      await new Promise((r) => setTimeout(r, 250));
    }
    return ((await page.evaluate('window.__marks').catch(() => null)) as Marks | null) ?? {};
  } finally {
    await context.close();
  }
}

/**
 * Typing in the compose box of the whole thread (write link, network not throttled) with the
 * CPU slowed 4x: milliseconds to type TYPED, each key dispatched once the page handled the last.
 */
async function typing(browser: Awaited<ReturnType<typeof launchBrowser>>, link: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  try {
    const page = await context.newPage();
    await page.goto(link);
    await page.locator('baton-post', { hasText: `Post ${POSTS} of ${POSTS}.` }).first().waitFor({ timeout: LIMIT_MS });
    const box = page.locator('baton-compose textarea');
    await box.click();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    const t0 = performance.now();
    await page.keyboard.type(TYPED);
    const ms = performance.now() - t0;
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    if ((await box.inputValue()) !== TYPED) throw new Error('the compose box did not get every key');
    return ms;
  } finally {
    await context.close();
  }
}

interface Build {
  label: string;
  dir: string;
  relay?: ServerProcess;
  link?: string;
  writeLink?: string;
  runs: Marks[];
  typing: number[];
}

await initSodium();
const load = loadAverage();
const builds: Build[] = [{ label: 'this build', dir: join(ROOT, 'client/dist'), runs: [], typing: [] }];
if (process.env.SLOW_LINK_BEFORE) builds.unshift({ label: process.env.SLOW_LINK_BEFORE_LABEL ?? `before (${process.env.SLOW_LINK_BEFORE})`, dir: process.env.SLOW_LINK_BEFORE, runs: [], typing: [] });
const browser = await launchBrowser();
const work = mkdtempSync(join(tmpdir(), 'baton-bench-slow-'));
try {
  for (const b of builds) {
    b.relay = await startBaton({ webRoot: b.dir });
    const links = await seedThread(b.relay);
    b.link = links.read;
    b.writeLink = links.write;
  }
  for (let run = 0; run < RUNS; run++) {
    for (const b of builds) {
      const marks = await visit(browser, b.link!);
      b.runs.push(marks);
      const typed = await typing(browser, b.writeLink!);
      b.typing.push(typed);
      console.log(`${b.label}, run ${run + 1}: ${JSON.stringify(Object.fromEntries(Object.entries(marks).map(([k, v]) => [k, Math.round(v as number)])))}, typing ${Math.round(typed)} ms`);
    }
  }
  const median = (xs: (number | undefined)[]) => {
    const got = xs.filter((x): x is number => x !== undefined).sort((a, b) => a - b);
    return got.length < xs.length ? null : got[Math.floor(got.length / 2)]!;
  };
  const cell = (ms: number | null) => (ms === null ? 'not within 90 s' : `${fmt(ms / 1000, 1)} s`);
  const rows = builds.map((b) => [
    b.label,
    cell(median(b.runs.map((m) => m.loading))),
    cell(median(b.runs.map((m) => m.title))),
    cell(median(b.runs.map((m) => m.newest))),
    cell(median(b.runs.map((m) => m.whole))),
    `${b.runs.filter((m) => m.offline !== undefined).length} of ${b.runs.length}`,
    `${fmt(median(b.typing)! / 1000, 2)} s`,
  ]);
  recordSection(
    'Slow link, first visit',
    [
      `\`node --import tsx test/bench/slow-link.ts\`, ${today()}, on ${describeMachine()} (load average ${load} at the start).`,
      '',
      `Chromium (headless, 360 × 740) opens the read link of a thread of ${POSTS} posts (a few posts per blob) on a relay on loopback that also serves the web client, on a first visit: a new browser context each time, the cache disabled, and the network throttled through the DevTools protocol (\`Network.emulateNetworkConditions\`: ${KBITS} kbit/s down and up, ${LATENCY_MS} ms latency). Timed from navigation until each first shows: a loading state, the thread's title, its newest post, and all ${POSTS} posts; and in how many runs the word "Offline" showed at any time. Medians of ${RUNS} runs${builds.length > 1 ? ', the builds taking turns' : ''}. The targets are 3 s to the title and a loading state and 6 s to the newest posts. Typing: the same thread opened whole by its write link (network not throttled), the CPU then slowed ${CPU_SLOWDOWN}x (\`Emulation.setCPUThrottlingRate\`), and ${TYPED.length} characters typed into the compose box, each key sent once the page has handled the one before (Playwright's \`keyboard.type\`).`,
      '',
      table(['client', 'loading state', 'title', 'newest post', `all ${POSTS} posts`, '"Offline" shown', `typing ${TYPED.length} characters, CPU ${CPU_SLOWDOWN}x slower`], ['l', 'r', 'r', 'r', 'r', 'r', 'r'], rows),
      '',
      NOTES,
      '',
      `Every run (s, loading / title / newest / all): ${builds.map((b) => `${b.label}: ${b.runs.map((m) => [m.loading, m.title, m.newest, m.whole].map((x) => (x === undefined ? '-' : fmt(x / 1000, 1))).join(' / ')).join('; ')}`).join('; ')}.`,
    ].join('\n'),
  );
  console.log('recorded in docs/BENCHMARKS.md');
} finally {
  await browser.close();
  for (const b of builds) await b.relay?.stop();
  rmSync(work, { recursive: true, force: true });
}
finish();
