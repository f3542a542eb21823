// A PDF without what betrays its author besides its content (docs/THREAT_MODEL.md,
// "Attachments"): rebuilt from its pages alone into a new file, so the document information
// dictionary, the XMP stream, old revisions kept by incremental updates and every object no
// page uses are left behind; then every /Metadata and /PieceInfo still reachable (pages,
// images) is removed, and the EXIF and other APPn blocks of JPEGs inside are cut out.
// pdf-lib is loaded only when a PDF is attached, never with the first screen.
import { ClientError } from './errors.ts';
import { stripJpegSegments } from './metadata.ts';

export interface StrippedPdf {
  bytes: Uint8Array;
  removed: string[];
  /** Pages of the rebuilt file (the post names it: receivers never open a PDF to count them). */
  pages: number;
  /** What rebuilding cannot touch, for the sender to accept. */
  warning: string;
}

export const PDF_WARNING =
  'The PDF was rebuilt from its pages: document information, XMP metadata, old revisions, bookmarks, forms and embedded files are gone. ' +
  'Its text, pictures and anything written on its pages are sent as they are: read it through before you send it.';

const DROP_KEYS = ['Metadata', 'PieceInfo'];
const ANNOTATION_KEYS = ['T', 'M', 'CreationDate', 'NM'];

export async function stripPdf(input: Uint8Array): Promise<StrippedPdf> {
  try {
    return await rebuild(input);
  } catch (err) {
    if (err instanceof ClientError) throw err;
    // Never sent unstripped: a PDF pdf-lib cannot take apart is refused.
    throw new ClientError('bad-input', `this PDF cannot be read, so its metadata cannot be removed: ${String((err as Error).message).slice(0, 200)}`, 'pdf-unreadable');
  }
}

async function rebuild(input: Uint8Array): Promise<StrippedPdf> {
  const loaded = await import('pdf-lib');
  // A bundler that wraps pdf-lib's CommonJS build puts its exports under default.
  const pdf = (loaded.PDFDocument ? loaded : (loaded as unknown as { default: typeof loaded }).default) as typeof loaded;
  let src;
  try {
    src = await pdf.PDFDocument.load(input, { updateMetadata: false });
  } catch (err) {
    const encrypted = /encrypt/i.test((err as Error).message);
    throw new ClientError('bad-input', encrypted ? 'this PDF is encrypted: remove its password first, then attach it' : `this PDF cannot be read, so its metadata cannot be removed: ${(err as Error).message.slice(0, 200)}`, encrypted ? 'pdf-encrypted' : 'pdf-unreadable');
  }
  const removed = new Set<string>();
  const info = src.context.trailerInfo.Info;
  if (info) removed.add('document information (author, title, software, dates)');
  if (src.catalog.get(pdf.PDFName.of('Metadata'))) removed.add('XMP metadata');
  if (eofCount(input) > 1) removed.add('earlier revisions');
  const out = await pdf.PDFDocument.create({ updateMetadata: false });
  const pages = await out.copyPages(src, src.getPageIndices());
  for (const page of pages) out.addPage(page);
  for (const [ref, object] of out.context.enumerateIndirectObjects()) {
    const dict = object instanceof pdf.PDFDict ? object : object instanceof pdf.PDFStream ? object.dict : null;
    if (!dict) continue;
    for (const key of DROP_KEYS) {
      if (dict.has(pdf.PDFName.of(key))) {
        dict.delete(pdf.PDFName.of(key));
        removed.add(key === 'Metadata' ? 'XMP metadata' : 'editing application data');
      }
    }
    // Annotations (comments, highlights, form widgets) name their author and their times.
    if (dict.has(pdf.PDFName.of('Rect')) && dict.has(pdf.PDFName.of('Subtype'))) {
      for (const key of ANNOTATION_KEYS) {
        if (!dict.has(pdf.PDFName.of(key))) continue;
        dict.delete(pdf.PDFName.of(key));
        removed.add('comment authors and times');
      }
    }
    const filter = dict.get(pdf.PDFName.of('Filter'));
    if (object instanceof pdf.PDFRawStream && filter instanceof pdf.PDFName && filter.asString() === '/DCTDecode') {
      const stripped = stripJpegSegments(object.contents);
      if (stripped.length !== object.contents.length) {
        out.context.assign(ref, pdf.PDFRawStream.of(dict, stripped));
        removed.add('EXIF and other metadata of pictures inside');
      }
    }
  }
  delete out.context.trailerInfo.Info;
  delete out.context.trailerInfo.ID;
  const bytes = await out.save({ useObjectStreams: false, updateFieldAppearances: false });
  return { bytes, removed: [...removed], pages: pages.length, warning: PDF_WARNING };
}

/** How many times "%%EOF" occurs: more than once, the file was saved incrementally and keeps old revisions. */
function eofCount(b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i + 5 <= b.length; i++) {
    if (b[i] === 0x25 && b[i + 1] === 0x25 && b[i + 2] === 0x45 && b[i + 3] === 0x4f && b[i + 4] === 0x46) n++;
  }
  return n;
}
