/**
 * The initializers of `init` (torch.nn.init, with its defaults), and the weight/bias pair an
 * experiment or a layer sets. Each kind is its options, its rules across keys, how to create it,
 * and whether it needs a 2-D weight.
 */
import * as z from 'zod';
import { about, family, kind, kindEntries, type Rules } from '../core/options';
import { NONLINEARITIES, type Nonlinearity } from './gain';
import { Constant, type Initializer, Orthogonal, RandomNormal, RandomUniform, Sparse, TruncatedNormal, Zeros } from './initializer';
import { KaimingNormal, KaimingUniform, LecunNormal, LecunUniform, TorchLinearDefault, XavierNormal, XavierUniform } from './varianceScaling';

export const FAN_MODES = ['fan_in', 'fan_out'] as const;

const gain = z.number().gt(0).default(1).describe('Scaling factor (`torch.nn.init.calculate_gain(...)` for a given nonlinearity: relu √2, tanh 5/3).');

const kaiming = {
  a: z.number().min(0).default(0).describe('Negative slope of the rectifier after this layer (only used with `leaky_relu`).'),
  mode: z
    .enum(FAN_MODES)
    .default('fan_in')
    .describe('Which variance to preserve: `fan_in` that of the activations in the forward pass, `fan_out` that of the gradients in the backward pass.'),
  // torch.nn.init.kaiming_*'s default is leaky_relu (with a = 0 that is the ReLU gain √2).
  nonlinearity: z
    .enum(NONLINEARITIES)
    .default('leaky_relu')
    .describe("The nonlinearity after this layer, which sets the gain. PyTorch's default is `leaky_relu` (with `a = 0` that is ReLU's gain √2)."),
};

const kaimingRules: Rules<{ a: number; nonlinearity: Nonlinearity }> = ({ a, nonlinearity }, report) => {
  // A nonlinearity written wrongly may be leaky_relu: then whether 'a' is used is unknown.
  if (a !== undefined && a !== 0 && nonlinearity !== undefined && nonlinearity !== 'leaky_relu') {
    report.warn(['a'], `'a' (the negative slope) is only used with nonlinearity 'leaky_relu'; here it has no effect`);
  }
};

const normal = {
  mean: z.number().default(0).describe('Mean of the normal distribution.'),
  std: z.number().min(0).default(1).describe('Standard deviation of the normal distribution.'),
};

const kaimingUniform = kind('kaiming_uniform', 'He uniform: U(±gain·√(3 / fan)). Weights only.', kaiming);
const kaimingNormal = kind('kaiming_normal', 'He normal: N(0, gain² / fan). Weights only.', kaiming);
const xavierUniform = kind('xavier_uniform', 'Glorot uniform: U(±gain·√(6 / (fan_in + fan_out))). Weights only.', { gain });
const xavierNormal = kind('xavier_normal', 'Glorot normal: N(0, gain²·2 / (fan_in + fan_out)). Weights only.', { gain });
const orthogonal = kind('orthogonal', '`torch.nn.init.orthogonal_`: a (semi-)orthogonal matrix times `gain`. Weights only.', { gain });
// torch's sparse_(tensor, sparsity, std=0.01): sparsity has no default.
const sparse = kind('sparse', '`torch.nn.init.sparse_`: N(0, std²) with a fraction `sparsity` of each column set to zero. Weights only.', {
  sparsity: z.number().min(0).max(1).describe('Fraction of each column set to zero, in [0, 1].'),
  std: z.number().min(0).default(0.01).describe('Standard deviation of the non-zero values.'),
});
// torch's trunc_normal_(tensor, mean=0., std=1., a=-2., b=2.): a and b are absolute bounds.
const truncNormal = kind('trunc_normal', '`torch.nn.init.trunc_normal_`: N(mean, std²) redrawn outside [a, b].', {
  mean: z.number().default(0).describe('Mean of the normal distribution.'),
  std: z.number().gt(0).default(1).describe('Standard deviation of the normal distribution.'),
  a: z.number().default(-2).describe('Lower cut-off (an absolute value, not in standard deviations).'),
  b: z.number().default(2).describe('Upper cut-off (an absolute value, not in standard deviations).'),
});
const uniform = kind('uniform', 'U(a, b).', {
  a: z.number().default(0).describe('Lower bound of the uniform distribution.'),
  b: z.number().default(1).describe('Upper bound of the uniform distribution.'),
});
const constant = kind('constant', 'A constant `value`.', {
  value: z
    .number()
    .describe('The constant to fill with (`torch.nn.init.constant_(t, val)`).')
    .register(about, { missingHint: '(the constant to fill with, e.g. "value": 0.01)' }),
});

const withOptions = kindEntries<[], Initializer>();
/** Needs a 2-D weight: cannot fill a 1-D bias. */
const TWO_D = { twoD: true } as const;

