// <baton-attachments> in Chromium: thumbnails come with the post, a full picture only on
// demand, and a hostile list (a name that climbs folders or flips text, a type that claims
// HTML, a thumbnail that is not a JPEG, bytes that are not the type claimed) stays text, is
// never shown as a picture, and downloads under a safe name.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { componentPages, noChromium } from '#test/e2e/components.ts';

const pages = componentPages(['./client/web/components/baton-attachments/baton-attachments.ts']);

const space = (n: number) => String.fromCharCode(65 + n).repeat(43);
const NONCE = 'AAAAAAAAAAAAAAAAAAAAAA';

async function fixtures() {
  const jpeg = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#3a7' } }).jpeg().toBuffer();
  const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#a37' } }).png().toBuffer();
  return { jpeg: [...jpeg], png: [...png] };
}

test.skipIf(noChromium)('thumbnails first, the full picture on demand; a hostile list stays text and is never shown as a picture', async () => {
  const { page, errors } = await pages.open();
  const { jpeg, png } = await fixtures();
  await page.evaluate(
    async ([jpeg, png, spaces, nonce]) => {
      const { padThumb } = window.kit.shared;
      const thumb = padThumb(Uint8Array.from(jpeg as number[]))!;
      const fakeThumb = padThumb(Uint8Array.from(png as number[]))!;
      const sha = 'ab'.repeat(32);
      const [a, b, c, d] = spaces as string[];
      const list = [
        { space: a, nonce, name: 'square.jpg', mime: 'image/jpeg', size: 4000, sha256: sha, thumb, w: 40, h: 30 },
        { space: b, nonce, name: '../../\u202Egpj.exe', mime: 'text/html', size: 30, sha256: sha, thumb: fakeThumb },
        { space: c, nonce, name: 'liar.jpg', mime: 'image/jpeg', size: 500, sha256: sha, thumb: fakeThumb, w: 40, h: 30 },
        { space: d, nonce, name: 'order.pdf', mime: 'application/pdf', size: 2_500_000, sha256: sha },
      ];
      // The thread's part, played here: bytes by file, one refusal.
      const bytes: Record<string, Uint8Array> = {
        [a]: Uint8Array.from(jpeg as number[]),
        [b]: new TextEncoder().encode('<script>window.pwned=1</script>'),
        [c]: Uint8Array.from(png as number[]),
      };
      document.addEventListener('baton-file', (e) => {
        const { attachment, resolve, reject } = (e as CustomEvent).detail;
        if (bytes[attachment.space]) resolve(bytes[attachment.space]);
        else reject(new window.kit.core.ClientError('bad-file', 'order.pdf: some of its 32 chunks are missing on the relays reached', 'file-incomplete'));
      });
      const saved: string[] = [];
      (window as unknown as { saved: string[] }).saved = saved;
      HTMLAnchorElement.prototype.click = function () {
        saved.push(`${this.download}|${this.href.startsWith('blob:')}`);
      };
      await window.kit.mount('baton-attachments', { attachments: list });
    },
    [jpeg, png, [0, 1, 2, 3].map(space), NONCE] as const,
  );
  const el = page.locator('baton-attachments');
  // Only the real JPEG thumbnail is an image; the others show an icon.
  assert.equal(await el.locator('.thumb img').count(), 1);
  assert.equal(await el.locator('img.full').count(), 0, 'no full picture before it is asked for');
  assert.match(await el.locator('li').nth(3).innerText(), /PDF · 2\.4 MB/);
  assert.match(await el.locator('li').nth(1).innerText(), /File · 30 B/);

  await el.getByRole('button', { name: 'Show square.jpg full size' }).click();
  await el.locator('img.full').waitFor();
  assert.deepEqual(await el.locator('img.full').evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight, img.alt]), [40, 30, 'square.jpg, full size']);
  await el.getByRole('button', { name: 'Hide square.jpg' }).click();
  assert.equal(await el.locator('img.full').count(), 0);

  // Bytes that are not the type claimed are never shown: downloaded, under a safe name.
  await el.getByRole('button', { name: 'Show liar.jpg' }).click();
  await page.waitForFunction(() => (window as unknown as { saved: string[] }).saved.length === 1);
  assert.equal(await el.locator('img.full').count(), 0);
  await el.getByRole('button', { name: /^Download \.\.\/\.\./ }).click();
  await page.waitForFunction(() => (window as unknown as { saved: string[] }).saved.length === 2);
  assert.deepEqual(await page.evaluate(() => (window as unknown as { saved: string[] }).saved), ['liar.jpg|true', '_gpj.exe|true']);
  assert.deepEqual(await page.evaluate(() => window.kit.markupFound().filter((t) => t !== 'img')), []);

  // A file that cannot be fetched says why, as an alert, in the reader's words (not the core's English).
  await el.getByRole('button', { name: 'Download order.pdf' }).click();
  await el.locator('[role=alert]').waitFor();
  assert.match(await el.locator('[role=alert]').innerText(), /^Part of this file is not on the relays reached yet/);
  assert.deepEqual(errors, []);
});
