// Measuring a run as a user lives it in the real VS Code: how far the panel is behind the engine,
// what the extension host and the renderers hold, how long Stop takes, how long a kept run takes to
// draw. Shared by the UI end-to-end test (generous bounds) and bench/live.bench.mjs (exact figures).
import { codeLens, findWebviewFrame, openFromExplorer, shows } from './workbench.mjs';
import { extensionHostPids, rendererMemory, rssMB } from './memory.mjs';

export function sleep(ms) { return new Promise(r => setTimeout(r, ms)); }

/**
 * Opens the command palette. F1 does not reach the workbench while a webview has the focus: then
 * the title bar's command center opens it.
 */
async function openPalette(page) {
  const input = page.locator('.quick-input-widget input');
  await page.keyboard.press('F1');
  if (!(await input.waitFor({ timeout: 2000 }).then(() => true, () => false))) {
    await page.locator('.command-center .search-label, .command-center').first().click();
    await input.waitFor({ timeout: 10_000 });
  }
  return input;
}

/** The palette's row of the command titled exactly `title` (not the ones that only contain it). */
function paletteRow(page, title) {
  return page.locator('.quick-input-widget .monaco-list-row').filter({ has: page.locator('.label-name').getByText(title, { exact: true }) }).first();
}

/** Runs a command from the command palette by its title. */
export async function runCommand(page, title) {
  const input = await openPalette(page);
  await input.fill(`>${title}`);
  const row = paletteRow(page, title);
  await row.waitFor({ timeout: 10_000 });
  await row.click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});
}

/**
 * Reloads the window as a user does, with Developer: Reload Window, and waits for the workbench.
 * That command waits until the workbench has written which editors are open; a browser refresh
 * only starts that write as the page unloads, and on a loaded machine it is sometimes cut off:
 * then VS Code restores no editor at all, ours or any other.
 */
export async function reloadWindow(page) {
  const loaded = page.waitForEvent('load', { timeout: 60_000 });
  await runCommand(page, 'Developer: Reload Window').catch(() => {}); // the page it waits on goes away
  await loaded;
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
}

/** Closes every editor (run panels included), so a measurement sees one webview. */
export async function closeAllEditors(page) {
  await runCommand(page, 'View: Close All Editors');
  await sleep(300);
}

/** A predicate run inside a webview frame: the run panel of the run titled `title`. */
export function isPanelOf(title) {
  return new Function(`return document.body?.dataset.view === 'panel' && document.getElementById('run-title')?.textContent === ${JSON.stringify(title)};`);
}

/** Opens `file` from the Explorer and presses ▶ Train above it; resolves to the run panel's frame. */
export async function trainFromLens(page, file, title) {
  if (!(await page.locator('.explorer-folders-view').isVisible().catch(() => false))) {
    await page.locator('.activitybar .action-item a[aria-label^="Explorer"]').click();
  }
  await openFromExplorer(page, file);
  const editor = page.locator('.editor-instance', { has: page.locator('.view-line', { hasText: `"${title}"` }) }).first();
  const lens = editor.locator('.codelens-decoration a').filter({ hasText: /^\u25B6 Train$/ }).first();
  await lens.waitFor({ timeout: 30_000 });
  await lens.click();
  return findWebviewFrame(page, isPanelOf(title), { timeoutMs: 30_000 });
}

/** The lens text of the experiment titled `title` while it runs ("epoch 3/60 · loss 0.5"), if shown. */
export async function progressLens(page, title) {
  const editor = page.locator('.editor-instance', { has: page.locator('.view-line', { hasText: `"${title}"` }) }).first();
  const lens = editor.locator('.codelens-decoration a').filter({ hasText: /^(epoch|stopping)/ }).first();
  return (await shows(lens, 3000)) ? lens.textContent() : undefined;
}

/** What a panel shows now, read inside its frame. */
export function panelState(frame) {
  return frame.evaluate(() => {
    const b = document.body.dataset;
    const memory = performance.memory;
    return {
      status: b.status,
      step: Number(b.step ?? 0),
      steps: Number(b.steps ?? 0),
      madeAt: Number(b.madeAt ?? 0),
      now: Date.now(),
      heapMB: memory ? memory.usedJSHeapSize / 1048576 : undefined,
    };
  });
}

/** Intervals between animation frames in the page for `ms` (p95 and max): how smooth it draws. */
export function frameTimes(frame, ms = 1000) {
  return frame.evaluate((ms) => new Promise(resolve => {
    const times = [];
    let last = performance.now();
    const end = last + ms;
    const tick = (t) => {
      times.push(t - last);
      last = t;
      if (t < end) { requestAnimationFrame(tick); } else {
        times.sort((a, b) => a - b);
        resolve({ p95: times[Math.floor(times.length * 0.95)] ?? 0, max: times[times.length - 1] ?? 0, frames: times.length });
      }
    };
    requestAnimationFrame(tick);
  }), ms);
}

/** How long the workbench's Quick Open takes to appear (ms): is the window responsive? */
export async function quickOpenMs(page) {
  const t = Date.now();
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget').waitFor({ state: 'visible', timeout: 10_000 });
  const ms = Date.now() - t;
  await page.keyboard.press('Escape');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
  return ms;
}

/**
 * Samples a running run until its panel says it ended (or `until()` is true): every `everyMs`, the
 * engine's last recorded step (from metrics.bin), the step the panel shows and how old the data it
 * shows is, the extension host's and the renderers' resident memory. Every `framesEvery`-th sample
 * also measures the page's frame times, every `quickOpenEvery`-th the workbench's Quick Open.
 */
