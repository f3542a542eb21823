// The update-checking worker inline, for the single-file build: its code travels in the page
// and starts from a blob URL, so it works opened from disk.
export { default } from '../browser/check-worker.ts?worker&inline';
/** Nothing to download: the worker may start at once. */
export const WORKER_DOWNLOADED = false;
