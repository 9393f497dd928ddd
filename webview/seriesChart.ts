/**
 * A line chart of series from the run's digest, drawn faithfully at any run length: each series is
 * decimated per pixel column keeping its minima and maxima (contract/decimate.ts), non-finite
 * values are marked where they happen, log axes span sane decades, a smoothed line can be drawn
 * over a noisy one (never instead of it), and the x range follows the shared zoom (drag to zoom,
 * shift-drag to pan, double-click to reset). The crosshair shows the exact values under it — the
 * statistics of the bucket there, or the value itself once zoomed in to single steps.
 */
import { linearRange, logRange, lowQuantile, spiky } from '../contract/axisRange';
import { PointPool, bucketAt, decimate, type BucketSource, type Point } from '../contract/decimate';
import { formatCount, shortNumber } from '../contract/format';
import { findingMarkers, type FindingItem, type FindingMarker } from '../contract/probeSeries';
import { smoothed } from '../contract/smoothing';
import type { RunDigest } from '../contract/series';
import type { ProbeSeriesPrefix } from '../contract/series';
import { F, NONFINITE_NAN, NONFINITE_NEG, NONFINITE_POS, type SeriesSummary } from '../contract/series';
import { Chart, POINT_OPTIONS, applyAxisColors, type ChartDataset } from './chartSetup';
import { h } from './dom';
import { exportButtons, exportChart, type ExportChart } from './imageExport';
import type { ChartColors } from './theme';
import { unwatchVisibility, watchVisibility } from './visibility';
import type { DetailCache, SharedRange, StepRange } from './zoom';

type ColorName = { [K in keyof ChartColors]: ChartColors[K] extends string ? K : never }[keyof ChartColors];

export interface LineSpec {
  /** One series of the digest… */
  key?: string;
  /** …or one line per series with this prefix (one per layer or weight matrix). */
  prefix?: ProbeSeriesPrefix;
  /** The legend's text (prefix lines use the digest's labels). */
  label: string;
  /** 'palette': the i-th line of a prefix gets the i-th palette color. */
  color: ColorName | 'palette';
  /** The noisy mini-batch loss: thin and faint, under the rest. */
  batch?: boolean;
  dashed?: boolean;
  /** Drawn against a second y axis on the right, with this title. */
  rightAxis?: string;
  /** Gets a smoothed line over it when smoothing is on. */
  smooth?: boolean;
  /** A quantity that stayed the same all run is shown as a number instead of a line (see isConstant). */
  numberWhenConstant?: boolean;
}

export interface SeriesChartSpec {
  /** The canvas id (tests and the e2e harness find the chart by it). */
  id: string;
  title: string;
  yLabel: string;
  lines: LineSpec[];
  scale: 'linear' | 'log' | 'percent' | 'count';
  /** A level drawn dashed across the chart and named in the legend (the update ratio's 1e-3). */
  reference?: { y: number; label: string };
  /** The run's findings as markers on the first line. */
  findingMarkers?: boolean;
  /**
   * A "log" checkbox that switches the y axis. It starts ticked by itself when the values' peaks
   * dwarf their typical level (the spikes of a small batch): both are readable on a log axis.
   */
  logToggle?: boolean;
}

/** What a chart draws from: the same for every chart of a dashboard. */
export interface ChartView {
  digest: RunDigest;
  /** The zoom, or undefined for the whole run. */
  range: StepRange | undefined;
  /** The whole run's steps (every chart shows the same x range, so they line up). */
  full: StepRange;
  detail: DetailCache;
  /** The smoothing weight, or undefined when smoothing is off. */
  smoothing: number | undefined;
  findings: readonly FindingItem[];
  colors: ChartColors;
}

/** Whether a series held one value (finite, never anything else) all run. */
export function isConstant(summary: SeriesSummary | undefined): boolean {
  const r = summary?.range();
  return r !== undefined && r.min === r.max && !hasNonFinite(summary!);
}

function hasNonFinite(summary: SeriesSummary): boolean {
  let any = false;
  summary.forEachIn(0, Infinity, (d, at) => {
    any ||= d[at + F.NONFINITE] > 0;
  });
  return any;
}

interface ResolvedLine {
  key: string;
  label: string;
  color: string;
  spec: LineSpec;
  summary: SeriesSummary;
}

type LineDataset = ChartDataset<'line', Point[]>;

