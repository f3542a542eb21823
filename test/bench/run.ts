// Runs every benchmark script in this folder, one after another (npm run bench), or only
// those named: `npm run bench -- fanout crypto`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const all = readdirSync(dir)
  .filter((name) => name.endsWith('.ts') && name !== 'run.ts' && !name.endsWith('.test.ts'))
  .sort();
const wanted = process.argv.slice(2).map((name) => name.replace(/\.ts$/, ''));
const unknown = wanted.filter((name) => !all.includes(`${name}.ts`));
if (unknown.length > 0) {
  console.error(`no benchmark named ${unknown.join(', ')}; there are: ${all.map((n) => n.replace(/\.ts$/, '')).join(', ')}`);
  process.exit(2);
}
const scripts = wanted.length > 0 ? all.filter((name) => wanted.includes(name.replace(/\.ts$/, ''))) : all;
let failed = 0;
const started = performance.now();
for (const name of scripts) {
  console.log(`\n== ${name}`);
  const t0 = performance.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', name], { cwd: dir, stdio: 'inherit' });
  console.log(`(${name}: ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  if (result.status !== 0) {
    failed++;
    console.error(`${name} failed (${result.status ?? result.signal})`);
  }
}
console.log(`\nbenchmarks done in ${((performance.now() - started) / 1000).toFixed(0)} s${failed > 0 ? `, ${failed} failed` : ''}`);
process.exit(failed > 0 ? 1 : 0);
