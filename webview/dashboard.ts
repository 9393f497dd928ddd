import { isActiveState, type RunSnapshot, type RunState } from '../contract/messages';
import { formatCount, formatMetric } from '../contract/format';
import { findingItem, type FindingItem } from '../contract/probeSeries';
import { DEFAULT_SMOOTHING } from '../contract/smoothing';
import { RunDigest, type DigestDelta } from '../contract/series';
import type { PackedSeries } from '../contract/series';
import { ACCURACY_CHART, LOSS_CHART, LR_CHART } from './chartSpecs';
import { BoundaryView } from './boundaryView';
import { h } from './dom';
import type { ExportChart, ImageFormat } from './imageExport';
import { ImageSection } from './imageViews';
import { FindingsList, ProbeSection } from './probeViews';
import { SeriesChart, firstPoint, firstX, isConstant, type ChartView } from './seriesChart';
import { readColors, watchTheme, type ChartColors } from './theme';
import { DetailCache, SharedRange, type DetailRequestOut } from './zoom';

export interface DashboardActions {
  stop(runId: string): void;
  trainAgain(runId: string): void;
  openExperiment(runId: string): void;
  requestDetail(runId: string, request: DetailRequestOut): void;
  exportImage(runId: string, chart: string, format: ImageFormat, data: string): void;
}

type View = 'panel' | 'sidebar';

/** What the page shows of a run besides its digest. */
export type RunInfo = Omit<RunSnapshot, 'digest'>;

/**
 * Charts redraw at most this often (headline numbers every frame): a chart of ~2,000 buckets takes
 * a few milliseconds, the webview shares its thread with the workbench, and four times a second is
 * live enough to read (the panel stays well within a second of the engine).
 */
const CHART_REFRESH_MS = 250;

/**
 * The run dashboard: headline numbers, progress, findings and the curves, plus (panel only) what
 * the probes see inside the network. It keeps the run's digest (bounded, whatever the run's length)
 * and draws from it; built with DOM APIs only (no innerHTML with run data), redrawn at most once per
 * animation frame however fast deltas arrive.
 */
export class Dashboard {
  private run: RunInfo | undefined;
  private digest = new RunDigest();
  private findingItems: FindingItem[] = [];
  /** Shown before the host has answered (a page restored from its saved state). */
  private reconnecting = false;
  private charts: SeriesChart[] = [];
  private findings: FindingsList | undefined;
  private inside: ProbeSection | undefined;
  private boundary: BoundaryView | undefined;
  private images: ImageSection | undefined;
  private colors: ChartColors;
  private frame = 0;
  private chartTimer: ReturnType<typeof setTimeout> | undefined;
  private chartsDrawn = 0;
  private chartsDirty = true;
  private smoothing: number | undefined = DEFAULT_SMOOTHING;
  private readonly range = new SharedRange();
  private readonly detail: DetailCache;
  private readonly el: Record<string, HTMLElement> = {};
  private statsKey = '';
  /** Hands a chart's PNG or SVG to the host, for the run shown. */
  private readonly send: ExportChart = (chart, format, data) => {
    if (this.run) {
      this.actions.exportImage(this.run.runId, chart, format, data);
    }
  };

  constructor(
    private readonly root: HTMLElement,
    private readonly view: View,
    private readonly actions: DashboardActions,
  ) {
    this.colors = readColors();
    this.detail = new DetailCache(
      request => this.run && this.actions.requestDetail(this.run.runId, request),
      () => this.redrawCharts(),
    );
    this.range.onChange(() => this.redrawCharts());
    watchTheme(() => {
      this.colors = readColors();
      this.charts.forEach(c => c.applyColors(this.colors));
      this.inside?.applyColors(this.colors);
      this.boundary?.applyColors(this.colors);
      this.images?.applyColors(this.colors);
    });
    // A new width means new pixel columns (its first call, at observing, is not a change).
    let observed = false;
    new ResizeObserver(() => {
      if (observed) {
        this.redrawCharts();
      }
      observed = true;
    }).observe(root);
  }

  get runId(): string | undefined {
    return this.run?.runId;
  }

  /** The run and its digest as shown (for the page's saved state). */
  get shown(): { run: RunInfo; digest: RunDigest } | undefined {
    return this.run && { run: this.run, digest: this.digest };
  }

