// The same integration suite through @vscode/test-electron, for machines with a desktop VS Code
// (a developer's laptop). Not part of `npm test`: here there is no display and no way to download
// VS Code (only the npm registry is reachable) — use run-integration.mjs (code-server) there.
//
//   VSCODE_EXECUTABLE=/usr/share/code/code node test/e2e/run-integration-electron.mjs
//   node test/e2e/run-integration-electron.mjs        # downloads VS Code 1.100.3 into .vscode-test/
// On a Linux machine without a display, wrap it in `xvfb-run -a`. Needs `npm run build` first.
import fs from 'node:fs';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { createProfile } from './profile.mjs';
import { freshWorkspace } from './workspace.mjs';
import { cacheDir, repoRoot, resultsFor } from './paths.mjs';
import { logger } from './log.mjs';

const log = logger('integration-electron');
const VSCODE_VERSION = '1.100.3'; // the same VS Code that code-server 4.100.3 bundles

const extensionTestsPath = path.join(repoRoot, 'out/test/integration');
for (const file of [path.join(repoRoot, 'dist/extension.js'), path.join(extensionTestsPath, 'index.js')]) {
  if (!fs.existsSync(file)) { log.error(`${path.relative(repoRoot, file)} is missing: run \`npm run build\` first`); process.exit(1); }
}
const workspace = freshWorkspace('integration-electron');
const profile = createProfile(path.join(cacheDir, 'profiles', 'integration-electron'));
const resultsFile = path.join(resultsFor('integration-electron'), 'mocha-results.json');
fs.mkdirSync(path.dirname(resultsFile), { recursive: true });

const executable = process.env.VSCODE_EXECUTABLE;
log.info(executable ? `using VS Code at ${executable}` : `no VSCODE_EXECUTABLE: downloading VS Code ${VSCODE_VERSION} into ${cacheDir}`);
try {
  const code = await runTests({
    ...(executable ? { vscodeExecutablePath: executable } : { version: VSCODE_VERSION, cachePath: cacheDir }),
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath,
    extensionTestsEnv: { HARNESS_RESULTS: resultsFile, HARNESS_SELF_CHECK: process.env.HARNESS_SELF_CHECK ?? '0' },
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
      '--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir],
  });
  log.info(`VS Code exited with ${code}; results in ${resultsFile}`);
  process.exit(code === 0 ? 0 : 1);
} catch (e) {
  log.error(`integration tests failed or VS Code could not start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
