// Builds the web client: `vite build` to client/dist (served by every relay at `/`, with
// relative paths so a relay under a path prefix works), and `--mode single` to one
// self-contained HTML file that works from disk.
import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import { defineConfig, type Plugin } from 'vite';
import { viteSingleFile } from 'vite-plugin-singlefile';
import { NOSCRIPT_ID, bootScript, bootTable } from './l10n/boot.ts';
import { LOCALES } from './l10n/locales.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const singleDir = join(here, '../../dist-single');

/** The single file is named for what it is, not index.html. */
function renameTo(name: string): Plugin {
  return {
    name: 'baton-rename-single',
    apply: 'build',
    enforce: 'post',
    closeBundle() {
      renameSync(join(singleDir, 'index.html'), join(singleDir, name));
    },
  };
}

/**
 * Lists every file of the build for the service worker to keep (public/sw.js): the app's
 * chunks load after the first screen, so index.html alone no longer names them all. Not the
 * PDF renderer's.
 */
function precacheList(): Plugin {
  return {
    name: 'baton-precache-list',
    apply: 'build',
    generateBundle(_options, bundle) {
      // pdf.js (about 1.7 MB) is fetched only by a sender attaching a PDF, not kept for everyone.
      const pdfjs = (f: string) => {
        const out = bundle[f]!;
        if (out.type === 'chunk') return out.moduleIds.some((id) => id.includes('/pdfjs-dist/') || id.endsWith('/lib/pdf-page.ts'));
        return f.includes('pdf.worker');
      };
      const files = Object.keys(bundle).filter((f) => f.startsWith('assets/') && !pdfjs(f)).sort();
      this.emitFile({ type: 'asset', fileName: 'precache.json', source: JSON.stringify(files.map((f) => `./${f}`)) });
    },
  };
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The loading screen in the reader's language from the first paint: index.html's boot places
 * filled from the catalogs (l10n/boot.ts), so the words have one source. The `<noscript>` line
 * is in every language, as nothing without a script can choose one.
 */
function bootLanguage(): Plugin {
  const catalog = (code: string): Record<string, string> => JSON.parse(readFileSync(join(here, '../l10n/web', `${code}.json`), 'utf8'));
  return {
    name: 'baton-boot-language',
    transformIndexHtml(html) {
      const noscript = LOCALES.map(({ code, dir }) => {
        const text = catalog(code)[NOSCRIPT_ID];
        if (!text) throw new Error(`client/l10n/web/${code}.json has no ${NOSCRIPT_ID}`);
        return `<p lang="${code}" dir="${dir}">${escapeHtml(text)}</p>`;
      });
      const table = bootTable(catalog);
      return html
        .replace('<!--boot-status-->', escapeHtml(table.en!.loading))
        // Minified: it is in the page itself, before anything else arrives.
        .replace('<!--boot-script-->', `<script>${transformSync(bootScript(table), { minify: true, target: 'es2020', charset: 'utf8' }).code.trim()}</script>`)
        .replace('<!--boot-noscript-->', noscript.join(''));
    },
  };
}

export default defineConfig(({ mode }) => {
  const single = mode === 'single';
  return {
    root: here,
    base: './',
    // public/ holds the service worker, which only a served client can use.
    publicDir: single ? false : 'public',
    logLevel: 'warn',
    build: {
      outDir: single ? singleDir : join(here, '../dist'),
      emptyOutDir: true,
      target: 'es2022',
      reportCompressedSize: false,
      chunkSizeWarningLimit: 2048,
      modulePreload: { polyfill: false },
      ...(single ? { assetsInlineLimit: Number.MAX_SAFE_INTEGER, cssCodeSplit: false } : {}),
    },
    // The single file carries the update-checking worker inline (started from a blob URL).
    // It draws no PDF pages either (lib/pdf-page-none.ts says why).
    resolve: single
      ? {
          alias: [
            { find: /^(?:\.\.?\/)+check-worker-file\.ts$/, replacement: join(here, 'check-worker-inline.ts') },
            { find: /^\.\/pdf-page\.ts$/, replacement: join(here, 'lib/pdf-page-none.ts') },
          ],
        }
      : {},
    plugins: single ? [bootLanguage(), viteSingleFile({ removeViteModuleLoader: true }), renameTo('baton.html')] : [bootLanguage(), precacheList()],
  };
});
