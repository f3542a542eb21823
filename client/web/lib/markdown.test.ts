import { test } from 'vitest';
import assert from 'node:assert/strict';
import { parseInline, parseMarkdown, plainText, type Block, type Inline } from './markdown.ts';

/** A compact picture of a tree, to compare. */
function show(xs: Inline[]): string {
  return xs
    .map((x) => {
      if (x.type === 'em') return `<em>${show(x.children)}</em>`;
      if (x.type === 'strong') return `<b>${show(x.children)}</b>`;
      if (x.type === 'code') return `<code>${x.text}</code>`;
      if (x.type === 'link') return `<a ${x.href}>${x.text}</a>`;
      if (x.type === 'named-link') return `<a ${x.href}>${x.text}</a>(${x.host})`;
      if (x.type === 'tag') return `<tag ${x.tag}>`;
      return (x as { text: string }).text;
    })
    .join('');
}

test('emphasis, strong, code and links', () => {
  assert.equal(show(parseInline('**bold** and *soft* and _also_ and __strong__')), '<b>bold</b> and <em>soft</em> and <em>also</em> and <b>strong</b>');
  assert.equal(show(parseInline('**a *b* c**')), '<b>a <em>b</em> c</b>');
  assert.equal(show(parseInline('run `npx baton *relay*` now')), 'run <code>npx baton *relay*</code> now');
  assert.equal(show(parseInline('see [the relay list](https://example.org/relays) or https://x.test/a.')), 'see <a https://example.org/relays>the relay list</a>(example.org) or <a https://x.test/a>https://x.test/a</a>.');
  assert.equal(show(parseInline('[https://a.test/](https://a.test/)')), '<a https://a.test/>https://a.test/</a>');
  assert.equal(show(parseInline('#RelayB is up')), '<tag relayb> is up');
});

test('what is not emphasis stays text', () => {
  for (const t of ['a * b * c', 'snake_case_name', '***x***', '** spaced **', 'unclosed *star', 'x__y__z']) {
    assert.equal(plainText([{ type: 'para', inlines: parseInline(t) }]), t, t);
  }
  assert.equal(show(parseInline('2*3*4')), '2<em>3</em>4', 'stars between letters are emphasis, as in Markdown');
});

test('only http(s) targets become links; other schemes stay text', () => {
  for (const t of ['[click](javascript:alert(1))', '[x](data:text/html,<b>x</b>)', '[x](vbscript:msgbox)', '[x](//evil.example)', 'javascript:alert(1)']) {
    const inl = parseInline(t);
    assert.ok(inl.every((x) => x.type === 'text'), t);
    assert.equal(plainText([{ type: 'para', inlines: inl }]), t);
  }
  const spoof = parseInline('[https://bank.example](https://evil.example/login)')[0]!;
  assert.deepEqual(spoof, { type: 'named-link', text: 'https://bank.example', href: 'https://evil.example/login', host: 'evil.example' }, 'a label that is another address still shows the real host');
});

test('blocks: paragraphs, quotes, lists and fenced code', () => {
  const blocks = parseMarkdown('First line\nsecond line\n\n> quoted *text*\n> more\n\n- one\n- two\n  continued\n\n3. three\n4. four\n\n```\n<b>raw</b> **not bold**\n```\nafter');
  assert.deepEqual(
    blocks.map((b) => b.type),
    ['para', 'quote', 'list', 'list', 'code-block', 'para'],
  );
  const [para, quote, bullets, numbers, code] = blocks as [Extract<Block, { type: 'para' }>, Extract<Block, { type: 'quote' }>, Extract<Block, { type: 'list' }>, Extract<Block, { type: 'list' }>, Extract<Block, { type: 'code-block' }>];
  assert.equal(show(para.inlines), 'First line\nsecond line');
  assert.equal(quote.blocks.length, 1);
  assert.equal(show((quote.blocks[0] as Extract<Block, { type: 'para' }>).inlines), 'quoted <em>text</em>\nmore');
  assert.deepEqual([bullets.ordered, bullets.items.map(show)], [false, ['one', 'two\ncontinued']]);
  assert.deepEqual([numbers.ordered, numbers.start, numbers.items.map(show)], [true, 3, ['three', 'four']]);
  assert.equal(code.text, '<b>raw</b> **not bold**');
  assert.equal(plainText(parseMarkdown('> **Relay B** is up\n\n- see [list](https://x.test)')), 'Relay B is up\n\nsee list');
});

test('quotes nest four deep at most; deeper markers stay text', () => {
  let blocks = parseMarkdown('>>>>>>>> deep');
  let depth = 0;
  while (blocks[0]?.type === 'quote') {
    blocks = blocks[0].blocks;
    depth++;
  }
  assert.equal(depth, 4);
  assert.equal(plainText(blocks), '>>>> deep');
});

test('hostile bodies: nesting bombs and huge inputs parse in bounded time, and the text survives', () => {
  const bombs = [
    '*'.repeat(200_000),
    '*a '.repeat(60_000),
    '**a '.repeat(50_000) + 'b**'.repeat(50_000),
    '_a *b **c `d '.repeat(20_000),
    '['.repeat(100_000) + '](https://x.test)',
    '`'.repeat(1000) + 'x'.repeat(100_000),
    '> '.repeat(100_000) + 'deep',
    '- '.repeat(100_000),
    Array.from({ length: 50_000 }, (_, i) => `${i}. item *${i}*`).join('\n'),
    '*'.repeat(10) + 'a'.repeat(10) + '*'.repeat(10),
  ];
  for (const body of bombs) {
    const start = performance.now();
    const blocks = parseMarkdown(body);
    const ms = performance.now() - start;
    assert.ok(ms < 2000, `${body.slice(0, 20)}…: ${ms.toFixed(0)} ms`);
    assert.ok(blocks.length > 0);
    // Markers may go, but no letter a person typed is lost.
    const letters = (t: string) => t.match(/\p{L}/gu)?.length ?? 0;
    assert.equal(letters(plainText(blocks)), letters(body), body.slice(0, 20));
  }
  // Emphasis nested past the limit stays text inside the innermost span.
  const deep = parseInline('*a **b _c __d *e* d__ c_ b** a*');
  assert.equal(plainText([{ type: 'para', inlines: deep }]).replace(/[*_]/g, ''), 'a b c d e d c b a');
});

test('bidi controls: overrides are the caller’s to drop (text.ts); isolates and RTL text pass through as text', () => {
  const text = 'ليلى قالت **المرحّل ب يعمل** \u2067x\u2069';
  const inl = parseInline(text);
  assert.equal(show(inl), 'ليلى قالت <b>المرحّل ب يعمل</b> \u2067x\u2069');
});
