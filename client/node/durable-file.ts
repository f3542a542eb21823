// Key files (the identity, the device secret) replaced so that a power cut leaves the old
// file or the new one, never an empty one: write a temporary file, fsync it, rename it into
// place, then fsync the directory so the rename itself is on disk.
import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function writeFileDurably(path: string, bytes: Uint8Array, mode = 0o600): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const file = await open(tmp, 'wx', mode);
  try {
    await file.writeFile(bytes);
    await file.sync();
  } catch (err) {
    await file.close();
    await unlink(tmp).catch(() => {});
    throw err;
  }
  await file.close();
  await rename(tmp, path);
  await syncDirectory(dirname(path));
}

/** fsync of a directory, where the platform allows it (Windows does not). */
export async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
  } catch {
    return;
  }
  try {
    await handle.sync();
  } catch {
    // EINVAL/EPERM on file systems that cannot sync a directory: nothing more to do
  } finally {
    await handle.close();
  }
}