export async function sampleRun({ page, frame, tail, serverPid, chromiumProfile, everyMs = 500, until, framesEvery = 0, quickOpenEvery = 0, timeoutMs = 600_000 }) {
  const samples = [];
  const frames = [];
  const quickOpen = [];
  const host = () => extensionHostPids(serverPid).map(rssMB).filter(v => v !== undefined);
  const started = Date.now();
  for (let i = 0; Date.now() - started < timeoutMs; i++) {
    const engineStep = tail.lastStep();
    const shown = await panelState(frame);
    const sample = {
      t: Date.now() - started,
      engineStep,
      shownStep: shown.step,
      stepsBehind: Math.max(0, engineStep - shown.step),
      // How old the data on screen is: the engine made it at madeAt.
      lagMs: shown.madeAt > 0 ? shown.now - shown.madeAt : undefined,
      status: shown.status,
      hostMB: Math.max(0, ...host()),
      renderer: rendererMemory(chromiumProfile),
      webviewHeapMB: shown.heapMB,
    };
    samples.push(sample);
    if (!['starting', 'running'].includes(shown.status) || (until && until(sample))) { break; }
    if (framesEvery > 0 && i % framesEvery === framesEvery - 1) { frames.push(await frameTimes(frame)); }
    if (quickOpenEvery > 0 && i % quickOpenEvery === quickOpenEvery - 1) { quickOpen.push(await quickOpenMs(page)); }
    await sleep(everyMs);
  }
  return { samples, frames, quickOpen };
}

/**
 * Clicks the panel's Stop and times it from the click (in the page's clock): until the panel says
 * "stopping" and until it says "stopped" (or another end).
 */
export async function timeStop(frame) {
  await frame.evaluate(() => {
    window.__statusTimes = [];
    new MutationObserver(() => window.__statusTimes.push({ status: document.body.dataset.status, t: performance.now() }))
      .observe(document.body, { attributes: true, attributeFilter: ['data-status'] });
    document.getElementById('stop').addEventListener('pointerdown', () => { window.__clickedAt = performance.now(); }, { once: true, capture: true });
  });
  await frame.locator('#stop').click();
  await frame.waitForFunction(() => ['stopped', 'completed', 'failed', 'interrupted'].includes(document.body.dataset.status ?? ''), null, { timeout: 30_000, polling: 20 });
  return frame.evaluate(() => {
    const at = (status) => window.__statusTimes.find(x => x.status === status)?.t;
    const end = window.__statusTimes.find(x => ['stopped', 'completed', 'failed', 'interrupted'].includes(x.status));
    return {
      stoppingMs: at('stopping') !== undefined ? at('stopping') - window.__clickedAt : undefined,
      stoppedMs: end ? end.t - window.__clickedAt : undefined,
      endedAs: end?.status,
      note: document.getElementById('run-error')?.textContent ?? '',
    };
  });
}

/** Median, smallest and largest of numbers (undefined ones left out). */
export function stats(values) {
  const v = values.filter(x => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) { return undefined; }
  const q = (p) => v[Math.min(v.length - 1, Math.floor(p * v.length))];
  return { n: v.length, median: q(0.5), p95: q(0.95), min: v[0], max: v[v.length - 1] };
}

/** The figures of a sampled run: lag, memory (growth from the first sample), frames. */
export function summarize({ samples, frames, quickOpen }) {
  const running = samples.filter(s => s.status === 'running');
  const first = samples[0];
  const hostMax = Math.max(...samples.map(s => s.hostMB));
  return {
    samples: samples.length,
    lagMs: stats(running.map(s => s.lagMs)),
    // Once the panel has been created and drawn its first charts (its first 3 s it starts up while the engine runs).
    lagAfterStartMs: stats(running.filter(s => s.t >= 3000).map(s => s.lagMs)),
    stepsBehind: stats(running.map(s => s.stepsBehind)),
    hostMB: { start: first?.hostMB, max: hostMax, growth: hostMax - (first?.hostMB ?? 0) },
    rendererMB: { start: first?.renderer.largest, max: Math.max(...samples.map(s => s.renderer.largest)), totalMax: Math.max(...samples.map(s => s.renderer.total)) },
    webviewHeapMB: stats(samples.map(s => s.webviewHeapMB)),
    frameP95Ms: stats(frames.map(f => f.p95)),
    frameMaxMs: stats(frames.map(f => f.max)),
    quickOpenMs: stats(quickOpen),
  };
}

/** Waits until the panel in `frame` says the run ended; resolves to its status. */
export function ended(frame, timeoutMs) {
  return frame.waitForFunction(
    () => ['completed', 'stopped', 'failed', 'interrupted'].includes(document.body.dataset.status ?? '') && document.body.dataset.status,
    null, { timeout: timeoutMs, polling: 250 },
  ).then(h => h.jsonValue());
}

/** Shows the Trainscope side bar (the activity bar item toggles it: only click when it is not shown). */
export async function showTrainscopeView(page) {
  const item = page.locator('.activitybar .action-item', { has: page.locator('a[aria-label^="Trainscope"]') }).first();
  const open = await item.evaluate(e => e.classList.contains('checked')).catch(() => false);
  if (!open) { await item.click(); }
}

/** Switches the color theme as a user does: Preferences: Color Theme, then the theme's name. */
export async function setColorTheme(page, label) {
  await runCommandKeepOpen(page, 'Preferences: Color Theme');
  const input = page.locator('.quick-input-widget input');
  await input.fill(label);
  const row = paletteRow(page, label);
  await row.waitFor({ timeout: 10_000 });
  await row.click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});
}

/** Runs a command whose quick pick stays open (e.g. one that asks for a choice next). */
async function runCommandKeepOpen(page, title) {
  const input = await openPalette(page);
  await input.fill(`>${title}`);
  const row = paletteRow(page, title);
  await row.waitFor({ timeout: 10_000 });
  await row.click();
  await sleep(500);
}
