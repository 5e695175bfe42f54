/// <reference types="node" />
// careconnect-launch/vue: vue-tsc checks <careconnect-button> in an SFC template, one run per fixture
// (test/fixtures/vue): a vendor's right usage passes, and what issue 21 saw accepted is refused.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const FIXTURES = 'test/fixtures/vue';

type Diagnostic = { file: string; line: number; code: string; message: string };

/** vue-tsc's diagnostics for one fixture's project, a message's continuation lines joined to it. */
async function vueTsc(fixture: string): Promise<Diagnostic[]> {
  const args = ['node_modules/vue-tsc/bin/vue-tsc.js', '-p', `${FIXTURES}/tsconfig.${fixture}.json`, '--pretty', 'false'];
  const run = await promisify(execFile)(process.execPath, args).then(
    ({ stdout, stderr }) => ({ status: 0, stdout, stderr }),
    (error: { code?: unknown; stdout?: string; stderr?: string }) => ({ status: error.code, stdout: error.stdout ?? '', stderr: error.stderr ?? '' }),
  );
  const diagnostics: Diagnostic[] = [];
  for (const line of run.stdout.split('\n')) {
    const found = /^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/.exec(line);
    if (found) diagnostics.push({ file: found[1]!, line: Number(found[2]), code: found[3]!, message: found[4]! });
    else if (line.trim() && diagnostics.length) diagnostics.at(-1)!.message += `\n${line}`;
  }
  assert.equal(run.status === 0, diagnostics.length === 0, `vue-tsc exited ${run.status}:\n${run.stdout}${run.stderr}`);
  return diagnostics;
}

/** The 1-based line of the fixture that holds `text`. */
function lineOf(fixture: string, text: string): number {
  const index = readFileSync(`${FIXTURES}/${fixture}.vue`, 'utf8').split('\n').findIndex((line) => line.includes(text));
  assert.ok(index >= 0, `${fixture}.vue has ${text}`);
  return index + 1;
}

const show = (diagnostics: Diagnostic[]) => diagnostics.map((d) => `${d.file}(${d.line}): ${d.code} ${d.message}`).join('\n');

describe('careconnect-launch/vue with vue-tsc', () => {
  // Both runs start at once: each takes a few seconds, mostly TypeScript reading lib.dom and Vue's types.
  // A run that fails before its test awaits it is that test's failure, not an unhandled rejection.
  const runs = { right: vueTsc('right'), wrong: vueTsc('wrong') };
  for (const run of Object.values(runs)) run.catch(() => {});

  it('accepts the element with its properties, kebab or camel case, .prop bindings and typed event handlers', async () => {
    const diagnostics = await runs.right;
    assert.deepEqual(diagnostics, [], show(diagnostics));
  });

  it('refuses a number for healthNumber, an unknown userRole and a detail field events do not have', async () => {
    const diagnostics = await runs.wrong;
    const expected = [
      { line: lineOf('wrong', ':healthNumber="123"'), message: /Type 'number' is not assignable to type 'string'/ },
      { line: lineOf('wrong', `:userRole="'doctor'"`), message: /Type '"doctor"' is not assignable to type 'UserRole\b/ },
      { line: lineOf('wrong', 'e.detail.healthNumber'), message: /Property 'healthNumber' does not exist on type 'CareConnectViewerDetail'/ },
    ];
    for (const { line, message } of expected) {
      assert.ok(diagnostics.some((d) => d.line === line && message.test(d.message)), `line ${line}: ${message}\n${show(diagnostics)}`);
    }
    assert.equal(diagnostics.length, expected.length, show(diagnostics));
  });
});
