/** Rules across the layers of `model`: the widths through it (known for synthetic data), and layers that bend the scores the loss expects. */
import { LIMITS } from '../../core/limits';
import type { DataInfo } from '../../data/kinds';
import { binaryOutput, type LossSpec } from '../../losses/kinds';
import { LAYERS, WEIGHT_KINDS } from '../../nn/kinds';
import type { Reporter } from '../problems';
import { get, type SrcValue } from '../source';
import type { Part } from './run';

/** Layers that map their input to `out_features` with weights (the "linear" layers of the rules). */
const MAPPING: ReadonlySet<string> = new Set(WEIGHT_KINDS);
const LAYER_KINDS: ReadonlySet<string> = new Set(LAYERS.types);

/** What the model's rules read of the loss: its type (a wrong value of another of its keys changes nothing here). */
export type LossType = Pick<LossSpec, 'type'>;

/** Checks the layers against each other and the loss (`valid`: the layers had no error); returns the parameter count if the widths are known. */
export function checkModel(node: SrcValue, written: (Part | undefined)[], info: DataInfo, loss: LossType | undefined, valid: boolean, report: Reporter): number | undefined {
  if (node.kind !== 'array' || node.items.length === 0) return undefined;
  const errorsBefore = report.errors;
  // An item of no known kind (a misspelt type, none, not an object) could be any layer: it is taken for none of them.
  const parts = written.map(p => (p?.kind !== undefined && LAYER_KINDS.has(p.kind) ? p : undefined));
  const kinds = parts.map(p => p?.kind);
  const last = kinds.reduce((found, kind, i) => (kind !== undefined && MAPPING.has(kind) ? i : found), -1);
  if (last < 0 && valid) report.value(node, `the model has no linear layer, so it has nothing to learn; add { "type": "linear" }`);
  if (last < 0) return undefined;
  // After the last known linear layer, an unknown item may be the model's real last linear layer (a misspelt "linear"):
  // then neither the last layer's width nor what follows the scores is known.
  const endKnown = parts.slice(last + 1).every(p => p !== undefined);
  // What the last linear (or maxout) layer must output: the loss's width (engine/losses: modelOutputs), doubled per glu after it.
  // Without a loss type (unknown, refused for the data, or no known task to take the default from), that width is unknown.
  const binary = loss && binaryOutput(loss.type);
  const lossWidth = !loss || !endKnown ? undefined : binary ? 1 : info.outputs;
  const glus = kinds.slice(last + 1).filter(k => k === 'glu').length;
  const lastWidth = lossWidth === undefined ? undefined : lossWidth * 2 ** glus;
  const lastOut = parts[last]!.values.out_features;
  if (typeof lastOut === 'number' && lastWidth !== undefined && lastOut !== lastWidth) {
    const per = binary ? ` (${binary === 'the probability of class 1' ? 'whose sigmoid is the probability of class 1' : binary})` : ' (one per class)';
    const halve = glus === 1 ? 'the glu after it halves' : `the ${glus} glu layers after it halve`;
    const why = glus === 0 ? per : `: the model outputs ${lossWidth}${per} and ${halve} the width`;
    const values = `${lastWidth} value${lastWidth === 1 ? '' : 's'}`;
    report.blame(parts[last]!.node, ['out_features'], `the last ${kinds[last]} layer must output ${values}${why}, not ${lastOut}; or leave out 'out_features'`);
  }
  // Widths through the model; the parameter count as far as they are known.
  const linear = kinds.includes('maxout') ? 'linear or maxout' : 'linear';
  let parameters = 0;
  let counted = true;
  let width = info.features;
  parts.forEach((layer, i) => {
    // What an unknown item outputs, and what it holds, is unknown.
    if (!layer) {
      [width, counted] = [undefined, false];
      return;
    }
    const { kind, values: v, node: src } = layer;
    if (kind !== undefined && MAPPING.has(kind)) {
      if (i !== last && v.out_features === undefined && !get(src, 'out_features')) {
        report.missing(src, `this ${kind} layer needs 'out_features' (only the last ${linear} layer may omit it: it outputs one value per class or target)`);
      }
      // The last one's width is the loss's (a wrong out_features is reported above, not again below).
      const out = (i === last ? lastWidth : undefined) ?? (typeof v.out_features === 'number' ? v.out_features : undefined);
      const pieces = kind === 'maxout' && typeof v.pieces === 'number' ? v.pieces : 1;
      if (kind === 'maxout' && out !== undefined && out * pieces > LIMITS.outFeatures) {
        const message = `this maxout layer computes out_features × pieces = ${out * pieces} values, above the limit of ${LIMITS.outFeatures}`;
        report.value(get(src, 'pieces') ?? get(src, 'out_features') ?? src, `${message} (wider layers are beyond what this engine is for)`);
      }
      if (width !== undefined && out !== undefined) parameters += (width * out + (v.bias === false ? 0 : out)) * pieces;
      width = out;
    } else if (kind === 'glu') {
      if (width !== undefined && width % 2 !== 0) report.blame(src, ['type'], `glu halves the features, so the width before it must be even, not ${width}`);
      width = width === undefined ? undefined : Math.floor(width / 2);
    } else if (kind === 'prelu') {
      const n = typeof v.num_parameters === 'number' ? v.num_parameters : 1;
      if (width !== undefined && n !== 1 && n !== width) {
        const message = `prelu's num_parameters must be 1 (one slope for all features) or ${width} (one per feature of its input), not ${n}`;
        report.blame(src, ['num_parameters', 'type'], message);
      }
      parameters += n;
    } else if (kind === 'batch_norm' || kind === 'layer_norm') {
      if (width !== undefined && v[kind === 'batch_norm' ? 'affine' : 'elementwise_affine'] !== false) parameters += 2 * width;
    }
  });
  if (counted && parameters > LIMITS.parameters) {
    const limit = `the model has ${parameters.toLocaleString('en-US')} parameters, above the limit of ${LIMITS.parameters.toLocaleString('en-US')}`;
    report.value(node, `${limit}: this engine trains small networks on the CPU; make the layers narrower`);
  }
  if (endKnown) warnAboutTheScores(parts, last, loss, report);
  // A model with an error, or with a layer of unknown size, has no size to judge the run by.
  return report.errors > errorsBefore || !counted ? undefined : parameters;
}

