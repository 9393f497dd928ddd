// A student trains on real images (the Fashion-MNIST slice) and scrolls the run panel to its image
// views: examples with true and predicted classes (mistakes marked), the confusion matrix with each
// class's accuracy, the first layer's weights as images — read from the page and its canvases, in
// each kind of theme.
import { closeAllEditors, setColorTheme, sleep, trainFromLens } from '../liveRun.mjs';

const FILE = 'fashion-mnist.experiment.json';
const TITLE = 'Fashion-MNIST MLP (slice)';

/** Inside the panel: what the image views show, and how varied each kind of canvas is. */
function imageViewsState() {
  const spread = (canvas) => {
    const ctx = canvas.getContext('2d');
    const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let min = 255;
    let max = 0;
    for (let i = 0; i < d.length; i += 4) {
      const v = (d[i] + d[i + 1] + d[i + 2]) / 3;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    return max - min;
  };
  const section = document.getElementById('image-views');
  const samples = [...document.querySelectorAll('#sample-grid figure')];
  const table = document.getElementById('confusion-table');
  const weights = [...document.querySelectorAll('#weight-grid canvas')];
  const valAcc = document.querySelector('[data-stat="val-acc"] .stat-value')?.textContent ?? '';
  return {
    shown: section !== null && !section.hidden,
    status: document.body.dataset.status,
    samples: samples.length,
    sampleSpreads: samples.map(f => spread(f.querySelector('canvas'))),
    mistakes: samples.filter(f => f.classList.contains('mistake')).length,
    mistakeCaptions: samples.filter(f => f.querySelector('figcaption').textContent.startsWith('✗')).length,
    rows: table ? table.querySelectorAll('tbody tr').length : 0,
    correct: Number(table?.dataset.correct ?? NaN),
    total: Number(table?.dataset.total ?? NaN),
    accuracies: [...document.querySelectorAll('.class-accuracy')].map(td => td.textContent),
    weights: weights.length,
    weightSpreads: weights.map(spread),
    valAcc,
  };
}

export async function imageViewsScenario({ page, check, shot }) {
  await closeAllEditors(page);
  const frame = await trainFromLens(page, FILE, TITLE);
  await frame.waitForFunction(() => ['completed', 'failed', 'stopped'].includes(document.body.dataset.status ?? ''), null, { timeout: 180_000, polling: 500 });
  await sleep(800);
  const s = await frame.evaluate(imageViewsState);
  check(s.status === 'completed' && s.shown, 'a run on images shows its image views', `status ${s.status}, shown ${s.shown}`);
  check(s.samples === 24 && s.sampleSpreads.every(v => v > 100), 'the sample grid draws 24 examples, each a real picture on its canvas', `${s.samples} examples, pixel spreads ${s.sampleSpreads.slice(0, 6).join(', ')}…`);
  check(s.mistakes > 0 && s.mistakes === s.mistakeCaptions && s.mistakes < s.samples, 'mistakes are marked (and only those whose prediction differs)', `${s.mistakes} marked, ${s.mistakeCaptions} captions with ✗`);
  const accuracy = (100 * s.correct) / s.total;
  check(s.rows === 10 && s.total === 400 && Math.abs(accuracy - parseFloat(s.valAcc)) < 0.06,
    'the confusion matrix has 10 classes over the 400 validation images, its diagonal the validation accuracy', `${s.rows} rows, ${s.correct}/${s.total} = ${accuracy.toFixed(1)}% vs ${s.valAcc}`);
  check(s.accuracies.length === 10 && s.accuracies.every(a => /\d+%$/.test(a)), 'each class has its accuracy', s.accuracies.join(', '));
  check(s.weights === 32 && s.weightSpreads.every(v => v > 40), 'the first layer\'s weights draw as 32 images', `${s.weights} units, spreads ${s.weightSpreads.slice(0, 6).map(v => v.toFixed(0)).join(', ')}…`);

  await frame.evaluate(() => document.getElementById('image-views')?.scrollIntoView());
  await sleep(500);
  for (const [kind, theme] of [['dark', 'Dark Modern'], ['light', 'Light Modern'], ['hc-dark', 'Dark High Contrast'], ['hc-light', 'Light High Contrast']]) {
    await setColorTheme(page, theme);
    await sleep(1200);
    const t = await frame.evaluate(imageViewsState);
    check(t.samples === 24 && t.sampleSpreads.every(v => v > 100) && t.weightSpreads.every(v => v > 20), `${kind}: the image views redraw in the theme's colours`, `spreads ${t.sampleSpreads[0]} / ${t.weightSpreads[0]?.toFixed(0)}`);
    await shot(`52-image-views-${kind}.png`);
  }
  await setColorTheme(page, 'Dark Modern');
  await closeAllEditors(page);
}
