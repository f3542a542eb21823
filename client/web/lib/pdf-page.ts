// The first page of a PDF the sender is attaching, drawn on a canvas for its thumbnail
// (docs/PROTOCOL.md §6, "Attachments"). Only ever of the stripped file this device is about
// to send: a received PDF is never opened in the page. pdf.js and its worker are chunks of
// their own, loaded by this module only, which prepare-file.ts imports only when a PDF is
// attached; the service worker does not keep them (client/web/vite.config.ts).
import { GlobalWorkerOptions, getDocument } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

/** Drawn this many pixels along its longer side: the thumbnail is made smaller from it. */
const DRAWN_SIDE = 480;
/** A page that takes longer than this to draw gets no thumbnail (the post goes without one). */
const DRAW_TIMEOUT_MS = 15_000;

/** Page 1 on a canvas, or null when it cannot be drawn (no thumbnail then: the card shows the page count). */
export async function drawFirstPage(bytes: Uint8Array): Promise<HTMLCanvasElement | null> {
  GlobalWorkerOptions.workerSrc = workerUrl;
  const task = getDocument({
    // pdf.js takes the buffer over to its worker: a copy, so the bytes to send stay here.
    data: bytes.slice(),
    // Glyphs drawn as paths: the page's Content-Security-Policy loads no fonts from data.
    disableFontFace: true,
    useSystemFonts: false,
    enableXfa: false,
    // Nothing fetched: no standard fonts, CMaps or decoders from anywhere.
    useWorkerFetch: false,
    useWasm: false,
    isImageDecoderSupported: false,
    maxImageSize: 16 * 1024 * 1024,
    canvasMaxAreaInBytes: 4 * DRAWN_SIDE * DRAWN_SIDE * 4,
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), DRAW_TIMEOUT_MS)));
  try {
    return await Promise.race([draw(task.promise), timeout]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
    await task.destroy().catch(() => undefined);
  }
}

async function draw(loading: ReturnType<typeof getDocument>['promise']): Promise<HTMLCanvasElement> {
  const doc = await loading;
  const page = await doc.getPage(1);
  const natural = page.getViewport({ scale: 1 });
  const viewport = page.getViewport({ scale: DRAWN_SIDE / Math.max(natural.width, natural.height, 1) });
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(viewport.width));
  canvas.height = Math.max(1, Math.round(viewport.height));
  // A page is paper: drawn on white, whatever the theme.
  await page.render({ canvas, viewport, background: '#ffffff' }).promise;
  page.cleanup();
  return canvas;
}
