// Builds the web client into client/dist with Vite, then precompresses it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { precompress } from './precompress.js';
import { toolFile } from './tools.js';

export const WEB_SOURCES = ['client/web', 'client/l10n', 'client/core', 'client/browser', 'shared', 'package-lock.json', 'scripts/build-web.js', 'scripts/precompress.js'];
export const WEB_OUTPUT = 'client/dist/index.html';

export function buildWeb(root) {
  const vite = toolFile(root, 'vite', 'bin/vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '-c', join(root, 'client/web/vite.config.ts')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`the web client build failed (vite exited ${r.status ?? r.signal})`);
  precompress(join(root, 'client/dist'));
}
