// `npm run test:e2e`: the extension as a user gets it — packaged into a .vsix, installed into a
// fresh VS Code 1.100.3 (code-server), driven through the UI by Chromium. Screenshots and the
// browser console go to test-results/e2e/.
//   HARNESS_VSIX=path.vsix         use this package instead of building one (e.g. to test the harness)
//   HARNESS_DUMP_CHART=file.json   also write the loss chart's raw pixels (see canvasCurve.mjs)
import fs from 'node:fs';
import path from 'node:path';
import { ensureSystem } from './systemDeps.mjs';
import { ensureCodeServer } from './codeServerInstall.mjs';
import { createProfile } from './profile.mjs';
import { installVsix, startServer } from './codeServer.mjs';
import { freshWorkspace } from './workspace.mjs';
import { launchBrowser } from './browser.mjs';
import { findOutputLog, reportExtensionHostErrors } from './extensionHostLog.mjs';
import { cacheDir, resultsFor } from './paths.mjs';
import { openWorkbench, workbenchUrl } from './workbench.mjs';
import { clearSummary, writeSummary } from './summary.mjs';
import { checklist, logger } from './log.mjs';
import { packageExtension } from '../../scripts/package.mjs';
import { trainScenario } from './scenarios/train.mjs';
import { compareFromRunsViewScenario, optimizersScenario, prepareCompareExperiment, runsTableScenario, stopMarkScenario, trainAllScenario } from './scenarios/compare.mjs';
import { reloadAndValidateScenario } from './scenarios/reloadAndValidate.mjs';
import { walkthroughScenario } from './scenarios/walkthrough.mjs';
import { imageViewsScenario } from './scenarios/imageViews.mjs';
import { compareBoundariesScenario, runViewsScenario, softLabelsScenario } from './scenarios/runViews.mjs';
import { explodingLrScenario, prepareExplodingExperiment } from './scenarios/explodingLr.mjs';
import { badFilesScenario, prepareBadFilesExperiment } from './scenarios/badFiles.mjs';
import {
  fastRunScenario,
  longRunStopScenario,
  nanMarkScenario,
  prepareLiveExperiments,
  reloadMidRunScenario,
  reopenZoomScenario,
  slowStepStopScenario,
  themesScenario,
} from './scenarios/liveRuns.mjs';

const STAGE = 'e2e';
const log = logger('e2e');
const artifactsDir = resultsFor(STAGE);

async function main() {
  await ensureSystem();
  await ensureCodeServer();
  const vsix = process.env.HARNESS_VSIX
    ? path.resolve(process.env.HARNESS_VSIX)
    : await log.step('packaging the extension', async () => (await packageExtension()).vsixPath);

  const profile = createProfile(path.join(cacheDir, 'profiles', STAGE));
  await installVsix(profile, vsix);
  const workspace = freshWorkspace(STAGE);
  prepareExplodingExperiment(workspace);
  prepareBadFilesExperiment(workspace);
  prepareLiveExperiments(workspace);
  prepareCompareExperiment(workspace);
  const server = await startServer(profile);
  const checks = checklist();
  const browser = await launchBrowser({ artifactsDir, args: ['--enable-precise-memory-info'] });
  const figures = {};
  try {
    const scenario = {
      page: browser.page, baseUrl: server.url, workspace, artifactsDir, shot: browser.shot, check: checks.check,
      server, chromiumProfile: browser.profileDir, figures,
    };
    // HARNESS_SCENARIOS=name,name runs only those (their names below), e.g. while working on one.
    const only = process.env.HARNESS_SCENARIOS?.split(',');
    const wanted = (f) => !only || only.includes(f.name);
    for (const first of [trainScenario, reloadAndValidateScenario, explodingLrScenario].filter(wanted)) {
      await first(scenario);
    }
    if (!(await browser.page.locator('.monaco-workbench').isVisible().catch(() => false))) {
      await openWorkbench(browser.page, workbenchUrl(server.url, workspace), 'spiral.experiment.json');
    }
    // Long runs: each measured, each asserted with generous bounds (bench/live.bench.mjs: exact figures).
    for (const live of [badFilesScenario, walkthroughScenario, imageViewsScenario, runViewsScenario, compareBoundariesScenario, softLabelsScenario, trainAllScenario, compareFromRunsViewScenario, runsTableScenario, stopMarkScenario, optimizersScenario, fastRunScenario, longRunStopScenario, slowStepStopScenario, nanMarkScenario, reloadMidRunScenario, reopenZoomScenario, themesScenario].filter(wanted)) {
      try {
        await live(scenario);
      } catch (e) {
        checks.check(false, `${live.name} ran to its end`, e instanceof Error ? e.message.split('\n')[0] : String(e));
        console.error(e);
        await browser.shot(`98-${live.name}-failure.png`).catch(() => {});
      }
    }
    fs.writeFileSync(path.join(artifactsDir, 'live-figures.json'), JSON.stringify(figures, null, 2));
  } catch (e) {
    checks.check(false, 'the scenario ran to its end', e instanceof Error ? e.message.split('\n')[0] : String(e));
    console.error(e);
    await browser.shot('99-failure.png').catch(() => {});
  } finally {
    await browser.close();
    await server.stop();
  }
  if (checks.failed > 0) { reportExtensionHostErrors(profile, 'trainscope'); }
  const channel = findOutputLog(profile);
  if (channel) { fs.copyFileSync(channel, path.join(artifactsDir, 'trainscope-output.log')); }
  return checks;
}

clearSummary(STAGE);
fs.mkdirSync(artifactsDir, { recursive: true });
for (const f of fs.readdirSync(artifactsDir)) { if (f.endsWith('.png')) { fs.rmSync(path.join(artifactsDir, f)); } }
try {
  const checks = await main();
  writeSummary(STAGE, { passed: checks.passed, failed: checks.failed, checks: checks.results });
  log.info(`${checks.failed === 0 ? 'PASSED' : 'FAILED'}: ${checks.passed} passed, ${checks.failed} failed (screenshots in ${path.relative(process.cwd(), artifactsDir)})`);
  process.exit(checks.failed === 0 && checks.passed > 0 ? 0 : 1);
} catch (e) {
  log.error(e instanceof Error ? e.message : String(e));
  writeSummary(STAGE, { passed: 0, failed: 1, error: String(e) });
  process.exit(1);
}
