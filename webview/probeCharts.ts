/**
 * A histogram (a layer's activations, a weight matrix's values) as a small bar chart (data from contract/probeSeries.ts, colors
 * from theme.ts, set in the chart's configuration so the first frame is already themed).
 */
import { BASE_OPTIONS, Chart, applyAxisColors } from './chartSetup';
import { shortNumber, type HistogramBin } from '../contract/probeSeries';
import type { ChartColors } from './theme';

/** One layer's activation histogram as touching bars, x = the bins' centers. */
export class HistogramChart {
  readonly chart: Chart<'bar', number[], string>;
  private bins: HistogramBin[] = [];

  constructor(
    readonly canvas: HTMLCanvasElement,
    colors: ChartColors,
  ) {
    const bar = colors.palette[0];
    this.chart = new Chart<'bar', number[], string>(canvas, {
      type: 'bar',
      data: { labels: [], datasets: [{ label: 'values', data: [], barPercentage: 1, categoryPercentage: 1, borderWidth: 0, backgroundColor: bar, borderColor: bar }] },
      options: {
        ...BASE_OPTIONS,
        color: colors.muted,
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
          x: {
            type: 'category',
            // A layer whose outputs are all one value (a dead ReLU layer: 0) has bins of no width: name it once.
            ticks: { maxTicksLimit: 5, maxRotation: 0, autoSkipPadding: 8, color: colors.muted, callback: (_value, index) => this.tickLabel(index) },
            grid: { display: false, color: colors.grid },
          },
          y: { type: 'linear', beginAtZero: true, ticks: { maxTicksLimit: 4, precision: 0, color: colors.muted }, grid: { color: colors.grid } },
        },
      },
    });
  }

  private tickLabel(index: number): string {
    const labels = (this.chart?.data.labels ?? []) as string[];
    const label = labels[index] ?? '';
    return index > 0 && labels.slice(0, index).includes(label) ? '' : label;
  }

  update(h: { bins: HistogramBin[] }): void {
    this.bins = h.bins;
    this.chart.data.labels = h.bins.map(b => shortNumber((b.lo + b.hi) / 2));
    this.chart.data.datasets[0].data = h.bins.map(b => b.count);
    this.chart.update('none');
  }

  applyColors(colors: ChartColors): void {
    // A new dataset object: chart.js keeps the colors it resolved for an existing one's bars.
    const old = this.chart.data.datasets[0];
    this.chart.data.datasets = [{ ...old, backgroundColor: colors.palette[0], borderColor: colors.palette[0] }];
    applyAxisColors(this.chart.options, colors);
    this.chart.update('none');
  }

  destroy(): void {
    this.chart.destroy();
  }
}
