// The page a relay shows at `/` without a built web client: every command it names runs, and
// it speaks its reader's language (Accept-Language or ?lang=), English for anything else.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, it } from 'vitest';
import { startRelay, type Relay } from '#server/index.ts';
import { CLI_LOCALES } from '#shared/l10n/locale.ts';
import { ROOT, spawnBaton } from '../support/baton-bin.ts';
import { baton, json } from './cli-harness.ts';

let relay: Relay;
let home: string;
beforeAll(async () => {
  relay = await startRelay({ port: 0, host: '127.0.0.1', webRoot: '/nonexistent-baton-web', log: () => {} });
  home = mkdtempSync(join(tmpdir(), 'baton-landing-'));
});
afterAll(async () => {
  await relay.close();
  rmSync(home, { recursive: true, force: true });
});

/** The text of every <pre> block of the page, entities decoded. */
function commandsOf(html: string): string[] {
  return [...html.matchAll(/<pre[^>]*>([\s\S]*?)<\/pre>/g)].map((m) => m[1]!.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
}

/** Splits a command line the way a POSIX shell would for plain words and '…' or "…" quotes. */
function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

/** Runs `baton relay ...` until it says it is listening, then stops it with SIGTERM. */
async function startAndStop(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawnBaton([...args, '--port', '0', '--host', '127.0.0.1', '--memory'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const listening = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the relay did not start: ${output}`)), 15_000);
    const seen = (d: Buffer) => {
      output += d;
      if (/listening on http/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    void exited.then(() => reject(new Error(`the relay exited: ${output}`)));
  });
  try {
    await listening;
  } finally {
    child.kill('SIGTERM');
  }
  return { code: await exited, output };
}

it('names only commands that exist, and each of them works', async () => {
  const page = await fetch(`${relay.url}/`);
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('cache-control'), 'no-cache');
  const commands = commandsOf(await page.text());
  assert.ok(commands.length >= 3, `expected the page to name commands, found ${commands.length}`);
  const filled: Record<string, string> = { '<relay>': relay.url };
  const ran: string[] = [];
  for (const command of commands) {
    const [npx, bin, ...rest] = words(command);
    assert.deepEqual([npx, bin], ['npx', 'baton'], command);
    const args = rest.map((w) => filled[w] ?? w);
    const unfilled = args.filter((w) => /^<.*>$/.test(w));
    assert.deepEqual(unfilled, [], `no value for ${unfilled.join(', ')} in: ${command}`);
    if (args[0] === 'relay') {
      const { code, output } = await startAndStop(args);
      assert.equal(code, 0, output);
    } else {
      const result = await baton(['--data', join(home, 'device'), '--timeout', '8', ...args]);
      assert.equal(result.code, 0, `${command}: ${result.stderr}`);
      if (args[0] === 'board') {
        // The created board's read capability fills the placeholder of the commands after it.
        filled['<read capability>'] = json<{ read: string }>(result).read;
      } else {
        assert.match(result.stdout, /My board/, command);
      }
    }
    ran.push(args[0]!);
  }
  assert.deepEqual(ran, ['board', 'read', 'relay']);
});

/** The page as a reader with these request headers (and path) gets it. */
async function landing(headers: Record<string, string> = {}, path = '/'): Promise<{ response: Response; html: string }> {
  const response = await fetch(`${relay.url}${path}`, { headers });
  assert.equal(response.status, 200);
  return { response, html: await response.text() };
}

const catalog = (locale: string): Record<string, string> => JSON.parse(readFileSync(join(ROOT, 'client/l10n/cli', `${locale}.json`), 'utf8'));
const openingTag = (html: string) => /<html[^>]*>/.exec(html)?.[0];

it("speaks the reader's language from Accept-Language, right to left where it is written so, with the same commands", async () => {
  const english = await landing({ 'Accept-Language': 'de-DE, fr;q=0.8' });
  assert.equal(openingTag(english.html), '<html lang="en" dir="ltr">');
  assert.match(english.html, /<h1>Baton relay<\/h1>/);
  const persian = await landing({ 'Accept-Language': 'fa-IR,fa;q=0.9,en;q=0.5' });
  assert.equal(openingTag(persian.html), '<html lang="fa" dir="rtl">');
  assert.equal(persian.response.headers.get('content-language'), 'fa');
  assert.match(persian.response.headers.get('vary') ?? '', /accept-language/i);
  const fa = catalog('fa');
  for (const id of ['relay.landing.title', 'relay.landing.about', 'relay.landing.runOwn']) assert.ok(persian.html.includes(`>${fa[id]}<`), `${id} in Persian`);
  assert.doesNotMatch(persian.html, /Run a relay of your own/);
  assert.deepEqual(commandsOf(persian.html), commandsOf(english.html), 'commands are typed as they are, in every language');
  // Quality values count, not the order alone.
  assert.equal(openingTag((await landing({ 'Accept-Language': 'de;q=1, ru;q=0.4, uk;q=0.7' })).html), '<html lang="uk" dir="ltr">');
});

it('links to the page in every other language, and ?lang= chooses over the header', async () => {
  const { html } = await landing({ 'Accept-Language': 'fa' });
  const links = [...html.matchAll(/<a href="\?lang=([\w-]+)"/g)].map((m) => m[1]!);
  assert.deepEqual(links.sort(), CLI_LOCALES.filter((l) => l !== 'fa').sort());
  for (const locale of links) {
    const other = await landing({ 'Accept-Language': 'fa' }, `/?lang=${locale}`);
    const dir = locale === 'ar' ? 'rtl' : 'ltr';
    assert.equal(openingTag(other.html), `<html lang="${locale}" dir="${dir}">`);
    if (locale !== 'en') assert.ok(other.html.includes(`<h1>${catalog(locale)['relay.landing.title']}</h1>`), locale);
  }
});

it('gives English, without an error, for hostile languages', async () => {
  const hostile: [Record<string, string>, string][] = [
    [{ 'Accept-Language': 'x'.repeat(8000) }, '/'],
    [{ 'Accept-Language': `${'de;q=0.9,'.repeat(500)}fa` }, '/'],
    [{ 'Accept-Language': '"><script>alert(1)</script>;q=1, ../../etc/passwd, fa;q=NaN' }, '/'],
    // Raw UTF-8 bytes, as a client that ignores the header's rules would send them.
    [{ 'Accept-Language': Buffer.from('ṣ̂, 中文, fa;q=-1', 'utf8').toString('latin1') }, '/'],
    [{}, `/?lang=${encodeURIComponent('"><script>')}`],
    [{}, `/?lang=${'fa'.repeat(2000)}`],
    [{}, '/?lang=%ff%fe'],
  ];
  for (const [headers, path] of hostile) {
    const { html } = await landing(headers, path);
    assert.equal(openingTag(html), '<html lang="en" dir="ltr">', `${JSON.stringify(headers).slice(0, 60)} ${path.slice(0, 60)}`);
    assert.doesNotMatch(html, /<script/);
  }
});
