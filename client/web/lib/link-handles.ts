// What the address bar shows instead of a capability: `#@<handle>`, a random name this device
// gave the link, kept with the link in its (locked, if a passphrase is set) storage. The
// page's history entries then hold no key and no space id; a reload or the back button finds
// the link again through the handle, on this device only.
import { toBase64url } from '#shared';

const KEY = 'baton:handles';
const MAX_HANDLES = 500;
export const HANDLE_PREFIX = '#@';

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem'>;

export class LinkHandles {
  /** Where storage is refused: handles live as long as the page. */
  private readonly memory = new Map<string, string>();

  constructor(private readonly storage: Storage | null) {}

  private read(): Map<string, string> {
    try {
      const v = JSON.parse(this.storage?.getItem(KEY) ?? 'null') as unknown;
      if (!Array.isArray(v)) return new Map(this.memory);
      return new Map(v.filter((e): e is [string, string] => Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'string'));
    } catch {
      return new Map(this.memory);
    }
  }

  private write(map: Map<string, string>): void {
    const entries = [...map].slice(-MAX_HANDLES);
    this.memory.clear();
    for (const [h, t] of entries) this.memory.set(h, t);
    try {
      this.storage?.setItem(KEY, JSON.stringify(entries));
    } catch {
      // storage full or refused: the handle lasts as long as the page
    }
  }

  /** The address for a fragment's text (a capability, maybe with a thread): `#@<handle>`. */
  hashFor(text: string): string {
    const map = this.read();
    let handle = [...map].find(([, t]) => t === text)?.[0];
    if (handle) map.delete(handle); // most recently used last, so the oldest go first
    handle ??= toBase64url(crypto.getRandomValues(new Uint8Array(12)));
    map.set(handle, text);
    this.write(map);
    return HANDLE_PREFIX + handle;
  }

  /** The fragment text a `#@<handle>` stands for, or null if this device does not know it. */
  textOf(hash: string): string | null {
    if (!hash.startsWith(HANDLE_PREFIX)) return null;
    return this.read().get(hash.slice(HANDLE_PREFIX.length)) ?? null;
  }
}
