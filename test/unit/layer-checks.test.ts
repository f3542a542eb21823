// The layer and file-size checks of `npm test`, run as npm runs them, on small trees written
// for each case: each breach is named, and a tree that keeps the rules passes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, it } from 'vitest';

const SCRIPTS = fileURLToPath(new URL('../../scripts/', import.meta.url));
const IMPORTS = {
  '#shared': './shared/index.ts',
  '#shared/*': './shared/*',
  '#server/*': './server/*',
  '#client-core': './client/core/index.ts',
  '#client-core/*': './client/core/*',
};

const trees: string[] = [];
afterEach(() => {
  for (const dir of trees.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'baton-layers-'));
  trees.push(root);
  writeFileSync(join(root, 'package.json'), JSON.stringify({ type: 'module', imports: IMPORTS }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function run(script: string, root: string): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [join(SCRIPTS, script), root], { encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** The breach lines a run printed, sorted. */
const breaches = (out: string) =>
  out
    .split('\n')
    .filter((l) => l.startsWith('  '))
    .map((l) => l.trim())
    .sort();

describe('scripts/check-layers.js', () => {
  const good = {
    'shared/index.ts': "export * from './bytes.ts';\n",
    'shared/bytes.ts': 'export const one = 1;\n',
    'server/app.ts': "import { one } from '#shared';\nimport { readFileSync } from 'node:fs';\nexport const app = [one, readFileSync];\n",
    'client/core/index.ts': "export { Space } from './space.ts';\n",
    'client/core/space.ts': "import { one } from '#shared';\nexport class Space { n = one; }\n",
    'client/web/main.ts': "import { Space } from '#client-core';\nimport type { one } from '#shared/bytes.ts';\nexport const s: typeof one = new Space().n;\n",
    // Types that name each other: the compiler erases the cycle.
    'client/core/a.ts': "import type { B } from './b.ts';\nexport type A = { b?: B };\n",
    'client/core/b.ts': "import type { A } from './a.ts';\nexport type B = { a?: A };\n",
    // A test may reach anywhere; a comment naming a path is not an import.
    'client/core/space.test.ts': "import { one } from '#server/app.ts';\n// import '../../server/app.ts'\nexport { one };\n",
  };

  it('passes a tree that keeps the layers, a cycle of types included', () => {
    const { code, out } = run('check-layers.js', tree(good));
    assert.equal(code, 0, out);
    assert.match(out, /no cycle, no import out of place/);
  });

  it('names an import back up the layers, one past the index, a built-in and a cycle', () => {
    const { code, out } = run(
      'check-layers.js',
      tree({
        ...good,
        'server/port.ts': 'export const port = 8787;\n',
        'shared/bytes.ts': "import type { port } from '#server/port.ts';\nexport const one = 1;\nexport type Port = typeof port;\n",
        'client/web/main.ts': "import { Space } from '#client-core/space.ts';\nexport const s = new Space();\n",
        'client/core/clock.ts': "import { readFileSync } from 'node:fs';\nimport { tick } from './tick.ts';\nexport const clock = () => [tick, readFileSync];\n",
        'client/core/tick.ts': "import { clock } from './clock.ts';\nexport const tick = () => clock;\n",
      }),
    );
    assert.equal(code, 1, out);
    assert.deepEqual(breaches(out), [
      'client/core/clock.ts imports node:fs: client/core/ runs in browsers, and has no Node built-ins',
      'client/web/main.ts imports client/core/space.ts: client/web/ imports client/core/ through its index.ts',
      'import cycle: client/core/clock.ts -> client/core/tick.ts -> client/core/clock.ts',
      'shared/bytes.ts imports server/port.ts: shared/ may import no other layer',
    ]);
  });

  it('names a sideways import and code that imports a test', () => {
    const { code, out } = run(
      'check-layers.js',
      tree({
        ...good,
        'server/app.ts': "import { Space } from '#client-core';\nexport const app = Space;\n",
        'client/core/space.ts': "import { one } from '#shared';\nimport { fixture } from './space.test.ts';\nexport class Space { n = one + fixture; }\n",
        'client/core/space.test.ts': 'export const fixture = 1;\n',
      }),
    );
    assert.equal(code, 1, out);
    assert.deepEqual(breaches(out), [
      'client/core/space.ts imports client/core/space.test.ts: code outside the tests does not import them',
      'server/app.ts imports client/core/index.ts: server/ may import shared/',
    ]);
  });
  it('names a relative import into another layer, which its subpath import replaces', () => {
    const { code, out } = run('check-layers.js', tree({ ...good, 'server/app.ts': "import { one } from '../shared/index.ts';\nexport const app = one;\n" }));
    assert.equal(code, 1, out);
    assert.deepEqual(breaches(out), ['server/app.ts imports ../shared/index.ts by a relative path across layers: use its subpath import (package.json "imports")']);
  });
});

describe('scripts/check-file-size.js', () => {
  const lines = (n: number) => 'export const x = 1;\n'.repeat(n);

  it('passes files of 350 lines and long tests, and names a longer source file', () => {
    const root = tree({
      'shared/ok.ts': lines(350),
      'shared/ok.test.ts': lines(900),
      'client/core/store-acceptance.ts': lines(900),
      'client/browser/store-fixture.ts': lines(900),
      'test/unit/long.ts': lines(900),
    });
    const ok = run('check-file-size.js', root);
    assert.equal(ok.code, 0, ok.out);
    writeFileSync(join(root, 'shared/long.ts'), lines(351));
    const long = run('check-file-size.js', root);
    assert.equal(long.code, 1, long.out);
    assert.deepEqual(breaches(long.out), ['shared/long.ts: 351']);
  });
});
