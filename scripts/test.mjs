// `npm test`: type-check and build, the Node suite, then the browser suite in Debian's Chromium.
// Ends with one line, "N passed, N failed", totalling every suite.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  console.error(`Chromium is missing at ${CHROMIUM}: install it with "sudo apt-get update && sudo apt-get install -y chromium", then run npm test again.`);
  process.exit(1);
}

// The replay cache's tests run against a real Redis (test/node/redis-server.ts starts it).
const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';
if (!existsSync(REDIS_SERVER)) {
  console.error(`redis-server is missing at ${REDIS_SERVER}: install it with "sudo apt-get update && sudo apt-get install -y redis-server", then run npm test again.`);
  process.exit(1);
}

const results = '.test-results';
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

const run = (command, args) => spawnSync(command, args, { stdio: 'inherit', shell: false }).status === 0;
const bin = (name) => `node_modules/.bin/${name}`;
// Node 20's --test does not expand globs itself.
const nodeTestFiles = ['test/core', 'test/server', 'test/mock-viewer', 'test/property', 'test/node', 'test/e2e'].flatMap((dir) =>
  readdirSync(dir).filter((file) => file.endsWith('.test.ts')).map((file) => `${dir}/${file}`),
);

const steps = [
  // The build comes first: the Node suite imports the package's own exports from dist/.
  ['build', () => run('npm', ['run', '--silent', 'build'])],
  ['type-check', () => run(bin('tsc'), ['-p', 'tsconfig.json'])],
  ['size budgets', () => run(process.execPath, ['scripts/size.mjs'])],
  ['node tests', () => run(process.execPath, [
    '--import', 'tsx', '--import', './test/node-globals.mjs', '--test',
    // No test may hang the run: one stuck for two minutes fails instead.
    '--test-timeout=120000',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=./scripts/count-reporter.mjs', `--test-reporter-destination=${results}/node.json`,
    ...nodeTestFiles,
  ])],
  ['browser tests', () => run(bin('web-test-runner'), [])],
];

let stepFailures = 0;
for (const [name, step] of steps) {
  console.log(`\n— ${name}`);
  if (!step()) {
    console.error(`✗ ${name} failed`);
    stepFailures++;
    if (name === 'type-check' || name === 'build') break;
  }
}

const total = { passed: 0, failed: 0 };
for (const suite of ['node', 'browser']) {
  const file = `${results}/${suite}.json`;
  if (!existsSync(file)) continue;
  const counts = JSON.parse(readFileSync(file, 'utf8'));
  total.passed += counts.passed;
  total.failed += counts.failed;
}
// A step that failed without a counted test failure (a crash, a type error) still fails the run.
if (stepFailures && total.failed === 0) total.failed = stepFailures;
console.log(`\n${total.passed} passed, ${total.failed} failed`);
process.exit(total.failed || stepFailures ? 1 : 0);
