import type { RunSnapshot } from '../contract/messages';
import { appendProbeRecords, emptyProbeSeries, findingMarkers, type ProbeSeries } from '../contract/probeSeries';
import { appendRecords, emptySeries, formatMetric, lastEpoch, lastStep, type RunSeries } from '../contract/series';
import type { MetricRecord } from '../contract/messages';
import { ACCURACY_CHART, LOSS_CHART, LR_CHART, LineChart, type ChartSpec } from './charts';
import { h } from './dom';
import { FindingsList, ProbeSection } from './probeViews';
import { readColors, watchTheme } from './theme';

export interface DashboardActions {
  stop(runId: string): void;
  trainAgain(runId: string): void;
  openExperiment(runId: string): void;
}

type View = 'panel' | 'sidebar';

/**
 * The run dashboard: headline numbers, progress, findings and the curves, plus (panel only) what
 * the probes see inside the network. Built with DOM APIs only (no innerHTML with run data),
 * redrawn at most once per animation frame however fast records arrive.
 */
export class Dashboard {
  private run: RunSnapshot | undefined;
  private series: RunSeries = emptySeries();
  private probes: ProbeSeries = emptyProbeSeries();
  private charts: LineChart[] = [];
  private findings: FindingsList | undefined;
  private inside: ProbeSection | undefined;
  private frame = 0;
  private readonly el: Record<string, HTMLElement> = {};

  constructor(
    private readonly root: HTMLElement,
    private readonly view: View,
    private readonly actions: DashboardActions,
  ) {
    watchTheme(() => {
      const colors = readColors();
      this.charts.forEach(c => c.applyColors(colors));
      this.inside?.applyColors(colors);
    });
  }

  get snapshot(): RunSnapshot | undefined {
    return this.run;
  }

  show(run: RunSnapshot | undefined): void {
    this.charts.forEach(c => c.destroy());
    this.charts = [];
    this.inside?.destroy();
    this.inside = undefined;
    this.findings = undefined;
    this.root.replaceChildren();
    this.run = run;
    this.series = emptySeries();
    this.probes = emptyProbeSeries();
    if (!run) {
      document.body.dataset.status = 'none';
      this.root.append(h('p', { class: 'empty' }, 'No run yet. Open an experiment file (*.experiment.json) and press ▶ Train above it.'));
      return;
    }
    this.build(run);
    appendRecords(this.series, run.records);
    appendProbeRecords(this.probes, run.records);
    this.scheduleRender();
  }

  append(runId: string, records: MetricRecord[]): void {
    if (!this.run || this.run.runId !== runId) {
      return;
    }
    this.run.records.push(...records);
    appendRecords(this.series, records);
    appendProbeRecords(this.probes, records);
    this.scheduleRender();
  }