const MARKERS = 'findings';
const NONFINITE = 'NaN / Inf';
const MARKER_STYLE = { error: 'crossRot', warning: 'triangle', info: 'circle' } as const;

export class SeriesChart {
  readonly figure: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  private readonly chart: Chart<'line', Point[]>;
  private readonly readout: HTMLElement;
  private logY: boolean;
  /** The user ticked or unticked "log": their choice holds. */
  private logChosen = false;
  private logBox: HTMLInputElement | undefined;
  private view: ChartView | undefined;
  /** What each line was last drawn from (the crosshair reads the same buckets). */
  private drawn: { line: ResolvedLine; source: BucketSource }[] = [];
  private markers: FindingMarker[] = [];
  /** Point objects per line (and its smoothed line), reused from one redraw to the next. */
  private readonly pools = new Map<string, PointPool>();
  /** The x range's width (the axis writes its steps shorter when it is wide). */
  private span = 1;
  /** On screen (charts scrolled away are redrawn when they come back, not while the run goes). */
  private visible = true;
  private pending: ChartView | undefined;

  constructor(
    readonly spec: SeriesChartSpec,
    private readonly range: SharedRange,
    colors: ChartColors,
    send?: ExportChart,
  ) {
    this.logY = spec.scale === 'log';
    this.canvas = h('canvas', { id: spec.id, role: 'img', 'aria-label': `${spec.title} chart` }) as HTMLCanvasElement;
    this.readout = h('div', { class: 'readout', role: 'status', 'aria-live': 'off' });
    this.readout.hidden = true;
    const caption = h('figcaption', {}, h('span', { class: 'chart-title' }, spec.title));
    if (spec.logToggle) {
      const box = h('input', { type: 'checkbox', class: 'log-toggle', 'aria-label': `${spec.title}: logarithmic y axis` }) as HTMLInputElement;
      box.checked = this.logY;
      this.logBox = box;
      box.addEventListener('change', () => {
        this.logY = box.checked;
        this.logChosen = true;
        if (this.view) {
          this.update(this.view);
        }
      });
      caption.append(h('label', { class: 'chart-option', title: 'Logarithmic y axis' }, box, 'log'));
    }
    if (send) {
      caption.append(exportButtons(spec.title, format => this.view && exportChart(this.chart, this.canvas, spec.id, spec.title, format, this.view.colors, send)));
    }
    this.figure = h('figure', { class: 'chart', 'data-chart': spec.id }, caption, h('div', { class: 'chart-box' }, this.canvas, this.readout));
    this.chart = new Chart<'line', Point[]>(this.canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        ...POINT_OPTIONS,
        spanGaps: true,
        events: ['mousemove', 'mouseout', 'click', 'dblclick'],
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        plugins: {
          // The crosshair's readout replaces the tooltip: decimated points are not the data.
          tooltip: { enabled: false },
          legend: {
            position: 'bottom',
            labels: { boxWidth: 12, boxHeight: 2, filter: item => item.text !== MARKERS && item.text !== NONFINITE },
          },
          crosshair: { onMove: (x, pixel) => this.showReadout(x, pixel) },
          zoom: {
            zoom: {
              drag: { enabled: true, threshold: 4, borderWidth: 1 },
              wheel: { enabled: true, modifierKey: 'ctrl' },
              mode: 'x',
              onZoomComplete: ({ chart }) => this.zoomedTo(chart),
            },
            pan: { enabled: true, mode: 'x', modifierKey: 'shift', onPanComplete: ({ chart }) => this.zoomedTo(chart) },
          },
        },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'step' }, ticks: { maxTicksLimit: 7, callback: v => stepTick(Number(v), this.span) } },
          y: { type: 'linear', title: { display: true, text: spec.yLabel } },
          y1: { type: 'linear', position: 'right', display: false, title: { display: true, text: '' }, grid: { drawOnChartArea: false } },
        },
      },
    });
    this.canvas.addEventListener('dblclick', () => this.range.set(undefined));
    this.applyColors(colors);
    watchVisibility(this.figure, visible => {
      this.visible = visible;
      if (visible && this.pending) {
        const view = this.pending;
        this.pending = undefined;
        this.update(view);
      }
    });
  }

  /** Shows the chart if it has anything to show, and draws it now if it is on screen (else when it is). */
  refresh(view: ChartView): void {
    const has = this.resolve(view.digest, view.colors).some(l => !(l.spec.numberWhenConstant && isConstant(l.summary)));
    this.figure.hidden = !has;
    if (!has) {
      return;
    }
    if (this.visible) {
      this.pending = undefined;
      this.update(view);
    } else {
      this.pending = view;
    }
  }

  /** Redraws from the view; returns whether the chart has anything to show (else hide it). */
  update(view: ChartView): boolean {
    this.view = view;
    const colors = view.colors;
    const lines = this.resolve(view.digest, colors).filter(l => !(l.spec.numberWhenConstant && isConstant(l.summary)));
    if (lines.length === 0) {
      return false;
    }
    const maxX = view.full.to;
    const range = view.range ?? view.full;
    const columns = Math.max(50, Math.round(this.chart.chartArea?.width ?? this.canvas.clientWidth ?? 600));

    const datasets: LineDataset[] = [];
    const left: Point[][] = [];
    const right: Point[][] = [];
    const marks: Point[] = [];
    this.drawn = [];
    for (const line of lines) {
      const source = view.detail.source(line.key, line.summary, view.range, columns, maxX);
      this.drawn.push({ line, source });
      const { points, nonfinite } = decimate(source, range.from, range.to, columns, undefined, this.pool(line.key));
      // Non-finite values: from the whole-run digest, which keeps where each one was.
      for (const m of source === line.summary ? nonfinite : decimate(line.summary, range.from, range.to, columns).nonfinite) {
        marks.push({ x: m.x, y: m.kinds });
      }
      (line.spec.rightAxis ? right : left).push(points);
      datasets.push(this.lineDataset(line, points, colors));
      if (line.spec.smooth && view.smoothing !== undefined) {
        const sm = smoothed(source, range.from, range.to, view.smoothing, this.pool(`${line.key} smoothed`));
        (line.spec.rightAxis ? right : left).push(sm);
        datasets.push({
          ...this.lineDataset(line, sm, colors),
          label: `${line.label} · smoothed`,
          borderColor: line.spec.batch ? colors.smoothed : line.color,
          backgroundColor: line.spec.batch ? colors.smoothed : line.color,
          borderWidth: 1.5,
          pointRadius: 0,
          // Over the raw line, under the others.
          order: 5,
        });
      }
    }

    if (this.spec.logToggle && !this.logChosen) {
      this.logY = spiky(left);
      this.logBox!.checked = this.logY;
    }
    const y = this.axisRange(left, this.logY ? 'log' : this.spec.scale);
    const o = this.chart.options;
    this.span = range.to - range.from;
    o.scales!.x!.min = range.from;
    o.scales!.x!.max = range.to;
    Object.assign(o.scales!.y!, y.options);
    if (y.floor !== undefined) {
      clampBelow(datasets, y.floor, false);
    }
    const y1 = o.scales!.y1 as { display?: boolean; title?: { text?: string }; min?: number; max?: number };
    y1.display = right.length > 0;
    if (right.length > 0) {
      const r = this.axisRange(right, 'linear');
      Object.assign(y1, r.options);
      y1.title = { ...y1.title, text: lines.find(l => l.spec.rightAxis)!.spec.rightAxis };
    }

    if (this.spec.reference) {
      const ref = this.spec.reference;
      datasets.push({
        label: ref.label,
        data: [
          { x: range.from, y: ref.y },
          { x: range.to, y: ref.y },
        ],
        borderColor: colors.reference,
        backgroundColor: colors.reference,
        borderDash: [6, 4],
        borderWidth: 1,
        pointRadius: 0,
        pointHoverRadius: 0,
      });
    }
    const top = typeof y.options.max === 'number' ? y.options.max : undefined;
    if (marks.length > 0 && top !== undefined) {
      datasets.push(this.nonfiniteDataset(marks, top, colors));
    }
    if (this.spec.findingMarkers) {
      const loss = view.digest.series.get(lines[0].key);
      this.markers = findingMarkers(view.findings, loss).filter(m => m.x >= range.from && m.x <= range.to);
      const bottom = typeof y.options.min === 'number' ? y.options.min : undefined;
      for (const m of this.markers) {
        if (top !== undefined && m.y > top) m.y = top;
        if (bottom !== undefined && m.y < bottom) m.y = bottom;
      }
      if (this.markers.length > 0) {
        datasets.push(this.markerDataset(colors));
      }
    }
    this.chart.data.datasets = datasets;
    this.chart.update('none');
    this.canvas.dataset.points = String(datasets.reduce((n, d) => n + d.data.length, 0));
    // Where NaN/Inf values were marked (steps), for the end-to-end tests.
    this.canvas.dataset.nonfinite = marks.map(m => m.x).join(',');
    return true;
  }

  private pool(key: string): PointPool {
    let p = this.pools.get(key);
    if (!p) {
      p = new PointPool();
      this.pools.set(key, p);
    }
    return p;
  }

  /** The lines the spec names, for the series the digest has. */
  private resolve(digest: RunDigest, colors: ChartColors): ResolvedLine[] {
    const out: ResolvedLine[] = [];
    for (const spec of this.spec.lines) {
      if (spec.key !== undefined) {
        const summary = digest.series.get(spec.key);
        if (summary && !summary.isEmpty) {
          out.push({ key: spec.key, label: spec.label, color: spec.color === 'palette' ? colors.palette[0] : colors[spec.color], spec, summary });
        }
        continue;
      }
      let i = 0;
      for (const key of digest.series.keys()) {
        if (!key.startsWith(`${spec.prefix}/`)) continue;
        const summary = digest.series.get(key)!;
        const color = spec.color === 'palette' ? colors.palette[i % colors.palette.length] : colors[spec.color];
        out.push({ key, label: digest.series.label(key) ?? key, color, spec, summary });
        i++;
      }
    }
    return out;
  }

  private lineDataset(line: ResolvedLine, points: Point[], colors: ChartColors): LineDataset {
    const batch = line.spec.batch;
    return {
      label: line.label,
      yAxisID: line.spec.rightAxis ? 'y1' : 'y',
      data: points,
      borderColor: batch ? colors.step : line.color,
      backgroundColor: batch ? colors.step : line.color,
      borderWidth: batch ? 1 : 2,
      borderDash: line.spec.dashed ? [5, 3] : undefined,
      // Sparse lines (a probe every 50 steps, an epoch) show where each point is while few.
      pointRadius: !batch && points.length <= 60 ? 2 : 0,
      pointHoverRadius: 0,
      tension: 0,
      // chart.js draws higher orders first: the raw batch loss at the bottom.
      order: batch ? 10 : 0,
    };
  }

  /** y axis options for point sets, and the floor below which values are drawn at the floor. */
  private axisRange(sets: Point[][], scale: SeriesChartSpec['scale']): { options: Record<string, unknown>; floor?: number } {
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
    if (scale === 'log') {
      const typical = lowQuantile(sets, 0.05);
      const r = this.spec.reference
        ? logRange(Math.min(minPositive, this.spec.reference.y / 2), Math.max(max, this.spec.reference.y * 2), undefined, typical && Math.min(typical, this.spec.reference.y / 2))
        : logRange(minPositive, max, undefined, typical);
      if (r) {
        return { options: { type: 'logarithmic', min: r.min, max: r.max, ticks: { ...this.ticks(), callback: logTick } }, floor: r.min };
      }
    }
    if (scale === 'percent') {
      return { options: { type: 'linear', min: 0, max: Math.max(1, max), ticks: { ...this.ticks(), callback: (v: number | string) => `${Math.round(Number(v) * 100)}%` } } };
    }
    const r = linearRange(Number.isFinite(min) ? min : 0, Number.isFinite(max) ? max : 1)!;
    return {
      options: {
        type: 'linear',
        min: scale === 'count' ? 0 : r.min,
        max: scale === 'count' ? Math.max(1, Math.ceil(r.max)) : r.max,
        ticks: { ...this.ticks(), ...(scale === 'count' ? { precision: 0 } : { callback: (v: number | string) => shortNumber(Number(v)) }) },
      },
    };
  }

  private ticks(): Record<string, unknown> {
    return { color: this.view?.colors.muted, maxTicksLimit: 6 };
  }

  private nonfiniteDataset(marks: Point[], top: number, colors: ChartColors): LineDataset {
    return {
      label: NONFINITE,
      data: marks.map(m => ({ x: m.x, y: top })),
      showLine: false,
      // At the plot's edge (the top, often the last step): drawn whole, not cut by the plot area.
      clip: false,
      pointStyle: 'triangle',
      pointRotation: 180,
      pointRadius: 6,
      pointHoverRadius: 6,
      borderColor: colors.severity.error,
      backgroundColor: colors.severity.error,
      order: -2,
    };
  }

  private markerDataset(colors: ChartColors): LineDataset {
    const m = this.markers;
    return {
      label: MARKERS,
      data: m.map(({ x, y }) => ({ x, y })),
      showLine: false,
      clip: false,
      pointRadius: 7,
      pointHoverRadius: 7,
      order: -1,
      pointBackgroundColor: m.map(x => colors.severity[x.finding.severity]),
      pointBorderColor: m.map(x => (x.finding.severity === 'error' ? colors.severity.error : colors.background)),
      pointStyle: m.map(x => MARKER_STYLE[x.finding.severity]),
      pointBorderWidth: m.map(x => (x.finding.severity === 'error' ? 3 : 1.5)),
    };
  }

  private zoomedTo(chart: Chart): void {
    const { min, max } = chart.scales.x;
    this.range.set({ from: Math.max(0, min), to: max });
  }

  /**
   * The values under the crosshair: per line, the bucket there — its one value and step once
   * zoomed in to single steps, else its range, mean and steps — or, for a sparse line (an epoch's,
   * a probe's), the nearest value within 2 % of the range shown.
   */
  private showReadout(x: number | undefined, pixel: number | undefined): void {
    if (x === undefined || pixel === undefined || this.drawn.length === 0) {
      this.readout.hidden = true;
      return;
    }
    const step = Math.round(x);
    const reach = (this.chart.scales.x.max - this.chart.scales.x.min) / 50;
    const rows: HTMLElement[] = [];
    const shown = { from: this.chart.scales.x.min, to: this.chart.scales.x.max };
    for (const { line, source } of this.drawn) {
      // The drawn source first (a zoomed-in detail), its nearest value before the cursor for a
      // sparse line; the whole-run buckets only when nothing finer is drawn.
      const b = nearestBucket(source, step, reach) ?? lastBucketBefore(source, step, shown.from) ?? (source === line.summary ? undefined : nearestBucket(line.summary, step, reach));
      if (!b) continue;
      const text = bucketText(b.data, b.at, b.from, b.to, this.spec.scale);
      const swatch = h('span', { class: 'readout-swatch' });
      swatch.style.background = line.spec.batch ? this.view!.colors.foreground : line.color;
      rows.push(h('div', { class: 'readout-row' }, swatch, `${line.label}: ${text}`));
    }
    for (const m of this.markers.filter(m => Math.abs(m.x - step) <= reach)) {
      rows.push(h('div', { class: `readout-row severity-${m.finding.severity}` }, `${m.finding.severity} at step ${formatCount(m.finding.step)}: ${m.finding.rule}`));
    }
    if (rows.length === 0) {
      this.readout.hidden = true;
      return;
    }
    this.readout.replaceChildren(h('div', { class: 'readout-step' }, `step ${formatCount(step)}`), ...rows);
    this.readout.hidden = false;
    // Beside the crosshair, on the side with room.
    const box = this.canvas.clientWidth;
    const right = pixel > box / 2;
    this.readout.style.left = right ? '' : `${pixel + 12}px`;
    this.readout.style.right = right ? `${box - pixel + 12}px` : '';
  }

  applyColors(colors: ChartColors): void {
    const o = this.chart.options;
    applyAxisColors(o, colors);
    const zoom = o.plugins!.zoom!.zoom!.drag!;
    zoom.backgroundColor = colors.grid;
    zoom.borderColor = colors.muted;
    o.plugins!.crosshair!.color = colors.muted;
    // The end-to-end test finds the training-loss line on the canvas by this color.
    if (this.spec.lines.some(l => l.color === 'train')) {
      this.canvas.dataset.trainColor = colors.train;
    }
    if (this.view) {
      this.update({ ...this.view, colors });
    } else {
      this.chart.update('none');
    }
  }

  destroy(): void {
    unwatchVisibility(this.figure);
    this.chart.destroy();
  }
}

