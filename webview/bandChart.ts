/**
 * One distribution over time as nested percentile bands (TensorBoard's "distributions"): the
 * outermost from minimum to maximum, then 7–93 %, 16–84 % and 31–69 %, each shaded over the last
 * so the middle is darkest, and the median as a line. Data from contract/distributions.ts; the x
 * range follows the dashboard's zoom (the bands keep the digest's buckets: one column per bucket).
 */
import { linearRange } from '../contract/axisRange';
import { bandPairs, bandsRange, type DistributionBands } from '../contract/distributions';
import { formatCount, shortNumber } from '../contract/format';
import { withAlpha } from '../contract/boundaryFigure';
import { Chart, POINT_OPTIONS, applyAxisColors, type ChartDataset } from './chartSetup';
import type { ChartColors } from './theme';
import type { StepRange } from './zoom';

type Point = { x: number; y: number };
type LineDataset = ChartDataset<'line', Point[]>;

/** Each band's own opacity: overlapping, the 31–69 % band is about half opaque. */
const BAND_ALPHA = 0.18;
/** What the bands are, for the caption and the SVG's legend. */
export const BAND_NAMES = ['min–max', '7–93 %', '16–84 %', '31–69 %'];

export class BandChart {
  readonly chart: Chart<'line', Point[]>;
  private colors: ChartColors;

  constructor(
    readonly canvas: HTMLCanvasElement,
    colors: ChartColors,
    private readonly color: (colors: ChartColors) => string,
  ) {
    this.colors = colors;
    this.chart = new Chart<'line', Point[]>(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        ...POINT_OPTIONS,
        events: [],
        plugins: { legend: { display: false }, tooltip: { enabled: false } },
        scales: {
          x: { type: 'linear', ticks: { maxTicksLimit: 5, maxRotation: 0, callback: v => stepTick(Number(v)) } },
          y: { type: 'linear', ticks: { maxTicksLimit: 5, callback: v => shortNumber(Number(v)) } },
        },
      },
    });
    this.applyAxisColors();
  }

  update(bands: DistributionBands, range: StepRange): void {
    const main = this.color(this.colors);
    const series = (k: number): Point[] => bands.x.map((x, i) => ({ x, y: bands.levels[k][i] }));
    const datasets: LineDataset[] = [];
    bandPairs(bands.levels.length).forEach(([lo, hi], b) => {
      datasets.push({ label: `${BAND_NAMES[b] ?? ''} lower`, data: series(lo), borderWidth: 0, pointRadius: 0, fill: false, borderColor: 'transparent' });
      datasets.push({ label: BAND_NAMES[b] ?? `band ${b}`, data: series(hi), borderWidth: 0, pointRadius: 0, fill: '-1', backgroundColor: withAlpha(main, BAND_ALPHA), borderColor: 'transparent' });
    });
    const median = bands.levels.length >> 1;
    datasets.push({ label: 'median', data: series(median), borderWidth: 1.5, borderColor: main, backgroundColor: main, pointRadius: bands.x.length <= 40 ? 1.5 : 0, fill: false });
    const r = bandsRange(bands);
    const y = r ? linearRange(r.min, r.max) : undefined;
    const o = this.chart.options;
    Object.assign(o.scales!.x!, { min: range.from, max: range.to });
    Object.assign(o.scales!.y!, y ? { min: y.min, max: y.max } : { min: undefined, max: undefined });
    this.chart.data.datasets = datasets;
    this.chart.update('none');
    this.canvas.dataset.columns = String(bands.x.length);
  }

  applyColors(colors: ChartColors): void {
    this.colors = colors;
    this.applyAxisColors();
    const main = this.color(colors);
    for (const d of this.chart.data.datasets) {
      if (d.fill === '-1') d.backgroundColor = withAlpha(main, BAND_ALPHA);
      else if (d.label === 'median') d.borderColor = d.backgroundColor = main;
    }
    this.chart.update('none');
  }

  private applyAxisColors(): void {
    applyAxisColors(this.chart.options, this.colors);
  }

  destroy(): void {
    this.chart.destroy();
  }
}

function stepTick(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toPrecision(3)}k`;
  return formatCount(v);
}