  /**
   * Shows a run from a snapshot; `restored` = from the page's saved state, before the host spoke
   * (a run that was training then may have been stopped since: it says "reconnecting…").
   */
  show(run: RunSnapshot | undefined, restored = false): void {
    this.charts.forEach(c => c.destroy());
    this.charts = [];
    this.inside?.destroy();
    this.inside = undefined;
    this.boundary?.destroy();
    this.boundary = undefined;
    this.images = undefined;
    this.findings = undefined;
    this.root.replaceChildren();
    this.detail.clear();
    this.range.set(undefined);
    this.digest = new RunDigest();
    this.findingItems = [];
    if (!run) {
      this.run = undefined;
      document.body.dataset.status = 'none';
      this.root.append(h('p', { class: 'empty' }, 'No run yet. Open an experiment file (*.experiment.json) and press ▶ Train above it.'));
      return;
    }
    const { digest, ...info } = run;
    this.run = info;
    this.reconnecting = restored && isActiveState(run.state);
    this.digest.apply(digest);
    this.findingItems = this.digest.findings.map(findingItem);
    this.statsKey = '';
    this.build(info);
    this.redrawCharts();
  }

  applyDelta(runId: string, delta: DigestDelta): void {
    if (!this.run || this.run.runId !== runId) {
      return;
    }
    this.digest.apply(delta);
    if (delta.findings.length > 0) {
      // A finding that grew comes again whole: the digest keeps one per rule and target.
      this.findingItems = this.digest.findings.map(findingItem);
    }
    this.chartsDirty = true;
    this.scheduleRender();
  }

