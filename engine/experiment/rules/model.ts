/**
 * Rules across the layers of `model`, which need the widths as they flow through the model (known
 * for synthetic data): which layers may omit out_features, the last linear (or maxout) layer's
 * width for the loss, glu's even width, prelu's num_parameters, the parameter count; and warnings
 * about layers after the last linear layer that bend the scores the loss expects.
 */
import { LIMITS } from '../../core/limits';
import type { DataInfo } from '../../data/kinds';
import { binaryOutput, type LossSpec } from '../../losses/kinds';
import { WEIGHT_KINDS } from '../../nn/kinds';
import type { Reporter } from '../problems';
import { get, type SrcObject, type SrcValue } from '../source';
import type { Part } from './run';

/** Layers that map their input to `out_features` with weights (the "linear" layers of the rules). */
const MAPPING: ReadonlySet<string> = new Set(WEIGHT_KINDS);

/**
 * Checks the layers against each other and the loss; returns the parameter count as far as the
 * widths are known. `valid`: the layers themselves had no error.
 */
export function checkModel(node: SrcValue, parts: (Part | undefined)[], info: DataInfo, loss: LossSpec | undefined, valid: boolean, report: Reporter): number | undefined {
  if (node.kind !== 'array' || node.items.length === 0) return undefined;
  const errorsBefore = report.errors;
  const kinds = parts.map(p => p?.kind);
  const values = parts.map(p => p?.values ?? {});
  const sources = parts.map((p, i) => p?.node ?? emptyAt(node.items[i]));

  const mapping = kinds.map((k, i) => (k !== undefined && MAPPING.has(k) ? i : -1)).filter(i => i >= 0);
  if (mapping.length === 0) {
    if (valid) report.value(node, `the model has no linear layer, so it has nothing to learn; add { "type": "linear" }`);
    return undefined;
  }
  const last = mapping[mapping.length - 1];
  for (const i of mapping) {
    if (i !== last && values[i].out_features === undefined && !get(sources[i], 'out_features')) {
      const other = mapping.some(j => kinds[j] === 'maxout') ? 'linear or maxout' : 'linear';
      report.missing(
        sources[i],
        `this ${kinds[i]} layer needs 'out_features' (only the last ${other} layer may omit it: it outputs one value per class or target)`,
      );
    }
  }

  // What the last linear (or maxout) layer must output: the loss's width, doubled per glu after it.
  const glusAfter = kinds.slice(last + 1).filter(k => k === 'glu').length;
  const lossWidth = modelOutputs(loss, info);
  const lastWidth = lossWidth === undefined ? undefined : lossWidth * 2 ** glusAfter;
  const lastOut = values[last].out_features;
  if (typeof lastOut === 'number' && lastWidth !== undefined && lastOut !== lastWidth) {
    report.value(get(sources[last], 'out_features')!, lastWidthMessage(kinds[last]!, lastWidth, lossWidth!, glusAfter, loss, lastOut));
  }

  // Widths through the model; the parameter count as far as they are known.
  let parameters = 0;
  let width = info.features;
  kinds.forEach((kind, i) => {
    const v = values[i];
    const src = sources[i];
    switch (kind) {
      case 'linear':
      case 'maxout': {
        // The last one's width is the loss's (a wrong out_features is reported above, not again below).
        const out = i === last ? (lastWidth ?? num(v.out_features)) : num(v.out_features);
        const pieces = kind === 'maxout' && typeof v.pieces === 'number' ? v.pieces : 1;
        if (kind === 'maxout' && out !== undefined && out * pieces > LIMITS.outFeatures) {
          report.value(
            get(src, 'pieces') ?? get(src, 'out_features') ?? src,
            `this maxout layer computes out_features × pieces = ${out * pieces} values, above the limit of ${LIMITS.outFeatures} (wider layers are beyond what this engine is for)`,
          );
        }
        if (width !== undefined && out !== undefined) parameters += (width * out + (v.bias === false ? 0 : out)) * pieces;
        width = out;
        break;
      }
      case 'glu':
        if (width !== undefined && width % 2 !== 0) {
          report.value(typeAt(src), `glu halves the features, so the width before it must be even, not ${width}`);
        }
        width = width === undefined ? undefined : Math.floor(width / 2);
        break;
      case 'prelu': {
        const n = typeof v.num_parameters === 'number' ? v.num_parameters : 1;
        if (width !== undefined && n !== 1 && n !== width) {
          report.value(
            get(src, 'num_parameters') ?? typeAt(src),
            `prelu's num_parameters must be 1 (one slope for all features) or ${width} (one per feature of its input), not ${n}`,
          );
        }
        parameters += n;
        break;
      }
      case 'batch_norm':
        if (width !== undefined && v.affine !== false) parameters += 2 * width;
        break;
      case 'layer_norm':
        if (width !== undefined && v.elementwise_affine !== false) parameters += 2 * width;
        break;
      default:
        break;
    }
  });
  if (parameters > LIMITS.parameters) {
    report.value(
      node,
      `the model has ${parameters.toLocaleString('en-US')} parameters, above the limit of ${LIMITS.parameters.toLocaleString('en-US')}: ` +
        `this engine trains small networks on the CPU; make the layers narrower`,
    );
  }

  warnAboutTheScores(kinds, sources, last, loss, report);
  // A model with an error has no size to judge the run by.
  return report.errors > errorsBefore ? undefined : parameters;
}


