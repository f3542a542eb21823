// Global setup of each test project: says once which suites are skipped for a missing
// system package, and fails the run when that package is required (see system.ts).
import type { TestProject } from 'vitest/node';
import { hasSystemPackage, isRequired, missingLine, requiredLine, type SystemPackage } from './system.ts';

const NEEDS: Record<string, Array<[SystemPackage, string]>> = {
  scenario: [['nginx', 'the nginx scenario (test/scenario/nginx-prefix.test.ts)']],
  e2e: [['chromium', 'the browser tests (test/e2e, client/web/components)']],
  cluster: [
    ['postgresql', 'the relay cluster tests (test/cluster)'],
    ['redis', 'the relay cluster tests (test/cluster)'],
  ],
};

export default function setup(project: TestProject): void {
  for (const [name, suite] of NEEDS[project.name] ?? []) {
    if (hasSystemPackage(name)) continue;
    if (isRequired(name)) throw new Error(requiredLine(name, suite));
    console.log(missingLine(name, suite));
  }
}