// Layers after the last linear layer bend the raw scores (logits) cross_entropy and bce_with_logits expect; nll_loss expects
// log-probabilities (the model ends with log_softmax), bce probabilities (it ends with a sigmoid; torch raises on raw outputs outside [0, 1]).
function warnAboutTheScores(parts: (Part | undefined)[], last: number, loss: LossType | undefined, report: Reporter): void {
  if (!loss) return;
  const ending = loss.type === 'nll_loss' ? 'log_softmax' : loss.type === 'bce' ? 'sigmoid' : undefined;
  const final = parts[parts.length - 1];
  if (loss.type === 'cross_entropy' || loss.type === 'bce_with_logits' || (ending !== undefined && final?.kind === ending)) {
    // Between the last linear layer and the loss (or the ending it needs), only glu leaves the scores alone.
    for (const layer of parts.slice(last + 1, ending === undefined ? undefined : -1)) {
      if (layer?.kind !== undefined && layer.kind !== 'glu') report.blame(layer.node, ['type'], logitsWarning(ending ?? loss.type, layer.kind), 'warning');
    }
  } else if (ending !== undefined && final?.kind !== undefined) {
    const raw = loss.type === 'bce' && parts.length - 1 === last;
    const message =
      loss.type === 'bce'
        ? `bce expects probabilities in [0, 1]: end the model with "sigmoid" (or use "bce_with_logits", which applies the sigmoid itself, more stably)` +
          (raw ? `; the raw outputs of its last ${final.kind} layer fall outside [0, 1], where torch's BCELoss raises` : '')
        : final.kind === 'softmax'
          ? `nll_loss expects log-probabilities, but the model ends with softmax (probabilities); end it with "log_softmax" instead`
          : `nll_loss expects log-probabilities: end the model with "log_softmax" (or use "cross_entropy", which applies log_softmax itself)`;
    report.blame(final.node, ['type'], message, raw ? 'error' : 'warning');
  }
}

/** What a layer after the last linear layer does to the scores that `{reader}` (a loss, or the model's ending) reads. */
const AFTER_THE_SCORES: ReadonlyMap<string, string> = new Map(Object.entries({
  relu: 'zeroes every negative score and slows or stops learning',
  tanh: 'squashes the scores into (-1, 1) and slows or stops learning',
  sigmoid: 'squashes the scores into (0, 1) and slows or stops learning',
  hardtanh: 'clips the scores to [min_val, max_val] and slows or stops learning',
  softmax: 'turns them into probabilities, which {reader} then treats as scores (softmax twice): the gradients shrink and learning stalls',
  log_softmax: 'turns them into log-probabilities, which {reader} then treats as scores',
  dropout: 'zeroes random scores during training, so the loss sees scores the model did not mean',
  batch_norm: 'normalizes the scores, which caps how confident the model can become',
  layer_norm: 'normalizes the scores, which caps how confident the model can become',
}));

function logitsWarning(reader: string, kind: string): string {
  const effect =
    reader === 'cross_entropy' && kind === 'log_softmax'
      ? 'is redundant: cross_entropy applies log_softmax itself (a second one changes nothing); with log_softmax at the end, the matching loss is "nll_loss"'
      : (AFTER_THE_SCORES.get(kind)?.replace('{reader}', reader) ?? 'bends the scores, which should be unconstrained, and slows learning');
  return `${reader} expects raw scores (logits) from the last linear layer; a '${kind}' after it ${effect}`;
}
