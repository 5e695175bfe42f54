// Reporters that write each suite's totals to a JSON file, so `npm test` can print one total line.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';

function write(file, counts) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(counts));
}

// Failures are named too: CI keeps only the end of the log, so the summary must say which failed.
function countSuite(suite, counts, where) {
  for (const test of suite?.tests ?? []) {
    if (test.skipped) counts.skipped++;
    else if (test.passed) counts.passed++;
    else {
      counts.failed++;
      counts.failures.push(`${where} › ${test.name}${test.error?.message ? `: ${firstLine(test.error.message)}` : ''}`);
    }
  }
  for (const child of suite?.suites ?? []) countSuite(child, counts, `${where} › ${child.name}`);
}

const firstLine = (text) => String(text).split('\n')[0].slice(0, 200);
const fromRoot = (file) => (file ? relative(process.cwd(), file) : '');

/** web-test-runner reporter. */
export function countReporter(file) {
  return {
    onTestRunFinished({ sessions }) {
      const counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
      for (const session of sessions) {
        const failedBefore = counts.failed;
        countSuite(session.testResults, counts, fromRoot(session.testFile));
        // A file that failed without a failing test (it did not load, a hook threw) is one failure.
        if (!session.passed && counts.failed === failedBefore) {
          counts.failed++;
          const error = session.errors?.[0]?.message;
          counts.failures.push(`${fromRoot(session.testFile)}${error ? `: ${firstLine(error)}` : ' (the file did not finish)'}`);
        }
      }
      write(file, counts);
    },
  };
}

/** node:test reporter (`--test-reporter=./scripts/count-reporter.mjs`): counts tests, not suites. */
export default async function* nodeCountReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    // A suite fails when a test in it fails: count that test once. A suite failing by itself
    // (a hook threw, or the file did not load) still counts.
    const failureType = event.data.details?.error?.failureType;
    if (event.data.details?.type === 'suite' && (event.type === 'test:pass' || failureType === 'subtestsFailed')) continue;
    if (failureType === 'cancelledByParent') continue; // its suite's own failure is counted instead
    if (event.data.skip || event.data.todo) counts.skipped++;
    else if (event.type === 'test:pass') counts.passed++;
    else {
      counts.failed++;
      const error = event.data.details?.error;
      const message = error?.cause?.message ?? error?.message;
      counts.failures.push(`${fromRoot(event.data.file)} › ${event.data.name}${message ? `: ${firstLine(message)}` : ''}`);
    }
  }
  yield JSON.stringify(counts);
}
