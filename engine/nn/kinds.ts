/**
 * The layer kinds of `model`, as in torch.nn.Sequential, with torch's names for kinds (the F.*
 * functional names) and keys (the nn.Module constructor arguments) and its defaults. Each kind is
 * its options, its rules across keys, what it is (an activation, a layer with weights, one that
 * halves the width) and how to build it once the widths are known.
 */
import * as z from 'zod';
import type { Kernels } from '../core/kernels';
import { LIMITS } from '../core/limits';
import { described, family, kind, kindEntries } from '../core/options';
import type { Random } from '../core/random';
import { SpecError } from '../core/errors';
import { initializeLinear, initPair, resolveInit, type InitSpec } from '../init';
import { BatchNorm1d } from './batchNorm';
import { Dropout } from './dropout';
import { GLU } from './glu';
import type { Layer } from './layer';
import { LayerNorm } from './layerNorm';
import { Linear } from './linear';
import { Maxout } from './maxout';
import { PReLU } from './prelu';
import { ExponentialLinear, Hardtanh, LeakyReLU, ReLU, ReLU6 } from './rectifiers';
import { GELU, Hardsigmoid, Hardswish, LogSigmoid, Mish, Sigmoid, SiLU, Softplus, Softsign, Tanh } from './smoothActivations';
import { LogSoftmax, Softmax } from './softmax';

/** What building one layer needs besides its spec. */
export interface LayerContext {
  /** Position in the model: the state_dict prefix ("3" → "3.weight"). */
  index: number;
  /** Width of the layer's input (the previous layer's output). */
  inFeatures: number;
  /** For linear and maxout: the output width, already resolved by the model builder. */
  outFeatures: number;
  maxRows: number;
  kernels: Kernels;
  /** The experiment's init, for linear and maxout layers without their own. */
  init: InitSpec;
  /** Initializes weights (in model order) and seeds random layers (forked per layer index). */
  rng: Random;
  /** Whether the layer must compute ∂loss/∂input (every layer but a model's first). */
  inputGradient: boolean;
}

const outFeatures = (doc: string) =>
  described(z.int().min(1).max(LIMITS.outFeatures).optional().describe(doc), { limitReason: 'wider layers are beyond what this engine is for' });
const bias = z.boolean().default(true).describe('Whether the layer has a bias (`torch.nn.Linear(..., bias=True)`).');
/** A layer's own initialization, which overrides the experiment's key by key. */
const ownInit = initPair(
  "This layer's own initialization (overrides the experiment's `init`, key by key): an initializer name (for the weights) or { \"weight\": ..., \"bias\": ... }.",
).optional();
const eps = z.number().gt(0).default(1e-5).describe('Added to the variance before the square root, for numerical stability.');
const affine = z.boolean().default(true).describe('Learnable per-feature scale (weight) and shift (bias).');

