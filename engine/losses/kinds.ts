/**
 * The `loss` kinds: torch.nn.functional's losses with their defaults. Each
 * says whether it reads class labels, whether it takes per-class weights, and how to create it for
 * a model output of a given width.
 */
import * as z from 'zod';
import { described, family, kind } from '../core/options';
import type { Task } from '../core/task';
import { BceLoss } from './bce';
import { BceWithLogitsLoss } from './bceWithLogits';
import { CrossEntropyLoss } from './crossEntropy';
import { HuberLoss, L1Loss, MseLoss, SmoothL1Loss } from './elementwise';
import { REDUCTIONS, type Loss } from './loss';
import { NllLoss } from './nll';
import { NO_IGNORED_CLASS } from './targets';

/** What creating a loss needs besides its spec: the model's output width, the rows, the data's task. */
export interface LossContext {
  width: number;
  maxRows: number;
  task: Task;
}

type Out<S extends z.ZodType> = z.output<S>;

/** What a loss for 2 classes reads from its model's one output per row. */
export type BinaryOutput = 'the logit of class 1' | 'the probability of class 1';

/**
 * torch's optional per-class `weight`: one finite number ≥ 0 per class (its length must equal the
 * number of classes, known once the data is), default none (= all 1). With mean reduction the
 * loss is divided by the sum of the targets' weights, so a batch whose targets all have weight 0
 * gives 0/0 = NaN, in torch as here.
 */
const classWeight = z
  .array(z.number().min(0))
  .optional()
  .describe("Per-class weights of the loss (torch's `weight`): one number ≥ 0 per class, in class order. Default: all 1.");

/**
 * torch's `reduction`. 'none' is torch's too, but it returns one loss per example, and training
 * needs one number to minimize (a torch loop would call .mean() or .sum() on it before backward).
 */
const reduction = described(
  z
    .enum(REDUCTIONS)
    .default('mean')
    .describe(
      "What the optimizer minimizes: the batch's `mean` loss (torch's default) or its `sum` (then the gradient, and so each step, grows with the batch size). The loss recorded and shown is the mean either way, so runs compare on one scale. (torch's `none`, one loss per example, cannot be minimized as it is.)",
    ),
  {
    refusedChoices: {
      none: "reduction 'none' gives one loss per example, which training cannot minimize as it is (torch's backward needs one number: a torch loop takes its .mean() or .sum()); use 'mean' or 'sum'",
    },
  },
);

/** torch's `ignore_index`: a class index whose rows the loss skips; its default matches no class. */
const ignoreIndex = z
  .int()
  .default(NO_IGNORED_CLASS)
  .describe(
    "A class index (0 … classes − 1, in the data's class order) whose examples the loss skips: they add nothing to the loss or its gradient, and the mean is over the others (torch's `ignore_index`). Default −100, which is no class. Class-index targets only.",
  );

// torch: "label_smoothing must be between 0.0 and 1.0"
const crossEntropy = kind(
  'cross_entropy',
  '`torch.nn.CrossEntropyLoss` on the raw scores (logits) of the last layer. Classification, against class labels or class probabilities (soft labels).',
  {
    weight: classWeight,
    label_smoothing: z.number().min(0).max(1).default(0).describe('Mixes the target (one-hot, or the probabilities) with the uniform distribution by this amount, in [0, 1].'),
    ignore_index: ignoreIndex,
    reduction,
  },
);
const nllLoss = kind(
  'nll_loss',
  '`torch.nn.NLLLoss`: the negative log-likelihood of log-probabilities (end the model with `log_softmax`). Classification, against class labels.',
  { weight: classWeight, ignore_index: ignoreIndex, reduction },
);
// torch's default pos_weight=None weighs the positive term by 1.
const bceWithLogits = kind('bce_with_logits', '`torch.nn.BCEWithLogitsLoss` for 2 classes: the model outputs one logit, the score of class 1. Against class labels 0/1, or the probability of class 1 (soft labels).', {
  pos_weight: z.number().min(0).default(1).describe('Weight of the positive (class 1) term; for unbalanced data, the ratio negatives / positives.'),
  reduction,
});
const bce = kind(
  'bce',
  '`torch.nn.BCELoss` for 2 classes: the model outputs one probability, that of class 1 (end it with `sigmoid`). `bce_with_logits` computes the same loss from the logit, more stably.',
  { reduction },
);
// torch: "huber_loss does not support non-positive values for delta."
const huber = kind('huber', '`torch.nn.HuberLoss`: quadratic for errors below `delta`, linear above (robust to outliers).', {
  delta: z.number().gt(0).default(1).describe('Where the loss turns from quadratic to linear (> 0).'),
  reduction,
});
// torch: "smooth_l1_loss does not support negative values for beta." (0 = plain L1)
const smoothL1 = kind('smooth_l1', '`torch.nn.SmoothL1Loss`: quadratic below `beta`, then |error|; `beta` = 0 is the L1 loss.', {
  beta: z.number().min(0).default(1).describe('Where the loss turns from quadratic to linear (≥ 0; 0 is the L1 loss).'),
  reduction,
});
const mse = kind('mse', '`torch.nn.MSELoss` (mean squared error). On class labels, against their one-hot rows (torch needs them written out as such).', { reduction });
const l1Loss = kind('l1_loss', '`torch.nn.L1Loss` (mean absolute error): robust to outliers, with a constant slope everywhere.', { reduction });

