// Long runs as a user lives them in the real VS Code: a million steps at the speed of a fast engine
// (a linear model at batch 1 runs >100k steps/s today), the spiral at batch 8 stopped
// mid-run, Stop pressed during a single step that takes long, a window reload mid-run, and the kept
// million-step run reopened, zoomed and read with the crosshair. The bounds asserted here are
// generous (a loaded 2-core machine); bench/live.bench.mjs measures the exact figures.
import fs from 'node:fs';
import path from 'node:path';
import { findWebviewFrame, problems, shows, workbenchUrl } from '../workbench.mjs';
import { closeAllEditors, ended, isPanelOf, panelState, progressLens, reloadWindow, runCommand, sampleRun, setColorTheme, showTrainscopeView, sleep, summarize, timeStop, trainFromLens } from '../liveRun.mjs';
import { folderBytes, newestRun, recordTail, runMeta, stepLoss } from '../runFolder.mjs';
import { logger } from '../log.mjs';

const log = logger('e2e:live');

export const EXPERIMENTS = {
  fast: {
    file: 'fast.experiment.json',
    title: 'Fast linear',
    text: `// A million steps at more than 100,000 steps a second: a linear model at batch 1.
{
  "name": "Fast linear",
  "data": { "type": "blobs", "samples": 1000, "classes": 3 },
  "model": [{ "type": "linear" }],
  "optimizer": { "type": "sgd", "lr": 0.01 },
  "training": { "epochs": 1250, "batch_size": 1 }
}
`,
  },
  long: {
    file: 'long.experiment.json',
    title: 'Long spiral',
    text: `// The spiral at batch 8 for 20,000 epochs: 1.2 million steps at today's ~6,000 steps a second.
{
  "name": "Long spiral",
  "data": { "type": "spiral", "samples": 600, "classes": 3, "noise": 0.2, "validation_split": 0.2 },
  "model": [{ "type": "linear", "out_features": 64 }, "relu", { "type": "linear", "out_features": 64 }, "relu", { "type": "linear" }],
  "init": { "weight": { "type": "kaiming_normal", "nonlinearity": "relu" }, "bias": "zeros" },
  "optimizer": { "type": "sgd", "lr": 0.1, "momentum": 0.9 },
  "training": { "epochs": 20000, "batch_size": 8, "seed": 0 }
}
`,
  },
  slow: {
    file: 'slow.experiment.json',
    title: 'Slow step',
    text: `// One step takes long: a batch of 20,000 through two 2,000-wide layers (~0.5 TFLOP a step,
// ~1.4 GiB of buffers: within the engine's 2 GiB).
{
  "name": "Slow step",
  "data": { "type": "spiral", "samples": 25000, "classes": 3, "validation_split": 0.2 },
  "model": [{ "type": "linear", "out_features": 2000 }, "relu", { "type": "linear", "out_features": 2000 }, "relu", { "type": "linear" }],
  "optimizer": { "type": "sgd", "lr": 0.01 },
  "training": { "epochs": 2, "batch_size": 20000 }
}
`,
  },
  nan: {
    file: 'nan.experiment.json',
    title: 'Goes NaN',
    text: `// The exploding-loss rule switched off: with momentum the loss runs on until it is NaN.
{
  "name": "Goes NaN",
  "data": { "type": "spiral", "samples": 390, "classes": 3, "noise": 0.2, "seed": 1, "validation_split": 0.23 },
  "model": [{ "type": "linear", "out_features": 64 }, "relu", { "type": "linear", "out_features": 64 }, "relu", { "type": "linear" }],
  "init": { "weight": { "type": "kaiming_normal", "nonlinearity": "relu" }, "bias": "zeros" },
  "optimizer": { "type": "sgd", "lr": 1000000, "momentum": 0.9 },
  "training": { "epochs": 20, "batch_size": 32, "seed": 1 },
  "diagnostics": { "disabled": ["exploding-loss"] }
}
`,
  },
  reload: {
    file: 'reload.experiment.json',
    title: 'Reload me',
    text: `// Weights far too large for a start: a warning at step 1, then a long run to reload in the middle of.
{
  "name": "Reload me",
  "data": { "type": "spiral", "samples": 600, "classes": 3 },
  "model": [{ "type": "linear", "out_features": 64 }, "relu", { "type": "linear" }],
  "init": { "weight": { "type": "normal", "std": 3 }, "bias": "zeros" },
  "optimizer": { "type": "sgd", "lr": 0.01 },
  "training": { "epochs": 20000, "batch_size": 8 }
}
`,
  },
};

