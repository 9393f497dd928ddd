/**
 * The runs table: every kept run, one row each — what it is, what it changed, how it ended —
 * sortable by any column, filtered as you type, with checkboxes to compare, export or delete the
 * runs ticked; and a scatter of any metric against any numeric setting.
 */
import { formatMetric } from '../contract/format';
import { SCATTER_METRICS, filterRows, sortRows, type ColumnId, type RunMetrics, type RunRow, type SortDirection } from '../contract/runRows';
import { runColor, themeKindOf } from '../contract/runColors';
import { formatSetting, timeOfDay } from '../contract/runSettings';
import { h } from './dom';
import { ScatterChart } from './scatterChart';

export interface TableActions {
  open(runId: string): void;
  compare(runIds: string[]): void;
  delete(runIds: string[]): void;
  rename(runId: string): void;
  exportAs(runIds: string[], format: 'csv' | 'json'): void;
}

interface Column {
  id: ColumnId;
  label: string;
  title: string;
  cell(row: RunRow): string;
  numeric?: boolean;
}

const metric = (id: keyof RunMetrics, label: string, title: string, kind: 'loss' | 'accuracy'): Column => ({
  id,
  label,
  title,
  numeric: true,
  cell: r => formatMetric(r.metrics[id], kind),
});

const COLUMNS: Column[] = [
  { id: 'experiment', label: 'Experiment', title: 'The experiment\'s name', cell: r => r.experiment },
  { id: 'variant', label: 'Variant', title: 'The variant (or the name you gave the run) and when it started', cell: r => `${r.name ?? r.variant ?? 'base'} · ${timeOfDay(r.startedAt)}` },
  { id: 'state', label: 'Status', title: 'How the run ended', cell: r => (r.stoppedBy ? `${r.state} (${r.stoppedBy})` : r.state) },
  { id: 'differing', label: 'Settings', title: 'The settings that differ among the runs of its experiment', cell: r => r.differing || '—' },
  metric('final_train_loss', 'Train loss', 'Training loss at the last epoch', 'loss'),
  metric('best_train_loss', 'best', 'Lowest training loss of any epoch', 'loss'),
  metric('final_val_loss', 'Val loss', 'Validation loss at the last epoch', 'loss'),
  metric('best_val_loss', 'best', 'Lowest validation loss of any epoch', 'loss'),
  metric('final_train_accuracy', 'Train acc', 'Training accuracy at the last epoch', 'accuracy'),
  metric('best_train_accuracy', 'best', 'Highest training accuracy of any epoch', 'accuracy'),
  metric('final_val_accuracy', 'Val acc', 'Validation accuracy at the last epoch', 'accuracy'),
  metric('best_val_accuracy', 'best', 'Highest validation accuracy of any epoch', 'accuracy'),
  metric('test_accuracy', 'Test acc', 'Accuracy on the test split, where the run has one', 'accuracy'),
  { id: 'steps_per_second', label: 'Steps/s', title: 'Training speed', numeric: true, cell: r => (r.metrics.steps_per_second !== undefined ? Math.round(r.metrics.steps_per_second).toLocaleString('en-US') : '–') },
  { id: 'duration_ms', label: 'Duration', title: 'Wall time of the run', numeric: true, cell: r => duration(r.metrics.duration_ms) },
  { id: 'findings', label: 'Findings', title: 'Diagnostic findings: errors / warnings / infos', numeric: true, cell: r => `${r.findings.error} / ${r.findings.warning} / ${r.findings.info}` },
];

export class RunsTableView {
  private rows: RunRow[] = [];
  private sort: { column: ColumnId; direction: SortDirection } = { column: 'startedAt', direction: 'desc' };
  private query = '';
  private readonly selected = new Set<string>();
  private readonly body: HTMLElement;
  private readonly head: HTMLElement;
  private readonly status: HTMLElement;
  private readonly buttons: { compare: HTMLButtonElement; csv: HTMLButtonElement; json: HTMLButtonElement; remove: HTMLButtonElement };
  private readonly scatter: ScatterChart;
  private readonly xSelect: HTMLSelectElement;
  private readonly ySelect: HTMLSelectElement;

