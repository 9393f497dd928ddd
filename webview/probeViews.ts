/**
 * The dashboard's views of the probes and diagnostics: the findings list under the
 * headline numbers, and the panel's "Inside the network" section — the latest activation
 * histogram of every layer, dead ReLU units, tanh/sigmoid saturation, update/weight ratios and
 * gradient norms over steps. DOM APIs only (run data is set as text, never parsed as HTML).
 */
import {
  UPDATE_RATIO_REFERENCE,
  histogramCaption,
  layerLabel,
  type FindingItem,
  type LayerHistogram,
  type ProbeSeries,
} from '../contract/probeSeries';
import { h } from './dom';
import { HistogramChart, MultiLineChart, type MultiLineSpec } from './probeCharts';
import type { ChartColors } from './theme';

export const DEAD_RELU_CHART: MultiLineSpec = {
  id: 'dead-relu-chart',
  title: 'Dead ReLU units',
  yLabel: 'units dead on the probe batch',
  counts: true,
  lines: p => p.deadUnits,
};

export const SATURATION_CHART: MultiLineSpec = {
  id: 'saturation-chart',
  title: 'Saturated tanh / sigmoid outputs',
  yLabel: 'saturated',
  percent: true,
  lines: p => p.saturation,
};

export const UPDATE_RATIO_CHART: MultiLineSpec = {
  id: 'update-ratio-chart',
  title: 'Update / weight ratio ‖Δθ‖ / ‖θ‖',
  yLabel: 'ratio (log)',
  logY: true,
  reference: { y: UPDATE_RATIO_REFERENCE, label: '~1e-3' },
  lines: p => p.updateRatio,
};

export const GRAD_NORM_CHART: MultiLineSpec = {
  id: 'grad-norm-chart',
  title: 'Gradient norms ‖∇θ‖',
  yLabel: 'norm (log)',
  logY: true,
  total: { label: 'total', pick: p => p.totalGradNorm },
  lines: p => p.paramGradNorm,
};

const OVER_TIME: readonly MultiLineSpec[] = [DEAD_RELU_CHART, SATURATION_CHART, UPDATE_RATIO_CHART, GRAD_NORM_CHART];

interface HistogramView {
  chart: HistogramChart;
  stats: HTMLElement;
}

/**
 * "Inside the network": hidden until the run has a probe; its charts are made then (a chart made
 * in a hidden box would measure it as empty).
 */
export class ProbeSection {
  readonly element: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly histogramGrid: HTMLElement;
  private readonly overTime: HTMLElement;
  private histograms: HistogramView[] = [];
  private lines: { spec: MultiLineSpec; chart: MultiLineChart; figure: HTMLElement }[] = [];
  /** Probes drawn so far: nothing changes in between. */
  private drawn = 0;

  constructor(private colors: ChartColors) {
    this.heading = h('p', { class: 'section-note', id: 'probe-step' });
    this.histogramGrid = h('div', { class: 'histograms', id: 'histograms' });
    this.overTime = h('div', { class: 'charts' });
    this.element = h(
      'section',
      { class: 'inside', id: 'inside-network', 'aria-label': 'Inside the network' },
      h('h2', {}, 'Inside the network'),
      this.heading,
      h('h3', {}, 'Activations of the latest probe'),
      this.histogramGrid,
      this.overTime,
    );
    this.element.hidden = true;
  }

  update(p: ProbeSeries): void {
    if (p.probes === 0 || p.probes === this.drawn) {
      return;
    }
    this.element.hidden = false;
    if (this.lines.length === 0) {
      this.lines = OVER_TIME.map(spec => {
        const canvas = chartCanvas(spec.id, spec.title);
        const figure = h('figure', { class: 'chart', 'data-chart': spec.id }, h('figcaption', {}, spec.title), h('div', { class: 'chart-box' }, canvas));
        this.overTime.append(figure);
        return { spec, chart: new MultiLineChart(canvas, spec, this.colors), figure };
      });
    }
    this.heading.textContent = `Latest probe: step ${p.latestStep} (${p.probes} probe${p.probes === 1 ? '' : 's'} so far, each of its step's training batch)`;
    this.updateHistograms(p.histograms);
    for (const { spec, chart, figure } of this.lines) {
      // A chart with nothing to show (no ReLU layer, no tanh) is left out rather than drawn empty.
      figure.hidden = spec.lines(p).length === 0;
      chart.update(p);
    }
    this.drawn = p.probes;
  }