  updateRun(patch: Partial<RunInfo> & { runId: string }): void {
    if (!this.run || this.run.runId !== patch.runId) {
      return;
    }
    this.reconnecting = false;
    Object.assign(this.run, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
    this.redrawCharts();
  }

  detailArrived(runId: string, requestId: number, from: number, to: number, width: number, series: PackedSeries[]): void {
    if (this.run?.runId === runId) {
      this.detail.receive(requestId, from, to, width, series);
    }
  }

  private redrawCharts(): void {
    this.chartsDirty = true;
    this.chartsDrawn = 0;
    this.scheduleRender();
  }

  private build(run: RunInfo): void {
    const title = h('h1', { id: 'run-title' }, run.title);
    this.el.status = h('span', { id: 'run-status', class: 'badge' });
    this.el.stop = button('stop', 'Stop', 'Stop training; what it has done so far is kept', () => this.stop());
    this.el.again = button('train-again', 'Train again', 'Start a new run of this experiment', () => this.actions.trainAgain(run.runId));
    const open = button('open-experiment', 'Open experiment', run.file, () => this.actions.openExperiment(run.runId));
    this.el.subtitle = h('p', { class: 'subtitle', id: 'run-subtitle' });
    this.el.progress = h('div', { class: 'progress-bar' });
    this.el.error = h('div', { class: 'error', id: 'run-error', role: 'alert' });
    this.el.stats = h('section', { class: 'stats', id: 'stats' });

    this.findings = new FindingsList();
    this.inside = this.view === 'panel' ? new ProbeSection(this.colors, this.range, this.send) : undefined;
    this.images = this.view === 'panel' ? new ImageSection(this.colors) : undefined;
    const specs = this.view === 'panel' ? [LOSS_CHART, ACCURACY_CHART, LR_CHART] : [LOSS_CHART, ACCURACY_CHART];
    this.charts = specs.map(spec => new SeriesChart(spec, this.range, this.colors, this.send));
    this.boundary = new BoundaryView(this.colors, this.send);

    this.root.append(
      h('header', {}, h('div', { class: 'title-row' }, title, this.el.status, h('span', { class: 'actions' }, this.el.stop, this.el.again, open)), this.el.subtitle, h('div', { class: 'progress' }, this.el.progress)),
      this.el.error,
      this.el.stats,
      this.findings.element,
      this.toolbar(),
      h('section', { class: 'charts' }, ...this.charts.map(c => c.figure), this.boundary.figure),
      ...(this.images ? [this.images.element] : []),
      ...(this.inside ? [this.inside.element] : []),
    );
  }

  /** Smoothing and zoom: for every chart at once. */
  private toolbar(): HTMLElement {
    const smooth = h('input', { type: 'checkbox', id: 'smoothing' }) as HTMLInputElement;
    smooth.checked = this.smoothing !== undefined;
    const weight = h('input', { type: 'range', id: 'smoothing-weight', min: '0', max: '0.99', step: '0.01', 'aria-label': 'Smoothing weight' }) as HTMLInputElement;
    weight.value = String(this.smoothing ?? DEFAULT_SMOOTHING);
    const weightText = h('span', { class: 'smoothing-value' }, weight.value);
    const apply = (): void => {
      this.smoothing = smooth.checked ? Number(weight.value) : undefined;
      weightText.textContent = weight.value;
      weight.disabled = !smooth.checked;
      this.redrawCharts();
    };
    smooth.addEventListener('change', apply);
    weight.addEventListener('input', apply);
    const reset = button('reset-zoom', 'Reset zoom', 'Show the whole run (or double-click a chart)', () => this.range.set(undefined));
    reset.hidden = true;
    this.range.onChange(() => {
      reset.hidden = this.range.current === undefined;
    });
    return h(
      'div',
      { class: 'toolbar' },
      h('label', { class: 'smoothing', title: 'Draw a smoothed line (debiased exponential moving average) over the noisy batch loss; the raw values stay drawn' }, smooth, 'Smooth', weight, weightText),
      reset,
      h('span', { class: 'hint' }, 'drag to zoom · shift-drag to pan · double-click to reset'),
    );
  }

  private stop(): void {
    const run = this.run;
    if (!run || !isActiveState(run.state)) {
      return;
    }
    // "stopping…" at once: the host confirms it and says when the run has stopped.
    run.state = 'stopping';
    this.render();
    this.actions.stop(run.runId);
  }

  private scheduleRender(): void {
    if (this.frame === 0) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.render();
      });
    }
  }

  private render(): void {
    const run = this.run;
    if (!run) {
      return;
    }
    const d = this.digest;
    const shownState: RunState | 'reconnecting' = this.reconnecting ? 'reconnecting' : run.state;
    document.body.dataset.status = shownState;
    setText(this.el.status, shownState === 'stopping' ? 'stopping…' : shownState === 'reconnecting' ? 'reconnecting…' : shownState);
    this.el.status.className = `badge status-${shownState}`;
    const active = isActiveState(run.state);
    this.el.stop.hidden = !active || run.state === 'stopping' || this.reconnecting;
    this.el.again.hidden = active;

    const hd = run.header;
    setText(
      this.el.subtitle,
      hd
        ? `${run.file} · ${hd.layers.join(' → ')} · ${hd.parameters.toLocaleString('en-US')} parameters · ${hd.data.description} (${hd.data.train} train / ${hd.data.validation} validation)`
        : run.file,
    );

    const epoch = d.lastEpoch;
    const step = d.lastStep;
    const totalSteps = hd?.totalSteps ?? 0;
    const done = d.step;
    this.el.progress.style.width = `${totalSteps > 0 ? Math.min(100, (100 * done) / totalSteps) : 0}%`;

    this.el.error.hidden = !run.error;
    setText(this.el.error, run.error ? `${run.state === 'failed' ? 'Failed' : 'Note'}: ${run.error}` : '');

    this.renderStats(run);

    this.findings?.update(this.findingItems);
    this.images?.update(d.images);
    const now = performance.now();
    if (this.chartsDirty && now - this.chartsDrawn >= CHART_REFRESH_MS) {
      this.chartsDirty = false;
      this.chartsDrawn = now;
      const view = this.chartView();
      this.charts.forEach(chart => chart.refresh(view));
      this.inside?.update(view, true);
      this.boundary?.update(this.digest.boundary);
      document.body.dataset.drawnAt ??= String(Date.now());
    } else if (this.chartsDirty && !this.chartTimer) {
      // Drawn at the next refresh.
      this.chartTimer = setTimeout(() => {
        this.chartTimer = undefined;
        this.scheduleRender();
      }, CHART_REFRESH_MS - (now - this.chartsDrawn));
    }
    // For the end-to-end tests: what is shown, and when the engine made it.
    const body = document.body.dataset;
    body.step = String(done);
    body.steps = String(d.counts.steps);
    body.epoch = String(epoch?.epoch ?? step?.epoch ?? 0);
    if (d.madeAt !== undefined) {
      body.madeAt = String(d.madeAt);
    }
  }

  private renderStats(run: RunInfo): void {
    const d = this.digest;
    const hd = run.header;
    const epoch = d.lastEpoch;
    const step = d.lastStep;
    const classification = hd?.task !== 'regression';
    const seconds = (run.summary?.elapsed_ms ?? epoch?.elapsed_ms ?? 0) / 1000;
    const stepsDone = epoch?.step ?? 0;
    const stats: [string, string, string][] = [
      ['epoch', 'Epoch', `${formatCount(epoch?.epoch ?? 0)} / ${hd ? formatCount(hd.epochs) : '?'}`],
      ['step', 'Step', `${formatCount(d.step)}${hd ? ` / ${formatCount(hd.totalSteps)}` : ''}`],
      ['train-loss', 'Train loss', formatMetric(epoch?.train_loss ?? step?.loss)],
      ['val-loss', 'Validation loss', formatMetric(epoch?.val_loss)],
    ];
    if (classification) {
      stats.push(['train-acc', 'Train accuracy', formatMetric(epoch?.train_accuracy, 'accuracy')]);
      stats.push(['val-acc', 'Validation accuracy', formatMetric(epoch?.val_accuracy, 'accuracy')]);
      // The test split's verdict: at the end of the run, or each epoch when the data asks for it.
      if (hd?.data.test !== undefined) stats.push(['test-acc', 'Test accuracy', formatMetric(run.summary?.test?.accuracy ?? epoch?.test_accuracy, 'accuracy')]);
    }
    // The course's first check: a fresh classifier scores about ln C at its first step.
    const loss = d.series.get('loss');
    const first = loss && firstPoint(loss);
    if (hd?.expectedInitialLoss !== undefined && first?.x === 1) {
      stats.push(['first-loss', `First loss (ln ${hd.data.outputs} = ${hd.expectedInitialLoss.toFixed(3)})`, `${formatMetric(first.y)} (${(first.y / hd.expectedInitialLoss).toFixed(2)}×)`]);
    }
    const lr = d.series.get('lr');
    stats.push(['lr', isConstant(lr) ? 'Learning rate (constant)' : 'Learning rate', formatMetric(step?.lr ?? epoch?.lr, 'lr')]);
    const momentum = d.series.get('momentum');
    if (momentum && isConstant(momentum)) {
      stats.push(['momentum', 'Momentum (constant)', formatMetric(step?.momentum, 'lr')]);
    }
    if (this.view === 'panel') {
      stats.push(['speed', 'Steps / s', seconds > 0 && stepsDone > 0 ? formatCount(stepsDone / seconds) : '–']);
    }
    // Rebuilt only when the set of numbers changes; otherwise only their text (no relayout of the page).
    const key = stats.map(([id, label]) => `${id}:${label}`).join('|');
    if (this.statsKey !== key) {
      this.statsKey = key;
      this.el.stats.replaceChildren(
        ...stats.map(([id, label]) => h('div', { class: 'stat', 'data-stat': id }, h('span', { class: 'stat-label' }, label), h('span', { class: 'stat-value' }))),
      );
    }
    stats.forEach(([, , value], i) => {
      const el = this.el.stats.children[i].lastElementChild!;
      if (el.textContent !== value) {
        el.textContent = value;
      }
    });
  }

  private chartView(): ChartView {
    const series = this.digest.series;
    const from = Math.min(...series.keys().map(k => firstX(series.get(k)!)));
    return {
      digest: this.digest,
      range: this.range.current,
      full: { from: Number.isFinite(from) ? from : 0, to: Math.max(series.maxX, 1) },
      detail: this.detail,
      smoothing: this.smoothing,
      findings: this.findingItems,
      colors: this.colors,
    };
  }
}

/** Sets an element's text only when it changes (a write relayouts the page even when equal). */
function setText(el: Element, text: string): void {
  if (el.textContent !== text) {
    el.textContent = text;
  }
}

function button(id: string, label: string, title: string, onClick: () => void): HTMLButtonElement {
  const b = h('button', { id, title, type: 'button' }, label) as HTMLButtonElement;
  b.addEventListener('click', onClick);
  return b;
}
