#!/usr/bin/env node
// Live runs in the real VS Code (code-server 4.100.3 + Chromium, as the UI tests drive it), measured
// the way issue "Live at any length" states its goals:
//   - how far the panel is behind the engine (time and steps), at today's speed (the spiral
//     at batch 8: 20,000 epochs, 1.2 million steps, ~6,000 steps/s) and at a fast engine's
//     (a linear model at batch 1: a million steps at ~100,000 steps/s);
//   - the extension host's memory growth and the renderers' memory during those runs;
//   - Stop: until the panel says "stopping…" and "stopped", during training and during one long
//     step (batch 40,000 through two 1,500-wide layers);
//   - reopening a kept run of a million steps after a window reload: until its charts are drawn
//     (and the same for a run of 900 steps: what VS Code's webview itself costs);
//   - the run folder's size per million steps; the workbench's Quick Open latency.
//
//   node bench/live.bench.mjs [--json] [--repeats N] [--long-seconds S]
//     --repeats N        Stop and reopen measurements each (default 3)
//     --long-seconds S   stop the 1.2M-step run after S seconds instead of letting it finish
// Builds and packages the extension first (or HARNESS_VSIX=path.vsix). Not part of `npm test`.
// Writes test-results/bench/live.json. Takes ~6 minutes; the machine's load is reported with it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureSystem } from '../test/e2e/systemDeps.mjs';
import { ensureCodeServer } from '../test/e2e/codeServerInstall.mjs';
import { createProfile } from '../test/e2e/profile.mjs';
import { installVsix, startServer } from '../test/e2e/codeServer.mjs';
import { freshWorkspace } from '../test/e2e/workspace.mjs';
import { launchBrowser } from '../test/e2e/browser.mjs';
import { cacheDir, resultsFor } from '../test/e2e/paths.mjs';
import { openWorkbench, workbenchUrl } from '../test/e2e/workbench.mjs';
import { closeAllEditors, ended, panelState, quickOpenMs, sampleRun, showTrainscopeView, sleep, stats, summarize, timeStop, trainFromLens } from '../test/e2e/liveRun.mjs';
import { folderBytes, newestRun, recordTail, runMeta } from '../test/e2e/runFolder.mjs';
import { EXPERIMENTS, prepareLiveExperiments } from '../test/e2e/scenarios/liveRuns.mjs';
import { packageExtension } from '../scripts/package.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const json = args.includes('--json');
const repeats = option('--repeats', 3);
const longSeconds = option('--long-seconds', 0);
const say = (text) => { if (!json) { console.error(text); } };

const SMALL = {
  file: 'small.experiment.json',
  title: 'Small spiral',
  text: '{ "name": "Small spiral", "data": { "type": "spiral", "samples": 600 }, "model": [{ "type": "linear", "out_features": 64 }, "relu", { "type": "linear" }], "optimizer": { "type": "sgd", "lr": 0.1 }, "training": { "epochs": 15, "batch_size": 8 } }\n',
};

