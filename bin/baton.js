#!/usr/bin/env node
// `npx baton ...`: `relay` and `mirror` run the relay; everything else is the client CLI.
import { register } from 'tsx/esm/api';

register();
const command = process.argv[2];
if (command === 'relay' || command === 'mirror') {
  await import('../server/cli.ts');
} else {
  await import('../client/cli/main.ts');
}
