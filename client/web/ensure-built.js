#!/usr/bin/env node
// Builds the web client into client/dist when it is missing or older than its sources, so
// `npm start` serves the current client on a fresh clone. Without Vite (a production-only
// install) it says so and the relay serves its landing page instead.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const built = join(root, 'client/dist/index.html');
const SOURCES = ['client/web', 'client/core', 'client/browser', 'shared', 'package-lock.json'];

function newest(path) {
  let st;
  try {
    st = statSync(path);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name.endsWith('.test.ts')) continue;
    max = Math.max(max, newest(join(path, name)));
  }
  return max;
}

const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
const sourcesAt = Math.max(...SOURCES.map((s) => newest(join(root, s))));
if (builtAt >= sourcesAt) process.exit(0);

const vite = join(root, 'node_modules/vite/bin/vite.js');
if (!existsSync(vite)) {
  console.warn('web client not built (Vite is not installed): the relay serves its landing page at /');
  process.exit(0);
}
console.log('building the web client into client/dist …');
const r = spawnSync(process.execPath, [vite, 'build', '-c', join(root, 'client/web/vite.config.ts')], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) {
  console.warn('the web client build failed: the relay serves its landing page at /');
}
process.exit(0);
