/**
 * Rules on individual layers' units: dead ReLUs and saturated tanh / sigmoid units. One finding per
 * cause — at initialization, or during training — with every layer it touches listed inside it.
 */
import type { JsonPath } from '../../core/errors';
import type { LayerProbe, ProbeRecord } from '../../probes/record';
import type { RunContext } from '../context';
import type { ExperimentEdit, QuickFix, RelatedNote } from '../finding';
import { percent, positiveBias, weightInitOf, weightLayerBefore } from '../fixes';
import type { RunObservations } from '../observations';
import type { DiagnosticRule } from '../rule';
import { latestProbe, layerLabel, layerSustained } from './probeHistory';

/** The layers of the latest probe for which `holds` is sustained (at initialization: in that probe). */
function sustainedLayers(obs: RunObservations, n: number, holds: (layer: LayerProbe, probe: ProbeRecord) => boolean): LayerProbe[] {
  const latest = latestProbe(obs);
  if (latest === undefined) return [];
  return latest.layers.filter((layer) => holds(layer, latest) && layerSustained(obs, n, layer.index, holds, true));
}

/** "model[1] (ReLU)", "model[1] (ReLU) and model[3] (ReLU)", "model[1] (ReLU), … and 4 more". */
function layerList(layers: readonly LayerProbe[]): string {
  const names = layers.map(layerLabel);
  if (names.length === 1) return names[0];
  if (names.length <= 3) return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`;
}

const layerNote = (layer: LayerProbe, what: string, path: JsonPath = ['model', layer.index]): RelatedNote => ({ message: `${layerLabel(layer)}: ${what}`, path });

/** Leaky ReLU in place of each ReLU at `indices` (any order). */
function leakyRelus(indices: readonly number[]): QuickFix {
  return {
    title: indices.length === 1 ? 'Use leaky ReLU in this layer' : `Use leaky ReLU in these ${indices.length} layers`,
    edits: indices.map((index): ExperimentEdit => ({ kind: 'set', path: ['model', index], value: { type: 'leaky_relu' } })),
  };
}

/** Batch normalization just before each activation at `indices` that has none; edits from the last layer back. */
function batchNormsBefore(context: RunContext, indices: readonly number[]): QuickFix | undefined {
  const missing = indices.filter((i) => i === 0 || context.layers[i - 1].kind !== 'batch_norm').sort((a, b) => b - a);
  if (missing.length === 0) return undefined;
  return {
    title: missing.length === 1 ? 'Add batch normalization before this activation' : 'Add batch normalization before these activations',
    edits: missing.map((index): ExperimentEdit => ({ kind: 'insert', path: ['model', index], value: { type: 'batch_norm' } })),
  };
}

export const deadRelu: DiagnosticRule = {
  id: 'dead-relu',
  severity: 'warning',
  title: 'Dead ReLUs',
  description:
    'More than `deadFraction` (50 %) of a ReLU layer\'s units output zero for every example of a probe batch of at least `deadMinRows` (8) rows — at initialization, or for `sustainProbes` (3) probes in a row. One finding for all such layers.',
  on: ['probe'],
  thresholds: ['deadFraction', 'deadMinRows', 'sustainProbes'],
  check(obs, t) {
    const latest = latestProbe(obs);
    if (latest === undefined || latest.rows < t.deadMinRows) return [];
    // A probe on too few rows cannot tell a dead unit from a quiet one: it breaks the streak.
    const over = (layer: LayerProbe, probe: ProbeRecord): boolean =>
      probe.rows >= t.deadMinRows && layer.dead_fraction !== undefined && layer.dead_fraction > t.deadFraction;
    const dead = sustainedLayers(obs, t.sustainProbes, over);
    if (dead.length === 0) return [];
    const units = dead.reduce((sum, l) => sum + (l.dead ?? 0), 0);
    const all = dead.reduce((sum, l) => sum + l.features, 0);
    const seen =
      `${percent(units / all)} of the units of ${layerList(dead)} (${units} of ${all}) output zero for every example of the probe batch: ` +
      'they are dead — a unit that never activates gets no gradient and stops learning.';
    const related = dead.map((l) => layerNote(l, `${l.dead} of ${l.features} units dead (${percent(l.dead_fraction ?? 0)})`));
    const evidence = { dead_fraction: units / all, dead: units, layers: dead.length, threshold: t.deadFraction };
    if (latest.initial) {
      return [
        {
          target: 'init',
          headline: `${units} ReLU units are dead from initialization`,
          message: `${seen} This is so from initialization; course notes: "in ReLU, initialize bias to 0.1 instead of 0" so that units start active.`,
          path: ['init', 'bias'],
          fix: positiveBias(),
          evidence,
          related,
        },
      ];
    }
    return [
      {
        target: 'training',
        headline: `${units} ReLU units died during training`,
        message: `${seen} A learning rate too high knocks ReLUs into this state; a leaky ReLU cannot die.`,
        path: ['model', dead[0].index],
        fix: leakyRelus(dead.map((l) => l.index)),
        evidence,
        related,
      },
    ];
  },
};

export const saturatedUnits: DiagnosticRule = {
  id: 'saturated-units',
  severity: 'warning',
  title: 'Saturated tanh / sigmoid units',
  description:
    'More than `saturatedFraction` (50 %) of a tanh or sigmoid layer\'s outputs are saturated (within 3 % of the limits) — at initialization, or for `sustainProbes` (3) probes in a row. One finding for all such layers, on the initialization that feeds them.',
  on: ['probe'],
  thresholds: ['saturatedFraction', 'sustainProbes'],
  check(obs, t) {
    const latest = latestProbe(obs);
    if (latest === undefined) return [];
    const over = (layer: LayerProbe): boolean => layer.saturated_fraction !== undefined && layer.saturated_fraction > t.saturatedFraction;
    const saturated = sustainedLayers(obs, t.sustainProbes, over);
    if (saturated.length === 0) return [];
    const worst = Math.max(...saturated.map((l) => l.saturated_fraction ?? 0));
    const kinds = [...new Set(saturated.map((l) => l.kind))].join('/');
    const layersOf = saturated.length === 1 ? `a ${kinds} layer` : `${saturated.length} ${kinds} layers`;
    const seen =
      `Up to ${percent(worst)} of the outputs of ${layerList(saturated)} are saturated, at the flat ends of the nonlinearity: ` +
      '"almost all neurons completely saturated ... gradients will be all zero" (course notes).';
    const evidence = { saturated_fraction: worst, layers: saturated.length, threshold: t.saturatedFraction };
    if (latest.initial) {
      // Each layer's saturation comes from the weights that feed it: its own init, or the experiment's.
      const feeds = saturated.map((l) => ({ layer: l, from: weightLayerBefore(obs.context, l.index) }));
      const main = feeds.find((f) => f.from?.ownInit?.weight === undefined) ?? feeds[0];
      const where = weightInitOf(obs.context, main.from);
      return [
        {
          target: 'init',
          headline: `${layersOf} ${saturated.length === 1 ? 'is' : 'are'} saturated from initialization`,
          message: `${seen} At initialization this means the weights are too large for this nonlinearity: Xavier initialization keeps its inputs in range.`,
          path: where.path,
          ...(where.fix ? { fix: where.fix } : {}),
          evidence,
          related: feeds.map((f) => layerNote(f.layer, `${percent(f.layer.saturated_fraction ?? 0)} saturated`, f.from?.ownInit?.weight !== undefined ? ['model', f.from.index, 'init'] : undefined)),
        },
      ];
    }
    const fix = batchNormsBefore(obs.context, saturated.map((l) => l.index));
    return [
      {
        target: 'training',
        headline: `${layersOf} saturated during training`,
        message: fix
          ? `${seen} Their inputs have grown too large; batch normalization before the activation keeps them in range.`
          : `${seen} Their inputs have grown too large even after batch normalization (its scale grew): a lower learning rate or weight decay keeps them in check.`,
        path: ['model', saturated[0].index],
        ...(fix ? { fix } : {}),
        evidence,
        related: saturated.map((l) => layerNote(l, `${percent(l.saturated_fraction ?? 0)} saturated`)),
      },
    ];
  },
};