/** The first x with a value (finite or not). */
export function firstX(summary: SeriesSummary): number {
  let x: number | undefined;
  summary.forEachIn(0, Infinity, (d, at) => {
    x ??= d[at + F.X0];
  });
  return x ?? 0;
}

/** The first finite value of a series with its x (undefined while it has none). */
export function firstPoint(summary: SeriesSummary): { x: number; y: number } | undefined {
  let point: { x: number; y: number } | undefined;
  summary.forEachIn(0, Infinity, (d, at) => {
    if (point === undefined && d[at + F.COUNT] > 0) point = { x: d[at + F.X_FIRST], y: d[at + F.FIRST] };
  });
  return point;
}

/** Values below a log axis's floor are drawn at the floor (the readout still tells them). */
function clampBelow(datasets: LineDataset[], floor: number, rightAxis: boolean): void {
  for (const d of datasets) {
    if ((d.yAxisID === 'y1') !== rightAxis) continue;
    for (const p of d.data) {
      if (p.y < floor) p.y = floor;
    }
  }
}

/** The non-empty bucket of `source` nearest to x (the one holding x first), within `reach`. */
function nearestBucket(source: BucketSource, x: number, reach: number): { data: ArrayLike<number>; at: number; from: number; to: number } | undefined {
  const under = bucketAt(source, x);
  if (under && (under.data[under.at + F.COUNT] > 0 || under.data[under.at + F.NONFINITE] > 0)) {
    return under;
  }
  let best: { data: ArrayLike<number>; at: number; from: number; to: number } | undefined;
  let distance = Infinity;
  source.forEachIn(x - reach, x + reach, (data, at, from, to) => {
    const d = Math.abs((data[at + F.X_FIRST] + data[at + F.X_LAST]) / 2 - x);
    if (d < distance && d <= reach) {
      distance = d;
      best = { data, at, from, to };
    }
  });
  return best;
}

