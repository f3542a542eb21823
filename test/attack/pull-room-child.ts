// Run by hostile-relay-http.test.ts in a process of its own, so that its peak memory is this
// one pull's: pulls a room from the relay named on the command line, as the client's HTTP
// fallback does, and prints what happened as one line of JSON.
import { createEnvelopeDoc, createSpace, initSodium, roomName } from '#shared';
import { pullRoom, RelayHttpError } from '#client-core/http-sync.ts';

await initSodium();
const relay = process.argv[2]!;
const cap = createSpace('thread');
const doc = createEnvelopeDoc();
const rssBefore = process.memoryUsage().rss;
const started = Date.now();
let error: { code: string; status: number; message: string } | null = null;
try {
  await pullRoom(fetch, relay, roomName(cap.spaceId, 0), doc, { writePub: cap.writePub, epoch: 0 }, 'relay', 60_000);
} catch (err) {
  error = err instanceof RelayHttpError ? { code: err.code, status: err.status, message: err.message } : { code: 'thrown', status: 0, message: String(err) };
}
const peakRss = process.resourceUsage().maxRSS * 1024;
console.log(JSON.stringify({ rssBefore, peakRss, ms: Date.now() - started, error }));
