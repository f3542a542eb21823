// A verification thread of the relay (server/verify/pool.ts). Plain JavaScript so that it
// starts the same under any loader. It gets packed checks that already passed libsodium's
// encoding rules on the relay's main thread, and answers, for each segment, the index of its
// first bad signature or -1. Records: publicKey:32 || signature:64 || length:u32le || message.
import { createPublicKey, verify } from 'node:crypto';
import { parentPort } from 'node:worker_threads';

const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const MAX_KEYS = 4096;
const keys = new Map();

function keyObject(bytes) {
  const id = bytes.toString('latin1');
  let key = keys.get(id);
  if (!key) {
    if (keys.size >= MAX_KEYS) keys.clear();
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, bytes]), format: 'der', type: 'spki' });
    keys.set(id, key);
  }
  return key;
}

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
      if (bad < 0 && !verify(null, message, keyObject(publicKey), signature)) bad = i;
    }
    results[s] = bad;
  }
  parentPort.postMessage({ id, results }, [results.buffer]);
});