/** Writes the experiments into the workspace before the workbench opens. */
export function prepareLiveExperiments(workspace) {
  for (const e of Object.values(EXPERIMENTS)) { fs.writeFileSync(path.join(workspace, e.file), e.text); }
}

function round(v, digits = 0) { return typeof v === 'number' ? Number(v.toFixed(digits)) : v; }

/** A million steps at >100k steps/s: the panel keeps up, memory stays put, the folder stays small. */
export async function fastRunScenario(ctx) {
  const { page, workspace, server, chromiumProfile, check, shot, figures } = ctx;
  const e = EXPERIMENTS.fast;
  await closeAllEditors(page);
  const frame = await trainFromLens(page, e.file, e.title);
  const runsDir = path.join(workspace, '.trainscope', 'runs');
  let runDir;
  for (let i = 0; i < 50 && !runDir; i++) { runDir = newestRun(runsDir, e.title); if (!runDir) { await sleep(100); } }
  const tail = recordTail(runDir);
  const sampled = await sampleRun({ page, frame, tail, serverPid: server.pid, chromiumProfile, everyMs: 250, framesEvery: 4, timeoutMs: 180_000 });
  const status = await ended(frame, 60_000);
  await sleep(500);
  const shown = await panelState(frame);
  const figure = summarize(sampled);
  const meta = runMeta(runDir);
  const bytes = folderBytes(runDir);
  figure.steps = meta.summary?.steps;
  figure.stepsPerSecond = round(meta.summary?.steps_per_second);
  figure.folderMBPerMillionSteps = round((bytes / 1e6) * (1e6 / (meta.summary?.steps || 1)), 1);
  figures.fast = { ...figure, trace: sampled.samples.map(x => [x.t, x.engineStep, x.shownStep, x.lagMs, x.status, round(x.hostMB), round(x.renderer.largest)]) };
  log.info(`fast run: ${JSON.stringify(figure)}`);
  check(status === 'completed' && shown.step === 1_000_000, 'a run of a million steps at >100k steps/s completes, the panel at its last step', `status ${status}, panel at step ${shown.step}`);
  check((meta.summary?.steps_per_second ?? 0) > 50_000, 'the engine ran fast (the pipeline did not slow it down)', `${figure.stepsPerSecond} steps/s`);
  check(figure.lagMs && figure.lagMs.max <= 3000, 'the panel stays current at that speed (generous bound: 3 s behind at worst; goal 1 s)', JSON.stringify(figure.lagMs));
  check(figure.hostMB.growth <= 200, 'the extension host does not grow with the run (generous bound 200 MB; goal 100 MB)', `${round(figure.hostMB.start)} → ${round(figure.hostMB.max)} MB`);
  check(figure.rendererMB.max <= 1200, 'the renderer showing the panel stays bounded (generous bound 1.2 GB; goal 600 MB)', `largest renderer ${round(figure.rendererMB.max)} MB`);
  check(figure.folderMBPerMillionSteps <= 40, 'the run folder takes at most 40 MB per million steps', `${figure.folderMBPerMillionSteps} MB per million steps (${round(bytes / 1e6, 1)} MB)`);
  await shot('20-fast-million.png');
}

