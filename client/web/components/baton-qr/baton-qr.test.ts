// <baton-qr> in Chromium: a link drawn as a square, dark-on-light SVG with its finder patterns
// and quiet zone, labelled for screen readers; a link too long says so instead.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { componentPages, noChromium } from '#test/e2e/components.ts';

const pages = componentPages(['./client/web/components/baton-qr/baton-qr.ts']);
const LINK = `http://127.0.0.1:8787/#baton:board:${'A'.repeat(43)}:${'B'.repeat(43)}:${'C'.repeat(43)}`;

/** Draws the element's SVG on a canvas, one pixel per module, and reads back which modules are dark. */
const darkModules = () =>
  new Promise<{ size: number; dark: boolean[][] }>((resolve, reject) => {
    const svg = window.kit.el().shadowRoot!.querySelector('svg')!;
    const size = Number(svg.getAttribute('viewBox')!.split(' ')[2]);
    const img = new Image(size, size);
    img.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = size;
      const ctx = canvas.getContext('2d')!;
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, size, size);
      ctx.drawImage(img, 0, 0, size, size);
      const px = ctx.getImageData(0, 0, size, size).data;
      resolve({ size, dark: Array.from({ length: size }, (_, y) => Array.from({ length: size }, (_, x) => px[(y * size + x) * 4]! < 128)) });
    };
    img.onerror = () => reject(new Error('the SVG did not draw'));
    const xml = new XMLSerializer().serializeToString(svg).replace('<svg', '<svg xmlns="http://www.w3.org/2000/svg"');
    img.src = URL.createObjectURL(new Blob([xml], { type: 'image/svg+xml' }));
  });

test.skipIf(noChromium)('a link becomes a labelled square QR code with three finder patterns and a quiet zone', async () => {
  const { page, errors } = await pages.open();
  await page.evaluate((text) => window.kit.mount('baton-qr', { text, label: 'QR code of the read link' }), LINK);
  const img = page.locator('baton-qr').getByRole('img', { name: 'QR code of the read link' });
  const box = (await img.boundingBox())!;
  assert.ok(Math.abs(box.width - box.height) < 1 && box.width > 100, `square and legible (${box.width}×${box.height})`);
  assert.deepEqual(await img.evaluate((svg) => [getComputedStyle(svg.querySelector('path')!).fill, getComputedStyle(svg).backgroundColor]), ['rgb(0, 0, 0)', 'rgb(255, 255, 255)']);

  const { size, dark } = await page.evaluate(darkModules);
  const q = 4;
  const n = size - 2 * q;
  assert.equal((n - 17) % 4, 0, 'a QR side is 17 + 4 × version modules');
  for (let i = 0; i < size; i++) assert.ok(!dark[0]![i] && !dark[i]![0] && !dark[size - 1]![i] && !dark[i]![size - 1], 'the quiet zone is light');
  // Each finder: a dark 7×7 ring, a light ring inside it, a dark 3×3 centre.
  for (const [fx, fy] of [[q, q], [q + n - 7, q], [q, q + n - 7]] as const) {
    assert.ok(dark[fy]![fx] && dark[fy + 6]![fx + 6] && dark[fy]![fx + 6], `finder at ${fx},${fy}: outer ring`);
    assert.ok(!dark[fy + 1]![fx + 1] && !dark[fy + 5]![fx + 5], `finder at ${fx},${fy}: light ring`);
    assert.ok(dark[fy + 3]![fx + 3] && dark[fy + 2]![fx + 2], `finder at ${fx},${fy}: centre`);
  }
  assert.deepEqual(errors, []);
});

test.skipIf(noChromium)('different links draw different codes; no text draws nothing', async () => {
  const { page } = await pages.open();
  await page.evaluate((text) => window.kit.mount('baton-qr', { text }), LINK);
  const first = await page.evaluate(() => window.kit.el().shadowRoot!.querySelector('path')!.getAttribute('d'));
  await page.evaluate((text) => window.kit.set({ text }), LINK.replace('A'.repeat(43), 'D'.repeat(43)));
  const second = await page.evaluate(() => window.kit.el().shadowRoot!.querySelector('path')!.getAttribute('d'));
  assert.ok(first && second && first !== second);
  await page.evaluate(() => window.kit.set({ text: '' }));
  assert.equal(await page.evaluate(() => window.kit.el().shadowRoot!.querySelectorAll('svg, p').length), 0);
});

test.skipIf(noChromium)('a link too long for a QR code says so; a hostile label stays an attribute', async () => {
  const { page, errors } = await pages.open();
  const { markup } = await page.evaluate(() => window.kit.hostile);
  await page.evaluate(([text, label]) => window.kit.mount('baton-qr', { text, label }), ['x'.repeat(5000), markup]);
  assert.equal(await page.evaluate(() => window.kit.text(window.kit.el())), 'This link is too long for a QR code.');
  await page.evaluate((text) => window.kit.set({ text }), LINK);
  assert.equal(await page.locator('baton-qr svg').getAttribute('aria-label'), markup);
  assert.deepEqual(await page.evaluate(() => window.kit.markupFound()), []);
  assert.deepEqual(errors, []);
});
