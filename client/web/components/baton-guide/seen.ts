// Whether this device has seen the guide (or skipped it): shown by itself only the first time.
const KEY = 'baton:guide-seen';

export function guideSeen(): boolean {
  try {
    return globalThis.localStorage?.getItem(KEY) === '1';
  } catch {
    return true; // storage refused: nothing to remember it by, so do not show it on every load
  }
}

export function markGuideSeen(): void {
  try {
    globalThis.localStorage?.setItem(KEY, '1');
  } catch {
    // storage refused: the guide may show again next time
  }
}
