import type { Field, FieldTable } from '../experiment/fieldTypes';
import { LIMITS } from '../experiment/fieldTypes';
import { ACTIVATION_KINDS, type LayerKind } from './spec';

/** The layer kinds of `model`, in the order the schema and error messages list them. */
export const LAYER_KINDS: readonly LayerKind[] = [
  'linear',
  'maxout',
  'prelu',
  ...ACTIVATION_KINDS,
  'batch_norm',
  'layer_norm',
  'dropout',
];

const outFeatures: Field = {
  kind: 'number',
  integer: true,
  minimum: 1,
  maximum: LIMITS.outFeatures,
  limitReason: 'wider layers are beyond what this engine is for',
  doc: 'Output width of this layer (`torch.nn.Linear(in, out_features)`). Leave it out on the last linear layer: it then outputs one value per class (or target).',
};

const bias: Field = { kind: 'boolean', default: true, doc: 'Whether the layer has a bias (`torch.nn.Linear(..., bias=True)`).' };

/** A layer's own initialization (an InitSpec, like the experiment's `init`, which it overrides key by key). */
const init: Field = {
  kind: 'init',
  doc: "This layer's own initialization (overrides the experiment's `init`, key by key): an initializer name (for the weights) or { \"weight\": ..., \"bias\": ... }.",
};

/** Keys of a linear layer besides `type`. */
export const LINEAR_FIELDS: FieldTable = {
  out_features: outFeatures,
  bias,
  init,
};

const eps: Field = {
  kind: 'number',
  default: 1e-5,
  minimum: 0,
  exclusiveMinimum: true,
  doc: 'Added to the variance before the square root, for numerical stability.',
};
const affine: Field = { kind: 'boolean', default: true, doc: 'Learnable per-feature scale (weight) and shift (bias).' };

/** What each layer kind is (hovers, completion, the reference). */
export const LAYER_DOCS: Readonly<Record<LayerKind, string>> = {
  linear: '`torch.nn.Linear`: y = x·Wᵀ + b.',
  maxout: 'Maxout (Goodfellow et al., 2013): each of `out_features` units is the maximum of `pieces` affine maps.',
  prelu: '`torch.nn.PReLU`: x for x > 0, else a·x with a learnable slope a.',
  relu: '`torch.nn.ReLU`: max(0, x).',
  leaky_relu: '`torch.nn.LeakyReLU`: x for x > 0, else negative_slope·x.',
  elu: '`torch.nn.ELU`: x for x > 0, else alpha·(eˣ − 1).',
  selu: '`torch.nn.SELU`: a scaled ELU with the self-normalizing constants.',
  celu: '`torch.nn.CELU`: max(0, x) + min(0, alpha·(e^(x/alpha) − 1)).',
  gelu: '`torch.nn.GELU`: x·Φ(x), Φ the standard normal CDF.',
  silu: '`torch.nn.SiLU`: x·σ(x).',
  swish: 'Another name for `silu`: x·σ(x).',
  hardswish: '`torch.nn.Hardswish`: x·min(max(x + 3, 0), 6) / 6.',
  softplus: '`torch.nn.Softplus`: log(1 + e^(beta·x)) / beta.',
  sigmoid: '`torch.nn.Sigmoid`: 1 / (1 + e⁻ˣ).',
  tanh: '`torch.nn.Tanh`.',
  mish: '`torch.nn.Mish`: x·tanh(softplus(x)).',
  hardtanh: '`torch.nn.Hardtanh`: x clipped to [min_val, max_val].',
  softmax: "`torch.nn.Softmax(dim=1)`: each row's features to probabilities that sum to 1.",
  log_softmax: '`torch.nn.LogSoftmax(dim=1)`: the logarithm of softmax, computed stably.',
  glu: '`torch.nn.GLU`: splits the features into halves a | b and outputs a·σ(b), half as many (the width must be even).',
  batch_norm: '`torch.nn.BatchNorm1d`: normalizes each feature over the batch (with running statistics for evaluation).',
  layer_norm: '`torch.nn.LayerNorm`: normalizes each example over its features.',
  dropout: '`torch.nn.Dropout`: in training, zeroes each value with probability `p` and scales the rest by 1 / (1 − p).',
};

/**
 * Keys of every layer kind besides `type`, with torch.nn's defaults. The rules across keys (see
 * each comment) are the validator's (engine/experiment/rules/layer.ts and sections/model.ts).
 */
