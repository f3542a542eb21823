// The layers of docs/ARCHITECTURE.md, from the bottom up. `imports`: the other layers it may
// import. `throughIndex`: of those, the ones it may import only through their index.ts (once
// that file exists): the CLI and the web client use the core and their platform's adapter by
// their public face, while an adapter implements the core's interfaces (its store, its
// off-thread check) and so sees the files that declare them. `node`: it runs in Node only, so
// it may use Node's built-ins. Tests (*.test.ts, test/) may import any file; nothing imports a
// test.
export const LAYERS = [
  { dir: 'shared', imports: [], throughIndex: [], node: false },
  { dir: 'server', imports: ['shared'], throughIndex: [], node: true },
  { dir: 'client/core', imports: ['shared'], throughIndex: [], node: false },
  { dir: 'client/node', imports: ['shared', 'client/core'], throughIndex: [], node: true },
  { dir: 'client/browser', imports: ['shared', 'client/core'], throughIndex: [], node: false },
  { dir: 'client/cli', imports: ['shared', 'client/core', 'client/node'], throughIndex: ['client/core', 'client/node'], node: true },
  { dir: 'client/web', imports: ['shared', 'client/core', 'client/browser'], throughIndex: ['client/core', 'client/browser'], node: false },
];

/**
 * Files past an index that are entries of their own: the browser's update-checking worker,
 * which Vite bundles as a file of its own from the web client's `?worker` import.
 */
export const ENTRY_FILES = new Set(['client/browser/check-worker.ts']);

/** The layer a repo-relative path is in, or null (scripts/, bin/, test/, root files). */
export function layerOf(path) {
  let best = null;
  for (const layer of LAYERS) {
    if (path.startsWith(`${layer.dir}/`) && (!best || layer.dir.length > best.dir.length)) best = layer;
  }
  return best;
}

/**
 * Test code: the test tree, a suite beside its code (x.test.ts), and the acceptance suites
 * and fixtures that several suites share (server/storage/acceptance.ts, x-acceptance.ts,
 * x-fixture.ts).
 */
export function isTestFile(path) {
  return path.startsWith('test/') || /(\.test|(^|[/-])acceptance|-fixture)\.ts$/.test(path);
}

/** Files in a layer's folder that are not part of it: its tests and its build's config. */
export function isOutsideLayers(path) {
  return isTestFile(path) || path === 'client/web/vite.config.ts';
}
