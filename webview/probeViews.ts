/**
 * The dashboard's views of the probes and diagnostics: the findings list under the headline
 * numbers, and the panel's "Inside the network" section — the health of every layer, the
 * distributions of activations, gradients and weights over time beside their latest histograms,
 * and dead ReLU units, tanh/sigmoid saturation, update/weight ratios and gradient norms over steps
 * (series of the digest, drawn like every other chart). DOM APIs only (run data is set as
 * text, never parsed as HTML).
 */
import type { FindingItem } from '../contract/probeSeries';
import { OVER_TIME_CHARTS } from './chartSpecs';
import { DistributionSection } from './distributionViews';
import { h } from './dom';
import { HealthStrip } from './healthStrip';
import type { ExportChart } from './imageExport';
import { SeriesChart, type ChartView } from './seriesChart';
import type { ChartColors } from './theme';
import { watchVisibility } from './visibility';
import type { SharedRange } from './zoom';

/**
 * "Inside the network": hidden until the run has a probe. The health strip of every layer, the
 * distributions over time beside the latest histograms, then the probe quantities over steps. Its
 * charts are made when it first comes on screen (a chart made in a hidden box would measure it as
 * empty).
 */
export class ProbeSection {
  readonly element: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly overTime: HTMLElement;
  private readonly health = new HealthStrip();
  private readonly distributions: DistributionSection;
  private charts: SeriesChart[] = [];
  private sectionVisible = false;
  /** The section has been on screen: its charts exist from then on (made lazily: they cost a frame). */
  private made = false;
  private latest: ChartView | undefined;

  constructor(
    private colors: ChartColors,
    private readonly range: SharedRange,
    private readonly send: ExportChart,
  ) {
    this.heading = h('p', { class: 'section-note', id: 'probe-step' });
    this.overTime = h('div', { class: 'charts' });
    this.distributions = new DistributionSection(colors, send);
    this.element = h(
      'section',
      { class: 'inside', id: 'inside-network', 'aria-label': 'Inside the network' },
      h('h2', {}, 'Inside the network'),
      this.heading,
      this.health.element,
      this.distributions.element,
      h('h3', {}, 'Over the run'),
      this.overTime,
    );
    this.element.hidden = true;
    watchVisibility(this.element, visible => {
      this.sectionVisible = visible;
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
      if (!this.sectionVisible) {
        this.heading.textContent = 'Scroll here to see the latest probe.';
        return;
      }
      this.made = true;
      this.charts = OVER_TIME_CHARTS.map(spec => new SeriesChart(spec, this.range, this.colors, this.send));
      this.overTime.append(...this.charts.map(c => c.figure));
    }
    const probes = view.digest.counts.probes;
    this.heading.textContent = `Latest probe: step ${probe.step.toLocaleString('en-US')} (${probes.toLocaleString('en-US')} probe${probes === 1 ? '' : 's'} so far, each of its step's training batch)`;
    this.health.update(probe);
    if (chartsToo) {
      this.distributions.update(view);
      // A chart with nothing to show (no ReLU layer, no tanh) is left out rather than drawn empty.
      this.charts.forEach(chart => chart.refresh(view));
    }
  }

  applyColors(colors: ChartColors): void {
    this.colors = colors;
    this.distributions.applyColors(colors);
    this.charts.forEach(c => c.applyColors(colors));
  }

  destroy(): void {
    this.distributions.destroy();
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