/** The last non-empty bucket of `source` before x (not before `from`). */
function lastBucketBefore(source: BucketSource, x: number, from: number): { data: ArrayLike<number>; at: number; from: number; to: number } | undefined {
  let found: { data: ArrayLike<number>; at: number; from: number; to: number } | undefined;
  source.forEachIn(from, x, (data, at, lo, hi) => {
    if (data[at + F.COUNT] > 0) found = { data, at, from: lo, to: hi };
  });
  return found;
}

/** "0.2345 at step 12,345", or "0.1 … 5.57, mean 0.3 (512 values, steps 12,288–12,799)", plus any NaN/Inf. */
function bucketText(d: ArrayLike<number>, at: number, from: number, to: number, scale: SeriesChartSpec['scale']): string {
  const count = d[at + F.COUNT];
  let text = '';
  if (count === 1) {
    text = `${shortValue(d[at + F.LAST], scale)} at step ${formatCount(d[at + F.X_LAST])}`;
  } else if (count > 1) {
    const steps = `steps ${formatCount(d[at + F.X_FIRST])}–${formatCount(d[at + F.X_LAST])}`;
    text =
      d[at + F.MIN] === d[at + F.MAX]
        ? `${shortValue(d[at + F.MIN], scale)} (${formatCount(count)} values, ${steps})`
        : `${shortValue(d[at + F.MIN], scale)} … ${shortValue(d[at + F.MAX], scale)}, mean ${shortValue(d[at + F.SUM] / count, scale)} (${formatCount(count)} values, ${steps})`;
  }
  if (d[at + F.NONFINITE] > 0) {
    text += `${text ? ' · ' : ''}${kindsText(d[at + F.NONFINITE_KINDS])} at step ${formatCount(d[at + F.X_NONFINITE])}`;
  }
  return text || `nothing in steps ${formatCount(from)}–${formatCount(to - 1)}`;
}

