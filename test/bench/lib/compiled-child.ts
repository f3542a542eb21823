// The bench's relay child compiled the way `npm run build` compiles the relay (esbuild, one
// ESM bundle, packages left to node_modules), so that the relay measured runs as shipped:
// under tsx it would carry tsx's module hooks and source maps, which no operator runs.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

let compiled: Promise<string> | null = null;

/** The path of the compiled relay child (built once per bench process). */
export function compiledRelayChild(root: string): Promise<string> {
  return (compiled ??= compile(root));
}

async function compile(root: string): Promise<string> {
  // Inside node_modules, so that the bundle's package imports resolve as the shipped relay's do.
  const outdir = join(root, 'node_modules/.cache/baton-bench');
  mkdirSync(outdir, { recursive: true });
  await build({
    absWorkingDir: root,
    // The verification pool starts its threads from ./worker.js beside the relay's code.
    entryPoints: { 'relay-child': 'test/bench/lib/relay-child.ts', worker: 'server/verify/worker.js' },
    outdir,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return join(outdir, 'relay-child.js');
}
