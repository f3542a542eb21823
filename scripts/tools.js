// Build tools are dev dependencies: a production-only install has none of them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export class BuildToolMissing extends Error {
  constructor(tool) {
    super(`${tool} is not installed (a production-only install has no build tools)`);
  }
}

/** Path of a tool's file under node_modules, or BuildToolMissing. */
export function toolFile(root, tool, file) {
  const path = join(root, 'node_modules', tool, file);
  if (!existsSync(path)) throw new BuildToolMissing(tool);
  return path;
}
