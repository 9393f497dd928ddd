// `npm run test:integration`: the mocha suites of test/integration inside the extension host of a
// real VS Code 1.100.3 (code-server), with the repository as the extension under development.
// Needs a build first (`npm run build`: dist/ and out/test/integration/).
//   HARNESS_SELF_CHECK=1  adds a deliberately failing test; the run must then exit non-zero.
import fs from 'node:fs';
import path from 'node:path';
import { ensureSystem } from './systemDeps.mjs';
import { ensureCodeServer } from './codeServerInstall.mjs';
import { createProfile } from './profile.mjs';
import { startServer } from './codeServer.mjs';
import { freshWorkspace } from './workspace.mjs';
import { runExtensionTests } from './extensionTests.mjs';
import { cacheDir, repoRoot, resultsFor } from './paths.mjs';
import { clearSummary, writeSummary } from './summary.mjs';
import { logger } from './log.mjs';
import { isMain } from './isMain.mjs';

const log = logger('integration');
const STAGE = 'integration';

function requireBuilt(file) {
  if (!fs.existsSync(file)) { throw new Error(`${path.relative(repoRoot, file)} is missing: run \`npm run build\` first`); }
}

/** Runs the suite; resolves to { exitCode, passed, failed, failures }. */
export async function runIntegration({
  extensionDevelopmentPath = repoRoot,
  extensionTestsPath = path.join(repoRoot, 'out/test/integration'),
  artifactsDir = resultsFor(STAGE),
} = {}) {
  requireBuilt(path.join(extensionDevelopmentPath, 'dist/extension.js'));
  requireBuilt(path.join(extensionTestsPath, 'index.js'));
  await ensureSystem();
  await ensureCodeServer();

  const selfCheck = process.env.HARNESS_SELF_CHECK === '1';
  if (selfCheck) { log.info('HARNESS_SELF_CHECK=1: a deliberately failing test is added; this run must fail'); }
  const workspace = freshWorkspace(STAGE);
  const profile = createProfile(path.join(cacheDir, 'profiles', STAGE));
  const resultsFile = path.join(artifactsDir, 'mocha-results.json');
  fs.mkdirSync(artifactsDir, { recursive: true });
  fs.rmSync(resultsFile, { force: true });

  const server = await startServer(profile, {
    env: { HARNESS_RESULTS: resultsFile, HARNESS_SELF_CHECK: selfCheck ? '1' : '0' },
  });
  let code;
  try {
    code = await runExtensionTests({ server, workspace, extensionDevelopmentPath, extensionTestsPath, artifactsDir });
  } finally {
    await server.stop();
  }

  const results = readJson(resultsFile);
  if (!results) { log.error(`the suite wrote no results to ${resultsFile} (it did not run to the end; server log: ${profile.serverLog})`); }
  const passed = results?.passed ?? 0;
  const failed = results ? results.failed : 1;
  for (const f of results?.failures ?? []) { log.info(`failed: ${f.title}: ${f.error}`); }
  const exitCode = code === 0 && results && failed === 0 ? 0 : 1;
  return { exitCode, passed, failed, failures: results?.failures ?? [], hostExitCode: code };
}

function readJson(file) {
  try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return undefined; }
}

if (isMain(import.meta.url)) {
  clearSummary(STAGE);
  try {
    const r = await runIntegration();
    writeSummary(STAGE, { passed: r.passed, failed: r.failed, failures: r.failures, hostExitCode: r.hostExitCode });
    log.info(`${r.exitCode === 0 ? 'PASSED' : 'FAILED'}: ${r.passed} passed, ${r.failed} failed (extension host exit code ${r.hostExitCode})`);
    process.exit(r.exitCode);
  } catch (e) {
    log.error(e instanceof Error ? e.message : String(e));
    writeSummary(STAGE, { passed: 0, failed: 1, error: String(e) });
    process.exit(1);
  }
}
