#!/usr/bin/env node
// Builds what a relay and the CLI run: the compiled relay and CLI (build/) and the web client
// (client/dist, precompressed).
//   node scripts/build.js [node] [web] [--if-stale] [--optional]
// No part named builds both. --if-stale skips a part whose output is newer than its sources;
// --optional turns "build tools not installed" (a production-only install) into a warning.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_SOURCES, NODE_STAMP, buildNode } from './build-node.js';
import { WEB_OUTPUT, WEB_SOURCES, buildWeb } from './build-web.js';
import { isStale } from './freshness.js';
import { withLock } from './lock.js';
import { BuildToolMissing } from './tools.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const ifStale = args.includes('--if-stale');
const optional = args.includes('--optional');
const named = args.filter((a) => !a.startsWith('--'));
const unknown = named.filter((a) => a !== 'node' && a !== 'web');
if (unknown.length > 0) {
  console.error(`usage: build.js [node] [web] [--if-stale] [--optional] (unknown: ${unknown.join(' ')})`);
  process.exit(2);
}
const parts = named.length > 0 ? named : ['node', 'web'];

const PARTS = {
  node: { label: 'the relay and CLI into build/', output: NODE_STAMP, sources: NODE_SOURCES, run: () => buildNode(root) },
  web: { label: 'the web client into client/dist', output: WEB_OUTPUT, sources: WEB_SOURCES, run: () => buildWeb(root) },
};

const failed = await withLock(join(root, '.build-lock'), async () => {
  for (const name of parts) {
    const part = PARTS[name];
    // Checked inside the lock: a build that waited finds the one before it fresh.
    if (ifStale && !isStale(root, part.output, part.sources)) continue;
    console.log(`building ${part.label} …`);
    try {
      await part.run();
    } catch (err) {
      if (err instanceof BuildToolMissing && optional) {
        console.warn(`not building ${part.label}: ${err.message}; run \`npm install\` (with dev dependencies), or install a release tarball (docs/OPERATORS.md)`);
        continue;
      }
      console.error(`cannot build ${part.label}: ${err.message}`);
      return true;
    }
  }
  return false;
});
process.exitCode = failed ? 1 : 0;