export const LAYER_FIELDS: Readonly<Record<LayerKind, FieldTable>> = {
  linear: LINEAR_FIELDS,
  // Its weight has out_features·pieces rows, which count against the limits.
  maxout: {
    out_features: {
      ...outFeatures,
      doc: 'Number of units of this layer. Leave it out on the last layer: it then outputs one value per class (or target).',
    },
    pieces: {
      kind: 'number',
      default: 2,
      integer: true,
      minimum: 2,
      maximum: 64,
      limitReason: 'more pieces than this only multiply the work',
      doc: 'Affine maps per unit: each output is the maximum of this many (at least 2).',
    },
    bias,
    init,
  },
  // num_parameters must be 1 or the width of the layer's input (known once the model is built).
  prelu: {
    num_parameters: {
      kind: 'number',
      default: 1,
      integer: true,
      minimum: 1,
      maximum: LIMITS.outFeatures,
      doc: "Number of learnable slopes: 1 (shared by all features) or the width of the layer's input (one per feature).",
    },
    init: { kind: 'number', default: 0.25, doc: 'Initial value of the learnable slope (`torch.nn.PReLU(init=0.25)`).' },
  },
  relu: {},
  leaky_relu: { negative_slope: { kind: 'number', default: 0.01, doc: 'Slope of the negative part.' } },
  elu: { alpha: { kind: 'number', default: 1, doc: 'Scale of the negative part: the output approaches −alpha as x → −∞.' } },
  selu: {},
  // alpha ≠ 0 (CELU divides by it).
  celu: { alpha: { kind: 'number', default: 1, doc: 'The alpha of CELU, which scales the negative part (must not be 0).' } },
  gelu: {
    approximate: {
      kind: 'enum',
      values: ['none', 'tanh'],
      default: 'none',
      doc: 'How Φ is computed: `none` exactly (with erf), `tanh` by the tanh approximation.',
    },
  },
  silu: {},
  swish: {},
  hardswish: {},
  softplus: {
    beta: { kind: 'number', default: 1, minimum: 0, exclusiveMinimum: true, doc: 'The beta of log(1 + e^(beta·x)) / beta.' },
    threshold: {
      kind: 'number',
      default: 20,
      minimum: 0,
      exclusiveMinimum: true,
      doc: 'Where beta·x exceeds this, the output is x itself (for numerical stability).',
    },
  },
  sigmoid: {},
  tanh: {},
  mish: {},
  // min_val < max_val.
  hardtanh: {
    min_val: { kind: 'number', default: -1, doc: 'Lower end of the linear region (less than `max_val`).' },
    max_val: { kind: 'number', default: 1, doc: 'Upper end of the linear region.' },
  },
  softmax: {},
  log_softmax: {},
  // The width of its input must be even.
  glu: {},
  batch_norm: {
    eps,
    momentum: {
      kind: 'number',
      default: 0.1,
      minimum: 0,
      maximum: 1,
      // torch's momentum=None: a cumulative moving average.
      nullable: true,
      doc: 'Weight of the newest batch in the running mean and variance (running ← (1 − momentum)·running + momentum·batch). With `null`, a cumulative average instead.',
    },
    affine,
    track_running_stats: {
      kind: 'boolean',
      default: true,
      doc: "Keep running estimates of the mean and variance for evaluation (otherwise evaluation uses each batch's own).",
    },
  },
  layer_norm: { eps, elementwise_affine: affine },
  // torch allows p = 1 (all zeros); a model that drops everything cannot learn, so the file may not.
  dropout: {
    p: {
      kind: 'number',
      default: 0.5,
      minimum: 0,
      maximum: 1,
      exclusiveMaximum: true,
      rangeHint: 'p is the probability of DROPPING a unit; p = 1 drops everything',
      doc: 'Probability of **dropping** (zeroing) each value in training, in [0, 1); the kept values are scaled by 1 / (1 − p).',
    },
  },
};

/** The default of a key of `kind` as LAYER_FIELDS declares it (buildModel fills left-out keys with these). */
export function layerDefault(kind: LayerKind, key: string): number | boolean | string {
  const field = LAYER_FIELDS[kind][key];
  if (field && 'default' in field && field.default !== undefined && !Array.isArray(field.default)) {
    return field.default as number | boolean | string;
  }
  throw new Error(`internal: no default for '${key}' of a '${kind}' layer`);
}
