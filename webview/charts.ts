import { Chart, type ChartDataset } from './chartSetup';
import type { FindingMarker } from '../contract/probeSeries';
import { downsample, type Point, type RunSeries } from '../contract/series';
import type { ChartColors } from './theme';


/** More points than pixels only costs time: the noisy batch loss is averaged down to this many. */
const MAX_STEP_POINTS = 600;

type LineDataset = ChartDataset<'line', Point[]>;

/** The theme's single colors (not the palette or the severity set). */
type ColorName = { [K in keyof ChartColors]: ChartColors[K] extends string ? K : never }[keyof ChartColors];

interface SeriesBinding {
  label: string;
  color: ColorName;
  pick: (s: RunSeries) => Point[];
  thin?: boolean;
  dashed?: boolean;
  /** Drawn against a second y axis on the right (a quantity on another scale). */
  rightAxis?: { title: string };
}

export interface ChartSpec {
  id: string;
  title: string;
  yLabel: string;
  series: SeriesBinding[];
  logY?: boolean;
  percent?: boolean;
  /** Shows the run's findings as markers at the step they fired (see `update`). */
  findingMarkers?: boolean;
}

export const LOSS_CHART: ChartSpec = {
  id: 'loss-chart',
  title: 'Loss',
  yLabel: 'loss',
  series: [
    { label: 'train (batch)', color: 'step', pick: s => downsample(s.stepLoss, MAX_STEP_POINTS), thin: true },
    { label: 'train', color: 'train', pick: s => s.trainLoss },
    { label: 'validation', color: 'validation', pick: s => s.valLoss },
  ],
  findingMarkers: true,
};

export const ACCURACY_CHART: ChartSpec = {
  id: 'accuracy-chart',
  title: 'Accuracy',
  yLabel: 'accuracy',
  percent: true,
  series: [
    { label: 'train', color: 'train', pick: s => s.trainAccuracy },
    { label: 'validation', color: 'validation', pick: s => s.valAccuracy },
  ],
};

export const LR_CHART: ChartSpec = {
  id: 'lr-chart',
  title: 'Learning rate and momentum',
  yLabel: 'lr',
  logY: true,
  series: [
    { label: 'learning rate', color: 'lr', pick: s => s.learningRate },
    { label: 'momentum', color: 'validation', pick: s => s.momentum, dashed: true, rightAxis: { title: 'momentum' } },
  ],
};

const MARKERS_LABEL = 'findings';
const MARKER_STYLE = { error: 'crossRot', warning: 'triangle', info: 'circle' } as const;

