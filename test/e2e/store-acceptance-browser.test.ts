// The store acceptance suite (client/core/store-acceptance.ts) once in Chromium, against its
// own IndexedDB: every case runs in one page, each on an emptied origin, and reports here;
// then again for the sealed store of a locked device over the same IndexedDB store.
import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { ROOM_STORE_CASES, type RoomStoreResult } from '#client-core/store-acceptance.ts';
import { hasSystemPackage } from '../support/system.ts';
import { launchBrowser, servePageScript } from './harness.ts';

// Skipped, with one line from the global setup, where chromium is missing.
const missing = !hasSystemPackage('chromium');

const ENTRY = `
import { runRoomStoreCases } from './client/core/store-acceptance.ts';
import { indexedDbFixture, sealedIndexedDbFixture } from './client/browser/indexeddb-fixture.ts';

async function emptyOrigin() {
  for (const { name } of await indexedDB.databases()) {
    await new Promise((resolve, reject) => {
      const request = indexedDB.deleteDatabase(name);
      request.onsuccess = resolve;
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error('a connection to ' + name + ' was left open'));
    });
  }
}
window.runStoreSuite = () => runRoomStoreCases(indexedDbFixture(emptyOrigin));
window.runSealedSuite = () => runRoomStoreCases(sealedIndexedDbFixture(emptyOrigin));
`;

let browser: Browser;
let results: RoomStoreResult[] = [];
let sealed: RoomStoreResult[] = [];

beforeAll(async () => {
  if (missing) return;
  const app = await servePageScript(ENTRY);
  browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(app.url);
    await page.waitForFunction(() => 'runStoreSuite' in window);
    results = await page.evaluate(() => (window as unknown as { runStoreSuite: () => Promise<RoomStoreResult[]> }).runStoreSuite());
    sealed = await page.evaluate(() => (window as unknown as { runSealedSuite: () => Promise<RoomStoreResult[]> }).runSealedSuite());
  } finally {
    app.close();
  }
});

afterAll(async () => {
  await browser?.close();
});

for (const [store, of] of [['room store', () => results], ['sealed room store (a locked device)', () => sealed]] as const) {
  for (const c of ROOM_STORE_CASES) {
    test.skipIf(missing)(`${store} in Chromium's IndexedDB: ${c.name}`, (ctx) => {
      const result = of().find((r) => r.name === c.name);
      assert.ok(result, 'the case ran in the page');
      if (result.outcome === 'skipped') return ctx.skip(`the IndexedDB fixture has no ${c.needs} hook`);
      assert.equal(result.outcome, 'passed', result.error);
    });
  }
}
