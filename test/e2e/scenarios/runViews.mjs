// The run views a student looks at after training the spiral (three classes): the decision boundary
// (the plane in three class colours, the training points on top), the layer health strip (one row
// per layer), the distributions' percentile bands; charts saved as PNG and SVG and the metrics as
// CSV through VS Code's save dialog; the same boundary per run in a comparison of the spiral's
// variants. Read from the pages' canvases and from the files written, in each kind of theme and at
// the side panel's width.
import fs from 'node:fs';
import path from 'node:path';
import { findWebviewFrame, openFromExplorer, shows } from '../workbench.mjs';
import { closeAllEditors, setColorTheme, sleep, trainFromLens } from '../liveRun.mjs';
import { logger } from '../log.mjs';

const log = logger('e2e:views');
const FILE = 'spiral.experiment.json';
const TITLE = 'Spiral MLP';
const THEMES = [['dark', 'Dark Modern'], ['light', 'Light Modern'], ['hc-dark', 'Dark High Contrast'], ['hc-light', 'Light High Contrast']];

/**
 * Inside a page: what a decision-boundary canvas shows. Each plane pixel is given to the class whose
 * colour it is a paler version of (the cell's colour over the background, the direction from the
 * background colour); `share` is each class's part of the plane. Points are pixels in a class's full
 * colour (the plane's cells are at most 60 % opaque, so only the points reach it).
 */
function boundaryPixels(canvasId) {
  const canvas = document.getElementById(canvasId);
  if (!canvas) return { found: false };
  const rgb = (text) => (text.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
  const figure = canvas.closest('figure');
  const palette = [...figure.querySelectorAll('.class-legend .class-glyph')].map(g => rgb(getComputedStyle(g).color));
  const bg = rgb(getComputedStyle(document.body).backgroundColor);
  const { data, width, height } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  const plane = new Array(palette.length).fill(0);
  const points = new Array(palette.length).fill(0);
  let assigned = 0;
  const dirs = palette.map(c => c.map((v, i) => v - bg[i]));
  const norms = dirs.map(d => Math.hypot(...d));
  let painted = 0;
  for (let i = 0; i < data.length; i += 4) {
    const a = data[i + 3] / 255;
    if (a === 0) continue;
    painted++;
    // As seen: the canvas's pixel over the page's background.
    const p = [0, 1, 2].map(k => a * data[i + k] + (1 - a) * bg[k]);
    if (a > 0.9) {
      const full = palette.findIndex(c => Math.hypot(c[0] - p[0], c[1] - p[1], c[2] - p[2]) < 24);
      if (full >= 0) { points[full]++; continue; }
    }
    const d = p.map((v, k) => v - bg[k]);
    const len = Math.hypot(...d);
    if (len < 4) continue;
    let best = -1, bestCos = 0.95;
    dirs.forEach((dir, k) => {
      const cos = (dir[0] * d[0] + dir[1] * d[1] + dir[2] * d[2]) / (norms[k] * len);
      if (cos > bestCos) { bestCos = cos; best = k; }
    });
    if (best >= 0) { plane[best]++; assigned++; }
  }
  return {
    found: true,
    width, height,
    palette: palette.map(c => `rgb(${c.join(',')})`),
    share: plane.map(n => (assigned ? n / assigned : 0)),
    covered: assigned / Math.max(1, painted),
    points,
    classesShown: Number(canvas.dataset.classes ?? 0),
    note: figure.querySelector('.boundary-note')?.textContent ?? '',
  };
}

/** Inside the run panel: the health strip's rows and the distributions' band charts. */
function runViewsState() {
  const rows = [...document.querySelectorAll('#health-strip tbody tr')];
  const bands = [...document.querySelectorAll('figure.distribution[data-kind="act_dist"] canvas[id^="distribution-"]')];
  const drawn = (canvas) => {
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n / (canvas.width * canvas.height);
  };
  return {
    status: document.body.dataset.status,
    healthRows: rows.length,
    healthLayers: rows.map(r => r.querySelector('th')?.textContent?.trim() ?? ''),
    healthStatuses: rows.map(r => r.dataset.status),
    bandCharts: bands.length,
    bandColumns: bands.map(c => Number(c.dataset.columns ?? 0)),
    bandInk: bands.map(drawn),
    fits: document.documentElement.scrollWidth <= document.documentElement.clientWidth,
    width: document.documentElement.clientWidth,
  };
}

/** Says how a boundary reading went, for a check's detail. */
function describe(b) {
  return `${b.share.map(s => `${(100 * s).toFixed(0)}%`).join(' / ')} of the plane, points ${b.points.join(' / ')} px, ${b.classesShown} classes predicted`;
}
const threeClasses = (b) => b.found && b.share.length === 3 && b.share.every(s => s > 0.1) && b.covered > 0.5 && b.points.every(n => n > 50) && b.classesShown === 3;

/**
 * Presses a chart's PNG or SVG button (or any button that saves) and accepts VS Code's save dialog
 * where it proposes; resolves to the file written (its path as the dialog showed it).
 */
async function saveThroughDialog(page, press, workspace) {
  await press();
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await sleep(400);
  const proposed = await input.inputValue();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});
  // The dialog shows the path inside the workspace folder (a remote path: the folder's own).
  const file = path.isAbsolute(proposed) && proposed.startsWith(workspace) ? proposed : path.join(workspace, path.basename(proposed));
  // The file appears before its bytes do (VS Code creates it, then writes): wait for a size that holds.
  const size = () => (fs.existsSync(file) ? fs.statSync(file).size : 0);
  for (let i = 0, last = -1; i < 40 && !(size() > 0 && size() === last); i++, await sleep(250)) last = size();
  return { proposed, file, exists: fs.existsSync(file) };
}

