/**
 * The course notes' update/weight ratio check: ‖Δθ‖/‖θ‖ of each weight tensor "want ~1e-3".
 * Weights only (tensors of two or more dimensions): a zero-initialized bias has no scale to
 * compare with, and biases legitimately move fast early on.
 */
import type { ParamProbe } from '../../probes/record';
import type { FindingDraft } from '../finding';
import { formatNumber, scaleLearningRate } from '../fixes';
import type { DiagnosticRule } from '../rule';
import { lastProbes, latestProbe, layerIndexOf } from './probeHistory';

const TARGET_RATIO = 1e-3;

function isWeight(p: ParamProbe): boolean {
  return p.shape.length >= 2;
}

export const updateWeightRatio: DiagnosticRule = {
  id: 'update-ratio',
  severity: 'warning',
  title: 'Update/weight ratio out of range',
  description:
    'A weight tensor\'s update/weight ratio ‖Δθ‖/‖θ‖ stayed below `updateRatioLow` (1e-4) or above `updateRatioHigh` (1e-2) for `sustainProbes` (3) probes in a row. Names the layer.',
  on: ['probe'],
  thresholds: ['updateRatioLow', 'updateRatioHigh', 'sustainProbes'],
  check(obs, t) {
    const probes = lastProbes(obs, t.sustainProbes);
    const latest = latestProbe(obs);
    if (probes === undefined || latest === undefined) return [];
    const ratioOf = (probe: (typeof probes)[number], name: string): number | undefined =>
      probe.params.find((p) => p.name === name)?.update_ratio;
    const findings: FindingDraft[] = [];
    for (const param of latest.params.filter(isWeight)) {
      const ratios = probes.map((probe) => ratioOf(probe, param.name));
      if (ratios.some((r) => r === undefined)) continue;
      const values = ratios as number[];
      const low = values.every((r) => r < t.updateRatioLow);
      const high = values.every((r) => r > t.updateRatioHigh);
      if (!low && !high) continue;
      const ratio = values[values.length - 1];
      const index = layerIndexOf(param.name);
      const layer = index !== undefined ? latest.layers[index] : undefined;
      const where = layer ? `Layer model[${index}] (${layer.name})` : `Parameter ${param.name}`;
      const verdict = low
        ? `below ${formatNumber(t.updateRatioLow)}: this layer learns very slowly — the learning rate is too low for it`
        : `above ${formatNumber(t.updateRatioHigh)}: each step changes these weights by more than 1 % — the learning rate is too high for it`;
      const draft: FindingDraft = {
        target: param.name,
        message:
          `${where}: the update/weight ratio ‖Δθ‖/‖θ‖ of ${param.name} has stayed ${verdict} ` +
          `(${formatNumber(ratio)} now, over ${t.sustainProbes} probes). The course notes want it "somewhere around 0.001".`,
        path: [...obs.context.optimizer.lrPath],
        evidence: { update_ratio: ratio, low: t.updateRatioLow, high: t.updateRatioHigh },
      };
      const fix = globalLearningRateFix(latest.params.filter(isWeight), t.updateRatioLow, t.updateRatioHigh, obs);
      if (fix) draft.fix = fix;
      findings.push(draft);
    }
    return findings;
  },
};

/**
 * A learning-rate change is sound only when every weight tensor is off on the same side: then the
 * learning rate moves by the power of ten that brings their geometric mean nearest 1e-3 (at most
 * ×100 either way — the ratio scales with the learning rate for SGD and Adam alike).
 */
function globalLearningRateFix(
  weights: readonly ParamProbe[],
  low: number,
  high: number,
  obs: Parameters<DiagnosticRule['check']>[0],
) {
  const ratios = weights.map((p) => p.update_ratio);
  if (ratios.length === 0 || ratios.some((r) => r === undefined || !(r > 0))) return undefined;
  const values = ratios as number[];
  const allLow = values.every((r) => r < low);
  const allHigh = values.every((r) => r > high);
  if (!allLow && !allHigh) return undefined;
  const logMean = values.reduce((sum, r) => sum + Math.log10(r), 0) / values.length;
  const power = Math.max(-2, Math.min(2, Math.round(Math.log10(TARGET_RATIO) - logMean)));
  if (power === 0) return undefined;
  return scaleLearningRate(obs.context, 10 ** power);
}
