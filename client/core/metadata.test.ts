import { test } from 'vitest';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { FIXTURE_SERIAL, holds, jpegWithExif } from '#test/support/exif-fixture.ts';
import { createPrng } from '#test/support/prng.ts';
import { ClientError } from './errors.ts';
import { describeImageMetadata, sniffMime, stripContainerMetadata, stripJpegSegments } from './metadata.ts';
import { stripPdf } from './strip-pdf.ts';

test('the type is judged by the first bytes, never by a name', async () => {
  const jpeg = await jpegWithExif();
  const png = new Uint8Array(await sharp(jpeg).png().toBuffer());
  const webp = new Uint8Array(await sharp(jpeg).webp().toBuffer());
  assert.deepEqual([jpeg, png, webp, new TextEncoder().encode('%PDF-1.7\n')].map(sniffMime), ['image/jpeg', 'image/png', 'image/webp', 'application/pdf']);
  for (const other of ['<html>', 'GIF89a', '', 'RIFF....WAVE']) assert.equal(sniffMime(new TextEncoder().encode(other)), null);
});

test('what a picture says besides its pixels is named, in JPEG, PNG and WebP', async () => {
  const jpeg = await jpegWithExif();
  assert.deepEqual(describeImageMetadata(jpeg), ['EXIF block', 'camera make and model', 'orientation (applied to the pixels first)', 'capture time', 'camera serial number', 'GPS position']);
  const exif = { IFD0: { Make: 'Cam', Copyright: 'me' }, IFD3: { GPSLatitudeRef: 'N' } };
  const png = new Uint8Array(await sharp(jpeg).withExif(exif).withIccProfile('srgb').png().toBuffer());
  const webp = new Uint8Array(await sharp(jpeg).withExif(exif).webp().toBuffer());
  for (const [what, bytes] of [['png', png], ['webp', webp]] as const) {
    const found = describeImageMetadata(bytes);
    assert.ok(found.includes('EXIF block') && found.includes('GPS position') && found.includes('camera make and model'), `${what}: ${found.join(', ')}`);
  }
  assert.ok(describeImageMetadata(png).includes('ICC colour profile'));
  assert.deepEqual(describeImageMetadata(new Uint8Array(await sharp(jpeg).jpeg().toBuffer())), [], 'a re-encoded picture holds nothing');
});

test('damaged or hostile pictures never make the scan throw', async () => {
  const jpeg = await jpegWithExif();
  const rng = createPrng(7);
  const random = () => rng.next();
  for (let i = 0; i < 300; i++) {
    const bytes = jpeg.slice(0, 2 + Math.floor(random() * jpeg.length));
    for (let k = 0; k < 8; k++) bytes[2 + Math.floor(random() * (bytes.length - 2))] = Math.floor(random() * 256);
    assert.ok(Array.isArray(describeImageMetadata(bytes)));
    assert.ok(stripJpegSegments(bytes).length <= bytes.length);
  }
});

test('a JPEG inside a PDF loses its EXIF segment and still decodes', async () => {
  const jpeg = await jpegWithExif();
  const stripped = stripJpegSegments(jpeg);
  assert.ok(!holds(stripped, new TextEncoder().encode(FIXTURE_SERIAL)));
  assert.equal((await sharp(stripped).metadata()).exif, undefined);
  assert.deepEqual((await sharp(stripped).raw().toBuffer()).length, (await sharp(jpeg).raw().toBuffer()).length);
});

test('a PDF is rebuilt without its information dictionary, XMP, old revisions or EXIF in its pictures', async () => {
  const doc = await PDFDocument.create();
  const page = doc.addPage([300, 300]);
  page.drawText('visible text stays', { x: 10, y: 10 });
  page.drawImage(await doc.embedJpg(await jpegWithExif()), { x: 20, y: 40, width: 96, height: 64 });
  doc.setAuthor('AUTHOR-SECRET');
  const note = doc.context.obj({ Type: 'Annot', Subtype: 'Text', Rect: [10, 10, 30, 30], Contents: PDFString.of('a note'), T: PDFString.of('ANNOTATOR-SECRET'), M: PDFString.of('D:20261127') });
  page.node.set(PDFName.of('Annots'), doc.context.obj([doc.context.register(note)]));
  doc.catalog.set(PDFName.of('Metadata'), doc.context.register(doc.context.stream('XMP-SECRET', { Type: 'Metadata', Subtype: 'XML' })));
  // An earlier revision's object kept after the end of the file, as incremental saves leave them.
  const saved = await doc.save({ useObjectStreams: false });
  const tail = new TextEncoder().encode('\n999 0 obj\n<< /Author (OLD-REVISION-SECRET) >>\nendobj\n%%EOF\n');
  const input = new Uint8Array([...saved, ...tail]);
  const { bytes, removed, warning } = await stripPdf(input);
  for (const secret of ['AUTHOR-SECRET', 'XMP-SECRET', 'OLD-REVISION-SECRET', 'ANNOTATOR-SECRET', FIXTURE_SERIAL]) assert.ok(!holds(bytes, new TextEncoder().encode(secret)), secret);
  assert.deepEqual(removed.sort(), ['EXIF and other metadata of pictures inside', 'XMP metadata', 'comment authors and times', 'document information (author, title, software, dates)', 'earlier revisions'].sort());
  assert.ok(holds(bytes, new TextEncoder().encode('a note')), 'the note itself is page content, and stays');
  assert.match(warning, /text, pictures/);
  const reread = await PDFDocument.load(bytes);
  assert.equal(reread.getPageCount(), 1);
  assert.equal(reread.getAuthor(), undefined);
  await assert.rejects(stripPdf(new TextEncoder().encode('%PDF-1.7\ngarbage')), (e: unknown) => e instanceof ClientError && /cannot be read|no metadata/i.test(e.message) === true);
});

test('container metadata an encoder adds is cut from JPEG, PNG and WebP, the pixels untouched', async () => {
  const jpeg = await jpegWithExif();
  const exif = { IFD0: { Make: 'Cam' }, IFD3: { GPSLatitudeRef: 'N' } };
  const pictures = [
    new Uint8Array(await sharp(jpeg).withExif(exif).withIccProfile('srgb').jpeg().toBuffer()),
    new Uint8Array(await sharp(jpeg).withExif(exif).withIccProfile('srgb').png().toBuffer()),
    new Uint8Array(await sharp(jpeg).withExif(exif).withIccProfile('srgb').webp({ lossless: true }).toBuffer()),
  ];
  for (const picture of pictures) {
    assert.ok(describeImageMetadata(picture).includes('ICC colour profile'), sniffMime(picture)!);
    const clean = stripContainerMetadata(picture);
    assert.deepEqual(describeImageMetadata(clean), [], sniffMime(clean)!);
    const meta = await sharp(clean).metadata();
    assert.equal(meta.icc, undefined);
    assert.equal(meta.exif, undefined);
    // An sRGB profile, as a browser's canvas writes: the pixels read the same without it.
    assert.ok((await sharp(clean).raw().toBuffer()).equals(await sharp(picture).raw().toBuffer()), 'the same pixels');
  }
});
