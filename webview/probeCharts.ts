/**
 * The charts of the "Inside the network" section: a line chart with one line per layer or
 * parameter (the set grows as the probes name them), and a small bar chart of one layer's
 * activation histogram. Data comes from contract/probeSeries.ts; colors from theme.ts.
 */
import { Chart, type ChartDataset } from './chartSetup';
import { shortNumber, type LayerHistogram, type NamedSeries, type ProbeSeries } from '../contract/probeSeries';
import type { Point } from '../contract/series';
import type { ChartColors } from './theme';


type LineDataset = ChartDataset<'line', Point[]>;

export interface MultiLineSpec {
  /** The canvas id (tests and the e2e harness find the chart by it). */
  id: string;
  title: string;
  yLabel: string;
  /** One line each, from the run's probe series. */
  lines: (p: ProbeSeries) => NamedSeries[];
  /** One more line over them all, dashed in the foreground color (e.g. the total gradient norm). */
  total?: { label: string; pick: (p: ProbeSeries) => Point[] };
  /** A constant level drawn dashed across the chart and named in the legend. */
  reference?: { y: number; label: string };
  logY?: boolean;
  /** Whole numbers from 0 (unit counts). */
  counts?: boolean;
  /** Fractions shown as percentages from 0. */
  percent?: boolean;
}

/** What applyAxisColors touches of a scale's options (the same for line and bar charts). */
interface ThemedScale {
  grid?: object;
  ticks?: object;
  title?: { color?: string };
}

/** Sets the theme's colors on every axis and the legend of a chart. */
function applyAxisColors(options: { color?: unknown; scales?: object }, colors: ChartColors): void {
  options.color = colors.muted;
  for (const scale of Object.values(options.scales ?? {}) as (ThemedScale | undefined)[]) {
    if (!scale) {
      continue;
    }
    scale.grid = { ...scale.grid, color: colors.grid };
    scale.ticks = { ...scale.ticks, color: colors.muted };
    if (scale.title) {
      scale.title.color = colors.muted;
    }
  }
}

/** A line chart whose lines are the layers or parameters a probe series names. */
export class MultiLineChart {
  private readonly chart: Chart<'line', Point[]>;
  private colors: ChartColors;
  /** What each dataset is, in order: the i-th line, the total or the reference level. */
  private roles: (number | 'total' | 'reference')[] = [];

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly spec: MultiLineSpec,
    colors: ChartColors,
  ) {
    this.colors = colors;
    const y = spec.logY
      ? {
          type: 'logarithmic' as const,
          // Room below a reference level, so it is not drawn on the axis line itself.
          ...(spec.reference ? { suggestedMin: spec.reference.y / 2 } : {}),
          title: { display: true, text: spec.yLabel },
          ticks: { callback: logTick },
        }
      : {
          type: 'linear' as const,
          // From 0, but not up to 100 %: a few percent saturated should still be visible.
          min: 0,
          title: { display: true, text: spec.yLabel },
          ticks: spec.counts
            ? { precision: 0 }
            : spec.percent
              ? { callback: (v: string | number) => `${+(Number(v) * 100).toPrecision(3)}%` }
              : {},
        };
    this.chart = new Chart<'line', Point[]>(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        normalized: true,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 2 } },
          tooltip: {
            callbacks: {
              title: items => (items.length > 0 ? `step ${items[0].parsed.x}` : ''),
              label: ctx => `${ctx.dataset.label}: ${spec.percent ? `${(ctx.parsed.y! * 100).toFixed(1)}%` : shortNumber(ctx.parsed.y!)}`,
            },
          },
        },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'step' }, ticks: { maxTicksLimit: 8 } },
          y,
        },
      },
    });
    this.applyColors(colors);
  }

  update(p: ProbeSeries): void {
    const lines = this.spec.lines(p);
    const roles: typeof this.roles = lines.map((_, i) => i);
    const datasets: LineDataset[] = lines.map((line, i) => this.lineDataset(line.label, line.points, this.colorOf(i)));
    const total = this.spec.total?.pick(p);
    if (this.spec.total && total && total.length > 0) {
      datasets.push({ ...this.lineDataset(this.spec.total.label, total, this.colorOf('total')), borderDash: [5, 3] });
      roles.push('total');
    }
    const ref = this.spec.reference;
    const xs = datasets.flatMap(d => (d.data.length > 0 ? [d.data[0].x, d.data[d.data.length - 1].x] : []));
    if (ref && xs.length > 0) {
      // A constant dataset across the steps drawn so far (a log axis then always shows the level).
      const level = [
        { x: Math.min(...xs), y: ref.y },
        { x: Math.max(...xs), y: ref.y },
      ];
      datasets.push({ ...this.lineDataset(ref.label, level, this.colorOf('reference')), borderDash: [6, 4], borderWidth: 1, pointRadius: 0, pointHoverRadius: 0 });
      roles.push('reference');
    }
    this.roles = roles;
    this.chart.data.datasets = datasets;
    this.chart.update('none');
  }

  private lineDataset(label: string, points: Point[], color: string): LineDataset {
    return {
      label,
      data: points,
      borderColor: color,
      backgroundColor: color,
      borderWidth: 2,
      // Probes are sparse (every few dozen steps): show where each one is.
      pointRadius: points.length > 60 ? 0 : 2,
      pointHoverRadius: 4,
      tension: 0,
    };
  }

  private colorOf(role: number | 'total' | 'reference'): string {
    const c = this.colors;
    return role === 'total' ? c.foreground : role === 'reference' ? c.reference : c.palette[role % c.palette.length];
  }

  applyColors(colors: ChartColors): void {
    this.colors = colors;
    this.chart.data.datasets.forEach((d, i) => {
      const color = this.colorOf(this.roles[i] ?? i);
      d.borderColor = color;
      d.backgroundColor = color;
    });
    applyAxisColors(this.chart.options, colors);
    this.chart.update('none');
  }

  destroy(): void {
    this.chart.destroy();
  }
}