/** Width and height from a PNG's header, or undefined when it is not a PNG. */
function pngSize(bytes) {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 33 || !signature.every((b, i) => bytes[i] === b) || bytes.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

function checkPng(check, saved, what) {
  const bytes = saved.exists ? fs.readFileSync(saved.file) : Buffer.alloc(0);
  const size = pngSize(bytes);
  check(saved.exists && size !== undefined && size.width > 100 && size.height > 100 && bytes.length > 2000, `${what} saves as a PNG`, `${saved.proposed} → ${bytes.length} bytes, ${size ? `${size.width}×${size.height}` : 'not a PNG'}`);
}

function checkSvg(check, saved, what, { marks, text }) {
  const svg = saved.exists ? fs.readFileSync(saved.file, 'utf8') : '';
  const count = (svg.match(marks) ?? []).length;
  const valid = svg.startsWith('<svg ') && svg.trimEnd().endsWith('</svg>') && /xmlns="http:\/\/www\.w3\.org\/2000\/svg"/.test(svg);
  check(saved.exists && valid && count >= 3 && svg.includes(text), `${what} saves as an SVG`, `${saved.proposed} → ${svg.length} chars, ${count} marks, names "${text}": ${svg.includes(text)}`);
}

export async function runViewsScenario({ page, check, shot, workspace }) {
  await closeAllEditors(page);
  const frame = await trainFromLens(page, FILE, TITLE);
  await frame.waitForFunction(() => ['completed', 'failed', 'stopped'].includes(document.body.dataset.status ?? ''), null, { timeout: 240_000, polling: 500 });
  await sleep(1000);

  await frame.evaluate(() => document.getElementById('decision-boundary')?.scrollIntoView({ block: 'center' }));
  await sleep(800);
  const b = await frame.evaluate(boundaryPixels, 'decision-boundary');
  log.info(`boundary: ${JSON.stringify(b)}`);
  check(threeClasses(b), 'the spiral\'s decision boundary shows the plane in three class colours with the training points on top', describe(b));
  check(/480 training points/.test(b.note) && /predicts 3 of 3 classes/.test(b.note), 'its note counts the training points and the classes predicted', b.note);
  await shot('60-run-boundary.png');

  await frame.evaluate(() => document.getElementById('health-strip')?.scrollIntoView({ block: 'start' }));
  await sleep(800);
  const s = await frame.evaluate(runViewsState);
  log.info(`run views: ${JSON.stringify(s)}`);
  check(s.status === 'completed', 'the spiral trained to its end', s.status);
  check(s.healthRows >= 3 && s.healthRows === s.bandCharts && new Set(s.healthLayers).size === s.healthRows && s.healthStatuses.every(Boolean),
    'the health strip has one row per layer (as many as the layers\' activation distributions), each with a status', `${s.healthRows} rows: ${s.healthLayers.join(' | ')}; ${s.bandCharts} activation charts`);
  check(s.bandCharts > 0 && s.bandColumns.every(n => n >= 5) && s.bandInk.every(f => f > 0.05),
    'the distributions\' percentile bands are drawn', `${s.bandCharts} charts, ${s.bandColumns.join(', ')} probes, ink ${s.bandInk.map(f => `${(100 * f).toFixed(0)}%`).join(', ')}`);
  await shot('61-run-health-bands.png');

  // Saving: the boundary as PNG and SVG, a band chart as SVG, through the save dialog.
  const boundaryButton = (format) => () => frame.locator(`figure[data-chart="decision-boundary"] button[data-export="${format}"]`).click();
  checkPng(check, await saveThroughDialog(page, boundaryButton('png'), workspace), 'the decision boundary');
  checkSvg(check, await saveThroughDialog(page, boundaryButton('svg'), workspace), 'the decision boundary', { marks: /<(rect|path|circle)\b/g, text: 'Decision boundary' });
  const band = frame.locator('figure.distribution[data-kind="act_dist"]').first();
  const bandSvg = await saveThroughDialog(page, () => band.locator('figcaption button[data-export="svg"]').click(), workspace);
  checkSvg(check, bandSvg, 'a distribution band chart', { marks: /<(path|polygon|polyline)\b/g, text: 'Activations' });
  // Its legend says what each colour is: every entry's colour is that of the mark of its name.
  const svg = bandSvg.exists ? fs.readFileSync(bandSvg.file, 'utf8') : '';
  const entries = [...svg.matchAll(/<g class="legend-entry"><line [^>]*stroke="([^"]+)"[^>]*\/><text [^>]*>([^<]+)<\/text>/g)].map(m => ({ color: m[1], label: m[2] }));
  const markColor = (label) => svg.match(new RegExp(`<path [^>]*data-label="${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*`))?.[0].match(/(?:stroke|fill)="(rgb[^"]+)"/)?.[1];
  const mismatched = entries.filter(e => markColor(e.label) !== e.color);
  check(entries.length >= 5 && mismatched.length === 0, 'the band chart\'s SVG legend shows each band and the median in their own colours',
    mismatched.map(e => `${e.label}: legend ${e.color}, mark ${markColor(e.label)}`).join('; ') || entries.map(e => `${e.label} ${e.color}`).join(', '));

  for (const [kind, theme] of THEMES) {
    await setColorTheme(page, theme);
    await sleep(1500);
    await frame.evaluate(() => document.querySelector('figure[data-chart="decision-boundary"]')?.scrollIntoView({ block: 'start' }));
    await sleep(600);
    const t = await frame.evaluate(boundaryPixels, 'decision-boundary');
    check(threeClasses(t), `${kind}: the boundary redraws in the theme's three class colours`, `${t.palette?.join(' ')}: ${describe(t)}`);
    await shot(`62-run-views-${kind}.png`);
  }
  await setColorTheme(page, 'Dark Modern');

  const viewport = page.viewportSize();
  await page.setViewportSize({ width: 720, height: viewport.height });
  await sleep(1500);
  await frame.evaluate(() => document.querySelector('figure[data-chart="decision-boundary"]')?.scrollIntoView({ block: 'start' }));
  await sleep(600);
  const narrow = await frame.evaluate(runViewsState);
  const nb = await frame.evaluate(boundaryPixels, 'decision-boundary');
  check(narrow.fits && narrow.width <= 420 && threeClasses(nb), 'at the side panel\'s width the run views fit and the boundary still shows three classes', `${narrow.width} px, fits ${narrow.fits}; ${describe(nb)}`);
  await shot('63-run-views-narrow.png');
  await frame.evaluate(() => document.getElementById('health-strip')?.scrollIntoView({ block: 'start' }));
  await sleep(500);
  await shot('63b-run-health-narrow.png');
  await page.setViewportSize(viewport);
  await sleep(500);
}

