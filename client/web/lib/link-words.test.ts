import { beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { capabilityFromSeeds, formatCapability, initSodium, parseCapabilityOrLink, toBase64url } from '#shared';
import { linkProblem } from './link-words.ts';

beforeAll(async () => {
  await initSodium();
});

const problem = (text: string) => {
  try {
    parseCapabilityOrLink(text);
  } catch (err) {
    return linkProblem(err);
  }
  throw new Error(`${text} parsed`);
};

test('every damaged link is explained in plain words, never in protocol terms', () => {
  const cap = capabilityFromSeeds('board', new Uint8Array(32).fill(1), new Uint8Array(32).fill(2));
  const read = formatCapability(cap, 'read');
  const write = formatCapability(cap);
  const texts = [
    'hello',
    read.replace('board', 'forum'),
    read.slice(0, 20),
    read.slice(0, -5),
    write.slice(0, -5),
    `${read}:${toBase64url(new Uint8Array(32).fill(9))}`,
    `${read}?relays=ftp%3A%2F%2Fx`,
  ];
  const seen = new Set<string>();
  for (const text of texts) {
    const words = problem(text);
    seen.add(words);
    assert.doesNotMatch(words, /capabilit|base64|space id|blob|expected \d/i, words);
  }
  assert.equal(seen.size, texts.length, 'each damage has its own sentence');
  assert.equal(problem('https://relay.example.org/'), problem('hello'), 'a relay address alone is not a board link');
  assert.match(problem(read.slice(0, -5)), /key is cut short or changed/);
  assert.equal(linkProblem(new Error('x')), 'This link does not open. Ask for it again.');
});
