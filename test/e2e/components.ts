// Component tests in Chromium: each test file bundles its component with component-kit.ts
// into one page on loopback, launches one browser for the file, and gives every test a fresh
// page of its own (its own storage). Skipped, with one line from the global setup, where
// Chromium is missing.
import { afterAll, beforeAll } from 'vitest';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { hasSystemPackage } from '../support/system.ts';
import { launchBrowser, servePageScript, watchErrors } from './harness.ts';

export const noChromium = !hasSystemPackage('chromium');

export interface ComponentPage {
  page: Page;
  /** Page errors and console errors so far. */
  errors: string[];
}

/** Registers the browser and page server of one test file; `open()` gives a fresh page. */
export function componentPages(imports: string[], options: BrowserContextOptions = {}): { open(more?: BrowserContextOptions): Promise<ComponentPage> } {
  let browser: Browser | null = null;
  let server: { url: string; close(): void } | null = null;
  beforeAll(async () => {
    if (noChromium) return;
    const entry = [...imports, './test/e2e/component-kit.ts'].map((m) => `import '${m}';`).join('\n');
    server = await servePageScript(entry);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
  });
  return {
    async open(more = {}) {
      const context = await browser!.newContext({ viewport: { width: 800, height: 700 }, ...options, ...more });
      const page = await context.newPage();
      const errors = watchErrors(page);
      await page.goto(server!.url);
      await page.waitForFunction(() => document.documentElement.dataset.ready === 'yes');
      return { page, errors };
    },
  };
}
