/**
 * The dashboard's views of the probes and diagnostics: the findings list under the headline
 * numbers, and the panel's "Inside the network" section — the latest activation histogram of every
 * layer, and dead ReLU units, tanh/sigmoid saturation, update/weight ratios and gradient norms over
 * steps (series of the digest, drawn like every other chart). DOM APIs only (run data is set as
 * text, never parsed as HTML).
 */
import { histogramCaption, latestHistograms, layerLabel, type FindingItem, type LayerHistogram } from '../contract/probeSeries';
import { OVER_TIME_CHARTS } from './chartSpecs';
import { h } from './dom';
import { HistogramChart } from './probeCharts';
import { SeriesChart, type ChartView } from './seriesChart';
import type { ChartColors } from './theme';
import { watchVisibility } from './visibility';
import type { SharedRange } from './zoom';

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
  private charts: SeriesChart[] = [];
  /** The probe whose histograms are drawn (they change only with a new probe). */
  private drawnStep: number | undefined;
  private histogramsVisible = false;
  /** The section has been on screen: its charts exist from then on (made lazily: they cost a frame). */
  private made = false;
  private latest: ChartView | undefined;

  constructor(
    private colors: ChartColors,
    private readonly range: SharedRange,
  ) {
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
    watchVisibility(this.histogramGrid, visible => {
      this.histogramsVisible = visible;
      if (visible && this.latest) {
        this.update(this.latest, true);
      }
    });
  }

  update(view: ChartView, chartsToo: boolean): void {
    this.latest = view;
    const probe = view.digest.probe;
    if (!probe) {
      return;
    }
    this.element.hidden = false;
    if (!this.made) {
      if (!this.histogramsVisible) {
        this.heading.textContent = 'Scroll here to see the latest probe.';
        return;
      }
      this.made = true;
      this.charts = OVER_TIME_CHARTS.map(spec => new SeriesChart(spec, this.range, this.colors));
      this.overTime.append(...this.charts.map(c => c.figure));
    }
    const probes = view.digest.counts.probes;
    this.heading.textContent = `Latest probe: step ${probe.step.toLocaleString('en-US')} (${probes.toLocaleString('en-US')} probe${probes === 1 ? '' : 's'} so far, each of its step's training batch)`;
    // Off screen, the histograms wait.
    if (probe.step !== this.drawnStep && this.histogramsVisible) {
      this.updateHistograms(latestHistograms(probe));
      this.drawnStep = probe.step;
    }
    if (chartsToo) {
      // A chart with nothing to show (no ReLU layer, no tanh) is left out rather than drawn empty.
      this.charts.forEach(chart => chart.refresh(view));
    }
  }

  private updateHistograms(layers: readonly LayerHistogram[]): void {
    if (this.histograms.length !== layers.length) {
      this.histograms.forEach(v => v.chart.destroy());
      this.histogramGrid.replaceChildren();
      this.histograms = layers.map(layer => {
        const id = `histogram-${layer.index}`;
        const canvas = h('canvas', { id, role: 'img', 'aria-label': `Histogram of ${layerLabel(layer)} outputs` }) as HTMLCanvasElement;
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
    this.charts.forEach(c => c.applyColors(colors));
  }

  destroy(): void {
    this.histograms.forEach(v => v.chart.destroy());
    this.charts.forEach(c => c.destroy());
  }
}

const SEVERITY_ICON: Record<FindingItem['severity'], string> = { error: '✖', warning: '⚠', info: 'ℹ' };

/** Findings shown before "Show all": the charts stay in view on a run with many. */
const FINDINGS_SHOWN = 3;

/**
 * The run's findings, one item each, as they fire: one per cause, with its details and the
 * consequences folded into it as notes. A finding that grows is redrawn in place. The first few are
 * shown, the rest behind "Show all".
 */
export class FindingsList {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly count: HTMLElement;
  private readonly more: HTMLButtonElement;
  private shown = 0;
  private drawn = '';
  private expanded = false;

  constructor() {
    this.list = h('ul', { id: 'findings', class: 'findings' });
    this.count = h('span', { class: 'findings-count' });
    this.more = h('button', { type: 'button', class: 'link-button', id: 'findings-more' }) as HTMLButtonElement;
    this.more.addEventListener('click', () => {
      this.expanded = !this.expanded;
      this.layout();
    });
    this.element = h('section', { class: 'findings-section', 'aria-label': 'Diagnostics' }, h('h2', {}, 'Diagnostics ', this.count), this.list, this.more);
    this.element.hidden = true;
  }

  update(findings: readonly FindingItem[]): void {
    const signature = JSON.stringify(findings);
    if (signature === this.drawn) {
      return;
    }
    this.drawn = signature;
    this.list.replaceChildren(...findings.map(findingElement));
    this.shown = findings.length;
    this.count.textContent = `(${findings.length})`;
    this.element.hidden = findings.length === 0;
    this.layout();
  }

  private layout(): void {
    [...this.list.children].forEach((li, i) => ((li as HTMLElement).hidden = !this.expanded && i >= FINDINGS_SHOWN));
    this.more.hidden = this.shown <= FINDINGS_SHOWN;
    this.more.textContent = this.expanded ? 'Show fewer' : `Show all ${this.shown}`;
  }
}

function findingElement(f: FindingItem): HTMLElement {
  const item = h(
    'li',
    { class: `finding severity-${f.severity}`, 'data-rule': f.rule, 'data-severity': f.severity, 'data-step': String(f.step), title: f.message },
    h('span', { class: 'finding-icon', role: 'img', 'aria-label': f.severity }, SEVERITY_ICON[f.severity]),
    h('span', { class: 'finding-step' }, `step ${f.step.toLocaleString('en-US')}`),
    h('span', { class: 'finding-message' }, f.message),
  );
  if (f.notes?.length) {
    item.append(h('ul', { class: 'finding-notes' }, ...f.notes.map((note) => h('li', {}, note))));
  }
  if (f.fix) {
    item.append(h('span', { class: 'finding-fix' }, `Quick fix in the experiment file: ${f.fix}`));
  }
  return item;
}
