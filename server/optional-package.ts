// PostgreSQL and Redis clients are optional packages: a relay on SQLite never loads them, and
// an install without them says what to install when --postgres or --redis asks for one.
import { say, str } from './l10n.ts';

/** Runs `load` (a dynamic import of a module that imports `pkg`), naming the fix when `pkg` is absent. */
export async function loadOptional<T>(pkg: string, flag: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e?.code === 'ERR_MODULE_NOT_FOUND' && typeof e.message === 'string' && e.message.includes(`'${pkg}'`)) {
      const command = `npm install ${pkg}`;
      throw new Error(say(str`${flag} needs the ${pkg} package, which is not installed: run \`${command}\` in the folder the relay is installed in`, { id: 'relay.needsPackage' }));
    }
    throw err;
  }
}