/** A value as the crosshair shows it: five significant digits (the recorded value, readably). */
function shortValue(v: number, scale: SeriesChartSpec['scale']): string {
  if (scale === 'percent') return `${(v * 100).toFixed(2)}%`;
  if (scale === 'count') return String(Math.round(v));
  if (!Number.isFinite(v) || v === 0) return String(v);
  return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? String(+v.toPrecision(5)) : v.toExponential(4);
}

function kindsText(kinds: number): string {
  const names = [kinds & NONFINITE_NAN ? 'NaN' : '', kinds & NONFINITE_POS ? '+Inf' : '', kinds & NONFINITE_NEG ? '−Inf' : ''].filter(Boolean);
  return names.join('/') || 'NaN';
}

/** A step on the x axis: "1.2M", "350k" over a wide range; "405,580" zoomed in (short forms would repeat). */
function stepTick(v: number, span: number): string {
  const a = Math.abs(v);
  if (span >= 1e5 && a >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (span >= 1e4 && a >= 1e4) return `${+(v / 1e3).toPrecision(4)}k`;
  return formatCount(v);
}

/** Log-axis ticks at powers of ten only (1e-4, 1e-3, ...): the other default ticks crowd a small chart. */
function logTick(value: string | number): string | undefined {
  const v = Number(value);
  const exponent = Math.log10(v);
  return Math.abs(exponent - Math.round(exponent)) < 1e-9 ? shortNumber(v) : undefined;
}
