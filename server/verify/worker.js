// A verification thread of the relay (server/verify/pool.ts). Plain JavaScript so that it
// starts the same under any loader. It gets packed checks that already passed libsodium's
// encoding rules on the relay's main thread, and answers, for each segment, the index of its
// first bad signature or -1. Records: publicKey:32 || signature:64 || length:u32le || message.
import { parentPort } from 'node:worker_threads';
import { ed25519Verifier } from './ed25519-engine.js';

const verify = ed25519Verifier();

parentPort.on('message', ({ id, buffer, counts }) => {
  const buf = Buffer.from(buffer);
  const results = new Int32Array(counts.length);
  let at = 0;
  for (let s = 0; s < counts.length; s++) {
    let bad = -1;
    for (let i = 0; i < counts[s]; i++) {
      const publicKey = buf.subarray(at, at + 32);
      const signature = buf.subarray(at + 32, at + 96);
      const length = buf.readUInt32LE(at + 96);
      const message = buf.subarray(at + 100, at + 100 + length);
      at += 100 + length;
      // After a failure the segment's later checks are skipped: its first bad one is known.
      if (bad < 0 && !verify(signature, message, publicKey)) bad = i;
    }
    results[s] = bad;
  }
  parentPort.postMessage({ id, results }, [results.buffer]);
});