  constructor(
    root: HTMLElement,
    private readonly actions: TableActions,
  ) {
    const filter = h('input', { type: 'search', id: 'runs-filter', placeholder: 'Filter: words, or state:failed, variant:adam…', 'aria-label': 'Filter runs' }) as HTMLInputElement;
    filter.addEventListener('input', () => {
      this.query = filter.value;
      this.render();
    });
    const button = (id: string, text: string, title: string, onClick: () => void): HTMLButtonElement => {
      const b = h('button', { type: 'button', id, title }, text) as HTMLButtonElement;
      b.addEventListener('click', onClick);
      return b;
    };
    const ticked = (): string[] => this.rows.filter(r => this.selected.has(r.runId)).map(r => r.runId);
    this.buttons = {
      compare: button('compare-selected', 'Compare', 'Overlay the ticked runs in one comparison', () => actions.compare(ticked())),
      csv: button('export-selected-csv', 'Export CSV', 'Save the ticked runs\' epochs as CSV', () => actions.exportAs(ticked(), 'csv')),
      json: button('export-selected-json', 'Export JSON', 'Save the ticked runs as JSON', () => actions.exportAs(ticked(), 'json')),
      remove: button('delete-selected', 'Delete…', 'Delete the ticked runs and their folders (asks first)', () => actions.delete(ticked())),
    };
    this.status = h('span', { class: 'subtle', id: 'runs-status', role: 'status' });
    this.head = h('thead', {});
    this.body = h('tbody', {});
    const table = h('table', { id: 'runs-table', class: 'runs-table' }, this.head, this.body);
    this.xSelect = h('select', { id: 'scatter-x', 'aria-label': 'Setting on the x axis' }) as HTMLSelectElement;
    this.ySelect = h('select', { id: 'scatter-y', 'aria-label': 'Metric on the y axis' }) as HTMLSelectElement;
    for (const m of SCATTER_METRICS) this.ySelect.append(h('option', { value: m.id }, m.label));
    this.xSelect.addEventListener('change', () => this.renderScatter());
    this.ySelect.addEventListener('change', () => this.renderScatter());
    this.scatter = new ScatterChart([this.ySelect, h('span', { class: 'subtle' }, 'against'), this.xSelect]);
    root.replaceChildren(
      h('header', {}, h('div', { class: 'title-row' }, h('h1', {}, 'Runs'), this.status)),
      h('div', { class: 'toolbar' }, filter, this.buttons.compare, this.buttons.csv, this.buttons.json, this.buttons.remove),
      h('div', { class: 'table-scroll' }, table),
      this.scatter.figure,
    );
    this.renderHead();
  }

  setRows(rows: RunRow[]): void {
    this.rows = rows;
    for (const id of [...this.selected]) if (!rows.some(r => r.runId === id)) this.selected.delete(id);
    const settings = [...new Set(rows.flatMap(r => Object.entries(r.settings).filter(([, v]) => typeof v === 'number').map(([k]) => k)))];
    const previous = this.xSelect.value;
    this.xSelect.replaceChildren(...settings.map(s => h('option', { value: s }, s)));
    if (settings.includes(previous)) this.xSelect.value = previous;
    this.render();
  }

  themeChanged(): void {
    this.render();
  }

  private renderHead(): void {
    const all = h('input', { type: 'checkbox', 'aria-label': 'Tick every run shown' }) as HTMLInputElement;
    all.addEventListener('change', () => {
      for (const r of this.visible()) {
        if (all.checked) this.selected.add(r.runId);
        else this.selected.delete(r.runId);
      }
      this.render();
    });
    const cells = COLUMNS.map(c => {
      const sorted = this.sort.column === c.id;
      const b = h('button', { type: 'button', class: 'sort', title: `${c.title} — sort` }, c.label, sorted ? (this.sort.direction === 'asc' ? ' ▲' : ' ▼') : '');
      b.addEventListener('click', () => {
        this.sort = { column: c.id, direction: sorted && this.sort.direction === (c.numeric ? 'desc' : 'asc') ? (c.numeric ? 'asc' : 'desc') : c.numeric ? 'desc' : 'asc' };
        this.renderHead();
        this.render();
      });
      return h('th', { scope: 'col', 'data-column': c.id, 'aria-sort': sorted ? (this.sort.direction === 'asc' ? 'ascending' : 'descending') : 'none', class: c.numeric ? 'num' : '' }, b);
    });
    this.head.replaceChildren(h('tr', {}, h('th', { scope: 'col' }, all), ...cells, h('th', { scope: 'col' }, '')));
  }

