/**
 * One chart of a comparison: a series of every run overlaid, each in its run's colour. Each line
 * is decimated per pixel column keeping minima and maxima (contract/decimate.ts), so fifty runs of
 * a million steps draw as fifty lines of a few thousand points. Where a diagnostic stopped a run,
 * its line ends in a marker. Redraws are asked for freely and done at most once a frame.
 */
import { linearRange, logRange, spiky } from '../contract/axisRange';
import { PointPool, bucketAt, decimate, type Point } from '../contract/decimate';
import { formatCount, shortNumber } from '../contract/format';
import { F, type SeriesSummary } from '../contract/series';
import { Chart, POINT_OPTIONS, applyAxisColors, type ChartDataset } from './chartSetup';
import { figureToSvg } from '../contract/svgFigure';
import { h } from './dom';
import { canvasPng, chartFigure, exportButtons, type ImageFormat } from './imageExport';
import type { ChartColors } from './theme';

export interface OverlayLine {
  runId: string;
  label: string;
  color: string;
  summary: SeriesSummary | undefined;
  /** A diagnostic stopped the run at this step. */
  stopStep?: number;
  stopText?: string;
  hidden: boolean;
}

export interface OverlayChoice {
  key: string;
  label: string;
}

export interface OverlaySpec {
  id: string;
  title: string;
  /** The series the chart can show (a select when more than one); the first is shown at first. */
  choices: OverlayChoice[];
  scale: 'linear' | 'log' | 'percent';
  /** A "log" checkbox. */
  logToggle?: boolean;
}

type LineDataset = ChartDataset<'line', Point[]>;

/** New data of live runs is drawn at most this often (a chart of fifty runs costs ~10–20 ms a draw). */
const LIVE_REDRAW_MS = 250;

/** A line to draw over the chart's axes: its points, and how. */
interface DrawnLine {
  points: Point[];
  color: string;
  width: number;
  /** The run's name (the exported figure's legend). */
  label: string;
}

export interface OverlayColors {
  muted: string;
  grid: string;
  background: string;
  error: string;
}

export class OverlayChart {
  readonly figure: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  private readonly chart: Chart<'line', Point[]>;
  private readonly readout: HTMLElement;
  private readonly pools = new Map<string, PointPool>();
  private key: string;
  private logY: boolean;
  /** The user ticked or unticked "log": their choice holds (else it follows the values, see spiky). */
  private logChosen = false;
  private logBox: HTMLInputElement | undefined;
  private lines: OverlayLine[] = [];
  private highlighted: string | undefined;
  /**
   * The lines, drawn straight onto the canvas after chart.js has drawn the axes: chart.js makes an
   * object per point of a dataset, which for fifty runs (a hundred thousand points) costs a
   * quarter of a second a draw; a path through the same points costs a few milliseconds.
   */
  private drawn: DrawnLine[] = [];
  private frame = 0;
  private lastDraw = -Infinity;
  private waitTimer: ReturnType<typeof setTimeout> | undefined;
  /** Milliseconds each of the last draws took (the benchmark and the e2e test read them). */
  readonly drawTimes: number[] = [];

