/**
 * The per-layer health strip: for each layer of the latest probe, its dead units (ReLU), saturated
 * outputs (tanh / sigmoid), the update/weight ratio of its weight matrix against the ~1e-3 band and
 * its weight gradient's norm, each judged against the thresholds the diagnostic rules use
 * (engine/diagnostics/thresholds.ts, read here, never copied). A value past a threshold is what
 * the rule would report were it to last `sustainProbes` probes; the strip shows the latest probe.
 * No DOM.
 */
import { DEFAULT_THRESHOLDS, type DiagnosticThresholds } from '../engine/diagnostics/thresholds';
import type { ParamProbe, ProbeRecord } from '../engine/probes/record';
import { layerLabel } from '../engine/series/recordSeries';
import { shortNumber } from './format';

/**
 * ok: within the thresholds; warn: past one (a rule's 'warning' if it lasts); error: NaN/Inf or no
 * gradient at all; unjudged: shown but too little evidence (a probe batch too small for dead
 * units); none: does not apply to this layer.
 */
export type HealthStatus = 'ok' | 'warn' | 'error' | 'unjudged' | 'none';

export interface HealthCell {
  status: HealthStatus;
  /** Short text for the strip ("12 %", "3.1e-3 ↑", "–"). */
  text: string;
  /** The full explanation (tooltip and accessible name). */
  detail: string;
}

export type HealthColumn = 'dead' | 'saturated' | 'update' | 'gradient';

export const HEALTH_COLUMNS: readonly { key: HealthColumn; label: string; title: string }[] = [
  { key: 'dead', label: 'dead', title: 'ReLU units that output zero for the whole probe batch' },
  { key: 'saturated', label: 'saturated', title: 'tanh / sigmoid outputs in the flat part of the curve' },
  { key: 'update', label: 'update', title: 'update/weight ratio ‖Δθ‖/‖θ‖ of the weight matrix (want ~1e-3)' },
  { key: 'gradient', label: '‖∇W‖', title: 'norm of the weight matrix gradient' },
];

export interface LayerHealth {
  index: number;
  /** "[1] ReLU" */
  label: string;
  kind: string;
  cells: Record<HealthColumn, HealthCell>;
  /** The worst status of its cells (error > warn > unjudged > ok > none). */
  worst: HealthStatus;
}

const RANK: Record<HealthStatus, number> = { none: 0, ok: 1, unjudged: 2, warn: 3, error: 4 };

const NONE: HealthCell = { status: 'none', text: '–', detail: 'does not apply to this layer' };

/** The health of every layer at the latest probe. */
export function layerHealth(probe: ProbeRecord, thresholds: DiagnosticThresholds = DEFAULT_THRESHOLDS): LayerHealth[] {
  return probe.layers.map((layer) => {
    const weight = probe.params.find((p) => p.name === `${layer.index}.weight` && p.shape.length >= 2);
    const cells: Record<HealthColumn, HealthCell> = {
      dead: deadCell(layer.dead, layer.dead_fraction, layer.features, probe.rows, thresholds),
      saturated: saturatedCell(layer.saturated_fraction, thresholds),
      update: weight ? updateCell(weight, probe.initial === true, thresholds) : NONE,
      gradient: weight ? gradientCell(weight) : NONE,
    };
    const worst = (Object.values(cells) as HealthCell[]).reduce<HealthStatus>((w, c) => (RANK[c.status] > RANK[w] ? c.status : w), 'none');
    return { index: layer.index, label: layerLabel(layer), kind: layer.kind, cells, worst };
  });
}

function deadCell(dead: number | undefined, fraction: number | undefined, features: number, rows: number, t: DiagnosticThresholds): HealthCell {
  if (fraction === undefined) return NONE;
  const text = percent(fraction);
  const what = `${dead ?? 0} of ${features} units dead on the probe batch (${text})`;
  if (rows < t.deadMinRows) return { status: 'unjudged', text, detail: `${what}; a batch of ${rows} rows is too small to judge (at least ${t.deadMinRows})` };
  if (fraction > t.deadFraction) return { status: 'warn', text, detail: `${what}: more than ${percent(t.deadFraction)}` };
  return { status: 'ok', text, detail: `${what}: at most ${percent(t.deadFraction)}` };
}

function saturatedCell(fraction: number | undefined, t: DiagnosticThresholds): HealthCell {
  if (fraction === undefined) return NONE;
  const text = percent(fraction);
  const what = `${text} of the outputs saturated`;
  if (fraction > t.saturatedFraction) return { status: 'warn', text, detail: `${what}: more than ${percent(t.saturatedFraction)}` };
  return { status: 'ok', text, detail: `${what}: at most ${percent(t.saturatedFraction)}` };
}

function updateCell(weight: ParamProbe, initial: boolean, t: DiagnosticThresholds): HealthCell {
  const ratio = weight.update_ratio;
  if (weight.nonfinite > 0) return { status: 'error', text: 'NaN', detail: `${weight.nonfinite} weights of ${weight.name} became NaN or infinite in the step` };
  if (ratio === undefined) return { status: 'none', text: '–', detail: initial ? 'no update measured at the initialization probe' : 'no update measured' };
  const value = shortNumber(ratio);
  const band = `[${shortNumber(t.updateRatioLow)}, ${shortNumber(t.updateRatioHigh)}]`;
  if (ratio < t.updateRatioLow) return { status: 'warn', text: `${value} ↓`, detail: `update/weight ratio ${value}: below the band ${band} around 1e-3 (too small a step)` };
  if (ratio > t.updateRatioHigh) return { status: 'warn', text: `${value} ↑`, detail: `update/weight ratio ${value}: above the band ${band} around 1e-3 (too large a step)` };
  return { status: 'ok', text: value, detail: `update/weight ratio ${value}: within the band ${band} around 1e-3` };
}

function gradientCell(weight: ParamProbe): HealthCell {
  if (weight.grad_nonfinite > 0) return { status: 'error', text: 'NaN', detail: `${weight.grad_nonfinite} gradient values of ${weight.name} are NaN or infinite` };
  const value = shortNumber(weight.grad_norm);
  if (weight.grad_norm === 0) return { status: 'error', text: '0', detail: `the gradient of ${weight.name} is zero: this layer does not learn` };
  return { status: 'ok', text: value, detail: `‖∇${weight.name}‖ = ${value}` };
}

function percent(fraction: number): string {
  const p = fraction * 100;
  return `${p > 0 && p < 1 ? p.toFixed(1) : Math.round(p)}%`;
}