  private updateHistograms(layers: readonly LayerHistogram[]): void {
    if (this.histograms.length !== layers.length) {
      this.histograms.forEach(v => v.chart.destroy());
      this.histogramGrid.replaceChildren();
      this.histograms = layers.map(layer => {
        const id = `histogram-${layer.index}`;
        const canvas = chartCanvas(id, `Histogram of ${layerLabel(layer)} outputs`);
        const stats = h('span', { class: 'histogram-stats' });
        const figure = h(
          'figure',
          { class: 'chart histogram', 'data-chart': id, 'data-layer': String(layer.index), 'data-kind': layer.kind },
          h('figcaption', {}, h('span', { class: 'layer-name' }, layerLabel(layer)), ' ', h('span', { class: 'layer-kind' }, `${layer.kind} · ${layer.role}`)),
          h('div', { class: 'chart-box' }, canvas),
          stats,
        );
        this.histogramGrid.append(figure);
        return { chart: new HistogramChart(canvas, this.colors), stats };
      });
    }
    layers.forEach((layer, i) => {
      const view = this.histograms[i];
      view.chart.update(layer);
      // Activations are binned over their 1st–99th percentiles: the few values beyond are counted.
      const outside = layer.under + layer.over > 0 ? ` · ${layer.under} below, ${layer.over} above the bins` : '';
      view.stats.textContent = histogramCaption(layer) + outside;
    });
  }

  applyColors(colors: ChartColors): void {
    this.colors = colors;
    this.histograms.forEach(v => v.chart.applyColors(colors));
    this.lines.forEach(l => l.chart.applyColors(colors));
  }

  destroy(): void {
    this.histograms.forEach(v => v.chart.destroy());
    this.lines.forEach(l => l.chart.destroy());
  }
}

const SEVERITY_ICON: Record<FindingItem['severity'], string> = { error: '✖', warning: '⚠', info: 'ℹ' };

/** The run's findings, one item each, as they fire (the list only grows). */
export class FindingsList {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly count: HTMLElement;
  private shown = 0;

  constructor() {
    this.list = h('ul', { id: 'findings', class: 'findings' });
    this.count = h('span', { class: 'findings-count' });
    this.element = h('section', { class: 'findings-section', 'aria-label': 'Diagnostics' }, h('h2', {}, 'Diagnostics ', this.count), this.list);
    this.element.hidden = true;
  }

  update(findings: readonly FindingItem[]): void {
    if (findings.length === this.shown) {
      return;
    }
    for (const f of findings.slice(this.shown)) {
      const item = h(
        'li',
        { class: `finding severity-${f.severity}`, 'data-rule': f.rule, 'data-severity': f.severity, 'data-step': String(f.step), title: f.message },
        h('span', { class: 'finding-icon', role: 'img', 'aria-label': f.severity }, SEVERITY_ICON[f.severity]),
        h('span', { class: 'finding-step' }, `step ${f.step}`),
        h('span', { class: 'finding-message' }, f.message),
      );
      if (f.fix) {
        item.append(h('span', { class: 'finding-fix' }, `Quick fix in the experiment file: ${f.fix}`));
      }
      this.list.append(item);
    }
    this.shown = findings.length;
    this.count.textContent = `(${findings.length})`;
    this.element.hidden = false;
  }
}

function chartCanvas(id: string, label: string): HTMLCanvasElement {
  const canvas = h('canvas', { id, role: 'img', 'aria-label': label }) as HTMLCanvasElement;
  return canvas;
}
