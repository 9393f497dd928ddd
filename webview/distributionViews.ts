/**
 * "Distributions over time": for each layer (activations, or gradients ∂loss/∂output) or weight
 * matrix, its percentile bands over the run beside the latest probe's histogram. A switch picks
 * the kind; only kinds the run recorded are offered. Figures are made when the section first comes
 * on screen and redrawn only while it is on screen.
 */
import { DISTRIBUTION_TITLES, distributionBands, distributionSources, type DistributionPrefix, type DistributionSource } from '../contract/distributions';
import { histogramBins, histogramCaption, layerHistogram, shortNumber } from '../contract/probeSeries';
import type { ProbeRecord } from '../contract/messages';
import { BAND_NAMES, BandChart } from './bandChart';
import { h } from './dom';
import { exportButtons, exportChart, type ExportChart } from './imageExport';
import { HistogramChart } from './probeCharts';
import type { ChartView } from './seriesChart';
import type { ChartColors } from './theme';
import { watchVisibility } from './visibility';

interface DistributionFigure {
  source: DistributionSource;
  figure: HTMLElement;
  band: BandChart;
  histogram?: HistogramChart;
  stats: HTMLElement;
}

export class DistributionSection {
  readonly element: HTMLElement;
  private readonly tabs: HTMLElement;
  private readonly grid: HTMLElement;
  private kind: DistributionPrefix = 'act_dist';
  private figures: DistributionFigure[] = [];
  /** The sources the figures were made for ("prefix/of" joined). */
  private madeFor = '';
  private histogramStep: number | undefined;
  private visible = false;
  private latest: ChartView | undefined;

  constructor(
    private colors: ChartColors,
    private readonly send: ExportChart,
  ) {
    this.tabs = h('div', { class: 'kind-tabs', role: 'tablist', 'aria-label': 'Distribution of' });
    this.grid = h('div', { class: 'histograms distributions', id: 'histograms', role: 'tabpanel' });
    this.element = h(
      'section',
      { class: 'distribution-section', 'aria-label': 'Distributions over time' },
      h('h3', {}, 'Distributions over time'),
      h('p', { class: 'section-note' }, `Bands: ${BAND_NAMES.join(', ')} of the values at each probe; line: the median. Beside them, the latest probe's histogram.`),
      this.tabs,
      this.grid,
    );
    watchVisibility(this.grid, visible => {
      this.visible = visible;
      if (visible && this.latest) {
        this.update(this.latest);
      }
    });
  }

  update(view: ChartView): void {
    this.latest = view;
    if (!this.visible) {
      return;
    }
    const series = view.digest.series;
    const all = distributionSources(series);
    const kinds = [...new Set(all.map(s => s.prefix))];
    if (kinds.length > 0 && !kinds.includes(this.kind)) {
      this.kind = kinds[0];
    }
    this.renderTabs(kinds);
    const sources = all.filter(s => s.prefix === this.kind);
    const signature = sources.map(s => `${s.prefix}/${s.of}`).join('|');
    if (signature !== this.madeFor) {
      this.make(sources);
      this.madeFor = signature;
      this.histogramStep = undefined;
    }
    const range = view.range ?? view.full;
    for (const f of this.figures) {
      const bands = distributionBands(series, f.source, range.from, range.to);
      if (bands) {
        f.band.update(bands, range);
      }
    }
    const probe = view.digest.probe;
    if (probe && probe.step !== this.histogramStep) {
      this.histogramStep = probe.step;
      this.updateHistograms(probe);
    }
  }

  private renderTabs(kinds: DistributionPrefix[]): void {
    const signature = `${kinds.join(',')}:${this.kind}`;
    if (this.tabs.dataset.signature === signature) {
      return;
    }
    this.tabs.dataset.signature = signature;
    this.tabs.replaceChildren(
      ...kinds.map(kind => {
        const tab = h('button', { type: 'button', role: 'tab', class: 'kind-tab', 'data-kind': kind, 'aria-selected': String(kind === this.kind) }, DISTRIBUTION_TITLES[kind]) as HTMLButtonElement;
        tab.addEventListener('click', () => {
          this.kind = kind;
          if (this.latest) {
            this.update(this.latest);
          }
        });
        return tab;
      }),
    );
  }

