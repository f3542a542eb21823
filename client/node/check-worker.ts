// The worker thread's side: runs the whole envelope validator on each request, with the
// node:crypto verifier, and answers with the verdict. It holds no doc and no secret.
import { parentPort } from 'node:worker_threads';
import { initSodium, setSignatureVerifier } from '#shared';
import { checkDetached, type CheckRequest } from '#client-core/update-check.ts';
import { nodeSignatureVerifier } from './ed25519.ts';

await initSodium();
setSignatureVerifier(nodeSignatureVerifier());
parentPort!.on('message', (msg: { id: number; request: CheckRequest }) => {
  let result;
  try {
    result = checkDetached(msg.request);
  } catch {
    result = { verdict: { ok: false, reason: 'malformed', detail: 'the check failed' }, clocks: [] };
  }
  parentPort!.postMessage({ id: msg.id, result });
});
