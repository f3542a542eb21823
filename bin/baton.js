#!/usr/bin/env node
// `npx baton ...`: `relay` and `mirror` run the relay; everything else is the client CLI.
// Both run as compiled JavaScript from build/, which `npm install` in a clone and
// `npm run build` make, and a release package ships.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const command = process.argv[2];
const entry = new URL(command === 'relay' || command === 'mirror' ? '../build/relay.js' : '../build/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error(`baton: not built (${fileURLToPath(entry)} is missing): run \`npm run build\` in ${fileURLToPath(new URL('..', import.meta.url))}`);
  process.exit(1);
}
await import(entry.href);
