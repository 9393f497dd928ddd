/**
 * The decision boundary of each compared run that has one (a 2-D classifier), side by side: one
 * small plane per run, captioned with the run's name and colour, in the order of the legend. A run
 * hidden in the legend hides its plane too. Each plane is the dashboard's BoundaryView.
 */
import type { BoundaryRecord } from '../contract/boundaryFigure';
import { BoundaryView } from './boundaryView';
import { h } from './dom';
import type { ExportChart } from './imageExport';
import type { ChartColors } from './theme';

export interface RunBoundary {
  runId: string;
  label: string;
  index: number;
  /** The run's colour in the comparison. */
  color: string;
  hidden: boolean;
  boundary?: BoundaryRecord;
}

/** Saves one run's plane (its run id says whose). */
export type ExportRunChart = (runId: string, ...args: Parameters<ExportChart>) => void;

export class CompareBoundaries {
  readonly element: HTMLElement;
  private readonly grid: HTMLElement;
  private readonly views = new Map<string, { view: BoundaryView; swatch: HTMLElement }>();

  constructor(
    private colors: ChartColors,
    private readonly send: ExportRunChart,
  ) {
    this.grid = h('div', { class: 'boundary-grid', id: 'compare-boundaries' });
    this.element = h(
      'section',
      { class: 'compare-boundaries', 'aria-label': 'Decision boundaries' },
      h('h2', {}, 'Decision boundaries'),
      h('p', { class: 'section-note' }, 'Each run\'s latest grid: the plane coloured by the predicted class, the training points on top.'),
      this.grid,
    );
    this.element.hidden = true;
  }

  /** Shows the runs' planes (those with a boundary), creating and dropping views as runs come and go. */
  render(runs: readonly RunBoundary[]): void {
    const withBoundary = runs.filter(r => r.boundary).sort((a, b) => a.index - b.index);
    for (const [runId, shown] of this.views) {
      if (!withBoundary.some(r => r.runId === runId)) {
        shown.view.destroy();
        shown.view.figure.remove();
        this.views.delete(runId);
      }
    }
    withBoundary.forEach((run, at) => {
      let shown = this.views.get(run.runId);
      if (!shown) {
        const view = new BoundaryView(this.colors, (chart, format, data) => this.send(run.runId, chart, format, data), { title: run.label, canvasId: `decision-boundary-${run.index}` });
        const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
        view.figure.querySelector('figcaption')?.prepend(swatch);
        view.figure.dataset.runId = run.runId;
        shown = { view, swatch };
        this.views.set(run.runId, shown);
      }
      shown.swatch.style.background = run.color;
      const title = shown.view.figure.querySelector('.chart-title');
      if (title && title.textContent !== run.label) {
        title.textContent = run.label;
        title.setAttribute('title', run.label);
      }
      // In the legend's order; moved only when out of place (moving a figure would reflow it).
      if (this.grid.children[at] !== shown.view.figure) this.grid.insertBefore(shown.view.figure, this.grid.children[at] ?? null);
      shown.view.update(run.boundary);
      if (run.hidden) shown.view.figure.hidden = true;
    });
    this.element.hidden = withBoundary.length === 0;
  }

  applyColors(colors: ChartColors): void {
    this.colors = colors;
    this.views.forEach(v => v.view.applyColors(colors));
  }
}
