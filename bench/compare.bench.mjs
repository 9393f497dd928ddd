#!/usr/bin/env node
// The comparison view with many runs, in Debian's Chromium (as the UI tests drive it): the page
// bundle that ships (dist/compare.js) gets the host's messages for N runs × S steps — the batch
// loss, epoch losses and accuracies, the learning rate — and we measure
//   draw:   from the snapshot's arrival to its charts drawn (and each chart's draw time);
//   update: runs going on live (every 100 ms, the host's rate, each run 200 more steps) — the
//           page's frame intervals and the charts' draw times while it follows them.
// At the editor's width (1200 px) and at the side panel's (320 px).
//   node bench/compare.bench.mjs [--runs 50] [--steps 10000] [--seconds 10] [--json]
// Needs `npm run build` first. Not part of `npm test`. Reports the machine's load with the figures.
import { build } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const runs = option('--runs', 50);
const steps = option('--steps', 10_000);
const seconds = option('--seconds', 10);
const json = args.includes('--json');
const say = (text) => { if (!json) console.error(text); };

const bundle = path.join(root, 'dist', 'compare.js');
if (!fs.existsSync(bundle)) throw new Error('dist/compare.js is missing: run `npm run build` first');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trainscope-compare-bench-'));
const outfile = path.join(dir, 'compare.workload.mjs');
await build({ entryPoints: [path.join(root, 'bench/compare.workload.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'warning' });
const { showMessage, LiveRuns } = await import(pathToFileURL(outfile).href);

// A page like VS Code's webview: its theme variables, the stylesheets, the bundle, a stand-in for acquireVsCodeApi.
const page = `<!DOCTYPE html><html><head><meta charset="utf-8"><style>
:root { --vscode-editor-foreground: #cccccc; --vscode-descriptionForeground: #9d9d9d; --vscode-editor-background: #1f1f1f; --vscode-foreground: #cccccc; --vscode-font-family: sans-serif; --vscode-font-size: 13px; }
${fs.readFileSync(path.join(root, 'dist/webview.css'), 'utf8')}
${fs.readFileSync(path.join(root, 'dist/compare.css'), 'utf8')}
</style></head><body class="vscode-dark" data-vscode-theme-kind="vscode-dark" data-view="compare"><main id="app"></main>
<script>window.acquireVsCodeApi = () => ({ postMessage() {}, getState() {}, setState() {} });</script>
<script>${fs.readFileSync(bundle, 'utf8')}</script></body></html>`;
const htmlFile = path.join(dir, 'compare.html');
fs.writeFileSync(htmlFile, page);

const stats = (v) => {
  const s = [...v].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return s.length ? { n: s.length, median: +q(0.5).toFixed(1), p95: +q(0.95).toFixed(1), max: +s[s.length - 1].toFixed(1) } : { n: 0 };
};

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const results = { runs, steps, seconds, load: os.loadavg().map(l => +l.toFixed(2)), cores: os.cpus().length, widths: {} };
try {
  for (const width of [1200, 320]) {
    const tab = await browser.newPage({ viewport: { width, height: 1000 } });
    await tab.goto(pathToFileURL(htmlFile).href);
    const show = showMessage(runs, steps);
    // Typed arrays are rebuilt in the page: the host's messages carry Float64Arrays.
    const draw = await tab.evaluate((m) => new Promise(resolve => {
      for (const r of m.runs) for (const s of r.series) s.pieces = Float64Array.from(s.pieces);
      const t0 = performance.now();
      window.postMessage(m, '*');
      // The message is handled, then the charts draw on the next frames.
      const settle = (n) => requestAnimationFrame(() => (n > 0 ? settle(n - 1) : resolve({ wallMs: performance.now() - t0, ingestMs: Number(document.body.dataset.ingestMs), draws: window.trainscopeDrawTimes() })));
      setTimeout(() => settle(2), 0);
    }), show);
    const lines = await tab.evaluate(() => Number(document.querySelector('canvas#compare-loss')?.dataset.lines ?? 0));
    if (width === 1200) await tab.screenshot({ path: path.join(root, 'test-results', 'bench-compare-50.png') }).catch(() => {});
    say(`${width}px: ${lines} lines; snapshot to drawn ${draw.wallMs.toFixed(0)} ms (taking the runs in: ${draw.ingestMs} ms); chart draws ${JSON.stringify(stats(draw.draws))}`);

    const live = new LiveRuns(runs, steps);
    await tab.evaluate(() => {
      window.benchFrames = [];
      let last = performance.now();
      const tick = (t) => { window.benchFrames.push(t - last); last = t; if (!window.benchStop) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
      window.benchDrawsBefore = window.trainscopeDrawTimes().length;
    });
    // Made before, so the page gets them at the host's rate whatever this side costs.
    const queue = Array.from({ length: seconds * 10 }, () => live.next(200));
    let messages = 0;
    for (const m of queue) {
      await tab.evaluate((m) => {
        for (const u of m.series) for (const s of u.series) s.pieces = Float64Array.from(s.pieces);
        window.postMessage(m, '*');
      }, m);
      messages++;
      await new Promise(r => setTimeout(r, 100));
    }
    const update = await tab.evaluate(() => {
      window.benchStop = true;
      return { frames: window.benchFrames.slice(1), draws: window.trainscopeDrawTimes() };
    });
    const points = await tab.evaluate(() => Number(document.querySelector('canvas#compare-loss')?.dataset.points ?? 0));
    results.widths[width] = {
      lines,
      drawMs: +draw.wallMs.toFixed(1),
      ingestMs: draw.ingestMs,
      firstChartDraws: stats(draw.draws),
      update: { messages, lossChartPoints: points, frameIntervalMs: stats(update.frames), chartDrawMs: stats(update.draws.slice(-200)) },
    };
    say(`${width}px live: ${messages} updates, frame intervals ${JSON.stringify(stats(update.frames))}, chart draws ${JSON.stringify(stats(update.draws.slice(-200)))}`);
    await tab.close();
  }
} finally {
  await browser.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
results.loadAfter = os.loadavg().map(l => +l.toFixed(2));
fs.mkdirSync(path.join(root, 'test-results', 'bench'), { recursive: true });
fs.writeFileSync(path.join(root, 'test-results', 'bench', 'compare.json'), JSON.stringify(results, null, 2));
console.log(json ? JSON.stringify(results, null, 2) : `compare bench (${runs} runs × ${steps} steps; load ${results.load.join(' ')} on ${results.cores} cores):\n${JSON.stringify(results.widths, null, 2)}`);
