// Every suite runs on vitest, as projects: `vitest run --project unit` and so on.
//   unit:        *.test.ts beside the code in shared/, server/, client/, and test/unit/
//   integration, scenario, attack, e2e, cluster: test/<suite>/**/*.test.ts
//   e2e also: the web components' own tests, client/web/components/<tag>/<tag>.test.ts (Chromium)
// Tests use real relays on loopback ports, real SQLite files and real child processes, so
// timeouts are generous; a test that needs a missing system package is skipped (see
// test/support/system.ts).
import { defineConfig } from 'vitest/config';

const suite = (name: string, include: string[], timeout: number, extra: Record<string, unknown> = {}) => ({
  extends: true as const,
  test: { name, include, testTimeout: timeout, hookTimeout: timeout, ...extra },
});

/** Component tests run in Chromium with the e2e project, not in Node with the unit one. */
const COMPONENT_TESTS = ['client/web/components/**/*.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/support/system-setup.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', '**/build/**'],
    passWithNoTests: false,
    projects: [
      suite('unit', ['shared/**/*.test.ts', 'server/**/*.test.ts', 'client/**/*.test.ts', 'test/unit/**/*.test.ts'], 60_000, {
        exclude: ['**/node_modules/**', '**/dist/**', '**/build/**', ...COMPONENT_TESTS],
      }),
      suite('integration', ['test/integration/**/*.test.ts'], 120_000),
      suite('scenario', ['test/scenario/**/*.test.ts'], 120_000),
      suite('attack', ['test/attack/**/*.test.ts'], 120_000, { passWithNoTests: true }),
      // One browser at a time: several Chromiums on two cores make each test slow.
      suite('e2e', ['test/e2e/**/*.test.ts', ...COMPONENT_TESTS], 180_000, { fileParallelism: false }),
      suite('cluster', ['test/cluster/**/*.test.ts'], 180_000, { fileParallelism: false }),
    ],
  },
});