function isComparison(title) {
  return new Function(`return document.body?.dataset.view === 'compare' && document.getElementById('compare-title')?.textContent === ${JSON.stringify(title)};`);
}

/** Inside the comparison: each run's boundary plane, by legend order. */
function comparedBoundaries() {
  return [...document.querySelectorAll('#compare-boundaries figure')].map(f => ({
    runId: f.dataset.runId,
    title: f.querySelector('.chart-title')?.textContent ?? '',
    canvasId: f.querySelector('canvas')?.id ?? '',
    hidden: f.hidden,
  }));
}

/** "▶ Train all" on the spiral: the comparison shows each run's decision boundary; its CSV export. */
export async function compareBoundariesScenario({ page, check, shot, workspace }) {
  await closeAllEditors(page);
  if (!(await page.locator('.explorer-folders-view').isVisible().catch(() => false))) {
    await page.locator('.activitybar .action-item a[aria-label^="Explorer"]').click();
  }
  await openFromExplorer(page, FILE);
  const lens = page.locator('.editor-instance', { has: page.locator('.view-line', { hasText: `"${TITLE}"` }) }).first()
    .locator('.codelens-decoration a').filter({ hasText: /^\u25B6 Train all \(3\)$/ }).first();
  check(await shows(lens, 30_000), 'the spiral offers "▶ Train all (3)"');
  await lens.click();
  const frame = await findWebviewFrame(page, isComparison(`Compare: ${TITLE}`), { timeoutMs: 30_000 });
  await frame.waitForFunction(() => {
    const items = [...document.querySelectorAll('#compare-legend li')];
    return items.length === 3 && items.every(li => ['completed', 'stopped', 'failed', 'interrupted'].includes(li.dataset.state ?? ''));
  }, null, { timeout: 400_000, polling: 500 });
  await sleep(1500);
  const planes = await frame.evaluate(comparedBoundaries);
  const names = await frame.evaluate(() => [...document.querySelectorAll('#compare-legend li .legend-label')].map(e => e.textContent));
  log.info(`compared boundaries: ${JSON.stringify(planes)}; legend ${names.join(' | ')}`);
  check(planes.length === 3 && planes.every((p, i) => p.title === names[i] && !p.hidden), 'the comparison shows each run\'s decision boundary, named as in the legend', planes.map(p => p.title).join(' | '));
  const readings = [];
  for (const p of planes) {
    await frame.evaluate(id => document.getElementById(id)?.scrollIntoView({ block: 'center' }), p.canvasId);
    await sleep(500);
    readings.push(await frame.evaluate(boundaryPixels, p.canvasId));
  }
  check(readings.length === 3 && readings.every(threeClasses), 'each run\'s plane shows three class colours and the training points', readings.map(describe).join(' · '));
  // The comparison opened before any run had a grid: these came with the runs' appended series.
  check(readings.every(r => /^Step 900 · 48×48 grid/.test(r.note)), 'each plane is its run\'s last grid, followed while it trained', readings.map(r => r.note.split(' · ')[0]).join(', '));
  await shot('64-compare-boundaries.png');

  // Hiding a run in the legend hides its plane too.
  await frame.locator('#compare-legend li .legend-name').first().click();
  await sleep(400);
  const hidden = await frame.evaluate(comparedBoundaries);
  await frame.locator('#compare-legend li .legend-name').first().click();
  check(hidden[0]?.hidden === true && hidden.slice(1).every(p => !p.hidden), 'hiding a run in the legend hides its plane', JSON.stringify(hidden.map(p => p.hidden)));

  const planeButton = (format) => () => frame.locator(`#compare-boundaries figure[data-run-id="${planes[1]?.runId}"] button[data-export="${format}"]`).click();
  const png = await saveThroughDialog(page, planeButton('png'), workspace);
  checkPng(check, png, 'a compared run\'s decision boundary');
  check(path.basename(png.file).startsWith(`${planes[1]?.runId}-decision-boundary`), 'the file offered is named after that run', path.basename(png.file));

  // The overlaid loss as SVG: a line per run in its colour, the runs named in its legend.
  const colors = await frame.evaluate(() => (document.querySelector('canvas#compare-loss')?.dataset.colors ?? '').split(' ').filter(Boolean));
  const lossSvg = await saveThroughDialog(page, () => frame.locator('figure[data-chart="compare-loss"] button[data-export="svg"]').click(), workspace);
  checkSvg(check, lossSvg, 'the comparison\'s loss chart', { marks: /<path class="line"/g, text: 'Loss' });
  const overlay = lossSvg.exists ? fs.readFileSync(lossSvg.file, 'utf8') : '';
  const lineColors = [...overlay.matchAll(/<path class="line"[^>]*stroke="([^"]+)"/g)].map(m => m[1]);
  check(colors.length === 3 && colors.every(c => lineColors.includes(c)) && names.every(n => overlay.includes(n.replace(/&/g, '&amp;'))),
    'its SVG draws each run\'s line in the run\'s colour and names every run', `lines ${lineColors.join(' ')}; runs ${colors.join(' ')}`);
  checkPng(check, await saveThroughDialog(page, () => frame.locator('figure[data-chart="compare-loss"] button[data-export="png"]').click(), workspace), 'the comparison\'s loss chart');

  const csv = await saveThroughDialog(page, () => frame.locator('#export-csv').click(), workspace);
  const lines = csv.exists ? fs.readFileSync(csv.file, 'utf8').trim().split(/\r?\n/) : [];
  const header = (lines[0] ?? '').split(',');
  const epochs = header.indexOf('epoch');
  const perRun = new Map();
  for (const line of lines.slice(1)) { const run = line.split(',')[0]; perRun.set(run, (perRun.get(run) ?? 0) + 1); }
  check(csv.exists && epochs >= 0 && header.includes('val_accuracy') && perRun.size === 3 && [...perRun.values()].every(n => n === 60),
    'the comparison\'s metrics CSV has a row per run and epoch', `${path.basename(csv.file)}: ${lines.length - 1} rows, runs ${[...perRun.values()].join('/')}; header ${header.slice(0, 8).join(',')}…`);

  await frame.evaluate(() => document.getElementById('compare-boundaries')?.scrollIntoView({ block: 'start' }));
  for (const [kind, theme] of THEMES) {
    await setColorTheme(page, theme);
    await sleep(1500);
    const r = await frame.evaluate(boundaryPixels, planes[0]?.canvasId);
    check(threeClasses(r), `${kind}: compared planes redraw in the theme's class colours`, describe(r));
    await shot(`65-compare-views-${kind}.png`);
  }
  await setColorTheme(page, 'Dark Modern');
  const viewport = page.viewportSize();
  await page.setViewportSize({ width: 720, height: viewport.height });
  await sleep(1500);
  await frame.evaluate(() => document.getElementById('compare-boundaries')?.scrollIntoView({ block: 'start' }));
  await sleep(500);
  const fit = await frame.evaluate(() => ({ width: document.documentElement.clientWidth, fits: document.documentElement.scrollWidth <= document.documentElement.clientWidth }));
  const nr = await frame.evaluate(boundaryPixels, planes[0]?.canvasId);
  check(fit.fits && fit.width <= 420 && threeClasses(nr), 'at the side panel\'s width the compared planes fit and still show three classes', `${fit.width} px, fits ${fit.fits}; ${describe(nr)}`);
  await shot('66-compare-views-narrow.png');
  await page.setViewportSize(viewport);
  await sleep(500);
}

