/**
 * The course notes' update/weight ratio check: ‖Δθ‖/‖θ‖ of each weight tensor "want ~1e-3".
 * Weights only (tensors of two or more dimensions): a zero-initialized bias has no scale to
 * compare with, and biases legitimately move fast early on. One finding when the ratios are too low
 * and one when too high, each listing its layers: when most layers are off the same way the learning
 * rate is to blame; when only a few are, their own scale is, and no learning rate fixes that.
 */
import type { ParamProbe } from '../../probes/record';
import type { FindingDraft } from '../finding';
import { formatNumber, scaleLearningRate } from '../fixes';
import type { RunObservations } from '../observations';
import type { DiagnosticRule } from '../rule';
import { lastProbes, latestProbe, layerIndexOf } from './probeHistory';

const TARGET_RATIO = 1e-3;
/** Steps of recent loss that say whether the model has learned (see updateRatioLossFraction). */
const RECENT_STEPS = 20;

function isWeight(p: ParamProbe): boolean {
  return p.shape.length >= 2;
}

/** Whether the recent training loss is below `fraction` of the initial loss: the model has learned. */
function hasLearned(obs: RunObservations, fraction: number): boolean {
  const initial = obs.initialLoss;
  const window = obs.losses;
  if (initial === undefined || !(initial > 0) || window.size === 0) return false;
  const recent = window.mean(Math.max(0, window.size - RECENT_STEPS), window.size);
  return Number.isFinite(recent) && recent < fraction * initial;
}

export const updateWeightRatio: DiagnosticRule = {
  id: 'update-ratio',
  severity: 'warning',
  title: 'Update/weight ratio out of range',
  description:
    'Weight tensors\' update/weight ratio ‖Δθ‖/‖θ‖ stayed below `updateRatioLow` (1e-4) or above `updateRatioHigh` (1e-2) for `sustainProbes` (3) probes in a row, while the training loss is still above `updateRatioLossFraction` (50 %) of the initial loss (a model that learns well needs no advice on its steps). One finding each way, listing the layers; on the learning rate when most weight tensors are off, else on the first layer off (its scale, not the learning rate, differs from the others\').',
  on: ['probe'],
  thresholds: ['updateRatioLow', 'updateRatioHigh', 'updateRatioLossFraction', 'sustainProbes'],
  check(obs, t) {
    const probes = lastProbes(obs, t.sustainProbes);
    const latest = latestProbe(obs);
    if (probes === undefined || latest === undefined) return [];
    const weights = latest.params.filter(isWeight);
    const sustained = (param: ParamProbe, test: (r: number) => boolean): boolean =>
      probes.every((probe) => {
        const r = probe.params.find((p) => p.name === param.name)?.update_ratio;
        return r !== undefined && test(r);
      });
    // Once the loss is well down, ratios off the 1e-3 band do no harm: small ones as the model
    // converges (SGD's steps shrink with its gradient), large ones in a small output layer.
    if (hasLearned(obs, t.updateRatioLossFraction)) return [];
    const findings: FindingDraft[] = [];
    const low = weights.filter((p) => sustained(p, (r) => r < t.updateRatioLow));
    if (low.length > 0) findings.push(ratioFinding('low', low, weights, obs, t.updateRatioLow));
    const high = weights.filter((p) => sustained(p, (r) => r > t.updateRatioHigh));
    if (high.length > 0) findings.push(ratioFinding('high', high, weights, obs, t.updateRatioHigh));
    return findings;
  },
};

function ratioFinding(direction: 'low' | 'high', off: readonly ParamProbe[], weights: readonly ParamProbe[], obs: RunObservations, bound: number): FindingDraft {
  const low = direction === 'low';
  const side = low ? `below ${formatNumber(bound)}` : `above ${formatNumber(bound)}`;
  const ratios = off.map((p) => p.update_ratio as number);
  const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)];
  const related = off.map((p) => {
    const index = layerIndexOf(p.name);
    return { message: `${p.name}: ${formatNumber(p.update_ratio as number)}`, path: index === undefined ? ['model'] : ['model', index] };
  });
  const evidence = { update_ratio: median, tensors: off.length, of: weights.length, low: low ? bound : 0, high: low ? 0 : bound };
  const notes = 'The course notes want it "somewhere around 0.001".';
  const every = off.length === weights.length;
  const which = every ? 'every weight tensor' : `${off.length} of ${weights.length} weight tensors`;
  const headline = `the update/weight ratio of ${which} stayed ${side}`;
  // Most layers off the same way: what they share is the learning rate.
  if (off.length * 2 > weights.length) {
    const lr = formatNumber(obs.context.optimizer.lr);
    const draft: FindingDraft = {
      target: direction,
      headline,
      message:
        `The update/weight ratio ‖Δθ‖/‖θ‖ of ${every ? which : `${off.map((p) => p.name).join(', ')} (${which})`} has stayed ${side} (median ${formatNumber(median)}) over ${obs.probes.length > 1 ? 'the last probes' : 'a probe'}: ` +
        (low ? `the network learns very slowly — the learning rate (${lr}) is too low. ` : `each step changes the weights by more than 1 % — the learning rate (${lr}) is too high. `) +
        notes,
      path: [...obs.context.optimizer.lrPath],
      evidence,
      related,
    };
    const fix = learningRateFix(ratios, obs);
    if (fix) draft.fix = fix;
    return draft;
  }
  // Some layers only: their scale differs from the others'; the first one's own init is where to set it.
  const first = layerIndexOf(off[0].name);
  const layer = first === undefined ? undefined : obs.context.layers[first];
  const path = layer === undefined ? ['model'] : layer.ownInit?.weight !== undefined ? ['model', layer.index, 'init'] : ['model', layer.index];
  const names = off.map((p) => p.name).join(', ');
  return {
    target: direction,
    headline,
    message:
      `The update/weight ratio ‖Δθ‖/‖θ‖ of ${names} (${off.length} of ${weights.length} weight tensors) has stayed ${side} (median ${formatNumber(median)}), ` +
      `while the others are in range: ${low ? 'these layers learn far slower than the rest' : 'these layers change far faster than the rest'}. ` +
      `One learning rate for all layers cannot fix that; the scale of these weights can (a layer's own \`init\`). ${notes}`,
    path,
    evidence,
    related,
  };
}

/**
 * The learning rate ×10ⁿ that brings the geometric mean of the ratios nearest 1e-3 (at most ×100
 * either way — the ratio scales with the learning rate for SGD and Adam alike).
 */
function learningRateFix(ratios: readonly number[], obs: RunObservations) {
  if (ratios.some((r) => !(r > 0))) return undefined;
  const logMean = ratios.reduce((sum, r) => sum + Math.log10(r), 0) / ratios.length;
  const power = Math.max(-2, Math.min(2, Math.round(Math.log10(TARGET_RATIO) - logMean)));
  if (power === 0) return undefined;
  return scaleLearningRate(obs.context, 10 ** power);
}