  private make(sources: DistributionSource[]): void {
    this.destroyFigures();
    this.figures = sources.map(source => {
      const id = `distribution-${source.prefix}-${source.of}`;
      const title = `${DISTRIBUTION_TITLES[source.prefix]} of ${source.label}`;
      const canvas = h('canvas', { id, role: 'img', 'aria-label': `${title}: percentile bands over steps` }) as HTMLCanvasElement;
      const band = new BandChart(canvas, this.colors, c => (source.prefix === 'grad_dist' ? c.validation : source.prefix === 'weight_dist' ? c.lr : c.palette[0]));
      const stats = h('span', { class: 'histogram-stats' });
      const bandBox = h('div', { class: 'band-box' }, h('div', { class: 'chart-box' }, canvas));
      const row = h('div', { class: 'distribution-row' }, bandBox);
      const caption = h(
        'figcaption',
        {},
        h('span', { class: 'layer-name' }, source.label),
        exportButtons(title, format =>
          exportChart(band.chart, canvas, id, title, format, this.colors, this.send, BAND_NAMES.map(name => ({ label: name, color: band.chart.data.datasets.find(d => d.label === name)?.backgroundColor as string })).concat([{ label: 'median', color: band.chart.data.datasets.find(d => d.label === 'median')?.borderColor as string | undefined ?? this.colors.foreground }])),
        ),
      );
      let histogram: HistogramChart | undefined;
      if (source.prefix !== 'grad_dist') {
        const hid = source.prefix === 'act_dist' ? `histogram-${source.of}` : `weight-histogram-${source.of}`;
        const htitle = `Latest histogram of ${source.label}`;
        const hcanvas = h('canvas', { id: hid, role: 'img', 'aria-label': `${htitle} ${source.prefix === 'act_dist' ? 'outputs' : 'values'}` }) as HTMLCanvasElement;
        histogram = new HistogramChart(hcanvas, this.colors);
        const chart = histogram.chart;
        row.append(
          h(
            'div',
            { class: 'histogram', 'data-layer': source.of },
            h('div', { class: 'sub-caption' }, h('span', {}, 'latest probe'), exportButtons(htitle, format => exportChart(chart, hcanvas, hid, htitle, format, this.colors, this.send))),
            h('div', { class: 'chart-box' }, hcanvas),
          ),
        );
      }
      const figure = h('figure', { class: 'chart distribution', 'data-chart': id, 'data-kind': source.prefix }, caption, row, stats);
      this.grid.append(figure);
      return { source, figure, band, histogram, stats };
    });
  }

  private updateHistograms(probe: ProbeRecord): void {
    for (const f of this.figures) {
      if (f.source.prefix === 'weight_dist') {
        const param = probe.params.find(p => p.name === f.source.of);
        if (param) {
          f.histogram?.update({ bins: histogramBins(param.histogram) });
          f.stats.textContent = `‖W‖ ${shortNumber(param.norm)} · ‖∇W‖ ${shortNumber(param.grad_norm)}${param.update_ratio !== undefined ? ` · update ratio ${shortNumber(param.update_ratio)}` : ''}`;
        }
        continue;
      }
      const layer = probe.layers.find(l => String(l.index) === f.source.of);
      if (!layer) {
        continue;
      }
      if (f.source.prefix === 'act_dist') {
        const hist = layerHistogram(layer, probe.step);
        f.histogram?.update(hist);
        const outside = hist.under + hist.over > 0 ? ` · ${hist.under} below, ${hist.over} above the bins` : '';
        f.stats.textContent = histogramCaption(hist) + outside;
      } else {
        f.stats.textContent = layer.grad_rms !== undefined ? `RMS of ∂loss/∂output ${shortNumber(layer.grad_rms)}` : '';
      }
    }
  }

  applyColors(colors: ChartColors): void {
    this.colors = colors;
    for (const f of this.figures) {
      f.band.applyColors(colors);
      f.histogram?.applyColors(colors);
    }
  }

  private destroyFigures(): void {
    for (const f of this.figures) {
      f.band.destroy();
      f.histogram?.destroy();
    }
    this.figures = [];
    this.grid.replaceChildren();
  }

  destroy(): void {
    this.destroyFigures();
  }
}