/** The spiral at batch 8: the panel follows, the lens shows the epoch, Stop ends it within a second. */
export async function longRunStopScenario(ctx) {
  const { page, workspace, server, chromiumProfile, check, shot, figures } = ctx;
  const e = EXPERIMENTS.long;
  await closeAllEditors(page);
  const frame = await trainFromLens(page, e.file, e.title);
  const runDir = newestRun(path.join(workspace, '.trainscope', 'runs'), e.title);
  const tail = recordTail(runDir);
  const sampled = await sampleRun({ page, frame, tail, serverPid: server.pid, chromiumProfile, everyMs: 500, framesEvery: 6, quickOpenEvery: 10, until: s => s.t > 20_000 });
  const lens = await progressLens(page, e.title);
  check(!!lens && /^epoch \d+\/20000 · loss \d/.test(lens), 'while it runs, the code lens shows the epoch and the loss', lens ?? 'no such lens');
  await shot('21-long-running.png');
  const stop = await timeStop(frame);
  await sleep(300);
  const figure = summarize(sampled);
  figure.stop = { stoppingMs: round(stop.stoppingMs), stoppedMs: round(stop.stoppedMs) };
  figures.long = { ...figure, trace: sampled.samples.map(x => [x.t, x.engineStep, x.shownStep, x.lagMs, x.status, round(x.hostMB), round(x.renderer.largest)]) };
  log.info(`long run: ${JSON.stringify(figure)}`);
  check(figure.lagMs && figure.lagMs.max <= 3000, 'at today\'s speed the panel stays current too (generous bound 3 s; goal 1 s)', JSON.stringify(figure.lagMs));
  check(stop.stoppingMs !== undefined && stop.stoppingMs <= 200, 'Stop: the panel says "stopping…" at once', `${round(stop.stoppingMs)} ms`);
  check(stop.endedAs === 'stopped' && stop.stoppedMs <= 2000, 'Stop: "stopped" soon after the click (generous bound 2 s; goal 1 s)', `${stop.endedAs} after ${round(stop.stoppedMs)} ms`);
  const meta = runMeta(runDir);
  const shown = await panelState(frame);
  check(meta.status === 'stopped' && tail.lastStep() >= shown.step, 'the stopped run\'s folder says so and holds every step the panel showed', `run.json ${meta.status}, recorded ${tail.lastStep()}, shown ${shown.step}`);
  await shot('22-long-stopped.png');
}

/** Stop during one step that takes long (batch 20,000 through two 2,000-wide layers). */
export async function slowStepStopScenario(ctx) {
  const { page, workspace, check, shot, figures } = ctx;
  const e = EXPERIMENTS.slow;
  await closeAllEditors(page);
  const frame = await trainFromLens(page, e.file, e.title);
  await frame.waitForFunction(() => document.body.dataset.status === 'running', null, { timeout: 60_000, polling: 100 });
  await sleep(3000); // well inside the first step
  const stop = await timeStop(frame);
  figures.slowStep = { stoppingMs: round(stop.stoppingMs), stoppedMs: round(stop.stoppedMs), note: stop.note };
  log.info(`slow step: ${JSON.stringify(figures.slowStep)}`);
  check(stop.stoppingMs !== undefined && stop.stoppingMs <= 200, 'Stop during a long step: "stopping…" at once', `${round(stop.stoppingMs)} ms`);
  check(stop.endedAs === 'stopped' && stop.stoppedMs <= 2000, 'Stop during a long step: "stopped" soon after the click (generous bound 2 s; goal 1 s)', `${stop.endedAs} after ${round(stop.stoppedMs)} ms`);
  check(/abandoned/.test(stop.note), 'the panel says the step in progress was abandoned and what was kept', stop.note);
  const runDir = newestRun(path.join(workspace, '.trainscope', 'runs'), e.title);
  check(runMeta(runDir).status === 'stopped', 'the run folder records the run as stopped', runMeta(runDir).status);
  await shot('23-slow-step-stopped.png');
}

/**
 * Reload the window mid-run: the restored panel says the run stopped at once (it cannot have gone
 * on: its worker went with the window), and the run's findings are back in the Problems panel.
 */
