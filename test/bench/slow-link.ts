// A first visit on a slow link: Chromium, throttled to 400 kbit/s each way with 400 ms of
// latency and its cache disabled, opens the read link of a 300-post thread held by a relay on
// loopback that also serves the web client. Timed from navigation: the first loading state on
// screen, the thread's title, its newest post, and every post; and whether "Offline" ever showed.
//   node --import tsx test/bench/slow-link.ts
//   SLOW_LINK_BEFORE=<dir of an older client/dist> also times that build, in the same rounds.
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

async function seedThread(relay: ServerProcess): Promise<string> {
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
    return `${url}/${routeHash(caps.read)}`;
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

interface Build {
  label: string;
  dir: string;
  relay?: ServerProcess;
  link?: string;
  runs: Marks[];
}

await initSodium();
const load = loadAverage();
const builds: Build[] = [{ label: 'this build', dir: join(ROOT, 'client/dist'), runs: [] }];
if (process.env.SLOW_LINK_BEFORE) builds.unshift({ label: `before (${process.env.SLOW_LINK_BEFORE})`, dir: process.env.SLOW_LINK_BEFORE, runs: [] });
const browser = await launchBrowser();
const work = mkdtempSync(join(tmpdir(), 'baton-bench-slow-'));
try {
  for (const b of builds) {
    b.relay = await startBaton({ webRoot: b.dir });
    b.link = await seedThread(b.relay);
  }
  for (let run = 0; run < RUNS; run++) {
    for (const b of builds) {
      const marks = await visit(browser, b.link!);
      b.runs.push(marks);
      console.log(`${b.label}, run ${run + 1}: ${JSON.stringify(Object.fromEntries(Object.entries(marks).map(([k, v]) => [k, Math.round(v as number)])))}`);
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
  ]);
  recordSection(
    'Slow link, first visit',
    [
      `\`node --import tsx test/bench/slow-link.ts\`, ${today()}, on ${describeMachine()} (load average ${load} at the start).`,
      '',
      `Chromium (headless, 360 × 740) opens the read link of a thread of ${POSTS} posts (a few posts per blob) on a relay on loopback that also serves the web client, on a first visit: a new browser context each time, the cache disabled, and the network throttled through the DevTools protocol (\`Network.emulateNetworkConditions\`: ${KBITS} kbit/s down and up, ${LATENCY_MS} ms latency). Timed from navigation until each first shows: a loading state, the thread's title, its newest post, and all ${POSTS} posts; and in how many runs the word "Offline" showed at any time. Medians of ${RUNS} runs${builds.length > 1 ? ', the builds taking turns' : ''}. The targets are 3 s to the title and a loading state and 6 s to the newest posts.`,
      '',
      table(['client', 'loading state', 'title', 'newest post', `all ${POSTS} posts`, '"Offline" shown'], ['l', 'r', 'r', 'r', 'r', 'r'], rows),
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