/** How many outputs the loss reads from the model (engine/losses: modelOutputs), when known. */
export function modelOutputs(loss: LossSpec | undefined, info: DataInfo): number | undefined {
  if (loss && binaryOutput(loss.type)) return 1;
  return info.outputs;
}

function lastWidthMessage(kind: string, width: number, outputs: number, glus: number, loss: LossSpec | undefined, got: number): string {
  const binary = loss && binaryOutput(loss.type);
  const per = binary ? ` (${binary === 'the probability of class 1' ? 'whose sigmoid is the probability of class 1' : binary})` : ' (one per class)';
  const why =
    glus === 0
      ? per
      : `: the model outputs ${outputs}${per} and ${glus === 1 ? 'the glu after it halves' : `the ${glus} glu layers after it halve`} the width`;
  return `the last ${kind} layer must output ${width} value${width === 1 ? '' : 's'}${why}, not ${got}; or leave out 'out_features'`;
}

/**
 * Layers after the last linear layer change the scores a loss on logits expects (cross_entropy,
 * bce_with_logits); nll_loss expects log-probabilities, so its model ends with log_softmax; bce
 * expects probabilities, so its model ends with a sigmoid (a model that ends with its linear layer
 * cannot run: torch raises at the first output outside [0, 1]).
 */
function warnAboutTheScores(kinds: (string | undefined)[], sources: SrcObject[], last: number, loss: LossSpec | undefined, report: Reporter): void {
  if (!loss) return;
  const at = (i: number): SrcValue => (sources[i].shorthand ? sources[i] : typeAt(sources[i]));
  const end = kinds.length - 1;
  if (loss.type === 'cross_entropy' || loss.type === 'bce_with_logits') {
    for (let i = last + 1; i < kinds.length; i++) {
      const kind = kinds[i];
      if (kind === undefined || kind === 'glu') continue;
      report.value(at(i), logitsWarning(loss.type, kind), 'warning');
    }
  } else if (loss.type === 'nll_loss') {
    if (kinds[end] === 'log_softmax') {
      for (let i = last + 1; i < end; i++) {
        const kind = kinds[i];
        if (kind !== undefined && kind !== 'glu') report.value(at(i), logitsWarning('log_softmax', kind), 'warning');
      }
    } else if (kinds[end] !== undefined) {
      report.value(
        at(end),
        kinds[end] === 'softmax'
          ? `nll_loss expects log-probabilities, but the model ends with softmax (probabilities); end it with "log_softmax" instead`
          : `nll_loss expects log-probabilities: end the model with "log_softmax" (or use "cross_entropy", which applies log_softmax itself)`,
        'warning',
      );
    }
  } else if (loss.type === 'bce') {
    if (kinds[end] === 'sigmoid') {
      for (let i = last + 1; i < end; i++) {
        const kind = kinds[i];
        if (kind !== undefined && kind !== 'glu') report.value(at(i), logitsWarning('sigmoid', kind), 'warning');
      }
    } else if (kinds[end] !== undefined) {
      const raw = end === last;
      report.value(
        at(end),
        `bce expects probabilities in [0, 1]: end the model with "sigmoid" (or use "bce_with_logits", which applies the sigmoid itself, more stably)` +
          (raw ? `; the raw outputs of its last ${kinds[end]} layer fall outside [0, 1], where torch's BCELoss raises` : ''),
        raw ? 'error' : 'warning',
      );
    }
  }
}

function logitsWarning(reader: string, kind: string): string {
  const start = `${reader} expects raw scores (logits) from the last linear layer; a '${kind}' after it`;
  switch (kind) {
    case 'relu':
      return `${start} zeroes every negative score and slows or stops learning`;
    case 'tanh':
      return `${start} squashes the scores into (-1, 1) and slows or stops learning`;
    case 'sigmoid':
      return `${start} squashes the scores into (0, 1) and slows or stops learning`;
    case 'hardtanh':
      return `${start} clips the scores to [min_val, max_val] and slows or stops learning`;
    case 'softmax':
      return `${start} turns them into probabilities, which ${reader} then treats as scores (softmax twice): the gradients shrink and learning stalls`;
    case 'log_softmax':
      return reader === 'cross_entropy'
        ? `${start} is redundant: cross_entropy applies log_softmax itself (a second one changes nothing); with log_softmax at the end, the matching loss is "nll_loss"`
        : `${start} turns them into log-probabilities, which ${reader} then treats as scores`;
    case 'dropout':
      return `${start} zeroes random scores during training, so the loss sees scores the model did not mean`;
    case 'batch_norm':
    case 'layer_norm':
      return `${start} normalizes the scores, which caps how confident the model can become`;
    default:
      return `${start} bends the scores, which should be unconstrained, and slows learning`;
  }
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

function typeAt(obj: SrcObject): SrcValue {
  return get(obj, 'type') ?? obj;
}

function emptyAt(node: SrcValue): SrcObject {
  return { kind: 'object', props: [], offset: node.offset, length: node.length, path: node.path };
}