export async function reloadMidRunScenario(ctx) {
  const { page, workspace, check, shot, figures } = ctx;
  const e = EXPERIMENTS.reload;
  await closeAllEditors(page);
  const frame = await trainFromLens(page, e.file, e.title);
  await frame.waitForFunction(() => document.body.dataset.status === 'running', null, { timeout: 30_000, polling: 100 });
  let before;
  for (let i = 0; i < 40 && !before; i++) {
    await sleep(250);
    before = (await problems(page, e.file)).find(m => m.file === e.file && /first loss/i.test(m.message));
  }
  check(!!before, 'the running run\'s finding is in the Problems panel', before?.message ?? 'none');
  await sleep(1500);
  const reloaded = Date.now();
  await reloadWindow(page);
  let restored;
  let firstSeen;
  try {
    const panel = await findWebviewFrame(page, isPanelOf(e.title), { timeoutMs: 30_000 });
    firstSeen = await panel.evaluate(() => document.body.dataset.status);
    await panel.waitForFunction(() => ['stopped', 'interrupted'].includes(document.body.dataset.status ?? ''), null, { timeout: 30_000, polling: 50 });
    restored = await panel.evaluate(() => ({ status: document.body.dataset.status, stop: !document.getElementById('stop')?.hidden }));
  } catch (err) {
    const tabs = await page.locator('.tabs-container .tab').allTextContents().catch(() => []);
    log.info(`no restored panel: ${err instanceof Error ? err.message.split('\n')[0] : err}; editor tabs ${JSON.stringify(tabs)}`);
  }
  const ms = Date.now() - reloaded;
  figures.reload = { panelSaysStoppedMsAfterReload: ms, firstShown: firstSeen };
  check(!!restored && !restored.stop, 'after a reload mid-run the restored panel says the run stopped, without a Stop button', restored ? `${restored.status}, first shown "${firstSeen}", ${ms} ms after the reload` : 'not restored');
  check(firstSeen !== 'running', 'the restored panel never claims the run is still running', `first shown "${firstSeen}"`);
  let after;
  for (let i = 0; i < 60 && !after; i++) {
    await sleep(250);
    after = (await problems(page, e.file)).find(m => m.file === e.file && /first loss/i.test(m.message));
  }
  check(!!after, 'the run\'s findings are back in the Problems panel after the reload', after?.message ?? 'none');
  await shot('24-after-reload-mid-run.png');
}

/** A loss that becomes NaN: the run stops, and the loss chart marks the step where it happened. */
export async function nanMarkScenario(ctx) {
  const { page, check, shot } = ctx;
  const e = EXPERIMENTS.nan;
  await closeAllEditors(page);
  const frame = await trainFromLens(page, e.file, e.title);
  const status = await ended(frame, 60_000);
  await sleep(800);
  const marked = await frame.evaluate(() => document.querySelector('canvas#loss-chart')?.dataset.nonfinite ?? '');
  const finding = await frame.evaluate(() => document.querySelector('#findings [data-rule="nan-loss"]')?.getAttribute('data-step') ?? '');
  check(status === 'failed' && finding !== '', 'a loss that becomes NaN stops the run (nan-loss)', `status ${status}, nan-loss at step ${finding}`);
  check(marked !== '' && marked.split(',').includes(finding), 'the loss chart marks the NaN/Inf value at the step it happened', `marks at steps "${marked}", nan-loss at ${finding}`);
  await shot('27-nan-marked.png');
}

/**
 * Clicks a run in the Runs view and times its panel: until its loss chart is drawn, and where the
 * time went (VS Code creating the webview, the page's script running, the host's snapshot, the
 * first draw). Resolves to { frame, firstChartsMs, ...phases }.
 */
