// Compiles the relay and the CLI to JavaScript in build/, so nothing is transpiled at run
// time. The relay imports its packages from node_modules. The CLI, where start-up time is
// what a person waits for, carries its pure-JavaScript packages inside (Node 20 spends about
// 90 ms of CPU resolving and loading them one by one), and each command is its own chunk,
// loaded only when that command runs.
import { cpSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { thirdPartyNotices } from './notices.js';
import { toolFile } from './tools.js';

export const NODE_SOURCES = ['shared', 'server', 'client/cli', 'client/l10n', 'client/core', 'client/node', 'package.json', 'package-lock.json', 'scripts'];
/** Written last: its mtime is when the build finished. */
export const NODE_STAMP = 'build/.built';
const ENTRY_FILES = new Set(['relay.js', 'cli.js', 'worker.js', 'check-worker.js']);
/** Bundled CommonJS packages (ws) call require() for Node's own modules. */
const REQUIRE_SHIM = "import { createRequire as __batonCreateRequire } from 'node:module';\nconst require = __batonCreateRequire(import.meta.url);";

export async function buildNode(root) {
  const esbuild = await import(pathToFileURL(toolFile(root, 'esbuild', 'lib/main.js')).href);
  const build = esbuild.build ?? esbuild.default.build;
  const outdir = join(root, 'build');
  const common = {
    absWorkingDir: root,
    outdir,
    write: false,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    legalComments: 'none',
  };
  const relay = await build({
    ...common,
    // The signature-checking thread, started by server/verify/pool.ts from ./worker.js.
    entryPoints: { relay: 'server/cli.ts', worker: 'server/verify/worker.js' },
    packages: 'external',
    // Flat: server/config.ts finds the web client at ../client/dist from its own file.
    chunkNames: 'relay-[name]-[hash]',
  });
  const cli = await build({
    ...common,
    // The worker thread that checks large received updates (client/node/worker-check.ts).
    entryPoints: { cli: 'client/cli/main.ts', 'check-worker': 'client/node/check-worker.ts' },
    chunkNames: 'cli-[name]-[hash]',
    // Optional native speed-ups of ws, loaded by it when present; sharp (libvips, native),
    // loaded only when a picture is attached.
    external: ['bufferutil', 'utf-8-validate', 'sharp'],
    banner: { js: REQUIRE_SHIM },
    metafile: true,
  });
  const files = [...relay.outputFiles, ...cli.outputFiles, { path: join(outdir, 'THIRD-PARTY-NOTICES.txt'), contents: new TextEncoder().encode(thirdPartyNotices(root, cli.metafile)) }];
  // Chunks first (new names), then the entry points, each written whole and renamed into
  // place, so a CLI started meanwhile runs the old build or the new one, never a mix.
  mkdirSync(outdir, { recursive: true });
  files.sort((a, b) => Number(ENTRY_FILES.has(basename(a.path))) - Number(ENTRY_FILES.has(basename(b.path))));
  for (const file of files) {
    const tmp = `${file.path}.${process.pid}.tmp`;
    writeFileSync(tmp, file.contents);
    renameSync(tmp, file.path);
  }
  // The CLI's and the relay's catalogs, read from beside them at run time (client/cli/l10n.ts,
  // server/l10n.ts), one language at a time.
  rmSync(join(outdir, 'l10n'), { recursive: true, force: true });
  cpSync(join(root, 'client/l10n/cli'), join(outdir, 'l10n/cli'), { recursive: true });
  const keep = new Set([...files.map((f) => basename(f.path)), 'l10n']);
  for (const name of readdirSync(outdir)) {
    if (!keep.has(name) && !name.startsWith('.')) rmSync(join(outdir, name), { force: true });
  }
  writeFileSync(join(root, NODE_STAMP), `${new Date().toISOString()}\n`);
}
