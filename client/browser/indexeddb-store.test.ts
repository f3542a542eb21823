// The store acceptance suite against the IndexedDB store on fake-indexeddb, a fresh factory
// per test. The same cases run once in Chromium's own IndexedDB (test/e2e/store-acceptance-
// browser.test.ts).
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, it } from 'vitest';
import { runRoomStoreTests } from '../core/store-acceptance.ts';
import { indexedDbFixture } from './indexeddb-fixture.ts';

runRoomStoreTests('IndexedDB (fake-indexeddb)', indexedDbFixture(async () => {
  globalThis.indexedDB = new IDBFactory();
}), { describe, it });
