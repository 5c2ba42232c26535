import { appendFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

/**
 * Appends one line of counts per vitest run to $QUARRY_TEST_SUMMARY, so .ci/run can print a single total for
 * the four test projects that `npm test` runs one after another.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const file = process.env.QUARRY_TEST_SUMMARY;
    if (!file) return;
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed++;
        else if (state === 'failed') counts.failed++;
        else counts.skipped++;
      }
    }
    appendFileSync(file, `${JSON.stringify(counts)}\n`);
  }
}
