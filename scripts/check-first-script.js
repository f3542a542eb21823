#!/usr/bin/env node
// Fails when the first script of the built web client passes its budget: what a browser must
// download before the first screen (index.html's module script, every chunk it imports
// statically, and its stylesheets), as the relay serves it (brotli, else gzip, else as is). On
// a link of 400 kbit/s, 100 KB is two seconds; everything else loads after (dynamic imports).
//   node scripts/check-first-script.js [client/dist]
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIRST_SCRIPT_BUDGET = 100_000;

/** The size a relay sends for a file: its precompressed variant when there is one (scripts/precompress.js). */
function servedSize(file) {
  for (const suffix of ['.br', '.gz']) if (existsSync(file + suffix)) return statSync(file + suffix).size;
  return statSync(file).size;
}

/** Static imports of an ES module chunk (`import … from "./x.js"`, `import "./x.js"`), not `import()`. */
function staticImports(code) {
  const out = [];
  for (const m of code.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+\.js)["']/g)) out.push(m[1]);
  return out;
}

/** Every file the first screen needs, with its served size. */
export function firstScript(dist) {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const entries = [
    ...[...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)].map((m) => m[1]),
    ...[...html.matchAll(/<link[^>]*rel="(?:modulepreload|stylesheet)"[^>]*href="([^"]+)"/g)].map((m) => m[1]),
  ];
  const seen = new Map();
  const visit = (file) => {
    if (seen.has(file) || !existsSync(file)) return;
    seen.set(file, servedSize(file));
    if (file.endsWith('.js')) for (const spec of staticImports(readFileSync(file, 'utf8'))) if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
  };
  for (const src of entries) visit(resolve(dist, src));
  return seen;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dist = resolve(process.argv[2] ?? fileURLToPath(new URL('../client/dist', import.meta.url)));
  if (!existsSync(join(dist, 'index.html'))) {
    console.error(`no built web client in ${dist}: run \`npm run build\` first`);
    process.exit(1);
  }
  const files = firstScript(dist);
  const total = [...files.values()].reduce((a, b) => a + b, 0);
  const list = [...files].map(([f, n]) => `${f.slice(dist.length + 1)} ${(n / 1000).toFixed(1)} KB`).join(', ');
  if (total > FIRST_SCRIPT_BUDGET) {
    console.error(`the web client's first script is ${(total / 1000).toFixed(1)} KB as served, over its budget of ${FIRST_SCRIPT_BUDGET / 1000} KB (${list}): load what the first screen does not need with import()`);
    process.exit(1);
  }
  console.log(`first script: ${(total / 1000).toFixed(1)} KB as served, budget ${FIRST_SCRIPT_BUDGET / 1000} KB (${list})`);
}