  constructor(
    readonly spec: OverlaySpec,
    private readonly onChange: () => void,
    private colors: OverlayColors,
    /** Saves the chart (PNG or SVG buttons in its caption when given). */
    exportAs?: (format: ImageFormat) => void,
  ) {
    this.key = spec.choices[0].key;
    this.logY = spec.scale === 'log';
    this.canvas = h('canvas', { id: spec.id, role: 'img', 'aria-label': `${spec.title} of every compared run` }) as HTMLCanvasElement;
    this.readout = h('div', { class: 'readout', role: 'status', 'aria-live': 'off' });
    this.readout.hidden = true;
    const caption = h('figcaption', {}, h('span', { class: 'chart-title' }, spec.title));
    if (spec.choices.length > 1) {
      const select = h('select', { 'aria-label': `${spec.title}: which series` }) as HTMLSelectElement;
      for (const c of spec.choices) select.append(h('option', { value: c.key }, c.label));
      select.addEventListener('change', () => {
        this.key = select.value;
        this.onChange();
      });
      caption.append(select);
    }
    if (spec.logToggle) {
      const box = h('input', { type: 'checkbox', class: 'log-toggle', 'aria-label': `${spec.title}: logarithmic y axis` }) as HTMLInputElement;
      box.checked = this.logY;
      this.logBox = box;
      box.addEventListener('change', () => {
        this.logY = box.checked;
        this.logChosen = true;
        this.redraw();
      });
      caption.append(h('label', { class: 'chart-option', title: 'Logarithmic y axis' }, box, 'log'));
    }
    if (exportAs) caption.append(exportButtons(spec.title, exportAs));
    this.figure = h('figure', { class: 'chart', 'data-chart': spec.id }, caption, h('div', { class: 'chart-box' }, this.canvas, this.readout));
    this.chart = new Chart<'line', Point[]>(this.canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        ...POINT_OPTIONS,
        spanGaps: true,
        events: ['mousemove', 'mouseout'],
        plugins: {
          tooltip: { enabled: false },
          legend: { display: false },
          crosshair: { onMove: (x, pixel) => this.showReadout(x, pixel) },
          zoom: { zoom: { drag: { enabled: false }, wheel: { enabled: false } }, pan: { enabled: false } },
        },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'step' }, ticks: { maxTicksLimit: 6, callback: v => formatCount(Number(v)) } },
          y: { type: 'linear' },
        },
      },
      plugins: [{ id: 'overlayLines', beforeDatasetsDraw: chart => this.drawLines(chart) }],
    });
    this.applyColors(colors);
  }

  /** The series key shown now. */
  get shownKey(): string {
    return this.key;
  }

  /**
   * The chart as drawn now: a PNG of the canvas, or an SVG of chart.js's axes and marks with the
   * runs' lines (painted by drawLines, so not among chart.js's datasets) under them, and the runs'
   * names as its legend.
   */
  image(format: ImageFormat): string {
    if (format === 'png') return canvasPng(this.canvas, this.colors.background);
    const x = this.chart.scales.x;
    const y = this.chart.scales.y;
    const colors = { ...this.colors, foreground: this.colors.muted } as Pick<ChartColors, 'background' | 'foreground' | 'muted' | 'grid'>;
    const figure = chartFigure(this.chart as unknown as Parameters<typeof chartFigure>[0], this.spec.title, colors as ChartColors, this.drawn.map(l => ({ label: l.label, color: l.color })));
    const pixel = (p: Point): [number, number] => (Number.isFinite(p.y) ? [x.getPixelForValue(p.x), y.getPixelForValue(p.y)] : [NaN, NaN]);
    figure.marks.unshift(...this.drawn.map(l => ({ kind: 'line' as const, label: l.label, color: l.color, width: l.width, points: l.points.map(pixel) })));
    return figureToSvg(figure);
  }

  /** `live`: new data of runs training (drawn at most every LIVE_REDRAW_MS), else a change to show now. */
  setLines(lines: OverlayLine[], live = false): void {
    this.lines = lines;
    this.redraw(!live);
  }

  /** Draws one run's line over the others, the rest faded (undefined: all as they are). */
  highlight(runId: string | undefined): void {
    this.highlighted = runId;
    this.redraw();
  }

  applyColors(colors: OverlayColors): void {
    this.colors = colors;
    const o = this.chart.options;
    applyAxisColors(o, colors);
    o.plugins!.crosshair!.color = colors.muted;
    this.redraw();
  }

  /**
   * Asks for a redraw (many asks, one draw). What the user did (a highlight, a choice) is drawn on
   * the next frame; new data at most every LIVE_REDRAW_MS, so that fifty runs training leave the
   * page most of its frames.
   */
  redraw(urgent = true): void {
    if (this.frame !== 0) return;
    const wait = urgent ? 0 : this.lastDraw + LIVE_REDRAW_MS - performance.now();
    if (wait > 0) {
      this.waitTimer ??= setTimeout(() => {
        this.waitTimer = undefined;
        this.redraw(true);
      }, wait);
      return;
    }
    clearTimeout(this.waitTimer);
    this.waitTimer = undefined;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.lastDraw = performance.now();
      this.draw();
    });
  }

  private pool(runId: string): PointPool {
    let p = this.pools.get(runId);
    if (!p) {
      p = new PointPool();
      this.pools.set(runId, p);
    }
    return p;
  }

  private draw(): void {
    const started = performance.now();
    const shown = this.lines.filter(l => !l.hidden && l.summary && !l.summary.isEmpty);
    this.figure.hidden = !this.lines.some(l => l.summary && !l.summary.isEmpty);
    if (this.figure.hidden) return;
    let maxX = 1;
    for (const l of shown) maxX = Math.max(maxX, l.summary!.maxX);
    const columns = Math.max(50, Math.round(this.chart.chartArea?.width ?? this.canvas.clientWidth ?? 600));
    const datasets: LineDataset[] = [];
    const all: Point[][] = [];
    const stops: { x: number; line: OverlayLine }[] = [];
    const drawn: DrawnLine[] = [];
    let front: DrawnLine | undefined;
    for (const line of shown) {
      const { points } = decimate(line.summary!, 0, maxX, columns, undefined, this.pool(line.runId));
      all.push(points);
      const faded = this.highlighted !== undefined && this.highlighted !== line.runId;
      const d = { points, color: faded ? withAlpha(line.color, 0.18) : line.color, width: this.highlighted === line.runId ? 3 : shown.length > 20 ? 1 : 1.5, label: line.label };
      if (this.highlighted === line.runId) front = d;
      else drawn.push(d);
      if (line.stopStep !== undefined) stops.push({ x: line.stopStep, line });
    }
    // The highlighted run last, over the others.
    if (front) drawn.push(front);
    this.drawn = drawn;
    if (this.logBox && !this.logChosen && this.spec.scale !== 'log') {
      this.logY = spiky(all);
      this.logBox.checked = this.logY;
    }
    const y = this.axis(all);
    if (y.floor !== undefined) for (const points of all) for (const p of points) if (p.y < y.floor) p.y = y.floor;
    const top = typeof y.options.max === 'number' ? y.options.max : undefined;
    const bottom = typeof y.options.min === 'number' ? y.options.min : undefined;
    if (stops.length > 0) {
      datasets.push({
        label: 'stopped by a diagnostic',
        data: stops.map(s => ({ x: s.x, y: clamp(valueAt(s.line.summary!, s.x) ?? top ?? 0, bottom, top) })),
        showLine: false,
        clip: false,
        pointStyle: 'crossRot',
        pointRadius: 8,
        pointHoverRadius: 8,
        pointBorderWidth: 3,
        borderColor: stops.map(s => s.line.color),
        pointBorderColor: stops.map(s => s.line.color),
        backgroundColor: this.colors.error,
        order: -2,
      });
    }
    const o = this.chart.options;
    o.scales!.x!.min = 0;
    o.scales!.x!.max = maxX;
    Object.assign(o.scales!.y!, y.options);
    this.chart.data.datasets = datasets;
    this.chart.update('none');
    // For the end-to-end tests: how many lines, points and stop marks are drawn, and in which colours.
    this.canvas.dataset.lines = String(shown.length);
    this.canvas.dataset.points = String(all.reduce((n, p) => n + p.length, 0));
    this.canvas.dataset.stops = stops.map(s => `${s.line.runId}@${s.x}`).join(',');
    this.canvas.dataset.colors = shown.map(l => l.color).join(' ');
    const ms = performance.now() - started;
    this.drawTimes.push(ms);
    if (this.drawTimes.length > 200) this.drawTimes.shift();
  }

  /** Each line as one path through its points, clipped to the plot, under the stop markers. */
  private drawLines(chart: Chart): void {
    const area = chart.chartArea;
    const x = chart.scales.x;
    const y = chart.scales.y;
    if (!area || !x || !y) return;
    const ctx = chart.ctx;
    ctx.save();
    ctx.beginPath();
    ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
    ctx.clip();
    ctx.lineJoin = 'round';
    for (const line of this.drawn) {
      const points = line.points;
      ctx.beginPath();
      ctx.strokeStyle = line.color;
      ctx.lineWidth = line.width;
      let open = false;
      for (let i = 0; i < points.length; i++) {
        const p = points[i];
        if (!Number.isFinite(p.y)) {
          open = false;
          continue;
        }
        const px = x.getPixelForValue(p.x);
        const py = y.getPixelForValue(p.y);
        if (open) ctx.lineTo(px, py);
        else ctx.moveTo(px, py);
        open = true;
      }
      ctx.stroke();
      // A run of a few epochs: a dot at each.
      if (points.length <= 40) {
        ctx.fillStyle = line.color;
        for (const p of points) {
          if (!Number.isFinite(p.y)) continue;
          ctx.beginPath();
          ctx.arc(x.getPixelForValue(p.x), y.getPixelForValue(p.y), 2, 0, 2 * Math.PI);
          ctx.fill();
        }
      }
    }
    ctx.restore();
  }

  private axis(sets: Point[][]): { options: Record<string, unknown>; floor?: number } {
    let min = Infinity;
    let max = -Infinity;
    let minPositive = Infinity;
    for (const points of sets) {
      for (const p of points) {
        if (p.y < min) min = p.y;
        if (p.y > max) max = p.y;
        if (p.y > 0 && p.y < minPositive) minPositive = p.y;
      }
    }
    const ticks = { color: this.colors.muted, maxTicksLimit: 6 };
    if (this.logY || this.spec.scale === 'log') {
      const r = this.logY ? logRange(minPositive, max) : undefined;
      if (r) return { options: { type: 'logarithmic', min: r.min, max: r.max, ticks: { ...ticks, callback: logTick } }, floor: r.min };
    }
    if (this.spec.scale === 'percent') {
      return { options: { type: 'linear', min: 0, max: Math.max(1, max), ticks: { ...ticks, callback: (v: number | string) => `${Math.round(Number(v) * 100)}%` } } };
    }
    const r = linearRange(Number.isFinite(min) ? min : 0, Number.isFinite(max) ? max : 1)!;
    return { options: { type: 'linear', min: r.min, max: r.max, ticks: { ...ticks, callback: (v: number | string) => shortNumber(Number(v)) } } };
  }

  /** The runs' values under the crosshair, highest first (at most a dozen, then how many more). */
  private showReadout(x: number | undefined, pixel: number | undefined): void {
    if (x === undefined || pixel === undefined) {
      this.readout.hidden = true;
      return;
    }
    const step = Math.round(x);
    const rows: { line: OverlayLine; value: number }[] = [];
    for (const line of this.lines) {
      if (line.hidden || !line.summary) continue;
      const v = valueAt(line.summary, step);
      if (v !== undefined) rows.push({ line, value: v });
    }
    if (rows.length === 0) {
      this.readout.hidden = true;
      return;
    }
    rows.sort((a, b) => b.value - a.value);
    const shown = rows.slice(0, 12).map(r => {
      const swatch = h('span', { class: 'readout-swatch' });
      swatch.style.background = r.line.color;
      return h('div', { class: 'readout-row' }, swatch, `${r.line.label}: ${this.spec.scale === 'percent' ? `${(r.value * 100).toFixed(1)}%` : shortNumber(r.value)}`);
    });
    const more = rows.length > 12 ? [h('div', { class: 'readout-row' }, `and ${rows.length - 12} more`)] : [];
    this.readout.replaceChildren(h('div', { class: 'readout-step' }, `step ${formatCount(step)}`), ...shown, ...more);
    this.readout.hidden = false;
    const box = this.canvas.clientWidth;
    const right = pixel > box / 2;
    this.readout.style.left = right ? '' : `${pixel + 12}px`;
    this.readout.style.right = right ? `${box - pixel + 12}px` : '';
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    clearTimeout(this.waitTimer);
    this.chart.destroy();
  }
}

/** The series' last finite value at or before x (its bucket's), if any. */
function valueAt(summary: SeriesSummary, x: number): number | undefined {
  const b = bucketAt(summary, x);
  if (b && b.data[b.at + F.COUNT] > 0) return b.data[b.at + F.LAST];
  let last: number | undefined;
  summary.forEachIn(0, x, (d, at) => {
    if (d[at + F.COUNT] > 0) last = d[at + F.LAST];
  });
  return last;
}

function clamp(v: number, low: number | undefined, high: number | undefined): number {
  if (!Number.isFinite(v)) return high ?? 0;
  if (high !== undefined && v > high) return high;
  if (low !== undefined && v < low) return low;
  return v;
}

function withAlpha(hex: string, alpha: number): string {
  const [r, g, b] = [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

function logTick(value: string | number): string | undefined {
  const v = Number(value);
  const exponent = Math.log10(v);
  return Math.abs(exponent - Math.round(exponent)) < 1e-9 ? shortNumber(v) : undefined;
}