/**
 * Soft labels as a student meets them: the annotator-votes example trained from its code lens — a
 * run on class probabilities — shows its accuracy, its first loss against ln 3, and the plane in
 * three class colours with each point drawn as its likeliest class.
 */
export async function softLabelsScenario({ page, check, shot }) {
  await closeAllEditors(page);
  const frame = await trainFromLens(page, 'soft-labels.experiment.json', 'Annotator votes');
  await frame.waitForFunction(() => ['completed', 'failed', 'stopped'].includes(document.body.dataset.status ?? ''), null, { timeout: 240_000, polling: 500 });
  await sleep(1000);
  const stats = await frame.evaluate(() => Object.fromEntries([...document.querySelectorAll('[data-stat]')].map(s => [s.dataset.stat, s.querySelector('.stat-value')?.textContent ?? ''])));
  const status = await frame.evaluate(() => document.body.dataset.status);
  log.info(`soft labels: ${status} ${JSON.stringify(stats)}`);
  check(status === 'completed', 'a run on class probabilities (soft labels) trains to its end', status);
  check(/%/.test(stats['val-acc'] ?? '') && /ln 3|×/.test(`${stats['first-loss'] ?? ''}`), 'its panel shows the validation accuracy and the first loss against ln 3',
    `val acc ${stats['val-acc']}, first loss ${stats['first-loss']}`);
  await frame.evaluate(() => document.getElementById('decision-boundary')?.scrollIntoView({ block: 'center' }));
  await sleep(800);
  const b = await frame.evaluate(boundaryPixels, 'decision-boundary');
  log.info(`soft-label boundary: ${JSON.stringify(b)}`);
  check(threeClasses(b) && /360 training points/.test(b.note), 'its decision boundary shows three classes, each point as its likeliest class', `${describe(b)}; ${b.note}`);
  const legend = await frame.evaluate(() => [...document.querySelectorAll('figure[data-chart="decision-boundary"] .class-legend li')].map(li => li.textContent.trim()));
  check(legend.join(' ').includes('p_circle') && legend.join(' ').includes('p_triangle'), 'its legend names the classes by their probability columns', legend.join(' | '));
  await shot('67-soft-labels.png');
}
