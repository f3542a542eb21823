#!/usr/bin/env node
// Checks the import graph against the layers of docs/ARCHITECTURE.md and exits 1 on any
// breach: an import that runs back up the layers or sideways, one that reaches past a layer's
// public index, a relative path into another layer, a Node built-in in code that must run in
// a browser, and any import cycle that remains at run time.
//   node scripts/check-layers.js [repo dir]
// The compiler checks the types each layer may use (tsconfig.<layer>.json); this checks what
// it may import, which the compiler cannot. Files are parsed with rolldown (Vite's parser),
// so type-only imports count too, and a specifier in a comment or a string does not.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSync } from 'rolldown/utils';
import { ENTRY_FILES, LAYERS, isOutsideLayers, isTestFile, layerOf } from './layers.js';

const root = process.argv[2] ? resolve(process.argv[2]) : fileURLToPath(new URL('..', import.meta.url));
const imports = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).imports ?? {};
const SOURCE = /\.(ts|mts|js|mjs)$/;
const SKIP = new Set(['node_modules', 'dist', 'dist-single', 'build', '.tsbuild']);

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name) || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (SOURCE.test(name) && !name.endsWith('.d.ts')) yield path;
  }
}

const rel = (path) => relative(root, path).split(sep).join('/');

/** Resolves a package subpath import ('#shared', '#client-core/x.ts') as Node does. */
function resolveSubpath(specifier) {
  if (imports[specifier]) return join(root, imports[specifier]);
  for (const [key, target] of Object.entries(imports)) {
    if (!key.endsWith('/*') || !specifier.startsWith(key.slice(0, -1))) continue;
    return join(root, target.replace('*', specifier.slice(key.length - 1)));
  }
  return null;
}

/** Every module a file imports: { specifier, path (repo-relative, or null for a package) }. */
function importsOf(file) {
  const code = readFileSync(file, 'utf8');
  const parsed = parseSync(file, code, { lang: file.endsWith('ts') ? 'ts' : 'js', sourceType: 'module' });
  if (parsed.errors.length > 0) throw new Error(`${rel(file)}: ${parsed.errors[0].message}`);
  // [specifier, type-only]: an import erased by the compiler (import type, export type).
  const found = [
    ...parsed.module.staticImports.map((i) => [i.moduleRequest.value, i.entries.length > 0 && i.entries.every((e) => e.isType)]),
    ...parsed.module.staticExports.flatMap((e) => e.entries.filter((x) => x.moduleRequest).map((x) => [x.moduleRequest.value, x.isType])),
    ...parsed.module.dynamicImports
      .map((d) => code.slice(d.moduleRequest.start, d.moduleRequest.end))
      .filter((raw) => /^(['"])[^'"]*\1$/.test(raw))
      .map((raw) => [raw.slice(1, -1), false]),
  ];
  const typeOnly = new Map();
  for (const [specifier, types] of found) typeOnly.set(specifier, (typeOnly.get(specifier) ?? true) && types);
  return [...typeOnly].map(([specifier, types]) => {
    const bare = specifier.replace(/\?.*$/, ''); // Vite's '?worker'
    let path = null;
    if (bare.startsWith('./') || bare.startsWith('../')) path = resolve(dirname(file), bare);
    else if (bare.startsWith('#')) path = resolveSubpath(bare);
    return { specifier, path: path && rel(path), typeOnly: types };
  });
}

const graph = new Map();
const problems = [];
for (const file of sourceFiles(root)) {
  try {
    graph.set(rel(file), importsOf(file));
  } catch (err) {
    problems.push(`cannot read the imports of ${err.message}`);
  }
}

// A layer, or test/, is named by its subpath import from outside it, never by a relative path;
// a bundler's query import ('?worker') keeps its path, which esbuild resolves and an alias not.
const homeOf = (path) => layerOf(path)?.dir ?? (path.startsWith('test/') ? 'test' : null);
for (const [from, deps] of graph) {
  const home = homeOf(from);
  if (!home) continue;
  for (const { specifier, path } of deps) {
    if (path && specifier.startsWith('.') && !specifier.includes('?') && homeOf(path) !== null && homeOf(path) !== home) {
      problems.push(`${from} imports ${specifier} by a relative path across layers: use its subpath import (package.json "imports")`);
    }
  }
}

for (const [from, deps] of graph) {
  if (isOutsideLayers(from)) continue;
  const layer = layerOf(from);
  if (!layer) continue;
  for (const { specifier, path } of deps) {
    if (!path) {
      if (specifier.startsWith('node:') && !layer.node) problems.push(`${from} imports ${specifier}: ${layer.dir}/ runs in browsers, and has no Node built-ins`);
      continue;
    }
    if (specifier.startsWith('#') && !existsSync(join(root, path))) problems.push(`${from} imports ${specifier}, which is not a file`);
    if (isTestFile(path)) {
      problems.push(`${from} imports ${path}: code outside the tests does not import them`);
      continue;
    }
    const to = layerOf(path);
    if (!to || to === layer) continue;
    if (!layer.imports.includes(to.dir)) problems.push(`${from} imports ${path}: ${layer.dir}/ may import ${layer.imports.map((d) => `${d}/`).join(', ') || 'no other layer'}`);
    else if (layer.throughIndex.includes(to.dir) && path !== `${to.dir}/index.ts` && !ENTRY_FILES.has(path) && existsSync(join(root, to.dir, 'index.ts'))) {
      problems.push(`${from} imports ${path}: ${layer.dir}/ imports ${to.dir}/ through its index.ts`);
    }
  }
}

// Cycles: strongly connected components of the file graph (Tarjan) over the imports that
// remain at run time. A cycle of type-only imports is erased by the compiler, so it is allowed.
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
let counter = 0;
function visit(v) {
  index.set(v, counter);
  low.set(v, counter++);
  stack.push(v);
  onStack.add(v);
  for (const { path: w, typeOnly } of graph.get(v) ?? []) {
    if (!w || typeOnly || !graph.has(w)) continue;
    if (!index.has(w)) {
      visit(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
  }
  if (low.get(v) !== index.get(v)) return;
  const component = [];
  let w;
  do {
    w = stack.pop();
    onStack.delete(w);
    component.push(w);
  } while (w !== v);
  if (component.length > 1) problems.push(`import cycle: ${component.reverse().join(' -> ')} -> ${component[0]}`);
}
for (const v of graph.keys()) if (!index.has(v)) visit(v);

if (problems.length > 0) {
  console.error(`the imports break the layers (docs/ARCHITECTURE.md):\n  ${problems.join('\n  ')}`);
  process.exitCode = 1;
} else {
  console.log(`layers: ${graph.size} files, ${LAYERS.length} layers, no cycle, no import out of place`);
}
