// `npm test`: every check the project has, in order, each stage timed:
//   typecheck → lint → generated files current → build → unit tests → integration tests (real VS Code) → UI end-to-end (real VS Code
//   + Chromium) → `npm start -- --check`.
// All stages run even after a failure, so one run shows everything that is broken. The closing
// line counts individual tests where a stage has them (vitest, mocha, the e2e checks; a stage
// without tests counts as one) and reads `N passed, N failed`. Exit code 1 if anything failed.
//   SKIP_E2E=1  skip the three real-VS-Code stages (quick local runs).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runVisible } from '../test/e2e/processes.mjs';
import { clearSummary, readSummary } from '../test/e2e/summary.mjs';
import { resultsFor } from '../test/e2e/paths.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules/.bin', name);
const vitestJson = path.join(resultsFor('unit'), 'vitest.json');
const skipE2E = process.env.SKIP_E2E === '1';

/** A stage: a command, and where its test counts come from (none: the stage counts as one). */
const STAGES = [
  { name: 'typecheck', cmd: process.execPath, args: ['scripts/typecheck.mjs'] },
  // The architecture too: which layer may import which, no cycles, no editor/Node/DOM code where it cannot run.
  { name: 'lint', cmd: bin('eslint'), args: ['.'] },
  // Before the build rewrites them: the committed JSON Schema and format reference are current.
  { name: 'generated files', cmd: process.execPath, args: ['scripts/generate.mjs', '--check'] },
  { name: 'build', cmd: process.execPath, args: ['scripts/build.mjs'] },
  {
    name: 'unit tests', cmd: bin('vitest'),
    // Only the unit suites and the harness's own pure logic (test/integration needs a VS Code).
    args: ['run', 'test/unit/', 'test/e2e/', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`],
    counts: () => {
      const r = readJson(vitestJson);
      return r && { passed: r.numPassedTests, failed: r.numFailedTests + (r.numRuntimeErrors ?? 0) };
    },
    before: () => fs.rmSync(vitestJson, { force: true }),
  },
  { name: 'integration tests', realVSCode: true, cmd: process.execPath, args: ['test/e2e/run-integration.mjs'], summary: 'integration' },
  { name: 'UI end-to-end', realVSCode: true, cmd: process.execPath, args: ['test/e2e/run-ui.mjs'], summary: 'e2e' },
  { name: 'npm start -- --check', realVSCode: true, cmd: 'npm', args: ['start', '--', '--check'], summary: 'start-check' },
];

function readJson(file) {
  try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return undefined; }
}

/** Test counts for a finished stage; a non-zero exit always counts as at least one failure. */
function countsFor(stage, exitCode) {
  const counted = stage.counts?.() ?? (stage.summary ? readSummary(stage.summary) : undefined);
  if (!counted) { return exitCode === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 }; }
  const { passed, failed } = counted;
  return { passed, failed: exitCode !== 0 && failed === 0 ? 1 : failed };
}

const results = [];
const started = Date.now();
if (skipE2E) {
  console.log('\n' + '!'.repeat(78));
  console.log('!! SKIP_E2E=1: the integration, UI end-to-end and `npm start --check` stages are SKIPPED.');
  console.log('!! Nothing here was tried in a real VS Code.');
  console.log('!'.repeat(78));
}
for (const [i, stage] of STAGES.entries()) {
  const title = `[${i + 1}/${STAGES.length}] ${stage.name}`;
  if (skipE2E && stage.realVSCode) {
    console.log(`\n=== ${title}: SKIPPED (SKIP_E2E=1)`);
    results.push({ stage, status: 'SKIP', seconds: 0, passed: 0, failed: 0 });
    continue;
  }
  console.log(`\n=== ${title} — ${path.basename(stage.cmd)} ${stage.args.join(' ')}`);
  stage.before?.();
  if (stage.summary) { clearSummary(stage.summary); }
  const t = Date.now();
  const exitCode = await runVisible(stage.cmd, stage.args, { cwd: root }).catch((e) => {
    console.error(`could not run ${stage.cmd}: ${e.message}`);
    return 127;
  });
  const seconds = (Date.now() - t) / 1000;
  const counts = countsFor(stage, exitCode);
  const status = exitCode === 0 && counts.failed === 0 ? 'PASS' : 'FAIL';
  results.push({ stage, status, seconds, ...counts });
  console.log(`=== ${title}: ${status} in ${seconds.toFixed(1)}s (${counts.passed} passed, ${counts.failed} failed${exitCode !== 0 ? `, exit code ${exitCode}` : ''})`);
}

const total = results.reduce((a, r) => ({ passed: a.passed + r.passed, failed: a.failed + r.failed }), { passed: 0, failed: 0 });
const skipped = results.filter(r => r.status === 'SKIP').length;
console.log(`\n${'stage'.padEnd(24)}${'result'.padEnd(8)}${'time'.padStart(8)}   tests`);
for (const r of results) {
  const tests = r.status === 'SKIP' ? 'skipped' : `${r.passed} passed, ${r.failed} failed`;
  console.log(`${r.stage.name.padEnd(24)}${r.status.padEnd(8)}${`${r.seconds.toFixed(1)}s`.padStart(8)}   ${tests}`);
}
console.log(`${'total'.padEnd(24)}${(total.failed === 0 ? 'PASS' : 'FAIL').padEnd(8)}${`${((Date.now() - started) / 1000).toFixed(1)}s`.padStart(8)}`);
if (skipped > 0) { console.log(`(${skipped} real-VS-Code stages skipped: SKIP_E2E=1)`); }
console.log(`\n${total.passed} passed, ${total.failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(total.failed === 0 ? 0 : 1);
