#!/usr/bin/env node
// `npx baton ...`: `relay` and `mirror` run the relay; everything else is the client CLI.
// Both run as compiled JavaScript from build/, which `npm install` in a clone and
// `npm run build` make, and a release package ships.
import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

// Node 22.1 and later keep V8's compiled code between runs (in the OS temp directory, or
// $NODE_COMPILE_CACHE), so a short command does not compile the same code again.
module.enableCompileCache?.();

const command = process.argv[2];
const entry = new URL(command === 'relay' || command === 'mirror' ? '../build/relay.js' : '../build/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error(`baton: not built (${fileURLToPath(entry)} is missing): run \`npm run build\` in ${fileURLToPath(new URL('..', import.meta.url))}`);
  process.exit(1);
}
await import(entry.href);
