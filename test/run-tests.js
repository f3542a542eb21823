#!/usr/bin/env node
// Runs test suites with Node's test runner (TypeScript through tsx).
//   node test/run-tests.js unit integration
// unit: *.test.ts beside the code in shared/, server/, client/ and test/unit/
// integration, scenario, attack, e2e, cluster: test/<suite>/**/*.test.ts
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const SUITES = {
  unit: ['shared', 'server', 'client', 'test/unit'],
  integration: ['test/integration'],
  scenario: ['test/scenario'],
  attack: ['test/attack'],
  e2e: ['test/e2e'],
  cluster: ['test/cluster'],
};

function findTests(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findTests(path, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

const suites = process.argv.slice(2);
if (suites.length === 0 || suites.some((s) => !(s in SUITES))) {
  console.error(`usage: run-tests.js <${Object.keys(SUITES).join('|')}>...`);
  process.exit(2);
}
const files = suites.flatMap((s) => SUITES[s].flatMap((d) => findTests(join(root, d), [])));
if (files.length === 0) {
  console.error(`no test files for ${suites.join(', ')}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, BATON_TEST: '1' },
});
process.exit(result.status ?? 1);
