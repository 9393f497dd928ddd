/** Rules on individual layers' units: dead ReLUs and saturated tanh / sigmoid units. */
import type { LayerProbe, ProbeRecord } from '../../probes/record';
import type { FindingDraft } from '../finding';
import { batchNormBefore, initializationFix, leakyRelu, percent, positiveBias } from '../fixes';
import type { DiagnosticRule } from '../rule';
import { latestProbe, layerLabel, layerSustained } from './probeHistory';

export const deadRelu: DiagnosticRule = {
  id: 'dead-relu',
  severity: 'warning',
  title: 'Dead ReLUs',
  description:
    'More than `deadFraction` (50 %) of a ReLU layer\'s units output zero for every example of a probe batch of at least `deadMinRows` (8) rows — at initialization, or for `sustainProbes` (3) probes in a row.',
  on: ['probe'],
  thresholds: ['deadFraction', 'deadMinRows', 'sustainProbes'],
  check(obs, t) {
    const latest = latestProbe(obs);
    if (latest === undefined || latest.rows < t.deadMinRows) return [];
    const findings: FindingDraft[] = [];
    // A probe on too few rows cannot tell a dead unit from a quiet one: it breaks the streak.
    const over = (layer: LayerProbe, probe: ProbeRecord): boolean =>
      probe.rows >= t.deadMinRows && layer.dead_fraction !== undefined && layer.dead_fraction > t.deadFraction;
    for (const layer of latest.layers) {
      if (layer.dead_fraction === undefined) continue;
      if (!layerSustained(obs, t.sustainProbes, layer.index, over, true)) continue;
      const seen =
        `${percent(layer.dead_fraction)} of the units of layer ${layerLabel(layer)} (${layer.dead} of ${layer.features}) ` +
        'output zero for every example of the probe batch: they are dead — a unit that never activates gets no gradient and stops learning.';
      const evidence = { dead_fraction: layer.dead_fraction, dead: layer.dead ?? 0, threshold: t.deadFraction };
      if (latest.initial) {
        findings.push({
          target: `model[${layer.index}]`,
          message: `${seen} This is so from initialization; course notes: "in ReLU, initialize bias to 0.1 instead of 0" so that units start active.`,
          path: ['init', 'bias'],
          fix: positiveBias(),
          evidence,
        });
      } else {
        findings.push({
          target: `model[${layer.index}]`,
          message: `${seen} A learning rate too high knocks ReLUs into this state; a leaky ReLU cannot die.`,
          path: ['model', layer.index],
          fix: leakyRelu(layer.index),
          evidence,
        });
      }
    }
    return findings;
  },
};

export const saturatedUnits: DiagnosticRule = {
  id: 'saturated-units',
  severity: 'warning',
  title: 'Saturated tanh / sigmoid units',
  description:
    'More than `saturatedFraction` (50 %) of a tanh or sigmoid layer\'s outputs are saturated (within 3 % of the limits) — at initialization, or for `sustainProbes` (3) probes in a row.',
  on: ['probe'],
  thresholds: ['saturatedFraction', 'sustainProbes'],
  check(obs, t) {
    const latest = latestProbe(obs);
    if (latest === undefined) return [];
    const findings: FindingDraft[] = [];
    const over = (layer: LayerProbe): boolean =>
      layer.saturated_fraction !== undefined && layer.saturated_fraction > t.saturatedFraction;
    for (const layer of latest.layers) {
      if (layer.saturated_fraction === undefined) continue;
      if (!layerSustained(obs, t.sustainProbes, layer.index, over, true)) continue;
      const seen =
        `${percent(layer.saturated_fraction)} of the outputs of layer ${layerLabel(layer)} are saturated, at the flat ends of the ${layer.kind}: ` +
        '"almost all neurons completely saturated ... gradients will be all zero" (course notes).';
      const evidence = { saturated_fraction: layer.saturated_fraction, threshold: t.saturatedFraction };
      const draft: FindingDraft = latest.initial
        ? {
            target: `model[${layer.index}]`,
            message: `${seen} At initialization this means the weights are too large for this nonlinearity: Xavier initialization keeps its inputs in range.`,
            path: ['init', 'weight'],
            evidence,
          }
        : {
            target: `model[${layer.index}]`,
            message: `${seen} Its inputs have grown too large; batch normalization before the activation keeps them in range.`,
            path: ['model', layer.index],
            evidence,
          };
      const fix = latest.initial ? initializationFix(obs.context) : batchNormBefore(obs.context, layer.index);
      if (fix) draft.fix = fix;
      findings.push(draft);
    }
    return findings;
  },
};