export const LOSSES = family(
  {
    name: 'loss',
    noun: 'loss',
    label: 'loss',
    what: kind => `loss '${kind}'`,
    description: 'The loss. Default: cross_entropy for classification, mse for regression.',
  },
  {
    cross_entropy: {
      options: crossEntropy,
      classification: true as const,
      classWeights: true as const,
      create: (spec: Out<typeof crossEntropy>, c: LossContext): Loss =>
        new CrossEntropyLoss(c.width, c.maxRows, {
          weight: spec.weight,
          labelSmoothing: spec.label_smoothing,
          ignoreIndex: spec.ignore_index,
          reduction: spec.reduction,
          probabilities: c.task === 'probabilities',
        }),
    },
    nll_loss: {
      options: nllLoss,
      classification: true as const,
      classWeights: true as const,
      // torch's nll_loss reads one class index per row; it has no probability targets.
      classIndexTargets: true as const,
      create: (spec: Out<typeof nllLoss>, c: LossContext): Loss =>
        new NllLoss(c.width, c.maxRows, { weight: spec.weight, ignoreIndex: spec.ignore_index, reduction: spec.reduction }),
    },
    mse: { options: mse, create: (spec: Out<typeof mse>, c: LossContext): Loss => new MseLoss(c.width, c.maxRows, c.task, { reduction: spec.reduction }) },
    bce_with_logits: {
      options: bceWithLogits,
      classification: true as const,
      binary: 'the logit of class 1' satisfies BinaryOutput,
      create: (spec: Out<typeof bceWithLogits>, c: LossContext): Loss => new BceWithLogitsLoss(c.maxRows, spec.pos_weight, { reduction: spec.reduction }, c.task === 'probabilities'),
    },
    bce: {
      options: bce,
      classification: true as const,
      binary: 'the probability of class 1' satisfies BinaryOutput,
      create: (spec: Out<typeof bce>, c: LossContext): Loss => new BceLoss(c.maxRows, { reduction: spec.reduction }, c.task === 'probabilities'),
    },
    huber: { options: huber, create: (spec: Out<typeof huber>, c: LossContext): Loss => new HuberLoss(c.width, c.maxRows, c.task, spec.delta, { reduction: spec.reduction }) },
    smooth_l1: { options: smoothL1, create: (spec: Out<typeof smoothL1>, c: LossContext): Loss => new SmoothL1Loss(c.width, c.maxRows, c.task, spec.beta, { reduction: spec.reduction }) },
    l1_loss: { options: l1Loss, create: (spec: Out<typeof l1Loss>, c: LossContext): Loss => new L1Loss(c.width, c.maxRows, c.task, { reduction: spec.reduction }) },
  },
);

export type LossSpec = z.output<typeof LOSSES.schema>;
export type LossKind = LossSpec['type'];

/** Losses that read class labels (refused on regression data). */
export const CLASSIFICATION_LOSSES: readonly LossKind[] = LOSSES.types.filter(type => 'classification' in LOSSES.kinds[type]);
/**
 * For a loss on 2 classes that reads one output per row (bce_with_logits, bce), what that output
 * is; undefined for the others.
 */
export function binaryOutput(kind: string): BinaryOutput | undefined {
  const descriptor = LOSSES.kinds[kind as LossKind];
  return descriptor !== undefined && 'binary' in descriptor ? descriptor.binary : undefined;
}
/** Losses that read class indices only (refused on probability targets). */
export const CLASS_INDEX_LOSSES: readonly LossKind[] = LOSSES.types.filter(type => 'classIndexTargets' in LOSSES.kinds[type]);
/** Losses that take torch's optional per-class `weight`. */
export const CLASS_WEIGHT_LOSSES: readonly LossKind[] = LOSSES.types.filter(type => 'classWeights' in LOSSES.kinds[type]);

/** The loss when the file does not say: by the data's task. */
export const DEFAULT_LOSS: Readonly<Record<Task, LossSpec>> = {
  classification: LOSSES.resolve({ type: 'cross_entropy' }),
  regression: LOSSES.resolve({ type: 'mse' }),
  probabilities: LOSSES.resolve({ type: 'cross_entropy' }),
};
