// Runs every benchmark script in this folder, one after another (npm run bench).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const scripts = readdirSync(dir)
  .filter((name) => name.endsWith('.ts') && name !== 'run.ts' && !name.endsWith('.test.ts'))
  .sort();
let failed = 0;
for (const name of scripts) {
  console.log(`\n== ${name}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', name], { cwd: dir, stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    console.error(`${name} failed (${result.status ?? result.signal})`);
  }
}
process.exit(failed > 0 ? 1 : 0);
