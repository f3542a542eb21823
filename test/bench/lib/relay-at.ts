// A Baton relay in its own process on a data directory prepared beforehand (kept afterwards).
// Prints {"port"} once listening; closes when stdin closes or says "close".
//   node --import tsx test/bench/lib/relay-at.ts <data dir> ['<RelayOptions JSON>']
import { createInterface } from 'node:readline';
import { startRelay, type RelayOptions } from '#server/index.ts';

const dataDir = process.argv[2]!;
const options = JSON.parse(process.argv[3] ?? '{}') as RelayOptions;
const relay = await startRelay({ ...options, port: 0, host: '127.0.0.1', dataDir, log: () => {} });
process.stdout.write(`${JSON.stringify({ port: relay.port })}\n`);
const stop = () => void relay.close().finally(() => process.exit(0));
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => line.trim() === 'close' && stop());
lines.on('close', stop);
