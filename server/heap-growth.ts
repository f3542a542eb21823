// How far V8 lets the JS heap grow past what survived its last full collection. By default it
// may grow to several times that on a machine with memory to spare, and under attack a relay's
// heap fills with garbage faster than its memory bounds can see: every attack of the attack
// bench at once took a relay 204-233 MiB past its baseline while a heap snapshot near the peak
// found 127 MiB live. With the heap allowed to grow 20 % past what survived, it went 122-146 MiB
// past, and the relay spent no measurable CPU more in the fan-out bench (docs/BENCHMARKS.md,
// "Attacks on a relay, measured apart"). V8 reads the flag at each collection, so setting it
// once the process runs works as the command-line flag does (which NODE_OPTIONS does not take).
import { setFlagsFromString } from 'node:v8';

/** Growth of the heap past what survived, in percent. */
export const HEAP_GROWING_PERCENT = 20;

const FLAG = /^--heap[-_]growing[-_]percent\b/;

/** Keeps the heap near what it holds, unless the operator ran node with a growth of their own. */
export function keepHeapGrowthLow(execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some((arg) => FLAG.test(arg))) return false;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