/** Log-axis ticks at powers of ten only (1e-4, 1e-3, ...): the other default ticks crowd a small chart. */
function logTick(value: string | number): string | undefined {
  const v = Number(value);
  const exponent = Math.log10(v);
  return Math.abs(exponent - Math.round(exponent)) < 1e-9 ? shortNumber(v) : undefined;
}

/** One layer's activation histogram as touching bars, x = the bins' centers. */
export class HistogramChart {
  private readonly chart: Chart<'bar', number[], string>;
  private bins: LayerHistogram['bins'] = [];

  constructor(
    readonly canvas: HTMLCanvasElement,
    colors: ChartColors,
  ) {
    this.chart = new Chart<'bar', number[], string>(canvas, {
      type: 'bar',
      data: { labels: [], datasets: [{ label: 'values', data: [], barPercentage: 1, categoryPercentage: 1, borderWidth: 0 }] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: items => {
                const bin = this.bins[items[0]?.dataIndex ?? -1];
                return bin ? `[${shortNumber(bin.lo)}, ${shortNumber(bin.hi)})` : '';
              },
              label: ctx => `${ctx.parsed.y} values`,
            },
          },
        },
        scales: {
          x: { type: 'category', ticks: { maxTicksLimit: 5, maxRotation: 0, autoSkipPadding: 8 }, grid: { display: false } },
          y: { type: 'linear', beginAtZero: true, ticks: { maxTicksLimit: 4, precision: 0 } },
        },
      },
    });
    this.applyColors(colors);
  }

  update(h: LayerHistogram): void {
    this.bins = h.bins;
    this.chart.data.labels = h.bins.map(b => shortNumber((b.lo + b.hi) / 2));
    this.chart.data.datasets[0].data = h.bins.map(b => b.count);
    this.chart.update('none');
  }

  applyColors(colors: ChartColors): void {
    const d = this.chart.data.datasets[0];
    d.backgroundColor = colors.palette[0];
    d.borderColor = colors.palette[0];
    applyAxisColors(this.chart.options, colors);
    this.chart.update('none');
  }

  destroy(): void {
    this.chart.destroy();
  }
}