async function main() {
  await ensureSystem();
  await ensureCodeServer();
  const vsix = process.env.HARNESS_VSIX ? path.resolve(process.env.HARNESS_VSIX) : (await packageExtension()).vsixPath;
  const profile = createProfile(path.join(cacheDir, 'profiles', 'bench-live'));
  await installVsix(profile, vsix);
  const workspace = freshWorkspace('bench-live');
  prepareLiveExperiments(workspace);
  fs.writeFileSync(path.join(workspace, SMALL.file), SMALL.text);
  const runsDir = path.join(workspace, '.trainscope', 'runs');
  const server = await startServer(profile);
  const browser = await launchBrowser({ artifactsDir: resultsFor('bench'), args: ['--enable-precise-memory-info'] });
  const page = browser.page;
  const result = { machine: { cpus: os.cpus().length, loadBefore: os.loadavg() }, at: new Date().toISOString() };
  try {
    const url = workbenchUrl(server.url, workspace);
    await openWorkbench(page, url, 'spiral.experiment.json');
    await sleep(3000);
    result.quickOpenIdleMs = stats(await series(5, () => quickOpenMs(page)));

    say('a million steps at a fast engine\'s speed ...');
    result.fast = await measuredRun(page, server, browser, runsDir, EXPERIMENTS.fast, {});
    say('the issue\'s spiral at batch 8 (1.2 million steps) ...');
    result.long = await measuredRun(page, server, browser, runsDir, EXPERIMENTS.long, { seconds: longSeconds });
    say('a small run (for the reopen comparison) ...');
    await closeAllEditors(page);
    const small = await trainFromLens(page, SMALL.file, SMALL.title);
    await ended(small, 120_000);

    say(`Stop, ${repeats} times during training and ${repeats} times during a long step ...`);
    const stops = { training: [], longStep: [] };
    for (let i = 0; i < repeats; i++) {
      stops.training.push(await stopDuring(page, EXPERIMENTS.long, 4000));
      stops.longStep.push(await stopDuring(page, EXPERIMENTS.slow, 3000, true));
    }
    result.stop = {
      training: { stoppingMs: stats(stops.training.map(s => s.stoppingMs)), stoppedMs: stats(stops.training.map(s => s.stoppedMs)) },
      longStep: { stoppingMs: stats(stops.longStep.map(s => s.stoppingMs)), stoppedMs: stats(stops.longStep.map(s => s.stoppedMs)) },
    };

    say(`reopening after a window reload, ${repeats} times each ...`);
    const reopen = { fast: [], long: [], small: [] };
    for (let i = 0; i < repeats; i++) {
      for (const [key, title] of [['small', SMALL.title], ['fast', EXPERIMENTS.fast.title], ['long', EXPERIMENTS.long.title]]) {
        await closeAllEditors(page);
        await page.goto(url);
        await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
        await showTrainscopeView(page);
        await page.locator('.pane-body .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 30_000 });
        await sleep(3000);
        reopen[key].push(await reopenRun(page, title));
      }
    }
    result.reopen = Object.fromEntries(Object.entries(reopen).map(([k, v]) => [k, {
      firstChartsMs: stats(v.map(r => r.firstChartsMs)),
      webviewPageMs: stats(v.map(r => r.scriptMs)),
      snapshotMs: stats(v.map(r => r.snapshotMs)),
      drawnInPageMs: stats(v.map(r => r.drawnMs - r.scriptMs)),
    }]));
  } finally {
    result.machine.loadAfter = os.loadavg();
    await browser.close();
    await server.stop();
  }
  return result;
}

async function series(n, fn) {
  const out = [];
  for (let i = 0; i < n; i++) { out.push(await fn()); await sleep(300); }
  return out;
}

/** Trains an experiment in a fresh panel, sampling it every second until it ends (or `seconds`, then Stop). */
async function measuredRun(page, server, browser, runsDir, e, { seconds = 0 }) {
  await closeAllEditors(page);
  await sleep(1000);
  const frame = await trainFromLens(page, e.file, e.title);
  let runDir;
  for (let i = 0; i < 50 && !runDir; i++) { runDir = newestRun(runsDir, e.title); if (!runDir) { await sleep(100); } }
  const tail = recordTail(runDir);
  const sampled = await sampleRun({
    page, frame, tail, serverPid: server.pid, chromiumProfile: browser.profileDir, everyMs: 1000, framesEvery: 10, quickOpenEvery: 15,
    until: seconds > 0 ? (s) => s.t > seconds * 1000 : undefined, timeoutMs: 900_000,
  });
  let stop;
  if (seconds > 0) { stop = await timeStop(frame); } else { await ended(frame, 120_000); }
  await sleep(1000);
  const shown = await panelState(frame);
  const meta = runMeta(runDir);
  const bytes = folderBytes(runDir);
  const figure = summarize(sampled);
  return {
    ...figure,
    status: meta.status,
    steps: meta.summary?.steps,
    panelLastStep: shown.step,
    stepsPerSecond: Math.round(meta.summary?.steps_per_second ?? 0),
    folderMB: +(bytes / 1e6).toFixed(1),
    folderMBPerMillionSteps: +((bytes / 1e6) * (1e6 / (meta.summary?.steps || 1))).toFixed(1),
    ...(stop ? { stop } : {}),
    trace: sampled.samples.map(s => ({ t: s.t, engine: s.engineStep, shown: s.shownStep, lagMs: s.lagMs, hostMB: Math.round(s.hostMB), rendererMB: Math.round(s.renderer.largest), heapMB: s.webviewHeapMB && Math.round(s.webviewHeapMB) })),
  };
}

async function stopDuring(page, e, afterMs, waitRunning = false) {
  await closeAllEditors(page);
  const frame = await trainFromLens(page, e.file, e.title);
  if (waitRunning) { await frame.waitForFunction(() => document.body.dataset.status === 'running', null, { timeout: 60_000 }); }
  await sleep(afterMs);
  return timeStop(frame);
}

async function reopenRun(page, title) {
  const row = page.locator('.pane-body .monaco-list-row', { hasText: title }).first();
  const clicked = Date.now();
  await row.click();
  for (let deadline = clicked + 30_000; Date.now() < deadline;) {
    for (const f of page.frames()) {
      const drawn = await f.evaluate((t) => document.body?.dataset.view === 'panel' && document.getElementById('run-title')?.textContent === t && Number(document.querySelector('canvas#loss-chart')?.dataset.points ?? 0) > 0, title).catch(() => false);
      if (drawn) {
        const seen = Date.now();
        const phases = await f.evaluate(() => ({ scriptAt: Number(document.body.dataset.scriptAt), snapshotAt: Number(document.body.dataset.snapshotAt), drawnAt: Number(document.body.dataset.drawnAt) }));
        return { firstChartsMs: phases.drawnAt - clicked, seenMs: seen - clicked, scriptMs: phases.scriptAt - clicked, snapshotMs: phases.snapshotAt - clicked, drawnMs: phases.drawnAt - clicked };
      }
    }
    await sleep(20);
  }
  return {};
}

function table(r) {
  const f = (s, unit = '') => (s ? `${Math.round(s.median)}${unit} (${Math.round(s.min)}–${Math.round(s.max)})` : '–');
  const run = (name, x) => [
    `${name}: ${x.steps?.toLocaleString('en-US')} steps at ${x.stepsPerSecond.toLocaleString('en-US')} steps/s, ${x.status}`,
    `  panel behind the engine: ${f(x.lagMs, ' ms')} median (range); p95 ${Math.round(x.lagMs?.p95 ?? NaN)} ms; ${f(x.stepsBehind)} steps`,
    `  after the panel's first 3 s: ${f(x.lagAfterStartMs, ' ms')}; p95 ${Math.round(x.lagAfterStartMs?.p95 ?? NaN)} ms`,
    `  extension host: ${Math.round(x.hostMB.start)} → max ${Math.round(x.hostMB.max)} MB (growth ${Math.round(x.hostMB.growth)} MB)`,
    `  largest renderer: ${Math.round(x.rendererMB.start)} → max ${Math.round(x.rendererMB.max)} MB; all renderers max ${Math.round(x.rendererMB.totalMax)} MB; webview JS heap ${f(x.webviewHeapMB, ' MB')}`,
    `  webview frame p95 ${f(x.frameP95Ms, ' ms')}, max ${f(x.frameMaxMs, ' ms')}; Quick Open ${f(x.quickOpenMs, ' ms')}`,
    `  run folder ${x.folderMB} MB = ${x.folderMBPerMillionSteps} MB per million steps`,
  ].join('\n');
  return [
    `machine: ${r.machine.cpus} CPUs, load average before ${r.machine.loadBefore.map(v => v.toFixed(2)).join(' ')}, after ${r.machine.loadAfter.map(v => v.toFixed(2)).join(' ')}`,
    `Quick Open, idle: ${f(r.quickOpenIdleMs, ' ms')}`,
    run('fast engine (linear, batch 1)', r.fast),
    run('issue\'s spiral (batch 8)', r.long),
    `Stop during training: "stopping…" ${f(r.stop.training.stoppingMs, ' ms')}, "stopped" ${f(r.stop.training.stoppedMs, ' ms')}`,
    `Stop during one long step: "stopping…" ${f(r.stop.longStep.stoppingMs, ' ms')}, "stopped" ${f(r.stop.longStep.stoppedMs, ' ms')}`,
    ...Object.entries(r.reopen).map(([k, v]) => `reopen ${k}: first charts ${f(v.firstChartsMs, ' ms')} after the click; page script at ${f(v.webviewPageMs, ' ms')}, snapshot at ${f(v.snapshotMs, ' ms')}, drawn ${f(v.drawnInPageMs, ' ms')} after the script started`),
  ].join('\n');
}

const result = await main();
fs.mkdirSync(resultsFor('bench'), { recursive: true });
fs.writeFileSync(path.join(resultsFor('bench'), 'live.json'), JSON.stringify(result, null, 2));
console.log(json ? JSON.stringify(result, null, 2) : table(result));
process.exit(0);
