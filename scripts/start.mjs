// `npm start`: try the extension in a real VS Code in the browser, right now.
// Builds and packages the extension, installs it into a persistent profile
// (.vscode-test/start-profile/, reinstalled on every start so the latest build runs), starts
// code-server on 127.0.0.1 and opens the repository's examples/ folder. Ctrl+C stops it.
//   PORT=9000 npm start       a given port (default: 8080 or the next free one)
//   npm start -- --check      start, verify in Chromium that the workbench loads with the extension
//                             active (its activity-bar item and the "▶ Train" code lens), then exit
import path from 'node:path';
import { packageExtension } from './package.mjs';
import { ensureSystem, offerOptionalPackages } from '../test/e2e/systemDeps.mjs';
import { ensureCodeServer } from '../test/e2e/codeServerInstall.mjs';
import { createProfile } from '../test/e2e/profile.mjs';
import { freePort, installVsix, startServer } from '../test/e2e/codeServer.mjs';
import { launchBrowser } from '../test/e2e/browser.mjs';
import { reportExtensionHostErrors } from '../test/e2e/extensionHostLog.mjs';
import { activityBarItem, codeLens, openFromExplorer, openWorkbench, shows, workbenchUrl } from '../test/e2e/workbench.mjs';
import { cacheDir, examplesDir, resultsFor } from '../test/e2e/paths.mjs';
import { clearSummary, writeSummary } from '../test/e2e/summary.mjs';
import { checklist, logger } from '../test/e2e/log.mjs';

const log = logger('start');
const checkOnly = process.argv.includes('--check');
const STAGE = 'start-check';

async function choosePort() {
  if (process.env.PORT) {
    const wanted = Number(process.env.PORT);
    if ((await freePort(wanted)) !== wanted) { throw new Error(`PORT=${wanted} is in use`); }
    return wanted;
  }
  return freePort(8080);
}

/** What a person sees first: the workbench with the Trainscope activity-bar item and the Train lens. */
async function verifyInBrowser(url) {
  const checks = checklist();
  const browser = await launchBrowser({ artifactsDir: resultsFor(STAGE) });
  try {
    const { page } = browser;
    await openWorkbench(page, url, 'spiral.experiment.json');
    checks.check(true, 'the workbench loads with examples/ open');
    checks.check(await shows(activityBarItem(page, 'Trainscope'), 30_000), 'the Trainscope activity-bar item is shown');
    await openFromExplorer(page, 'spiral.experiment.json');
    const lens = codeLens(page, '\u25B6 Train');
    checks.check(await shows(lens, 60_000), 'the extension is active: "▶ Train" code lens on spiral.experiment.json');
    await browser.shot('start-check.png');
  } catch (e) {
    checks.check(false, 'the workbench check ran to its end', e instanceof Error ? e.message.split('\n')[0] : String(e));
    await browser.shot('start-check-failure.png').catch(() => {});
  } finally {
    await browser.close();
  }
  return checks;
}

async function main() {
  const { vsixPath } = await log.step('build and package', () => packageExtension());
  await ensureSystem();
  // The full Fashion-MNIST for the examples (a slice ships with them); not needed by the check.
  if (!checkOnly) { await offerOptionalPackages(); }
  await ensureCodeServer();
  const profile = createProfile(path.join(cacheDir, 'start-profile'), { fresh: false });
  await installVsix(profile, vsixPath);
  const server = await startServer(profile, { port: await choosePort() });
  const url = workbenchUrl(server.url, examplesDir);

  if (checkOnly) {
    const checks = await verifyInBrowser(url);
    await server.stop();
    if (checks.failed > 0) { reportExtensionHostErrors(profile, 'trainscope'); }
    writeSummary(STAGE, { passed: checks.passed, failed: checks.failed, checks: checks.results });
    log.info(`${checks.failed === 0 ? 'PASSED' : 'FAILED'}: ${checks.passed} passed, ${checks.failed} failed`);
    return checks.failed === 0 ? 0 : 1;
  }

  console.log('\n  Trainscope is running in VS Code at:\n');
  console.log(`    ${url}\n`);
  console.log(`  (code-server log: ${profile.serverLog}; press Ctrl+C to stop)\n`);
  // Stay in the foreground until the server ends; codeServer.mjs stops it on Ctrl+C / SIGTERM.
  const { code, signal } = await server.done;
  log.info(`code-server stopped (${signal ?? `exit code ${code}`})`);
  return code === 0 || signal ? 0 : 1;
}

if (checkOnly) { clearSummary(STAGE); }
try {
  process.exitCode = await main();
} catch (e) {
  log.error(e instanceof Error ? e.message : String(e));
  if (checkOnly) { writeSummary(STAGE, { passed: 0, failed: 1, error: String(e) }); }
  process.exitCode = 1;
}
