// The update-checking worker as a file of its own, for the client a relay serves (its
// Content-Security-Policy allows workers from 'self' only). The single-file build swaps in
// check-worker-inline.ts (client/web/vite.config.ts).
export { default } from '../browser/check-worker.ts?worker';
/** A file of its own (with its own libsodium): on a slow link it waits for the first screen. */
export const WORKER_DOWNLOADED = true;
