// The licence texts of the packages bundled into the CLI, which a copy of it must carry.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Package directories (node_modules/<name> or node_modules/@scope/<name>) of a metafile's inputs. */
function bundledPackages(metafile) {
  const dirs = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m) dirs.add(m[1]);
  }
  return [...dirs].sort();
}

export function thirdPartyNotices(root, metafile) {
  const sections = bundledPackages(metafile).map((dir) => {
    const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    const licenceFile = readdirSync(join(root, dir)).find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name));
    const text = licenceFile && existsSync(join(root, dir, licenceFile)) ? readFileSync(join(root, dir, licenceFile), 'utf8').trim() : `(no licence file; package.json says ${pkg.license ?? 'nothing'})`;
    return `${pkg.name} ${pkg.version} (${pkg.license ?? 'unknown licence'})\n\n${text}\n`;
  });
  return `build/cli.js and its chunks include the following packages.\n\n${sections.join('\n' + '-'.repeat(72) + '\n\n')}`;
}
