/**
 * The comparison page: the loss, accuracy and learning rate of every compared run overlaid, one
 * colour per run (contract/runColors.ts), and a legend naming each run by its variant and the
 * settings that set it apart, with its state and outcome. Click a name to hide or show its lines,
 * hover it to bring them forward; "open" shows the run's own dashboard.
 */
import type { BoundaryRecord } from '../contract/boundaryFigure';
import { COMPARE_SCALE, type ComparedRun, type ComparedUpdate, type RunStop } from '../contract/compare';
import { formatMetric } from '../contract/format';
import type { RunState, RunSummary } from '../contract/messages';
import { runColor, themeKindOf, type ThemeKind } from '../contract/runColors';
import { SeriesSet } from '../contract/series';
import { h } from './dom';
import { CompareBoundaries, type ExportRunChart } from './compareBoundaries';
import { OverlayChart, type OverlayColors, type OverlaySpec } from './overlayChart';
import { readColors } from './theme';

const CHARTS: OverlaySpec[] = [
  {
    id: 'compare-loss',
    title: 'Loss',
    scale: 'linear',
    logToggle: true,
    choices: [
      { key: 'loss', label: 'training (batch)' },
      { key: 'train_loss', label: 'training (epoch)' },
      { key: 'val_loss', label: 'validation' },
    ],
  },
  {
    id: 'compare-accuracy',
    title: 'Accuracy',
    scale: 'percent',
    choices: [
      { key: 'val_accuracy', label: 'validation' },
      { key: 'train_accuracy', label: 'training' },
    ],
  },
  { id: 'compare-lr', title: 'Learning rate', scale: 'log', logToggle: true, choices: [{ key: 'lr', label: 'learning rate' }] },
];

interface ShownRun {
  runId: string;
  label: string;
  index: number;
  state: RunState;
  summary?: RunSummary;
  stop?: RunStop;
  series: SeriesSet;
  hidden: boolean;
  boundary?: BoundaryRecord;
}

export interface CompareActions {
  openRun(runId: string): void;
  exportAs(format: 'csv' | 'json'): void;
  exportImage: ExportRunChart;
}

export class CompareView {
  private readonly runs: ShownRun[] = [];
  private readonly charts: OverlayChart[];
  private readonly legend: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly count: HTMLElement;
  private readonly boundaries: CompareBoundaries;
  private theme: ThemeKind;

  constructor(
    root: HTMLElement,
    private readonly actions: CompareActions,
  ) {
    this.theme = currentTheme();
    this.heading = h('h1', { id: 'compare-title' }, 'Compare runs');
    this.count = h('span', { class: 'subtle', id: 'compare-count' });
    const exportCsv = h('button', { type: 'button', id: 'export-csv', title: 'Save every compared run\'s epochs as CSV' }, 'Export CSV');
    const exportJson = h('button', { type: 'button', id: 'export-json', title: 'Save every compared run\'s settings, summary and epochs as JSON' }, 'Export JSON');
    exportCsv.addEventListener('click', () => actions.exportAs('csv'));
    exportJson.addEventListener('click', () => actions.exportAs('json'));
    const header = h('header', {}, h('div', { class: 'title-row' }, this.heading, this.count, h('div', { class: 'actions' }, exportCsv, exportJson)));
    const colors = overlayColors();
    this.charts = CHARTS.map(spec => {
      const chart: OverlayChart = new OverlayChart(spec, () => this.refresh(), colors, format => this.exportChart(chart, format));
      return chart;
    });
    this.legend = h('ol', { id: 'compare-legend', class: 'legend', 'aria-label': 'Compared runs' });
    this.boundaries = new CompareBoundaries(readColors(), actions.exportImage);
    const layout = h('div', { class: 'compare-layout' }, h('div', { class: 'compare-charts' }, ...this.charts.map(c => c.figure), this.boundaries.element), h('aside', { class: 'compare-side' }, this.legend));
    root.replaceChildren(header, layout);
  }

  get runIds(): string[] {
    return this.runs.map(r => r.runId);
  }

  get title(): string {
    return this.heading.textContent ?? '';
  }

  /** Draw times of every chart (ms), for the benchmark. */
  drawTimes(): number[] {
    return this.charts.flatMap(c => c.drawTimes);
  }

  show(title: string, runs: ComparedRun[]): void {
    this.heading.textContent = title;
    document.title = title;
    this.runs.length = 0;
    this.add(runs, {});
  }

  add(runs: ComparedRun[], labels: Record<string, string>): void {
    const started = performance.now();
    for (const r of runs) {
      if (this.runs.some(s => s.runId === r.runId)) continue;
      const series = new SeriesSet(COMPARE_SCALE);
      series.ingest(r.series);
      this.runs.push({ runId: r.runId, label: r.label, index: r.index, state: r.state, summary: r.summary, stop: r.stop, series, hidden: false, boundary: r.boundary });
    }
    for (const run of this.runs) {
      const label = labels[run.runId];
      if (typeof label === 'string') run.label = label;
    }
    // For the benchmark: what taking the runs in costs, apart from drawing them.
    document.body.dataset.ingestMs = String(Math.round(performance.now() - started));
    this.renderLegend();
    this.refresh();
  }