  updateRun(patch: Partial<RunSnapshot> & { runId: string }): void {
    if (!this.run || this.run.runId !== patch.runId) {
      return;
    }
    Object.assign(this.run, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
    this.scheduleRender();
  }

  private build(run: RunSnapshot): void {
    const title = h('h1', { id: 'run-title' }, run.title);
    this.el.status = h('span', { id: 'run-status', class: 'badge' });
    this.el.stop = button('stop', 'Stop', 'Stop training; what it has done so far is kept', () => this.actions.stop(run.runId));
    this.el.again = button('train-again', 'Train again', 'Start a new run of this experiment', () => this.actions.trainAgain(run.runId));
    const open = button('open-experiment', 'Open experiment', run.file, () => this.actions.openExperiment(run.runId));
    this.el.subtitle = h('p', { class: 'subtitle', id: 'run-subtitle' });
    this.el.progress = h('div', { class: 'progress-bar' });
    this.el.error = h('div', { class: 'error', id: 'run-error', role: 'alert' });

    this.el.stats = h('section', { class: 'stats', id: 'stats' });
    const charts = h('section', { class: 'charts' });
    const specs: ChartSpec[] = this.view === 'panel' ? [LOSS_CHART, ACCURACY_CHART, LR_CHART] : [LOSS_CHART, ACCURACY_CHART];
    const canvases = specs.map(spec => {
      const canvas = h('canvas', { id: spec.id }) as HTMLCanvasElement;
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', `${spec.title} chart`);
      charts.append(h('figure', { class: 'chart', 'data-chart': spec.id }, h('figcaption', {}, spec.title), h('div', { class: 'chart-box' }, canvas)));
      return { spec, canvas };
    });

    this.findings = new FindingsList();
    const colors = readColors();
    this.inside = this.view === 'panel' ? new ProbeSection(colors) : undefined;

    this.root.append(
      h('header', {}, h('div', { class: 'title-row' }, title, this.el.status, h('span', { class: 'actions' }, this.el.stop, this.el.again, open)), this.el.subtitle, h('div', { class: 'progress' }, this.el.progress)),
      this.el.error,
      this.el.stats,
      this.findings.element,
      charts,
      ...(this.inside ? [this.inside.element] : []),
    );
    this.charts = canvases.map(c => new LineChart(c.canvas, c.spec, colors));
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
    document.body.dataset.status = run.state;
    this.el.status.textContent = run.state;
    this.el.status.className = `badge status-${run.state}`;
    const active = run.state === 'running' || run.state === 'starting';
    this.el.stop.hidden = !active;
    this.el.again.hidden = active;

    const hd = run.header;
    this.el.subtitle.textContent = hd
      ? `${run.file} · ${hd.layers.join(' → ')} · ${hd.parameters.toLocaleString()} parameters · ${hd.data.description} (${hd.data.train} train / ${hd.data.validation} validation)`
      : run.file;

    const epoch = lastEpoch(run.records);
    const step = lastStep(run.records);
    const totalSteps = hd?.totalSteps ?? 0;
    const done = step?.step ?? epoch?.step ?? 0;
    this.el.progress.style.width = `${totalSteps > 0 ? Math.min(100, (100 * done) / totalSteps) : 0}%`;

    this.el.error.hidden = !run.error;
    this.el.error.textContent = run.error ? `${run.state === 'failed' ? 'Failed' : 'Note'}: ${run.error}` : '';

    const classification = hd?.task !== 'regression';
    const seconds = (run.summary?.elapsed_ms ?? epoch?.elapsed_ms ?? 0) / 1000;
    const stats: [string, string, string][] = [
      ['epoch', 'Epoch', `${epoch?.epoch ?? 0} / ${hd?.epochs ?? '?'}`],
      ['train-loss', 'Train loss', formatMetric(epoch?.train_loss ?? step?.loss)],
      ['val-loss', 'Validation loss', formatMetric(epoch?.val_loss)],
    ];
    if (classification) {
      stats.push(['train-acc', 'Train accuracy', formatMetric(epoch?.train_accuracy, 'accuracy')]);
      stats.push(['val-acc', 'Validation accuracy', formatMetric(epoch?.val_accuracy, 'accuracy')]);
    }
    stats.push(['lr', 'Learning rate', formatMetric(step?.lr ?? epoch?.lr, 'lr')]);
    if (this.view === 'panel') {
      stats.push(['speed', 'Steps / s', seconds > 0 && done > 0 ? Math.round(done / seconds).toLocaleString() : '–']);
    }
    this.el.stats.replaceChildren(
      ...stats.map(([id, label, value]) => h('div', { class: 'stat', 'data-stat': id }, h('span', { class: 'stat-label' }, label), h('span', { class: 'stat-value' }, value))),
    );

    this.findings?.update(this.probes.findings);
    const markers = findingMarkers(this.probes.findings, this.series.stepLoss);
    for (const chart of this.charts) {
      chart.update(this.series, markers);
    }
    this.inside?.update(this.probes);
    if (!classification) {
      this.root.querySelector<HTMLElement>('[data-chart="accuracy-chart"]')?.setAttribute('hidden', '');
    }
    document.body.dataset.records = String(run.records.length);
  }
}

function button(id: string, label: string, title: string, onClick: () => void): HTMLButtonElement {
  const b = h('button', { id, title, type: 'button' }, label) as HTMLButtonElement;
  b.addEventListener('click', onClick);
  return b;
}
