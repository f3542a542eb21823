#!/usr/bin/env node
// Fails when a source file outside the tests passes MAX_LINES: a file that long mixes jobs
// that read better apart (docs/ARCHITECTURE.md).
//   node scripts/check-file-size.js [repo dir]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isTestFile } from './layers.js';

const MAX_LINES = 350;
const FOLDERS = ['shared', 'server', 'client', 'scripts', 'bin'];
const SOURCE = /\.(ts|mts|js|mjs|css)$/;
const SKIP = new Set(['node_modules', 'dist']);

const root = process.argv[2] ? resolve(process.argv[2]) : fileURLToPath(new URL('..', import.meta.url));

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name) || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (SOURCE.test(name)) yield path;
  }
}

const long = [];
for (const folder of FOLDERS.filter((f) => existsSync(join(root, f)))) {
  for (const file of sourceFiles(join(root, folder))) {
    const path = relative(root, file).split(sep).join('/');
    if (isTestFile(path)) continue;
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    if (lines > MAX_LINES) long.push({ path, lines });
  }
}

if (long.length > 0) {
  long.sort((a, b) => b.lines - a.lines);
  console.error(`source files over ${MAX_LINES} lines (split each by its jobs):\n${long.map((f) => `  ${f.path}: ${f.lines}`).join('\n')}`);
  process.exitCode = 1;
} else {
  console.log(`file size: no source file over ${MAX_LINES} lines`);
}