async function openFromRunsView(page, title) {
  await showTrainscopeView(page);
  const row = page.locator('.pane-body .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ timeout: 15_000 });
  const clicked = Date.now();
  await row.click();
  const deadline = clicked + 30_000;
  let frame;
  let drawnMs;
  // The side panel's dashboard (already open above the Runs view) shows the clicked run too.
  let sidebarMs;
  const drawnIn = (f, view) => f.evaluate(([t, v]) => document.body?.dataset.view === v && document.getElementById('run-title')?.textContent === t
    ? Number(document.querySelector('canvas#loss-chart')?.dataset.points ?? 0) : -1, [title, view]).catch(() => -1);
  while (Date.now() < deadline && drawnMs === undefined) {
    for (const f of page.frames()) {
      if (sidebarMs === undefined && (await drawnIn(f, 'sidebar')) > 0) { sidebarMs = Date.now() - clicked; }
      if ((await drawnIn(f, 'panel')) > 0) { frame = f; drawnMs = Date.now() - clicked; break; }
    }
    if (drawnMs === undefined) { await sleep(20); }
  }
  const phases = frame && await frame.evaluate((clicked) => {
    const b = document.body.dataset;
    const nav = performance.getEntriesByType('navigation')[0];
    const origin = performance.timeOrigin - clicked;
    return {
      pageCreatedMs: Math.round(origin),
      pageParsedMs: nav ? Math.round(origin + nav.domInteractive) : undefined,
      scriptMs: Number(b.scriptAt) - clicked, snapshotMs: Number(b.snapshotAt) - clicked, drawnMs: Number(b.drawnAt) - clicked,
    };
  }, clicked);
  return { frame, firstChartsMs: drawnMs, sidebarMs, ...phases };
}

/**
 * After a window reload (runs are read from their folders): reopen a small run and the kept
 * million-step run — the first charts come fast, and the million steps cost little more than the
 * small run (the rest is VS Code making a webview) — then zoom in, and read exact values with the
 * crosshair.
 */
export async function reopenZoomScenario(ctx) {
  const { page, baseUrl, workspace, check, shot, figures } = ctx;
  const e = EXPERIMENTS.fast;
  await closeAllEditors(page);
  await page.goto(workbenchUrl(baseUrl, workspace));
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await showTrainscopeView(page);
  await page.locator('.pane-body .monaco-list-row', { hasText: e.title }).first().waitFor({ timeout: 30_000 });
  await sleep(2000); // the window settles after loading
  // The first run of the suite (scenarios/train.mjs): 900 steps.
  const hasSmall = await shows(page.locator('.pane-body .monaco-list-row', { hasText: 'Spiral MLP' }).first(), 2000);
  const small = hasSmall ? await openFromRunsView(page, 'Spiral MLP').catch(() => undefined) : undefined;
  await closeAllEditors(page);
  const opened = await openFromRunsView(page, e.title);
  const frame = opened.frame;
  const drawnMs = opened.firstChartsMs;
  figures.reopen = { million: { ...opened, frame: undefined }, small: small && { ...small, frame: undefined } };
  log.info(`reopen: ${JSON.stringify(figures.reopen)}`);
  // Most of the editor panel's time is VS Code making a webview (page created → parsed), which a
  // loaded machine stretches; the side panel's dashboard, already open, shows the run first.
  check(drawnMs !== undefined && drawnMs <= 6000, 'a kept run of a million steps reopens in an editor panel with its charts drawn (generous bound 6 s; the side panel shows it first)',
    `${drawnMs} ms: webview page created at ${opened.pageCreatedMs} ms, snapshot at ${opened.snapshotMs} ms, drawn at ${opened.drawnMs} ms; a run of no steps: ${small?.firstChartsMs} ms`);
  check(opened.sidebarMs !== undefined && opened.sidebarMs <= 2500, 'the side panel\'s dashboard shows the reopened run\'s charts first, before the editor panel exists (generous bound 2.5 s; goal 1 s)',
    `${opened.sidebarMs} ms after the click`);
  if (!frame) { return; }
  await shot('25-reopened-million.png');

  const canvas = frame.locator('canvas#loss-chart');
  const dragAcross = async (fromFraction, toFraction) => {
    const box = await canvas.boundingBox();
    const y = box.y + box.height * 0.4;
    await page.mouse.move(box.x + box.width * fromFraction, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * toFraction, y, { steps: 8 });
    await page.mouse.up();
  };
  // Zoom three times into a narrow range: the digest's buckets are 512 steps wide there, far
  // coarser than pixels; at the end a pixel column holds one step.
  await dragAcross(0.45, 0.47);
  await sleep(800);
  await dragAcross(0.45, 0.5);
  await sleep(800);
  await dragAcross(0.4, 0.6);
  const zoomed = await shows(frame.locator('#reset-zoom'), 5000);
  check(zoomed, 'dragging across the loss chart zooms in (a Reset zoom button appears)');
  // Hover the middle: once the detail has come, the crosshair reads single steps.
  let readout = '';
  for (let i = 0; i < 30 && !/at step/.test(readout); i++) {
    await sleep(200);
    const box = await canvas.boundingBox();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    readout = (await frame.locator('[data-chart="loss-chart"] .readout').textContent().catch(() => '')) ?? '';
  }
  const m = readout.match(/train \(batch\): ([-\d.e+]+) at step (\d[\d,]*\d|\d)(?!\d)/);
  const runDir = newestRun(path.join(workspace, '.trainscope', 'runs'), e.title);
  const step = m ? Number(m[2].replace(/,/g, '')) : undefined;
  const exact = step !== undefined ? stepLoss(runDir, step) : undefined;
  check(!!m && exact !== undefined && Math.abs(Number(m[1]) - exact) <= Math.abs(exact) * 1e-4,
    'zoomed in, the crosshair shows the exact batch loss of the step under it (as recorded)', `readout "${readout.slice(0, 160)}", recorded loss ${exact}`);
  await shot('26-zoomed-crosshair.png');
  await frame.locator('#reset-zoom').click();
  check(await frame.locator('#reset-zoom').isHidden(), 'Reset zoom shows the whole run again');
}

/** The side view fits its usual 300 px, and the charts take the theme's colors in every theme. */
export async function themesScenario(ctx) {
  const { page, check, shot } = ctx;
  await closeAllEditors(page);
  await runCommand(page, 'View: Hide Panel').catch(() => {});
  // The side view shows the newest run.
  await showTrainscopeView(page);
  const side = await findWebviewFrame(page, () => document.body?.dataset.view === 'sidebar' && !!document.getElementById('run-title'), { timeoutMs: 30_000 }).catch(() => undefined);
  if (side) {
    const fit = await side.evaluate(() => ({ width: document.documentElement.clientWidth, scroll: document.documentElement.scrollWidth }));
    check(fit.scroll <= fit.width, 'the side view fits its width (nothing wider than the view)', `view ${fit.width} px, content ${fit.scroll} px`);
  } else {
    check(false, 'the side view fits its width', 'no side view');
  }
  // The long spiral's panel: several layers, histograms, probe charts.
  await page.locator('.pane-body .monaco-list-row', { hasText: EXPERIMENTS.long.title }).first().click();
  const panel = await findWebviewFrame(page, isPanelOf(EXPERIMENTS.long.title), { timeoutMs: 30_000 });
  const themes = [['dark', 'Dark Modern'], ['light', 'Light Modern'], ['hc-dark', 'Dark High Contrast'], ['hc-light', 'Light High Contrast']];
  for (const [name, theme] of themes) {
    await panel.evaluate(() => window.scrollTo(0, 0));
    await setColorTheme(page, theme);
    await sleep(1500);
    await shot(`30-theme-${name}.png`);
    // The histograms are made when they come into view: they must take the theme's color from that first draw.
    await panel.locator('#histograms').scrollIntoViewIfNeeded().catch(() => {});
    await sleep(1000);
    const bars = await panel.evaluate(() => {
      const canvas = document.querySelector('.histogram canvas');
      const probe = document.createElement('span');
      probe.style.color = getComputedStyle(document.body).getPropertyValue('--vscode-charts-blue');
      document.body.append(probe);
      const want = getComputedStyle(probe).color.match(/\d+/g).map(Number);
      probe.remove();
      if (!canvas) { return { found: 0, want }; }
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      let found = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (Math.abs(data[i] - want[0]) + Math.abs(data[i + 1] - want[1]) + Math.abs(data[i + 2] - want[2]) < 30 && data[i + 3] > 200) { found++; }
      }
      return { found, want };
    });
    check(bars.found > 50, `${name}: the histograms' bars are drawn in the theme's chart color`, `${bars.found} pixels of rgb(${bars.want})`);
    await shot(`31-theme-${name}-inside.png`);
  }
  await setColorTheme(page, 'Light Modern');
}
