import { describe, expect, it } from 'vitest';
import { layerHealth } from '../../../contract/health';
import { DEFAULT_THRESHOLDS } from '../../../engine/diagnostics/thresholds';
import type { LayerProbe, ParamProbe, ProbeRecord } from '../../../engine/probes/record';

const hist = { lo: 0, hi: 1, counts: [1], under: 0, over: 0 };
function layer(index: number, kind: string, extra: Partial<LayerProbe> = {}): LayerProbe {
  return { index, name: kind, kind, role: 'other', features: 10, count: 10, nonfinite: 0, mean: 0, std: 1, min: 0, max: 1, percentiles: [], histogram: hist, ...extra };
}
function weight(index: number, extra: Partial<ParamProbe> = {}): ParamProbe {
  return { name: `${index}.weight`, shape: [10, 10], norm: 1, grad_norm: 0.5, histogram: hist, nonfinite: 0, grad_nonfinite: 0, update_ratio: 1e-3, ...extra };
}
function probe(layers: LayerProbe[], params: ParamProbe[], rows = 32): ProbeRecord {
  return { kind: 'probe', step: 100, epoch: 2, rows, lr: 0.1, total_grad_norm: 1, layers, params };
}
const t = DEFAULT_THRESHOLDS;

describe('layer health', () => {
  it('judges dead units, saturation and update ratios against the diagnostics thresholds, just past each', () => {
    const above = (x: number) => x * 1.01;
    const below = (x: number) => x * 0.99;
    const health = layerHealth(
      probe(
        [
          layer(0, 'linear'),
          layer(1, 'relu', { dead: 6, dead_fraction: above(t.deadFraction) }),
          layer(2, 'linear'),
          layer(3, 'relu', { dead: 4, dead_fraction: below(t.deadFraction) }),
          layer(4, 'tanh', { saturated_fraction: above(t.saturatedFraction) }),
          layer(5, 'linear'),
          layer(6, 'sigmoid', { saturated_fraction: below(t.saturatedFraction) }),
        ],
        [weight(0, { update_ratio: below(t.updateRatioLow) }), weight(2, { update_ratio: above(t.updateRatioHigh) }), weight(5)],
      ),
    );
    const status = health.map((l) => [l.cells.dead.status, l.cells.saturated.status, l.cells.update.status, l.cells.gradient.status]);
    expect(status).toEqual([
      ['none', 'none', 'warn', 'ok'],
      ['warn', 'none', 'none', 'none'],
      ['none', 'none', 'warn', 'ok'],
      ['ok', 'none', 'none', 'none'],
      ['none', 'warn', 'none', 'none'],
      ['none', 'none', 'ok', 'ok'],
      ['none', 'ok', 'none', 'none'],
    ]);
    expect(health.map((l) => l.worst)).toEqual(['warn', 'warn', 'warn', 'ok', 'warn', 'ok', 'ok']);
    // Text, not colour alone: the value and which side of the band.
    expect(health[0].cells.update.text).toMatch(/↓$/);
    expect(health[2].cells.update.text).toMatch(/↑$/);
    expect(health[1].cells.dead.text).toBe('51%');
    expect(health[1].cells.dead.detail).toContain('more than 50%');
    expect(health[0].label).toBe('[0] linear');
  });

  it('follows thresholds a run sets', () => {
    const record = probe([layer(0, 'relu', { dead: 3, dead_fraction: 0.3 })], []);
    expect(layerHealth(record)[0].cells.dead.status).toBe('ok');
    expect(layerHealth(record, { ...t, deadFraction: 0.2 })[0].cells.dead.status).toBe('warn');
  });

  it('does not judge dead units on a probe batch too small, and marks NaN and zero gradients as errors', () => {
    const health = layerHealth(
      probe(
        [layer(0, 'linear'), layer(1, 'relu', { dead: 10, dead_fraction: 1 }), layer(2, 'linear')],
        [weight(0, { grad_nonfinite: 3 }), weight(2, { grad_norm: 0, nonfinite: 2, update_ratio: undefined })],
        t.deadMinRows - 1,
      ),
    );
    expect(health[1].cells.dead.status).toBe('unjudged');
    expect(health[0].cells.gradient).toMatchObject({ status: 'error', text: 'NaN' });
    expect(health[2].cells.gradient).toMatchObject({ status: 'error', text: '0' });
    expect(health[2].cells.update).toMatchObject({ status: 'error', text: 'NaN' });
    expect(health[2].worst).toBe('error');
  });
});