  append(updates: ComparedUpdate[]): void {
    let boundaries = false;
    for (const u of updates) {
      const run = this.runs.find(r => r.runId === u.runId);
      if (!run) continue;
      run.series.ingest(u.series);
      if (u.boundary) {
        run.boundary = u.boundary;
        boundaries = true;
      }
    }
    this.refresh(true);
    if (boundaries) this.renderBoundaries();
  }

  update(runId: string, state: RunState, summary: RunSummary | undefined, stop: RunStop | undefined): void {
    const run = this.runs.find(r => r.runId === runId);
    if (!run) return;
    run.state = state;
    run.summary = summary ?? run.summary;
    run.stop = stop;
    this.renderLegend();
    this.refresh();
  }

  /** VS Code changed theme: every run's colour for the new kind, the axes' from its variables. */
  themeChanged(): void {
    this.theme = currentTheme();
    const colors = overlayColors();
    this.charts.forEach(c => c.applyColors(colors));
    this.boundaries.applyColors(readColors());
    this.renderLegend();
    this.refresh();
  }

  /** Saves a chart of every run: the file is offered under the first run's name (`<run>-compare-loss.svg`). */
  private exportChart(chart: OverlayChart, format: 'png' | 'svg'): void {
    const first = this.runs[0];
    if (first) this.actions.exportImage(first.runId, chart.spec.id, format, chart.image(format));
  }

  private color(run: ShownRun): string {
    return runColor(run.index, this.theme);
  }

  /** `live`: only new data came (the charts draw it at their own pace). */
  private refresh(live = false): void {
    this.count.textContent = `${this.runs.length} run${this.runs.length === 1 ? '' : 's'}`;
    document.body.dataset.runs = String(this.runs.length);
    for (const chart of this.charts) {
      chart.setLines(
        this.runs.map(r => ({
          runId: r.runId,
          label: r.label,
          color: this.color(r),
          summary: r.series.get(chart.shownKey),
          // The stop is marked where the run's step series ends (the epoch series may end earlier).
          stopStep: r.stop && chart.spec.id === 'compare-loss' ? r.stop.step : undefined,
          hidden: r.hidden,
        })),
        live,
      );
    }
    if (!live) this.renderBoundaries();
  }

  private renderBoundaries(): void {
    this.boundaries.render(this.runs.map(r => ({ runId: r.runId, label: r.label, index: r.index, color: this.color(r), hidden: r.hidden, boundary: r.boundary })));
  }

  private renderLegend(): void {
    const items = this.runs.map(run => {
      const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
      swatch.style.background = this.color(run);
      const name = h('button', { type: 'button', class: 'legend-name', 'aria-pressed': String(!run.hidden), title: 'Hide or show this run\'s lines' }, swatch, h('span', { class: 'legend-label' }, run.label));
      name.addEventListener('click', () => {
        run.hidden = !run.hidden;
        item.classList.toggle('hidden-run', run.hidden);
        name.setAttribute('aria-pressed', String(!run.hidden));
        this.refresh();
      });
      const open = h('button', { type: 'button', class: 'link', title: 'Open this run\'s dashboard' }, 'open');
      open.addEventListener('click', () => this.actions.openRun(run.runId));
      const item = h('li', { 'data-run-id': run.runId, 'data-state': run.state, class: run.hidden ? 'hidden-run' : '' }, name, h('span', { class: 'legend-outcome' }, outcomeText(run)), open);
      item.addEventListener('mouseenter', () => this.charts.forEach(c => c.highlight(run.runId)));
      item.addEventListener('mouseleave', () => this.charts.forEach(c => c.highlight(undefined)));
      return item;
    });
    this.legend.replaceChildren(...items);
  }
}

function outcomeText(run: ShownRun): string {
  if (run.stop) return `stopped at step ${run.stop.step.toLocaleString('en-US')} by ${run.stop.rule}`;
  const f = run.summary?.final;
  const parts: string[] = [run.state];
  if (f?.val_accuracy !== undefined) parts.push(`val acc ${formatMetric(f.val_accuracy, 'accuracy')}`);
  else if (f?.train_accuracy !== undefined) parts.push(`acc ${formatMetric(f.train_accuracy, 'accuracy')}`);
  if (f) parts.push(`loss ${formatMetric(f.val_loss ?? f.train_loss)}`);
  return parts.join(' · ');
}

function currentTheme(): ThemeKind {
  return themeKindOf(document.body.dataset.vscodeThemeKind, document.body.className);
}

function cssColor(name: string, fallback: string): string {
  const value = getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
  const probe = document.createElement('span');
  probe.style.color = value;
  document.body.append(probe);
  const resolved = getComputedStyle(probe).color;
  probe.remove();
  return resolved;
}

function overlayColors(): OverlayColors {
  const foreground = cssColor('--vscode-editor-foreground', '#cccccc');
  const m = foreground.match(/\d+(\.\d+)?/g) ?? ['204', '204', '204'];
  return {
    muted: cssColor('--vscode-descriptionForeground', '#999999'),
    grid: `rgba(${m[0]}, ${m[1]}, ${m[2]}, 0.12)`,
    background: cssColor('--vscode-editor-background', '#1e1e1e'),
    error: cssColor('--vscode-editorError-foreground', '#f14c4c'),
  };
}
