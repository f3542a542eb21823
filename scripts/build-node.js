// Compiles the relay and the CLI to JavaScript in build/, so nothing is transpiled at run
// time. Packages stay external (installed beside the package); each CLI command is its own
// chunk, loaded only when that command runs.
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { toolFile } from './tools.js';

export const NODE_SOURCES = ['shared', 'server', 'client/cli', 'client/core', 'client/node', 'package.json', 'scripts/build-node.js'];
/** Written last: its mtime is when the build finished. */
export const NODE_STAMP = 'build/.built';
const ENTRIES = { relay: 'server/cli.ts', cli: 'client/cli/main.ts' };

export async function buildNode(root) {
  const esbuild = await import(pathToFileURL(toolFile(root, 'esbuild', 'lib/main.js')).href);
  const build = esbuild.build ?? esbuild.default.build;
  const outdir = join(root, 'build');
  const result = await build({
    absWorkingDir: root,
    entryPoints: ENTRIES,
    outdir,
    write: false,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    // Flat: server/config.ts finds the web client at ../client/dist from its own file.
    chunkNames: '[name]-[hash]',
    logLevel: 'warning',
    legalComments: 'none',
  });
  // Chunks first (new names), then the entry points, each written whole and renamed into
  // place, so a CLI started meanwhile runs the old build or the new one, never a mix.
  mkdirSync(outdir, { recursive: true });
  const entryNames = new Set(Object.keys(ENTRIES).map((name) => `${name}.js`));
  const files = [...result.outputFiles].sort((a, b) => Number(entryNames.has(basename(a.path))) - Number(entryNames.has(basename(b.path))));
  for (const file of files) {
    const tmp = `${file.path}.${process.pid}.tmp`;
    writeFileSync(tmp, file.contents);
    renameSync(tmp, file.path);
  }
  const keep = new Set(files.map((f) => basename(f.path)));
  for (const name of readdirSync(outdir)) {
    if (!keep.has(name) && name.endsWith('.js')) rmSync(join(outdir, name), { force: true });
  }
  writeFileSync(join(root, NODE_STAMP), `${new Date().toISOString()}\n`);
}
