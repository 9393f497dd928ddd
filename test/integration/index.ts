// Entry point VS Code calls inside the extension host when launched with `extensionTestsPath`
// (code-server: the workbench URL's `payload`; desktop: @vscode/test-electron). Runs every
// *.test.js bundle next to this file with mocha and settles with the result.
//
// The result also goes to a JSON file (HARNESS_RESULTS, else the OS temp dir): the browser-side
// exit code is the main channel, the file lets a runner report counts and failure messages.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

interface FailureRecord { title: string; error: string }

export interface HarnessResults {
  passed: number;
  failed: number;
  pending: number;
  failures: FailureRecord[];
  vscodeVersion: string;
  finishedAt: string;
}

function resultsPath(): string {
  return process.env.HARNESS_RESULTS || path.join(os.tmpdir(), 'trainscope-integration-results.json');
}

/** Opt-in proof that a failing test makes the whole run fail (HARNESS_SELF_CHECK=1). */
function addSelfCheckSuite(mocha: Mocha): void {
  const suite = Mocha.Suite.create(mocha.suite, 'harness self-check (HARNESS_SELF_CHECK=1)');
  suite.addTest(new Mocha.Test('fails on purpose so the runner must exit non-zero', () => {
    throw new Error('deliberate failure: the harness must report this run as failed');
  }));
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', reporter: 'spec', color: false, timeout: 60_000 });
  const files = fs.readdirSync(__dirname).filter(f => f.endsWith('.test.js')).sort();
  for (const f of files) { mocha.addFile(path.join(__dirname, f)); }
  if (process.env.HARNESS_SELF_CHECK === '1') { addSelfCheckSuite(mocha); }
  console.log(`[integration] ${files.length} test files: ${files.join(', ')}`);

  return new Promise((resolve, reject) => {
    const results: HarnessResults = {
      passed: 0, failed: 0, pending: 0, failures: [],
      vscodeVersion: vscode.version,
      finishedAt: '',
    };
    const runner = mocha.run(failures => {
      results.finishedAt = new Date().toISOString();
      try {
        fs.mkdirSync(path.dirname(resultsPath()), { recursive: true });
        fs.writeFileSync(resultsPath(), JSON.stringify(results, null, 2));
      } catch (e) {
        console.error(`[integration] could not write ${resultsPath()}: ${String(e)}`);
      }
      console.log(`[integration] ${results.passed} passed, ${results.failed} failed`);
      if (failures > 0) { reject(new Error(`${failures} integration test(s) failed`)); } else { resolve(); }
    });
    runner.on('pass', () => { results.passed++; });
    runner.on('pending', () => { results.pending++; });
    runner.on('fail', (test, err: unknown) => {
      results.failed++;
      results.failures.push({ title: test.fullTitle(), error: err instanceof Error ? err.message : String(err) });
    });
  });
}
