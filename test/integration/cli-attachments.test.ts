// Pictures and PDFs posted from the CLI: stripped on the sender's device, carried by a peer
// relay and a blind mirror as ciphertext only, saved on another device as exactly the bytes
// the post names. Fixtures are made here (test/support/exif-fixture.ts), nothing binary is kept.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { fromBase64url, generateIdentity, initSodium, parseCapabilityOrLink } from '#shared';
import { BatonClient, MemoryStore, boards, firstScreenCapability, sealFiles } from '#client-core';
import { startRelay, type Relay } from '#server/index.ts';
import { FIXTURE_HEIGHT, FIXTURE_SERIAL, FIXTURE_WIDTH, holds, jpegWithExif } from '#test/support/exif-fixture.ts';
import { waitUntil } from '../support/wait.ts';
import { Workspace, json, type BoardCaps } from './cli-harness.ts';
import { blobsAt } from './peer-fixtures.ts';
import { NodeWS } from './client-fixtures.ts';

await initSodium();

const AUTHOR = 'Jane Whistleblower-7d1';
const XMP_ID = 'uuid:baton-xmp-secret-55aa';

interface Listed {
  name: string;
  mime: string;
  size: number;
  sha256: string;
  pages?: number;
}

/** A PDF whose document information names its author and whose catalog holds an XMP stream. */
async function pdfWithMetadata(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage([200, 200]).drawText('Order 17', { x: 20, y: 100 });
  doc.setAuthor(AUTHOR);
  doc.setTitle('Internal order');
  const xmp = doc.context.stream(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><xmpMM:DocumentID>${XMP_ID}</xmpMM:DocumentID></rdf:RDF></x:xmpmeta>`, {
    Type: 'Metadata',
    Subtype: 'XML',
  });
  doc.catalog.set(PDFName.of('Metadata'), doc.context.register(xmp));
  doc.catalog.set(PDFName.of('Lang'), PDFString.of('en'));
  return doc.save({ useObjectStreams: false });
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Every file under a directory, concatenated (a relay's SQLite files, say). */
function everything(dir: string): Uint8Array {
  const parts: Buffer[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else parts.push(readFileSync(path));
    }
  };
  walk(dir);
  return Buffer.concat(parts);
}

/** Windows of `size` bytes across a plaintext: none may appear in what a relay or a bundle holds. */
function windows(plain: Uint8Array, size = 48, count = 12): Uint8Array[] {
  const out: Uint8Array[] = [];
  const step = Math.max(1, Math.floor((plain.length - size) / count));
  for (let at = 0; at + size <= plain.length && out.length < count; at += step) out.push(plain.subarray(at, at + size));
  return out;
}

function assertNoPlaintext(where: string, haystack: Uint8Array, plains: Uint8Array[]): void {
  for (const marker of [FIXTURE_SERIAL, AUTHOR, XMP_ID]) assert.ok(!holds(haystack, Buffer.from(marker)), `${where} holds "${marker}"`);
  for (const plain of plains) for (const w of windows(plain)) assert.ok(!holds(haystack, w), `${where} holds a plaintext window`);
}

async function roomsOf(relay: Relay): Promise<string[]> {
  const res = await fetch(`${relay.url}/v1/rooms`);
  return ((await res.json()) as { rooms: string[] }).rooms;
}

test('a picture and a PDF posted from the CLI are stripped, carried blind by a peer and a mirror, and saved whole elsewhere', async () => {
  const ws = new Workspace();
  const extra: Relay[] = [];
  try {
    const home = await ws.relay({ dataDir: 'home' });
    const jpeg = await jpegWithExif();
    const pdf = await pdfWithMetadata();
    const photo = join(ws.root, 'protest.jpg');
    const order = join(ws.root, 'order.pdf');
    writeFileSync(photo, jpeg);
    writeFileSync(order, pdf);

    const alice = ws.device('alice');
    const caps = json<BoardCaps>(await alice.run('board', 'create', '--relay', home.url, '--title', 'Evidence', '--name', 'alice'));
    const thread = json<{ id: string; write: string }>(await alice.run('thread', 'create', caps.write, '--title', 'Saturday'));
    const posted = await alice.run('post', caps.write, '--thread', thread.id, '--body', 'photo and order', '--attach', photo, '--attach', order);
    const sent = json<{ id: string; attachments: Listed[] }>(posted);
    // The sender is told what was removed.
    assert.match(posted.stderr, /protest\.jpg: removed .*GPS position.*/);
    assert.match(posted.stderr, /camera serial number/);
    assert.match(posted.stderr, /capture time/);
    assert.match(posted.stderr, /order\.pdf: removed .*document information/);
    assert.match(posted.stderr, /XMP metadata/);
    assert.deepEqual(sent.attachments.map((a) => [a.name, a.mime]), [['protest.jpg', 'image/jpeg'], ['order.pdf', 'application/pdf']]);
    // The PDF goes without a thumbnail from the CLI (no renderer), with its page count instead.
    assert.deepEqual(sent.attachments.map((a) => a.pages), [undefined, 1]);

    // A peer of the home relay and a blind mirror of the board.
    const peer = await startRelay({ host: '127.0.0.1', port: 0, log: () => {}, peers: [home.url], peerSyncMs: 200 });
    extra.push(peer);
    const mirror = await startRelay({ host: '127.0.0.1', port: 0, log: () => {}, mirrors: [{ capability: caps.mirror, relay: home.url }], peerSyncMs: 200 });
    extra.push(mirror);
    const homeRooms = await roomsOf(home);
    assert.equal(homeRooms.length, 5, "board, thread, the thread's first screen and two file rooms");
    const counts = new Map<string, number>();
    for (const room of homeRooms) counts.set(room, (await blobsAt(home, room)).length);
    // The first screen's space is derived from the thread's read key: a blind mirror cannot know it.
    const firstScreen = firstScreenCapability(parseCapabilityOrLink(thread.write))!.spaceId;
    for (const relay of [peer, mirror]) {
      await waitUntil(
        async () => {
          for (const [room, n] of counts) if ((relay === peer || !room.startsWith(firstScreen)) && (await blobsAt(relay, room)).length < n) return false;
          return true;
        },
        { timeoutMs: 20_000, intervalMs: 100, what: `every room on ${relay === peer ? 'the peer' : 'the mirror'}` },
      );
    }
    await home.close();
    assertNoPlaintext("the home relay's data directory", everything(join(ws.root, 'home')), [jpeg]);

    // Another device reads and saves through the mirror alone (the home relay is gone).
    const bob = ws.device('bob');
    const view = json<{ threads: { posts: { id: string; attachments: Listed[] }[] }[] }>(await bob.run('read', caps.read, '--json', '--relay', mirror.url));
    const listed = view.threads[0]!.posts.find((p) => p.id === sent.id)!.attachments;
    assert.deepEqual(listed, sent.attachments);
    assert.match((await bob.run('read', caps.read, '--relay', mirror.url)).stdout, /\[PDF\] order\.pdf \(pages: 1, \d+ bytes, SHA-256 [0-9a-f]{16}…\)/);
    const out = join(ws.root, 'saved');
    const saved = json<{ saved: { file: string; sha256: string }[] }>(await bob.run('save', caps.read, '--thread', thread.id, '--post', sent.id, '--out', out, '--relay', mirror.url));
    assert.equal(saved.saved.length, 2);
    const picture = new Uint8Array(readFileSync(join(out, 'protest.jpg')));
    const document = new Uint8Array(readFileSync(join(out, 'order.pdf')));
    assert.equal(sha256(picture), listed[0]!.sha256);
    assert.equal(sha256(document), listed[1]!.sha256);
    assert.equal(picture.length, listed[0]!.size);

    // No EXIF block (no APP1 "Exif"), nothing identifying, the orientation applied to the pixels.
    const meta = await sharp(picture).metadata();
    assert.equal(meta.exif, undefined);
    assert.equal(meta.xmp, undefined);
    assert.equal(meta.icc, undefined);
    assert.ok(!holds(picture, Buffer.from('Exif\0\0')));
    assert.ok(!holds(picture, Buffer.from(FIXTURE_SERIAL)));
    assert.deepEqual([meta.width, meta.height], [FIXTURE_HEIGHT, FIXTURE_WIDTH], 'the shown dimensions (orientation 6 turned the stored pixels)');
    const original = await sharp(jpeg).rotate().toBuffer({ resolveWithObject: true });
    assert.deepEqual([meta.width, meta.height], [original.info.width, original.info.height]);

    // The PDF: no document information, no XMP, its page still there.
    assert.ok(!holds(document, Buffer.from(AUTHOR)) && !holds(document, Buffer.from(XMP_ID)));
    const reread = await PDFDocument.load(document, { updateMetadata: false });
    assert.equal(reread.getAuthor(), undefined);
    assert.equal(reread.catalog.get(PDFName.of('Metadata')), undefined);
    assert.equal(reread.getPageCount(), 1);

    // The same through the peer, on a third device; and a bundle carries the files, blind.
    const carol = ws.device('carol');
    const viaPeer = json<{ saved: { sha256: string }[] }>(await carol.run('save', caps.read, '--thread', thread.id, '--post', sent.id, '--out', join(ws.root, 'carol'), '--relay', peer.url));
    assert.deepEqual(viaPeer.saved.map((s) => s.sha256), listed.map((a) => a.sha256));
    const courier = ws.device('courier');
    const bundlePath = join(ws.root, 'evidence.baton');
    const exported = json<{ rooms: string[] }>(await courier.run('export', caps.mirror, '--out', bundlePath, '--relay', mirror.url));
    const blind = homeRooms.filter((room) => !room.startsWith(firstScreen));
    assert.deepEqual(new Set(exported.rooms), new Set(blind), 'the bundle holds the file rooms too');
    const bundle = JSON.parse(readFileSync(bundlePath, 'utf8')) as { rooms: Record<string, string> };
    const decoded = Buffer.concat(Object.values(bundle.rooms).map((u) => fromBase64url(u)!));
    assertNoPlaintext('the bundle', decoded, [picture, document, jpeg]);
    assertNoPlaintext("the mirror's copy", Buffer.concat(await Promise.all(homeRooms.map(async (r) => Buffer.concat(await blobsAt(mirror, r))))), [picture, document]);
  } finally {
    await Promise.all(extra.map((r) => r.close()));
    await ws.close();
  }
});

test('files over the limit, of other types, or not readable are refused before anything is sent', async () => {
  const ws = new Workspace();
  try {
    const relay = await ws.relay();
    const alice = ws.device('alice');
    const caps = json<BoardCaps>(await alice.run('board', 'create', '--relay', relay.url, '--title', 'Limits'));
    const thread = json<{ id: string }>(await alice.run('thread', 'create', caps.write, '--title', 'T'));
    const big = join(ws.root, 'big.jpg');
    const head = await jpegWithExif();
    const bytes = new Uint8Array(17 * 1024 * 1024);
    bytes.set(head);
    writeFileSync(big, bytes);
    const tooBig = await alice.run('post', caps.write, '--thread', thread.id, '--body', 'x', '--attach', big);
    assert.equal(tooBig.code, 1);
    assert.match(tooBig.stderr, /big\.jpg is 17\.0 MiB; a file may be at most 16 MiB/);
    const text = join(ws.root, 'notes.jpg');
    writeFileSync(text, 'just text, named like a picture');
    const wrong = await alice.run('post', caps.write, '--thread', thread.id, '--body', 'x', '--attach', text);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /notes\.jpg is not a JPEG, PNG, WebP or PDF file/);
    const broken = join(ws.root, 'broken.jpg');
    writeFileSync(broken, head.subarray(0, 400));
    const undecodable = await alice.run('post', caps.write, '--thread', thread.id, '--body', 'x', '--attach', broken);
    assert.equal(undecodable.code, 1);
    assert.match(undecodable.stderr, /broken\.jpg cannot be decoded as a picture/);
    const nine = Array.from({ length: 9 }, (_, i) => {
      const p = join(ws.root, `p${i}.jpg`);
      mkdirSync(ws.root, { recursive: true });
      writeFileSync(p, head);
      return ['--attach', p];
    }).flat();
    const tooMany = await alice.run('post', caps.write, '--thread', thread.id, '--body', 'x', ...nine);
    assert.equal(tooMany.code, 1);
    assert.match(tooMany.stderr, /at most 8 files/);
    // Nothing reached the relay: only the board and the thread.
    assert.equal((await roomsOf(relay)).length, 2);
  } finally {
    await ws.close();
  }
});

test('a hostile post: names that climb folders are saved inside the folder, an unknown type as plain bytes, a name taken is not replaced', async () => {
  const ws = new Workspace();
  const relay = await ws.relay();
  const mallory = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'mallory', connection: { WebSocket: NodeWS } });
  try {
    const { board, caps } = await boards.createBoard(mallory, { title: 'Traps', relays: [relay.url] });
    const { thread, id: threadId } = await boards.createThread(mallory, board, { title: 'T' });
    const page = new TextEncoder().encode('<script>alert(1)</script>');
    const sealed = await sealFiles(mallory, thread, [
      { bytes: page, name: '../../../escape.html', mime: 'text/html', removed: [] },
      { bytes: page, name: '/etc/cron.d/job', mime: 'application/x-sh', removed: [] },
      { bytes: page, name: 'CON', mime: 'image/png', removed: [] },
    ]);
    const { id } = boards.post(mallory, thread, { body: 'files', attachments: sealed.attachments });
    await Promise.all([board, thread, ...sealed.spaces].map((s) => s.whenDelivered(undefined, { timeoutMs: 15_000 })));
    const out = join(ws.root, 'inbox');
    mkdirSync(out);
    writeFileSync(join(out, 'escape.html'), 'mine');
    const saved = json<{ saved: { file: string }[] }>(await ws.device('bob').run('save', caps.read, '--thread', threadId, '--post', id, '--out', out));
    assert.deepEqual(saved.saved.map((s) => s.file), [join(out, 'escape (2).html'), join(out, 'job'), join(out, 'attachment-3.png')]);
    assert.deepEqual(readdirSync(out).sort(), ['attachment-3.png', 'escape (2).html', 'escape.html', 'job']);
    assert.equal(readFileSync(join(out, 'escape.html'), 'utf8'), 'mine', 'a file already there is kept');
    assert.deepEqual(readdirSync(ws.root).sort(), ['bob', 'inbox'].sort(), 'nothing written beside the folder');
  } finally {
    await mallory.close();
    await ws.close();
  }
});
