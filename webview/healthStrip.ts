/**
 * The per-layer health strip: one row per layer of the latest probe, one cell per measure (dead
 * units, saturation, update ratio, gradient norm), each with its value, an icon and a colour for
 * its status (contract/health.ts judges them against the diagnostics' thresholds): colour is never
 * the only sign. Columns no layer has are left out, so it fits a narrow panel.
 */
import { HEALTH_COLUMNS, layerHealth, type HealthStatus, type LayerHealth } from '../contract/health';
import type { ProbeRecord } from '../contract/messages';
import { h } from './dom';

const ICON: Record<HealthStatus, string> = { ok: '✓', warn: '⚠', error: '✖', unjudged: '?', none: '' };
const STATUS_WORDS: Record<HealthStatus, string> = { ok: 'healthy', warn: 'past a threshold', error: 'broken', unjudged: 'not judged', none: 'not applicable' };

export class HealthStrip {
  readonly element: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly table: HTMLTableElement;
  private drawnStep: number | undefined;

  constructor() {
    this.summary = h('p', { class: 'section-note', id: 'health-summary', role: 'status' });
    this.table = h('table', { class: 'health-strip', id: 'health-strip' }) as HTMLTableElement;
    this.element = h(
      'section',
      { class: 'health-section', 'aria-label': 'Layer health' },
      h('h3', {}, 'Layer health'),
      this.summary,
      h('div', { class: 'health-scroll' }, this.table),
    );
  }

  update(probe: ProbeRecord | undefined): void {
    if (!probe || probe.step === this.drawnStep) {
      return;
    }
    this.drawnStep = probe.step;
    this.render(layerHealth(probe), probe.step);
  }

  private render(layers: LayerHealth[], step: number): void {
    const columns = HEALTH_COLUMNS.filter(c => layers.some(l => l.cells[c.key].status !== 'none'));
    const head = h('tr', {}, h('th', { scope: 'col' }, 'layer'), ...columns.map(c => h('th', { scope: 'col', title: c.title }, c.label)));
    const rows = layers.map(layer =>
      h(
        'tr',
        { 'data-layer': String(layer.index), 'data-status': layer.worst, class: `health-row health-${layer.worst}` },
        h('th', { scope: 'row', class: 'health-layer', title: `${layer.label}: ${STATUS_WORDS[layer.worst]}` }, h('span', { class: 'health-icon', 'aria-hidden': 'true' }, ICON[layer.worst]), ' ', layer.label),
        ...columns.map(c => {
          const cell = layer.cells[c.key];
          return h(
            'td',
            { class: `health-cell health-${cell.status}`, 'data-column': c.key, 'data-status': cell.status, title: cell.detail, 'aria-label': `${c.label}: ${cell.text}, ${STATUS_WORDS[cell.status]}. ${cell.detail}` },
            ...(cell.status === 'none' ? [] : [h('span', { class: 'health-icon', 'aria-hidden': 'true' }, ICON[cell.status]), ' ']),
            cell.text,
          );
        }),
      ),
    );
    this.table.replaceChildren(h('caption', { class: 'visually-hidden' }, `Layer health at step ${step}`), h('thead', {}, head), h('tbody', {}, ...rows));
    const sick = layers.filter(l => l.worst === 'warn' || l.worst === 'error');
    this.summary.textContent =
      sick.length === 0
        ? `Step ${step.toLocaleString('en-US')}: every layer within the diagnostics' thresholds.`
        : `Step ${step.toLocaleString('en-US')}: ${sick.map(l => l.label).join(', ')} ${sick.length === 1 ? 'is' : 'are'} past a threshold (hover a cell for why).`;
  }
}