const linearOptions = kind('linear', '`torch.nn.Linear`: y = x·Wᵀ + b.', {
  out_features: outFeatures(
    'Output width of this layer (`torch.nn.Linear(in, out_features)`). Leave it out on the last linear layer: it then outputs one value per class (or target).',
  ),
  bias,
  init: ownInit,
});
/** Its weight has out_features·pieces rows, which count against the limits. */
const maxoutOptions = kind('maxout', 'Maxout (Goodfellow et al., 2013): each of `out_features` units is the maximum of `pieces` affine maps.', {
  out_features: outFeatures('Number of units of this layer. Leave it out on the last layer: it then outputs one value per class (or target).'),
  pieces: described(z.int().min(2).max(64).default(2).describe('Affine maps per unit: each output is the maximum of this many (at least 2).'), {
    limitReason: 'more pieces than this only multiply the work',
  }),
  bias,
  init: ownInit,
});
/** num_parameters must be 1 or the width of the layer's input (known once the model is built). */
const preluOptions = kind('prelu', '`torch.nn.PReLU`: x for x > 0, else a·x with a learnable slope a.', {
  num_parameters: z
    .int()
    .min(1)
    .max(LIMITS.outFeatures)
    .default(1)
    .describe("Number of learnable slopes: 1 (shared by all features) or the width of the layer's input (one per feature)."),
  init: z.number().default(0.25).describe('Initial value of the learnable slope (`torch.nn.PReLU(init=0.25)`).'),
});
const leakyReluOptions = kind('leaky_relu', '`torch.nn.LeakyReLU`: x for x > 0, else negative_slope·x.', {
  negative_slope: z.number().default(0.01).describe('Slope of the negative part.'),
});
const eluOptions = kind('elu', '`torch.nn.ELU`: x for x > 0, else alpha·(eˣ − 1).', {
  alpha: z.number().default(1).describe('Scale of the negative part: the output approaches −alpha as x → −∞.'),
});
const celuOptions = kind('celu', '`torch.nn.CELU`: max(0, x) + min(0, alpha·(e^(x/alpha) − 1)).', {
  alpha: z.number().default(1).describe('The alpha of CELU, which scales the negative part (must not be 0).'),
});
const geluOptions = kind('gelu', '`torch.nn.GELU`: x·Φ(x), Φ the standard normal CDF.', {
  approximate: z.enum(['none', 'tanh']).default('none').describe('How Φ is computed: `none` exactly (with erf), `tanh` by the tanh approximation.'),
});
const softplusOptions = kind('softplus', '`torch.nn.Softplus`: log(1 + e^(beta·x)) / beta.', {
  beta: z.number().gt(0).default(1).describe('The beta of log(1 + e^(beta·x)) / beta.'),
  threshold: z.number().gt(0).default(20).describe('Where beta·x exceeds this, the output is x itself (for numerical stability).'),
});
const hardtanhOptions = kind('hardtanh', '`torch.nn.Hardtanh`: x clipped to [min_val, max_val].', {
  min_val: z.number().default(-1).describe('Lower end of the linear region (less than `max_val`).'),
  max_val: z.number().default(1).describe('Upper end of the linear region.'),
});
const batchNormOptions = kind(
  'batch_norm',
  '`torch.nn.BatchNorm1d`: normalizes each feature over the batch (with running statistics for evaluation).',
  {
    eps,
    // torch's momentum=None: a cumulative moving average.
    momentum: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .default(0.1)
      .describe(
        'Weight of the newest batch in the running mean and variance (running ← (1 − momentum)·running + momentum·batch). With `null`, a cumulative average instead.',
      ),
    affine,
    track_running_stats: z
      .boolean()
      .default(true)
      .describe("Keep running estimates of the mean and variance for evaluation (otherwise evaluation uses each batch's own)."),
  },
);
const layerNormOptions = kind('layer_norm', '`torch.nn.LayerNorm`: normalizes each example over its features.', { eps, elementwise_affine: affine });
// torch allows p = 1 (all zeros); a model that drops everything cannot learn, so the file may not.
const dropoutOptions = kind('dropout', '`torch.nn.Dropout`: in training, zeroes each value with probability `p` and scales the rest by 1 / (1 − p).', {
  p: described(
    z
      .number()
      .min(0)
      .lt(1)
      .default(0.5)
      .describe('Probability of **dropping** (zeroing) each value in training, in [0, 1); the kept values are scaled by 1 / (1 − p).'),
    { rangeHint: 'p is the probability of DROPPING a unit; p = 1 drops everything' },
  ),
});

type Out<S extends z.ZodType> = z.output<S>;
type Build<S> = (spec: S, c: LayerContext) => Layer;

const withOptions = kindEntries<[LayerContext], Layer>();
const ACTIVATION = { activation: true } as const;

/** A weightless activation of `width` features. */
const activation = <const T extends string, const X extends object = object>(type: T, doc: string, build: (c: LayerContext) => Layer, more?: X) =>
  withOptions(kind(type, doc, {}), (_spec, c) => build(c), { ...ACTIVATION, ...more } as typeof ACTIVATION & X);

/** How a squashing activation saturates: tanh at ±1, sigmoid at 0 and 1. */
export type Saturation = 'tanh' | 'sigmoid';

/** A width that depends on the data (a CSV file's), checked when the model is built. */
function widthError(message: string, index: number, key?: string): SpecError {
  return new SpecError(message, key === undefined ? ['model', index] : ['model', index, key]);
}

/** Linear and maxout: weights from the layer's own init, else the experiment's. */
function initialized<L extends Linear | Maxout>(layer: L, spec: { init?: Partial<InitSpec> }, c: LayerContext): L {
  initializeLinear(layer.weight, layer.bias, resolveInit(spec.init ?? {}, c.init), c.rng);
  return layer;
}

const shape = (c: LayerContext) => ({ name: String(c.index), inFeatures: c.inFeatures, outFeatures: c.outFeatures, maxRows: c.maxRows, kernels: c.kernels, inputGradient: c.inputGradient });
const WEIGHTS = { weights: true } as const;
const sigmoidLike = { saturates: 'sigmoid' satisfies Saturation as Saturation } as const;
const tanhLike = { saturates: 'tanh' satisfies Saturation as Saturation } as const;

