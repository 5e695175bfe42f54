// `npm test`: type-check and build, the browser suite in Chromium, Firefox and WebKit (one engine
// at a time: two cores), then the Node suite. ENGINES=chromium (or a comma list) picks engines.
// Prints "<engine>: N passed, N failed" per engine, and ends with one line, "N passed, N failed",
// totalling every suite.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { missingEngine, selectedEngines } from './engines.mjs';
import { nodeTestFiles, walkTestFiles } from '../test/suites.mjs';

let engines;
try {
  engines = selectedEngines();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
// A missing engine fails the run before anything else: never a silent skip. The Node suite's
// end-to-end tests drive the demo in Chromium, so Chromium is always needed.
const missing = [...new Set(['chromium', ...engines])].map((engine) => [engine, missingEngine(engine)]).filter(([, line]) => line);
for (const [engine, line] of missing) console.error(`${engine} is missing: install it with "${line}", then run npm test again.`);
if (missing.length) process.exit(1);

// The replay cache's tests run against a real Redis (test/helpers/redis-server.ts starts it).
const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';
if (!existsSync(REDIS_SERVER)) {
  console.error(`redis-server is missing at ${REDIS_SERVER}: install it with "sudo apt-get update && sudo apt-get install -y redis-server", then run npm test again.`);
  process.exit(1);
}

const results = '.test-results';
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

const run = (command, args, env = {}) =>
  spawnSync(command, args, { stdio: 'inherit', shell: false, env: { ...process.env, ...env } }).status === 0;
const bin = (name) => `node_modules/.bin/${name}`;

const steps = [
  // The build comes first: the Node suite imports the package's own exports from dist/.
  ['build', () => run('npm', ['run', '--silent', 'build'])],
  ['type-check', () => run(bin('tsc'), ['-p', 'tsconfig.json'])],
  ['size budgets', () => run(process.execPath, ['scripts/size.mjs'])],
  ...engines.flatMap((engine) => [
    [`${engine} tests`, () => run(bin('web-test-runner'), [], { ENGINE: engine })],
    [`${engine} trusted clicks, popup blocker on`, () =>
      run(bin('web-test-runner'), ['--config', 'web-test-runner.trusted-clicks.config.mjs'], { ENGINE: engine })],
  ]),
  ['node tests', () => run(process.execPath, [
    '--import', 'tsx', '--import', './test/node-globals.mjs', '--test',
    // No test may hang the run: one stuck for two minutes fails instead.
    '--test-timeout=120000',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=./scripts/count-reporter.mjs', `--test-reporter-destination=${results}/node.json`,
    ...nodeTestFiles(),
  ])],
  // A million steps over the session code across chart windows: a minute or two, so a step of its own.
  ['cross-window walk (Node)', () => run(process.execPath, [
    '--import', 'tsx', '--import', './test/node-globals.mjs', '--test', '--test-timeout=900000',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=./scripts/count-reporter.mjs', `--test-reporter-destination=${results}/walks.json`,
    ...walkTestFiles(),
  ])],
];

const started = Date.now();
let stepFailures = 0;
for (const [name, step] of steps) {
  console.log(`\n— ${name}`);
  if (!step()) {
    console.error(`✗ ${name} failed`);
    stepFailures++;
    if (name === 'type-check' || name === 'build') break;
  }
}

function counts(suite) {
  const file = `${results}/${suite}.json`;
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
}
const total = { passed: 0, failed: 0 };
const lines = [];
const failures = [];
// An engine's count is its main suite plus its trusted-click suite. A suite that wrote no counts
// crashed or never ran (its browser did not start, the build failed): one failure.
for (const [name, suites] of [...engines.map((engine) => [engine, [engine, `${engine}-trusted-clicks`]]), ['node', ['node']], ['walks', ['walks']]]) {
  const parts = suites.map(counts);
  const passed = parts.reduce((sum, part) => sum + (part?.passed ?? 0), 0);
  const failed = parts.reduce((sum, part) => sum + (part ? part.failed : 1), 0);
  suites.forEach((suite, i) => {
    if (!parts[i]) failures.push(`${suite}: wrote no counts (the suite crashed or never ran)`);
    else for (const failure of parts[i].failures ?? []) failures.push(`${suite}: ${failure}`);
  });
  lines.push(`${name}: ${passed} passed, ${failed} failed`);
  total.passed += passed;
  total.failed += failed;
}
// A step that failed without a counted test failure (a crash, a type error) still fails the run.
if (stepFailures && total.failed === 0) total.failed = stepFailures;
if (failures.length) console.log(`\nFailed:\n${failures.map((failure) => `  ✗ ${failure}`).join('\n')}`);
console.log(`\n${lines.join('\n')}\n(${Math.round((Date.now() - started) / 1000)} s)\n${total.passed} passed, ${total.failed} failed`);
process.exit(total.failed || stepFailures ? 1 : 0);