/** One chart.js line chart bound to a spec; `update` redraws from the run's series. */
export class LineChart {
  private readonly chart: Chart<'line', Point[]>;
  /** The findings drawn, in the order of the markers dataset's points (for their colors). */
  private markers: readonly FindingMarker[] = [];

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly spec: ChartSpec,
    colors: ChartColors,
  ) {
    this.chart = new Chart<'line', Point[]>(canvas, {
      type: 'line',
      data: { datasets: [...spec.series.map(s => this.dataset(s, colors)), ...(spec.findingMarkers ? [markerDataset()] : [])] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        normalized: true,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        plugins: {
          legend: {
            position: 'bottom',
            // Series the run has no data for (e.g. momentum with plain Adagrad) are hidden, not struck through.
            labels: {
              boxWidth: 12,
              boxHeight: 2,
              filter: (item, data) => {
                const d = data.datasets[item.datasetIndex ?? 0];
                return !d?.hidden && d?.label !== MARKERS_LABEL;
              },
            },
          },
          tooltip: {
            callbacks: {
              label: ctx => {
                if (ctx.dataset.label === MARKERS_LABEL) {
                  const f = (ctx.raw as FindingMarker).finding;
                  return `${f.severity} at step ${f.step}: ${f.rule}`;
                }
                return `${ctx.dataset.label}: ${spec.percent ? `${(ctx.parsed.y! * 100).toFixed(1)}%` : ctx.parsed.y!.toPrecision(4)}`;
              },
            },
          },
        },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'step' }, ticks: { maxTicksLimit: 8 } },
          y: {
            type: spec.logY ? 'logarithmic' : 'linear',
            title: { display: true, text: spec.yLabel },
            ...(spec.percent ? { min: 0, max: 1, ticks: { callback: (v: string | number) => `${Math.round(Number(v) * 100)}%` } } : {}),
          },
          ...Object.fromEntries(
            spec.series
              .filter(s => s.rightAxis)
              .map(s => ['y1', { type: 'linear', position: 'right', title: { display: true, text: s.rightAxis!.title }, grid: { drawOnChartArea: false } }]),
          ),
        },
      },
    });
    this.applyColors(colors);
  }

  private dataset(s: SeriesBinding, colors: ChartColors): LineDataset {
    return {
      label: s.label,
      yAxisID: s.rightAxis ? 'y1' : 'y',
      data: [],
      borderColor: colors[s.color],
      backgroundColor: colors[s.color],
      borderWidth: s.thin ? 1 : 2,
      borderDash: s.dashed ? [4, 3] : undefined,
      pointRadius: 0,
      pointHoverRadius: 3,
      tension: 0,
    };
  }

  /** Redraws from the run's series; `markers` are its findings on this chart (when the spec shows them). */
  update(series: RunSeries, markers: readonly FindingMarker[] = []): void {
    this.spec.series.forEach((s, i) => {
      const data = s.pick(series);
      this.chart.data.datasets[i].data = data;
      // A quantity the run does not have (no momentum) gets no legend entry or axis.
      this.chart.data.datasets[i].hidden = data.length === 0;
      if (s.rightAxis) {
        this.chart.options.scales!.y1!.display = data.length > 0;
      }
    });
    if (this.spec.findingMarkers) {
      this.markers = markers;
      const d = this.chart.data.datasets[this.spec.series.length];
      d.data = markers.slice();
      d.hidden = markers.length === 0;
    }
    this.chart.update('none');
  }

  applyColors(colors: ChartColors): void {
    this.spec.series.forEach((s, i) => {
      const d = this.chart.data.datasets[i];
      d.borderColor = colors[s.color];
      d.backgroundColor = colors[s.color];
    });
    if (this.spec.findingMarkers) {
      const d = this.chart.data.datasets[this.spec.series.length];
      // Scriptable: each point takes the color and shape of its finding's severity, also after a theme change.
      d.pointBackgroundColor = ctx => colors.severity[this.markers[ctx.dataIndex]?.finding.severity ?? 'info'];
      d.pointBorderColor = ctx => (this.markers[ctx.dataIndex]?.finding.severity === 'error' ? colors.severity.error : colors.background);
      d.pointStyle = ctx => MARKER_STYLE[this.markers[ctx.dataIndex]?.finding.severity ?? 'info'];
      // A cross is only strokes: thicker, so an error reads as clearly as a filled marker.
      d.pointBorderWidth = ctx => (this.markers[ctx.dataIndex]?.finding.severity === 'error' ? 3 : 1.5);
    }
    const o = this.chart.options;
    o.color = colors.muted;
    for (const axis of Object.keys(o.scales!)) {
      const scale = o.scales![axis]!;
      scale.grid = { color: colors.grid };
      scale.ticks = { ...scale.ticks, color: colors.muted };
      (scale as { title: { color?: string } }).title.color = colors.muted;
    }
    // The end-to-end test finds the training-loss line on the canvas by this color.
    const trainIndex = this.spec.series.findIndex(s => s.color === 'train');
    if (trainIndex >= 0) {
      this.canvas.dataset.trainColor = colors.train;
    }
    this.chart.update('none');
  }

  destroy(): void {
    this.chart.destroy();
  }
}

/** The findings as points on the curve: no line, drawn over the series. */
function markerDataset(): LineDataset {
  return {
    label: MARKERS_LABEL,
    data: [],
    showLine: false,
    pointRadius: 7,
    pointHoverRadius: 9,
    hidden: true,
    order: -1,
  };
}