export const LAYERS = family(
  {
    name: 'layer',
    noun: 'layer',
    label: 'layer type',
    what: kind => (kind === 'linear' ? 'a linear layer' : `a '${kind}' layer`),
    description: 'A layer, as in torch.nn.Sequential.',
  },
  {
    linear: withOptions(linearOptions, (spec, c) => initialized(new Linear({ ...shape(c), bias: spec.bias }), spec, c), WEIGHTS),
    maxout: withOptions(maxoutOptions, (spec, c) => initialized(new Maxout({ ...shape(c), pieces: spec.pieces, bias: spec.bias }), spec, c), WEIGHTS),
    prelu: withOptions(
      preluOptions,
      (spec, c) => {
        if (spec.num_parameters !== 1 && spec.num_parameters !== c.inFeatures) {
          throw widthError(
            `num_parameters must be 1 (one slope for all) or ${c.inFeatures} (one per feature of the layer's input), not ${spec.num_parameters}`,
            c.index,
            'num_parameters',
          );
        }
        return new PReLU({ name: String(c.index), features: c.inFeatures, numParameters: spec.num_parameters, init: spec.init, maxRows: c.maxRows });
      },
      ACTIVATION,
    ),
    // Exactly zero when inactive: a unit zero over a whole batch is dead.
    relu: activation('relu', '`torch.nn.ReLU`: max(0, x).', c => new ReLU(c.inFeatures, c.maxRows), { deadUnits: true }),
    // Zero below 0 like ReLU, so its units can die the same way.
    relu6: activation('relu6', '`torch.nn.ReLU6`: min(max(0, x), 6).', c => new ReLU6(c.inFeatures, c.maxRows), { deadUnits: true }),
    leaky_relu: withOptions(leakyReluOptions, (spec, c) => new LeakyReLU(c.inFeatures, c.maxRows, spec.negative_slope), ACTIVATION, ({ negative_slope: slope }, report) => {
      if (slope !== undefined && slope >= 1) {
        report.warn(['negative_slope'], `negative_slope ${slope} ≥ 1 makes the negative side at least as steep as the positive one; typical values are 0.01 to 0.3`);
      }
    }),
    elu: withOptions(eluOptions, (spec, c) => ExponentialLinear.elu(c.inFeatures, c.maxRows, spec.alpha), ACTIVATION),
    selu: activation('selu', '`torch.nn.SELU`: a scaled ELU with the self-normalizing constants.', c => ExponentialLinear.selu(c.inFeatures, c.maxRows)),
    celu: withOptions(celuOptions, (spec, c) => ExponentialLinear.celu(c.inFeatures, c.maxRows, spec.alpha), ACTIVATION, ({ alpha }, report) => {
      if (alpha === 0) report.error(['alpha'], "celu's alpha must not be 0 (CELU divides by it)");
    }),
    gelu: withOptions(geluOptions, (spec, c) => new GELU(c.inFeatures, c.maxRows, spec.approximate), ACTIVATION),
    silu: activation('silu', '`torch.nn.SiLU`: x·σ(x).', c => new SiLU(c.inFeatures, c.maxRows)),
    // The same layer as silu, under its other name.
    swish: activation('swish', 'Another name for `silu`: x·σ(x).', c => new SiLU(c.inFeatures, c.maxRows)),
    hardswish: activation('hardswish', '`torch.nn.Hardswish`: x·min(max(x + 3, 0), 6) / 6.', c => new Hardswish(c.inFeatures, c.maxRows)),
    softplus: withOptions(softplusOptions, (spec, c) => new Softplus(c.inFeatures, c.maxRows, spec.beta, spec.threshold), ACTIVATION),
    sigmoid: activation('sigmoid', '`torch.nn.Sigmoid`: 1 / (1 + e⁻ˣ).', c => new Sigmoid(c.inFeatures, c.maxRows), sigmoidLike),
    tanh: activation('tanh', '`torch.nn.Tanh`.', c => new Tanh(c.inFeatures, c.maxRows), tanhLike),
    hardsigmoid: activation('hardsigmoid', '`torch.nn.Hardsigmoid`: 0 below −3, 1 above 3, x/6 + ½ between.', c => new Hardsigmoid(c.inFeatures, c.maxRows), sigmoidLike),
    softsign: activation('softsign', '`torch.nn.Softsign`: x / (1 + |x|).', c => new Softsign(c.inFeatures, c.maxRows), tanhLike),
    logsigmoid: activation('logsigmoid', '`torch.nn.LogSigmoid`: log(1 / (1 + e⁻ˣ)), computed stably.', c => new LogSigmoid(c.inFeatures, c.maxRows)),
    mish: activation('mish', '`torch.nn.Mish`: x·tanh(softplus(x)).', c => new Mish(c.inFeatures, c.maxRows)),
    hardtanh: withOptions(hardtanhOptions, (spec, c) => new Hardtanh(c.inFeatures, c.maxRows, spec.min_val, spec.max_val), ACTIVATION, ({ min_val: min, max_val: max }, report) => {
      if (min !== undefined && max !== undefined && !(min < max)) {
        report.error(['max_val', 'min_val'], `hardtanh needs min_val < max_val (torch raises otherwise), but min_val = ${min} and max_val = ${max}`);
      }
    }),
    softmax: activation('softmax', "`torch.nn.Softmax(dim=1)`: each row's features to probabilities that sum to 1.", c => new Softmax(c.inFeatures, c.maxRows)),
    log_softmax: activation('log_softmax', '`torch.nn.LogSoftmax(dim=1)`: the logarithm of softmax, computed stably.', c => new LogSoftmax(c.inFeatures, c.maxRows)),
    // Halves the width: its input must be even.
    glu: activation(
      'glu',
      '`torch.nn.GLU`: splits the features into halves a | b and outputs a·σ(b), half as many (the width must be even).',
      c => {
        if (c.inFeatures % 2 !== 0) throw widthError(`glu halves the features, so the width before it must be even, not ${c.inFeatures}`, c.index);
        return new GLU(c.inFeatures, c.maxRows);
      },
      { halves: true },
    ),
    batch_norm: withOptions(
      batchNormOptions,
      (spec, c) =>
        new BatchNorm1d({
          name: String(c.index),
          features: c.inFeatures,
          eps: spec.eps,
          momentum: spec.momentum,
          affine: spec.affine,
          trackRunningStats: spec.track_running_stats,
          maxRows: c.maxRows,
        }),
    ),
    layer_norm: withOptions(
      layerNormOptions,
      (spec, c) => new LayerNorm({ name: String(c.index), features: c.inFeatures, eps: spec.eps, elementwiseAffine: spec.elementwise_affine, maxRows: c.maxRows }),
    ),
    dropout: withOptions(dropoutOptions, (spec, c) => new Dropout({ features: c.inFeatures, p: spec.p, maxRows: c.maxRows, rng: c.rng.fork(`dropout:${c.index}`) })),
  },
);