  private visible(): RunRow[] {
    return sortRows(filterRows(this.rows, this.query), this.sort.column, this.sort.direction);
  }

  private render(): void {
    const rows = this.visible();
    const theme = themeKindOf(document.body.dataset.vscodeThemeKind, document.body.className);
    const experiments = [...new Set(this.rows.map(r => r.experiment))];
    this.body.replaceChildren(
      ...rows.map(row => {
        const box = h('input', { type: 'checkbox', 'aria-label': `Tick ${row.experiment} · ${row.name ?? row.variant ?? 'base'}` }) as HTMLInputElement;
        box.checked = this.selected.has(row.runId);
        box.addEventListener('change', () => {
          if (box.checked) this.selected.add(row.runId);
          else this.selected.delete(row.runId);
          this.updateButtons();
        });
        const open = h('button', { type: 'button', class: 'link', title: 'Open the run\'s dashboard' }, 'open');
        open.addEventListener('click', () => this.actions.open(row.runId));
        const rename = h('button', { type: 'button', class: 'link', title: 'Give the run a name' }, 'rename');
        rename.addEventListener('click', () => this.actions.rename(row.runId));
        const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
        swatch.style.background = runColor(experiments.indexOf(row.experiment), theme);
        const cells = COLUMNS.map((c, i) => h('td', { class: c.numeric ? 'num' : '', 'data-column': c.id }, ...(i === 0 ? [swatch] : []), c.cell(row)));
        return h('tr', { 'data-run-id': row.runId, 'data-state': row.state }, h('td', {}, box), ...cells, h('td', { class: 'row-actions' }, open, rename));
      }),
    );
    this.status.textContent = rows.length === this.rows.length ? `${this.rows.length} runs` : `${rows.length} of ${this.rows.length} runs`;
    this.updateButtons();
    this.renderScatter();
  }

  private updateButtons(): void {
    const n = this.rows.filter(r => this.selected.has(r.runId)).length;
    this.buttons.compare.disabled = n < 2;
    this.buttons.csv.disabled = n < 1;
    this.buttons.json.disabled = n < 1;
    this.buttons.remove.disabled = n < 1;
    this.buttons.compare.textContent = n >= 2 ? `Compare ${n}` : 'Compare';
  }

  private renderScatter(): void {
    const x = this.xSelect.value;
    const y = this.ySelect.value as keyof RunMetrics;
    this.scatter.figure.hidden = !x;
    if (!x) return;
    const theme = themeKindOf(document.body.dataset.vscodeThemeKind, document.body.className);
    const experiments = [...new Set(this.rows.map(r => r.experiment))];
    const points = filterRows(this.rows, this.query).flatMap(r => {
      const xv = r.settings[x];
      const yv = r.metrics[y];
      return typeof xv === 'number' && typeof yv === 'number' && Number.isFinite(yv)
        ? [{ x: xv, y: yv, label: `${r.experiment} · ${r.name ?? r.variant ?? 'base'} (${x} ${formatSetting(xv)})`, color: runColor(experiments.indexOf(r.experiment), theme) }]
        : [];
    });
    const muted = getComputedStyle(document.body).getPropertyValue('--vscode-descriptionForeground').trim() || '#999';
    this.scatter.show(points, x, SCATTER_METRICS.find(m => m.id === y)?.label ?? y, muted, 'rgba(128, 128, 128, 0.2)');
  }
}

function duration(ms: number | undefined): string {
  if (ms === undefined) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
