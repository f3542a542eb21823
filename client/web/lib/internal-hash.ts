// Which fragment this tab itself went to, so a reload is not taken for a link from outside
// (a link from outside adds the relay that served the page; the app's own navigation does not).
const INTERNAL_KEY = 'baton:internal-hash';

/** The fragment this tab last showed (kept across a reload of the tab). */
export function rememberInternal(hash: string): void {
  try {
    sessionStorage.setItem(INTERNAL_KEY, hash);
  } catch {
    // without session storage a reload counts as a link from outside: one more relay, no harm
  }
}

export function isInternal(hash: string): boolean {
  try {
    return sessionStorage.getItem(INTERNAL_KEY) === hash;
  } catch {
    return false;
  }
}
