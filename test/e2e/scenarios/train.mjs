// The user's first run, as a person does it: open the spiral experiment from the Explorer, click
// the "▶ Train" code lens, watch the run panel until training completes, and see a loss curve that
// goes down — read from the chart's pixels. Then the Problems panel must hold no Trainscope error
// for the file.
import fs from 'node:fs';
import { assessFall, lineColumns, parseColor } from '../canvasCurve.mjs';
import { activityBarItem, codeLens, findWebviewFrame, openFromExplorer, openWorkbench, problems, shows, workbenchUrl } from '../workbench.mjs';
import { logger } from '../log.mjs';

const EXPERIMENT = 'spiral.experiment.json';
const TRAIN_LENS = '\u25B6 Train';
const TRAINING_TIMEOUT_MS = 120_000;

const log = logger('e2e:train');

/** Inside the webview: is this the run panel (not the side-bar view) with the loss chart? */
function isRunPanel() {
  return document.body?.dataset.view === 'panel' && document.querySelector('canvas#loss-chart') !== null;
}

/** Inside the webview: the loss chart's pixels and the train line's colour. */
function readLossChart() {
  const canvas = document.querySelector('canvas#loss-chart');
  const ctx = canvas.getContext('2d');
  const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
  return { width: image.width, height: image.height, data: Array.from(image.data), color: canvas.dataset.trainColor ?? '' };
}

/**
 * Runs the scenario in `page` against the server at `baseUrl` with `workspace` open.
 * `shot(name)` saves a screenshot; `check(ok, what, detail)` records a PASS/FAIL line.
 */
export async function trainScenario({ page, baseUrl, workspace, artifactsDir, shot, check }) {
  await openWorkbench(page, workbenchUrl(baseUrl, workspace), EXPERIMENT);
  log.info('workbench loaded; the Explorer lists the experiment');
  check(await shows(activityBarItem(page, 'Trainscope'), 30_000), 'the installed extension shows its Trainscope activity-bar item');
  await shot('01-workbench.png');

  await openFromExplorer(page, EXPERIMENT);
  const lens = codeLens(page, TRAIN_LENS);
  const lensShown = await shows(lens, 60_000);
  check(lensShown, `code lens "${TRAIN_LENS}" is shown on ${EXPERIMENT}`);
  if (!lensShown) { throw new Error(`no "${TRAIN_LENS}" code lens on ${EXPERIMENT}`); }
  await shot('02-codelens.png');

  await lens.click();
  log.info('clicked the code lens');
  const panel = await findWebviewFrame(page, isRunPanel, { timeoutMs: 30_000 });
  check(true, 'the run panel (webview with the loss chart) opened');
  // Screenshot while the run is going on: at once, the spiral trains in a few seconds.
  const seen = await panel.evaluate(() => document.body.dataset.status ?? '');
  await shot('03-running.png');
  if (!['starting', 'running'].includes(seen)) { log.info(`the run was already "${seen}" when the panel was found: 03-running.png shows it finished`); }

  const status = await panel.waitForFunction(
    () => ['completed', 'stopped', 'failed', 'interrupted'].includes(document.body.dataset.status ?? '') && document.body.dataset.status,
    null, { timeout: TRAINING_TIMEOUT_MS, polling: 250 },
  ).then(h => h.jsonValue());
  check(status === 'completed', 'training ran to completion', `status "${status}"`);
  await page.waitForTimeout(500); // the final chart update is drawn on the next frame
  await shot('04-completed.png');

  // The course's first check, shown beside the run's numbers: the first loss against ln C.
  const firstLoss = await panel.evaluate(() => {
    const stat = document.querySelector('[data-stat="first-loss"]');
    return stat ? `${stat.querySelector('.stat-label')?.textContent} ${stat.querySelector('.stat-value')?.textContent}` : '';
  });
  check(/^First loss \(ln 3 = 1\.099\) \d+\.\d{4} \(\d\.\d\d×\)$/.test(firstLoss), 'the panel shows the first loss against ln C', firstLoss || 'no first-loss stat');

  const chart = await panel.evaluate(readLossChart);
  await panel.locator('canvas#loss-chart').screenshot({ path: `${artifactsDir}/06-loss-chart.png` }).catch(() => {});
  // The raw pixels, to re-run the analysis offline when it disagrees with the screenshot.
  if (process.env.HARNESS_DUMP_CHART) { fs.writeFileSync(process.env.HARNESS_DUMP_CHART, JSON.stringify(chart)); }
  check(chart.color !== '', 'the loss chart names its train-line colour (data-train-color)', chart.color);
  if (chart.color) {
    const columns = lineColumns({ data: chart.data, width: chart.width, height: chart.height }, parseColor(chart.color));
    const fall = assessFall(columns);
    const round = (v) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v);
    console.log(`  loss chart ${chart.width}x${chart.height}px, train line ${chart.color}: found in ${fall.coveredColumns} columns` +
      ` (x ${fall.firstColumn}..${fall.lastColumn}); pixel y (down = lower loss): first column ${round(fall.firstY)},` +
      ` mean of first ${fall.bandColumns} columns ${round(fall.startY)}, mean of last ${fall.bandColumns} columns ${round(fall.endY)},` +
      ` last column ${round(fall.lastY)}; drop ${round(fall.drop)} px (needed > ${round(fall.needed)} px: 2 x jitter ${round(fall.endJitter)} px at the end)`);
    const span = fall.coveredColumns > 0 ? fall.lastColumn - fall.firstColumn + 1 : 0;
    check(span >= chart.width * 0.5 && fall.coveredColumns >= span * 0.5, 'the train-loss line is drawn across the chart',
      `spans ${span} of ${chart.width} columns, visible in ${fall.coveredColumns}`);
    check(fall.fell, 'the train-loss curve on the canvas goes down', fall.reason ?? `drop ${round(fall.drop)} px`);
  }

  const markers = (await problems(page, EXPERIMENT)).filter(m => m.file === EXPERIMENT);
  for (const m of markers) { console.log(`  Problems: ${m.severity} ${m.source ? `[${m.source}] ` : ''}${m.message} ${m.line}`); }
  const trainscopeErrors = markers.filter(m => m.severity === 'error' && /trainscope/i.test(m.source));
  check(trainscopeErrors.length === 0, `no Trainscope errors for ${EXPERIMENT} in the Problems panel`,
    trainscopeErrors.map(m => m.message).join(' | '));
  // The example must be clean for any checker a user sees (e.g. its comments are fine: it is JSONC).
  const anyErrors = markers.filter(m => m.severity === 'error');
  check(anyErrors.length === 0, `no errors at all for ${EXPERIMENT} in the Problems panel`,
    anyErrors.map(m => `${m.source || 'unknown source'}: ${m.message}`).join(' | '));
  await shot('05-problems.png');
}
