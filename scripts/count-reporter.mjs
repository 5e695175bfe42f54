// Reporters that write each suite's totals to a JSON file, so `npm test` can print one total line.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

function write(file, counts) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(counts));
}

function countSuite(suite, counts) {
  for (const test of suite?.tests ?? []) {
    if (test.skipped) counts.skipped++;
    else if (test.passed) counts.passed++;
    else counts.failed++;
  }
  for (const child of suite?.suites ?? []) countSuite(child, counts);
}

/** web-test-runner reporter. */
export function countReporter(file) {
  return {
    onTestRunFinished({ sessions }) {
      const counts = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        const failedBefore = counts.failed;
        countSuite(session.testResults, counts);
        // A file that failed without a failing test (it did not load, a hook threw) is one failure.
        if (!session.passed && counts.failed === failedBefore) counts.failed++;
      }
      write(file, counts);
    },
  };
}

/** node:test reporter (`--test-reporter=./scripts/count-reporter.mjs`): counts tests, not suites. */
export default async function* nodeCountReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    // A suite fails when a test in it fails: count that test once. A suite failing by itself
    // (a hook threw, or the file did not load) still counts.
    const failureType = event.data.details?.error?.failureType;
    if (event.data.details?.type === 'suite' && (event.type === 'test:pass' || failureType === 'subtestsFailed')) continue;
    if (failureType === 'cancelledByParent') continue; // its suite's own failure is counted instead
    if (event.data.skip || event.data.todo) counts.skipped++;
    else if (event.type === 'test:pass') counts.passed++;
    else counts.failed++;
  }
  yield JSON.stringify(counts);
}