export type LayerSpec = z.output<typeof LAYERS.schema>;
export type LayerKind = LayerSpec['type'];
export type LinearLayerSpec = Out<typeof linearOptions>;
export type MaxoutLayerSpec = Out<typeof maxoutOptions>;
export type BatchNormLayerSpec = Out<typeof batchNormOptions>;
export type LayerNormLayerSpec = Out<typeof layerNormOptions>;

/** Layers that apply a nonlinearity value by value (or pairwise: glu, softmax), prelu included. */
export const ACTIVATION_KINDS: readonly LayerKind[] = LAYERS.types.filter(type => 'activation' in LAYERS.kinds[type]);
/** Layers that map their input to `out_features` with weights (the "linear" layers of the rules). */
export const WEIGHT_KINDS: readonly LayerKind[] = LAYERS.types.filter(type => 'weights' in LAYERS.kinds[type]);

/** Whether a layer's inactive units output exactly zero (so a unit zero over a whole batch is dead). */
export function hasDeadUnits(kind: string): boolean {
  const descriptor = LAYERS.kinds[kind as LayerKind];
  return descriptor !== undefined && 'deadUnits' in descriptor;
}

/** How a layer saturates, if it squashes its input into a range. */
export function saturationOf(kind: string): Saturation | undefined {
  const descriptor = LAYERS.kinds[kind as LayerKind];
  return descriptor !== undefined && 'saturates' in descriptor ? descriptor.saturates : undefined;
}

export type ActivationSpec = Extract<LayerSpec, { type: Exclude<(typeof ACTIVATION_KINDS)[number], 'prelu'> }>;

/**
 * Builds the layer `spec` describes. Linear and maxout weights are initialized from `context.rng`
 * with the layer's `init` or the experiment's; batch and layer norm start at γ = 1, β = 0, PReLU at
 * its `init`, as torch. Widths a spec cannot have (found only once the data is known) are reported
 * as SpecErrors at the key to blame.
 */
export function createLayer(spec: LayerSpec, context: LayerContext): Layer {
  const create = LAYERS.kinds[spec.type].create as Build<LayerSpec>;
  return create(spec, context);
}

/** The output width a layer of `spec` has on an input of `width` (linear and maxout: `resolved`). */
export function layerWidth(spec: LayerSpec, width: number, resolved: number): number {
  if (spec.type === 'linear' || spec.type === 'maxout') return resolved;
  return 'halves' in LAYERS.kinds[spec.type] ? width / 2 : width;
}