export const INITIALIZERS = family(
  { name: 'initializer', noun: 'initializer', label: 'initializer', what: kind => `initializer '${kind}'`, description: 'An initializer (torch.nn.init).' },
  {
    default: withOptions(
      kind('default', "PyTorch's own `nn.Linear` initialization: weights kaiming_uniform(a = √5), biases U(±1/√fan_in).", {}),
      () => new TorchLinearDefault(),
    ),
    zeros: withOptions(kind('zeros', 'All zeros.', {}), () => new Zeros()),
    constant: withOptions(constant, spec => new Constant(spec.value)),
    normal: withOptions(kind('normal', 'N(mean, std²).', normal), spec => new RandomNormal(spec.mean, spec.std)),
    uniform: withOptions(uniform, spec => new RandomUniform(spec.a, spec.b), {}, ({ a, b }, report) => {
      if (a !== undefined && b !== undefined && a > b) report.error(['b', 'a'], `uniform needs a ≤ b, but a = ${a} and b = ${b}`);
    }),
    xavier_uniform: withOptions(xavierUniform, spec => new XavierUniform(spec.gain), TWO_D),
    xavier_normal: withOptions(xavierNormal, spec => new XavierNormal(spec.gain), TWO_D),
    kaiming_uniform: withOptions(kaimingUniform, spec => new KaimingUniform(spec.a, spec.mode, spec.nonlinearity), TWO_D, kaimingRules),
    kaiming_normal: withOptions(kaimingNormal, spec => new KaimingNormal(spec.a, spec.mode, spec.nonlinearity), TWO_D, kaimingRules),
    // Not in torch: variance 1/fan_in, no options (lecun_normal is untruncated; see varianceScaling.ts).
    lecun_uniform: withOptions(
      kind('lecun_uniform', 'LeCun uniform: U(±√(3 / fan_in)), variance 1/fan_in. Weights only.', {}),
      () => new LecunUniform(),
      TWO_D,
    ),
    lecun_normal: withOptions(kind('lecun_normal', 'LeCun normal: N(0, 1/fan_in). Weights only.', {}), () => new LecunNormal(), TWO_D),
    orthogonal: withOptions(orthogonal, spec => new Orthogonal(spec.gain), TWO_D),
    sparse: withOptions(sparse, spec => new Sparse(spec.sparsity, spec.std), TWO_D),
    trunc_normal: withOptions(truncNormal, spec => new TruncatedNormal(spec.mean, spec.std, spec.a, spec.b), {}, ({ a, b, mean, std }, report) => {
      if (a !== undefined && b !== undefined && !(a < b)) {
        report.error(['b', 'a'], `trunc_normal needs a < b (the cut-offs), but a = ${a} and b = ${b}`);
        return;
      }
      // torch warns "mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The distribution of values may be incorrect."
      if (a !== undefined && b !== undefined && mean !== undefined && std !== undefined && (mean < a - 2 * std || mean > b + 2 * std)) {
        report.warn(
          ['mean'],
          `mean ${mean} is more than 2 std from [a, b] = [${a}, ${b}] (torch warns: the distribution of values may be incorrect); a and b are absolute bounds, not multiples of std`,
        );
      }
    }),
  },
);

export type InitializerSpec = z.output<typeof INITIALIZERS.schema>;
export type InitializerKind = InitializerSpec['type'];

/** Initializers that need a 2-D weight: they cannot fill a 1-D bias. */
export const TWO_D_INITIALIZERS: readonly InitializerKind[] = INITIALIZERS.types.filter(type => 'twoD' in INITIALIZERS.kinds[type]);

/** The initializer a resolved spec names. */
export function createInitializer(spec: InitializerSpec): Initializer {
  const create = INITIALIZERS.kinds[spec.type].create as (spec: InitializerSpec) => Initializer;
  return create(spec);
}

/** The weights' and the biases' initializers of the linear layers (a layer's own `init` overrides key by key). */
export interface InitSpec {
  weight: InitializerSpec;
  bias: InitializerSpec;
}

/** Why a 2-D initializer cannot fill a bias, with torch's error. */
const BIAS_REFUSALS: Readonly<Record<string, string>> = {
  fan: 'it needs the fan-in and fan-out of a 2-D weight (torch raises "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions")',
  orthogonal: 'it needs a 2-D weight, and a bias is 1-D (torch raises "Only tensors with 2 or more dimensions are supported")',
  sparse: 'it needs a 2-D weight, and a bias is 1-D (torch raises "Only tensors with 2 dimensions are supported")',
};

const biasRules: Rules<{ bias: { type: string } }> = ({ bias }, report) => {
  const kind = bias?.type as InitializerKind | undefined;
  if (kind === undefined || !TWO_D_INITIALIZERS.includes(kind)) return;
  const usable = INITIALIZERS.types.filter(type => !TWO_D_INITIALIZERS.includes(type));
  report.error(
    ['bias.type', 'bias'],
    `'${kind}' cannot initialize a bias: ${BIAS_REFUSALS[kind] ?? BIAS_REFUSALS.fan}; use ${usable.slice(0, -1).join(', ')} or ${usable[usable.length - 1]}`,
  );
};

/** `init` as written: either part may be left out (it is inherited, else PyTorch's default). */
export const initPair = (description: string) =>
  z
    .strictObject({
      weight: INITIALIZERS.option('How to initialize the weights.').optional(),
      bias: INITIALIZERS.option('How to initialize the biases.').optional(),
    })
    .describe(description)
    .register(about, { initPair: true, rules: biasRules });

/** `init` when the file does not say: PyTorch's own nn.Linear initialization for both. */
export const DEFAULT_INITIALIZER: InitializerSpec = { type: 'default' };

/** What a (layer's or the experiment's) init leaves out: from `inherited`, else the default. */
export function resolveInit(partial: Partial<InitSpec>, inherited?: InitSpec): InitSpec {
  return {
    weight: partial.weight ?? inherited?.weight ?? DEFAULT_INITIALIZER,
    bias: partial.bias ?? inherited?.bias ?? DEFAULT_INITIALIZER,
  };
}
