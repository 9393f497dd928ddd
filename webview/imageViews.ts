/**
 * The panel's views of a run on images (the run's latest `images` record): held-out examples with
 * their true and predicted classes (mistakes marked), the confusion matrix with each class's
 * accuracy, and the first layer's weights drawn as images. Pixels go straight into canvases
 * (ImageData), in the theme's colours; names are set as text, never parsed as HTML.
 */
import type { ImagesRecord } from '../contract/series';
import { h } from './dom';
import type { ChartColors } from './theme';

type Rgb = [number, number, number];

export class ImageSection {
  readonly element: HTMLElement;
  private readonly note: HTMLElement;
  private readonly samples: HTMLElement;
  private readonly confusion: HTMLElement;
  private readonly weights: HTMLElement;
  private readonly weightsNote: HTMLElement;
  private drawn: ImagesRecord | undefined;

  constructor(private colors: ChartColors) {
    this.note = h('p', { class: 'section-note', id: 'images-note' });
    this.samples = h('div', { class: 'sample-grid', id: 'sample-grid' });
    this.confusion = h('div', { class: 'confusion', id: 'confusion' });
    this.weightsNote = h('p', { class: 'section-note' });
    this.weights = h('div', { class: 'weight-grid', id: 'weight-grid' });
    this.element = h(
      'section',
      { class: 'images', id: 'image-views', 'aria-label': 'Images' },
      h('h2', {}, 'Images'),
      this.note,
      h('h3', {}, 'Examples: true → predicted'),
      this.samples,
      h('h3', {}, 'Confusion matrix and accuracy per class'),
      this.confusion,
      h('h3', {}, 'First-layer weights'),
      this.weightsNote,
      this.weights,
    );
    this.element.hidden = true;
  }

  update(images: ImagesRecord | undefined): void {
    if (!images || images === this.drawn) return;
    this.drawn = images;
    this.element.hidden = false;
    const set = images.split === 'validation' ? 'validation set' : 'training set (no validation split)';
    this.note.textContent = `After epoch ${images.epoch} (step ${images.step}), on the ${set}.`;
    this.drawSamples(images);
    this.drawConfusion(images);
    this.drawWeights(images);
  }

  applyColors(colors: ChartColors): void {
    this.colors = colors;
    const images = this.drawn;
    this.drawn = undefined;
    this.update(images);
  }

  private drawSamples(images: ImagesRecord): void {
    const ink = rgbOf(this.colors.foreground);
    const paper = rgbOf(this.colors.background);
    let mistakes = 0;
    const figures = images.samples.map(s => {
      const wrong = s.label !== s.predicted;
      if (wrong) mistakes++;
      const canvas = pixelCanvas(images.width, images.height, s.pixels, v => mix(paper, ink, v / 255));
      const truth = images.classes[s.label] ?? String(s.label);
      const guess = images.classes[s.predicted] ?? String(s.predicted);
      canvas.setAttribute('aria-label', `${truth}, predicted ${guess}`);
      return h(
        'figure',
        { class: wrong ? 'sample mistake' : 'sample', title: `true: ${truth} · predicted: ${guess}` },
        canvas,
        wrong ? h('figcaption', {}, `✗ ${truth}`, h('span', { class: 'predicted' }, `→ ${guess}`)) : h('figcaption', {}, `✓ ${truth}`),
      );
    });
    this.samples.replaceChildren(...figures);
    this.samples.dataset.samples = String(images.samples.length);
    this.samples.dataset.mistakes = String(mistakes);
  }

