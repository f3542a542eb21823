// The single-file client (one HTML file opened from disk) carries no PDF renderer: pdf.js and
// its worker would add about 1.7 MB to it, and a worker cannot start there from a file of its
// own. PDFs attached there go without a thumbnail; readers show their card (name, pages, size).
// client/web/vite.config.ts puts this module in place of pdf-page.ts for that build.
export async function drawFirstPage(_bytes: Uint8Array): Promise<HTMLCanvasElement | null> {
  return null;
}
