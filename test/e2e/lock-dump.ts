// Everything a page's origin keeps, as bytes to search: every IndexedDB database (its name,
// its stores' names, every key and value), localStorage, sessionStorage, and every cached
// request and response. Values are written out as they are stored: strings as UTF-8, byte
// arrays raw, objects key by key, so a secret in any encoding shows up as it would on disk.
import type { Page } from 'playwright-core';

export interface OriginDump {
  bytes: Uint8Array;
  databases: string[];
  localKeys: string[];
  caches: string[];
}

export async function dumpOrigin(page: Page): Promise<OriginDump> {
  const out = await page.evaluate(async () => {
    const parts: Uint8Array[] = [];
    const enc = new TextEncoder();
    const put = (v: unknown, depth = 0): void => {
      if (depth > 20 || v === null || v === undefined) return;
      if (typeof v === 'string') parts.push(enc.encode(`${v}\n`));
      else if (typeof v === 'number' || typeof v === 'boolean') parts.push(enc.encode(`${v}\n`));
      else if (v instanceof Uint8Array) parts.push(v.slice());
      else if (v instanceof ArrayBuffer) parts.push(new Uint8Array(v.slice(0)));
      else if (ArrayBuffer.isView(v)) parts.push(new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength)));
      else if (Array.isArray(v)) for (const x of v) put(x, depth + 1);
      else if (typeof v === 'object') for (const [k, x] of Object.entries(v as object)) (put(k, depth + 1), put(x, depth + 1));
    };
    const req = <T>(r: IDBRequest<T>) => new Promise<T>((res, rej) => ((r.onsuccess = () => res(r.result)), (r.onerror = () => rej(r.error))));
    const databases = ((await indexedDB.databases()) ?? []).map((d) => d.name ?? '');
    for (const name of databases) {
      put(name);
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const r = indexedDB.open(name);
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      for (const storeName of [...db.objectStoreNames]) {
        put(storeName);
        const store = db.transaction(storeName, 'readonly').objectStore(storeName);
        put(await req(store.getAllKeys()));
        put(await req(store.getAll()));
      }
      db.close();
    }
    const localKeys: string[] = [];
    for (const s of [localStorage, sessionStorage]) {
      for (let i = 0; i < s.length; i++) {
        const k = s.key(i)!;
        if (s === localStorage) localKeys.push(k);
        put(k);
        put(s.getItem(k));
      }
    }
    const cacheNames = await caches.keys();
    for (const name of cacheNames) {
      put(name);
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        put(request.url);
        const res = await cache.match(request);
        if (res) put(new Uint8Array(await res.arrayBuffer()));
      }
    }
    let size = 0;
    for (const p of parts) size += p.length;
    const all = new Uint8Array(size);
    let at = 0;
    for (const p of parts) (all.set(p, at), (at += p.length));
    let binary = '';
    for (let i = 0; i < all.length; i += 0x8000) binary += String.fromCharCode(...all.subarray(i, i + 0x8000));
    return { base64: btoa(binary), databases, localKeys, caches: cacheNames };
  });
  return { bytes: Buffer.from(out.base64, 'base64'), databases: out.databases, localKeys: out.localKeys, caches: out.caches };
}