  private drawConfusion(images: ImagesRecord): void {
    const { confusion, classes } = images;
    const head = h('tr', {}, h('th', { scope: 'col', class: 'corner' }, 'true \\ predicted'), ...classes.map(c => h('th', { scope: 'col', title: c }, abbreviate(c))), h('th', { scope: 'col' }, 'accuracy'));
    let correct = 0;
    let total = 0;
    const rows = confusion.map((row, i) => {
      const n = row.reduce((a, b) => a + b, 0);
      total += n;
      correct += row[i] ?? 0;
      const cells = row.map((count, j) => {
        const td = h('td', { title: `${classes[i]} predicted as ${classes[j]}: ${count} of ${n}` }, String(count));
        const share = n > 0 ? count / n : 0;
        // The diagonal in the training colour, confusions in the warning colour, by share of the row.
        td.style.setProperty('background', `color-mix(in srgb, ${i === j ? this.colors.train : this.colors.severity.warning} ${Math.round(share * 85)}%, transparent)`);
        return td;
      });
      const accuracy = n > 0 ? row[i] / n : undefined;
      const bar = h('span', { class: 'bar' });
      bar.style.setProperty('width', `${Math.round((accuracy ?? 0) * 100)}%`);
      bar.style.setProperty('background', this.colors.train);
      return h(
        'tr',
        {},
        h('th', { scope: 'row' }, classes[i] ?? String(i)),
        ...cells,
        h('td', { class: 'class-accuracy', 'data-class': String(i) }, h('span', { class: 'bar-box' }, bar), accuracy === undefined ? '–' : `${(accuracy * 100).toFixed(0)}%`),
      );
    });
    const table = h('table', { class: 'confusion-table', id: 'confusion-table' }, h('thead', {}, head), h('tbody', {}, ...rows));
    table.dataset.correct = String(correct);
    table.dataset.total = String(total);
    this.confusion.replaceChildren(table);
  }

  private drawWeights(images: ImagesRecord): void {
    const w = images.weights;
    if (!w) {
      this.weightsNote.textContent = 'The first layer does not read the pixels directly (a linear layer first shows its weights here).';
      this.weights.replaceChildren();
      return;
    }
    const paper = rgbOf(this.colors.background);
    const positive = rgbOf(this.colors.train);
    const negative = rgbOf(this.colors.severity.warning);
    this.weightsNote.textContent =
      `model[${w.layer}]: ${w.pixels.length === w.units ? `all ${w.units}` : `the first ${w.pixels.length} of ${w.units}`} units, ` +
      `each unit's ${images.width * images.height} weights as an image — positive in the training colour, negative in the warning colour, up to ±${w.max.toPrecision(2)}.`;
    const canvases = w.pixels.map((unit, u) => {
      const canvas = pixelCanvas(images.width, images.height, unit, v => (v >= 128 ? mix(paper, positive, (v - 128) / 127) : mix(paper, negative, (128 - v) / 128)));
      canvas.setAttribute('aria-label', `unit ${u}`);
      canvas.title = `unit ${u}`;
      return canvas;
    });
    this.weights.replaceChildren(...canvases);
    this.weights.dataset.units = String(canvases.length);
  }
}

/** A canvas of width × height pixels, each coloured from its 0–255 value. */
function pixelCanvas(width: number, height: number, values: readonly number[], color: (v: number) => Rgb): HTMLCanvasElement {
  const canvas = h('canvas', { width: String(width), height: String(height), class: 'pixels', role: 'img' }) as HTMLCanvasElement;
  const ctx = canvas.getContext('2d');
  if (!ctx) return canvas;
  const image = ctx.createImageData(width, height);
  for (let i = 0; i < width * height; i++) {
    const [r, g, b] = color(values[i] ?? 0);
    image.data[4 * i] = r;
    image.data[4 * i + 1] = g;
    image.data[4 * i + 2] = b;
    image.data[4 * i + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
  return canvas;
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  const k = Math.min(1, Math.max(0, t));
  return [Math.round(a[0] + (b[0] - a[0]) * k), Math.round(a[1] + (b[1] - a[1]) * k), Math.round(a[2] + (b[2] - a[2]) * k)];
}

/** Any CSS colour as RGB: a canvas normalizes what it is given (the theme's colours vary in form). */
const probe = document.createElement('canvas').getContext('2d');
function rgbOf(css: string): Rgb {
  if (!probe) return [128, 128, 128];
  probe.clearRect(0, 0, 1, 1);
  probe.fillStyle = '#808080';
  probe.fillStyle = css;
  probe.fillRect(0, 0, 1, 1);
  const [r, g, b] = probe.getImageData(0, 0, 1, 1).data;
  return [r, g, b];
}

/** A column header short enough for ten columns at the side panel's width ("T-shirt/top" → "T-sh"). */
function abbreviate(name: string): string {
  return name.slice(0, 4);
}
