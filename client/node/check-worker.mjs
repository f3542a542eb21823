// Entry of the worker thread that checks large received updates: plain JavaScript, so that
// Node starts it however the main thread was started, then the TypeScript sources via tsx.
import { register } from 'tsx/esm/api';

register();
await import('./check-worker.ts');
