// PostgreSQL and Redis clients are optional packages: a relay on SQLite never loads them, and
// an install without them says what to install when --postgres or --redis asks for one.

/** Runs `load` (a dynamic import of a module that imports `pkg`), naming the fix when `pkg` is absent. */
export async function loadOptional<T>(pkg: string, flag: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e?.code === 'ERR_MODULE_NOT_FOUND' && typeof e.message === 'string' && e.message.includes(`'${pkg}'`)) {
      throw new Error(`${flag} needs the ${pkg} package, which is not installed: run \`npm install ${pkg}\` in the folder the relay is installed in`);
    }
    throw err;
  }
}
