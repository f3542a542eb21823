import { beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { accessLevel, createSpace, formatCapability, initSodium, parseCapabilityOrLink, withRelays } from '#shared';
import { parseMirrorArg } from '#server/peering/peering.ts';
import { mirrorCommand, onAnyRelay, parsePasted, shareLinks, shareText } from './share-links.ts';

beforeAll(async () => {
  await initSodium();
});

test('the link on every relay of the board, the page relay first, and the link without a relay', () => {
  const cap = withRelays(createSpace('board'), ['https://a.example', 'wss://b.example/baton', 'http://127.0.0.1:8787']);
  const links = shareLinks(cap, 'read', 'http://127.0.0.1:8787');
  assert.ok(links.main.startsWith('http://127.0.0.1:8787/#baton:board:'), links.main);
  assert.deepEqual(links.others.map((l) => l.split('#')[0]), ['https://a.example/', 'https://b.example/baton/']);
  assert.equal(links.bare, formatCapability(cap, 'read'));
  for (const l of [links.main, ...links.others, links.bare]) {
    const parsed = parseCapabilityOrLink(l);
    assert.deepEqual([parsed.spaceId, accessLevel(parsed)], [cap.spaceId, 'read']);
  }
  const text = shareText(links, 'board');
  assert.deepEqual(text.split('\n'), [links.main, ...links.others, links.bare, '', onAnyRelay('board')]);
  assert.equal(parsePasted(text).spaceId, cap.spaceId, 'the whole share text pasted back opens the board');
  assert.equal(parsePasted(text.replace(/\n/g, '')).spaceId, cap.spaceId, 'and so it does with its line breaks dropped');
  assert.equal(accessLevel(parsePasted(`Here:\n${links.others[0]!.slice(0, 50)}\n${links.others[0]!.slice(50)}.`)), 'read');
  assert.throws(() => parsePasted('see baton:nothing here'), /not a Baton capability|expected/);
});

test('a space with no relay gives only the link without a relay', () => {
  const cap = createSpace('thread');
  const links = shareLinks(cap, 'write', null);
  assert.deepEqual(links, { main: formatCapability(cap), others: [], bare: formatCapability(cap) });
  assert.equal(shareText(links, 'thread'), formatCapability(cap));
  assert.match(onAnyRelay('thread'), /any other relay of this thread/);
});

test('the mirror command is exactly what `baton relay --mirror` takes, shell quoting included', () => {
  const hinted = withRelays(createSpace('board'), ["https://a.example/it's", 'http://127.0.0.1:9']);
  const unquote = (cmd: string) => {
    const m = /^npx baton relay --mirror '(.*)'$/.exec(cmd);
    assert.ok(m, cmd);
    return m[1]!.replace(/'\\''/g, "'");
  };
  const specs = parseMirrorArg(unquote(mirrorCommand(hinted, null)!));
  assert.deepEqual(specs.map((s) => s.relay), hinted.relays);
  assert.ok(specs.every((s) => s.capability === formatCapability(hinted, 'mirror')));
  const bare = createSpace('board');
  assert.deepEqual(parseMirrorArg(unquote(mirrorCommand(bare, 'https://c.example')!)), [{ capability: formatCapability(bare, 'mirror'), relay: 'https://c.example' }]);
  assert.equal(mirrorCommand(bare, null), null);
});
