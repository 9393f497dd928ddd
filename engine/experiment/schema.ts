/**
 * Builds schemas/experiment.schema.json (JSON Schema draft-07, for VS Code's completion, hovers and
 * first-line checks) from the same table the validator uses (defaults.ts), so the two cannot drift.
 * The schema file is generated: after changing defaults.ts or the descriptions here, run
 * `UPDATE_SCHEMA=1 npx vitest run test/unit/experiment/schema.test.ts` to rewrite it; the test
 * fails while the file is out of date.
 *
 * Not imported by the extension or the engine at run time (nothing here is needed to train).
 */
import {
  DATA_FIELDS,
  DATA_KINDS,
  INITIALIZER_FIELDS,
  INITIALIZER_KINDS,
  LAYER_KINDS,
  LINEAR_FIELDS,
  LOSS_KINDS,
  OPTIMIZER_FIELDS,
  OPTIMIZER_KINDS,
  TRAINING_FIELDS,
  type Field,
  type FieldTable,
} from './defaults';

type Json = Record<string, unknown>;

/** What each key means, shown on hover and in completion (markdown). */
const DOCS: Record<string, string> = {
  // data
  samples: 'Total number of points (training + validation).',
  classes: 'Number of classes.',
  noise: 'Standard deviation of the Gaussian noise added to the points.',
  'data.seed': 'Seed of the data generator and of the train/validation split (separate from `training.seed`, so every variant sees the same data).',
  validation_split: 'Fraction of the examples held out for validation, in [0, 1). `0` = no validation set.',
  path: 'The CSV file, relative to this experiment file. It must stay inside the workspace. The first row is the header.',
  target: 'Header name of the column to predict.',
  task: '`classification`: the target holds class labels (strings or integers). `regression`: the target is a number.',
  standardize: 'Standardize every feature to mean 0 and std 1, with the mean and std of the **training** rows only.',
  // layers
  out_features: 'Output width of this layer (`torch.nn.Linear(in, out_features)`). Leave it out on the last linear layer: it then outputs one value per class (or target).',
  bias: 'Whether the layer has a bias (`torch.nn.Linear(..., bias=True)`).',
  // initializers
  value: 'The constant to fill with (`torch.nn.init.constant_(t, val)`).',
  mean: 'Mean of the normal distribution.',
  std: 'Standard deviation of the normal distribution.',
  'uniform.a': 'Lower bound of the uniform distribution.',
  'uniform.b': 'Upper bound of the uniform distribution.',
  gain: 'Scaling factor (`torch.nn.init.calculate_gain(...)` for a given nonlinearity: relu √2, tanh 5/3).',
  'kaiming.a': 'Negative slope of the rectifier after this layer (only used with `leaky_relu`).',
  mode: '`fan_in` preserves the variance of the activations in the forward pass; `fan_out` of the gradients in the backward pass.',
  nonlinearity: "The nonlinearity after this layer, which sets the gain. PyTorch's default is `leaky_relu` (with `a = 0` that is ReLU's gain √2).",
  // optimizers
  lr: 'Learning rate.',
  'sgd.lr': 'Learning rate. Required: `torch.optim.SGD` has no default.',
  momentum: 'Momentum factor (PyTorch form: v ← μ·v + g; p ← p − lr·v).',
  dampening: 'Dampening for momentum (v ← μ·v + (1 − dampening)·g).',
  weight_decay: 'L2 penalty added to the gradient (g ← g + weight_decay·p).',
  nesterov: 'Nesterov momentum. Requires `momentum > 0` and `dampening = 0`.',
  maximize: 'Maximize the objective instead of minimizing it.',
  betas: 'Coefficients of the running averages of the gradient and of its square, each in [0, 1).',
  eps: 'Term added to the denominator for numerical stability.',
  amsgrad: 'Use the AMSGrad variant (the maximum of the past squared-gradient averages).',
  // training
  epochs: 'Passes over the training set.',
  batch_size: 'Examples per optimizer step (the last batch of an epoch may be smaller).',
  'training.seed': 'Seed of the weight initialization and the shuffling.',
  shuffle: 'Reshuffle the training examples at the start of every epoch.',
};

const KIND_DOCS: Record<string, string> = {
  spiral: 'Points along interleaved spiral arms, one per class (the CS231n classic).',
  moons: 'Two interleaving half circles (`sklearn.datasets.make_moons`).',
  circles: 'A small circle inside a large one (`sklearn.datasets.make_circles`, factor 0.5).',
  xor: 'Points in [-1, 1]², class 1 where x·y > 0.',
  blobs: 'One Gaussian blob per class, centres evenly spaced on a circle.',
  csv: 'A CSV file with a header row: numeric feature columns and a target column.',
  linear: '`torch.nn.Linear`: y = x·Wᵀ + b.',
  relu: '`torch.nn.ReLU`: max(0, x).',
  tanh: '`torch.nn.Tanh`.',
  default: "PyTorch's own `nn.Linear` initialization: weights kaiming_uniform(a = √5), biases U(±1/√fan_in).",
  zeros: 'All zeros.',
  constant: 'A constant `value`.',
  normal: 'N(mean, std²).',
  uniform: 'U(a, b).',
  xavier_uniform: 'Glorot uniform: U(±gain·√(6 / (fan_in + fan_out))). Weights only.',
  xavier_normal: 'Glorot normal: N(0, gain²·2 / (fan_in + fan_out)). Weights only.',
  kaiming_uniform: 'He uniform: U(±gain·√(3 / fan)). Weights only.',
  kaiming_normal: 'He normal: N(0, gain² / fan). Weights only.',
  cross_entropy: '`torch.nn.CrossEntropyLoss` on the raw scores (logits) of the last layer. Classification.',
  mse: '`torch.nn.MSELoss` (mean squared error).',
  sgd: '`torch.optim.SGD`.',
  adam: '`torch.optim.Adam`.',
};

/** { description, markdownDescription } — the latter only when the text has markdown to render. */
function described(text: string): Json {
  return /[`*]/.test(text) ? { description: text.replace(/[`*]/g, ''), markdownDescription: text } : { description: text };
}

function doc(key: string, context?: string): string {
  return (context !== undefined ? DOCS[`${context}.${key}`] : undefined) ?? DOCS[key] ?? key;
}

function fieldSchema(key: string, field: Field, context?: string): Json {
  const base = described(doc(key, context));
  switch (field.kind) {
    case 'number': {
      const s: Json = { type: field.integer ? 'integer' : 'number', ...base };
      if (field.fixed !== undefined) s.const = field.fixed;
      if (field.minimum !== undefined) {
        if (field.exclusiveMinimum) s.exclusiveMinimum = field.minimum;
        else s.minimum = field.minimum;
      }
      if (field.maximum !== undefined) {
        if (field.exclusiveMaximum) s.exclusiveMaximum = field.maximum;
        else s.maximum = field.maximum;
      }
      if (field.default !== undefined) s.default = field.default;
      return s;
    }
    case 'boolean':
      return { type: 'boolean', ...base, default: field.default };
    case 'string':
      return { type: 'string', minLength: 1, ...base };
    case 'enum':
      return { type: 'string', ...base, enum: [...field.values], default: field.default };
    case 'pair':
      return {
        type: 'array',
        ...base,
        items: { type: 'number', minimum: field.minimum, exclusiveMaximum: field.maximum },
        minItems: 2,
        maxItems: 2,
        default: [...field.default],
      };
  }
}

/** One closed object per kind: { "type": "<kind>", ...its keys }. */
function kindObject(kind: string, table: FieldTable, context: string | undefined, extra: Json = {}, partial = false): Json {
  const properties: Json = {
    type: { const: kind, ...described(KIND_DOCS[kind] ?? kind) },
  };
  for (const [key, field] of Object.entries(table)) properties[key] = fieldSchema(key, field, context);
  Object.assign(properties, extra);
  const required = partial ? [] : ['type', ...Object.entries(table).filter(([, f]) => 'required' in f && f.required).map(([k]) => k)];
  const s: Json = {
    type: 'object',
    ...described(KIND_DOCS[kind] ?? kind),
    properties,
    additionalProperties: false,
  };
  if (required.length > 0) s.required = required;
  return s;
}

function shorthand(kinds: readonly string[], what: string): Json {
  return {
    type: 'string',
    enum: [...kinds],
    description: `${what} by name, with default settings.`,
    markdownEnumDescriptions: kinds.map(k => KIND_DOCS[k] ?? k),
  };
}

/** A typed slot: a shorthand string, or one closed object per kind (all keys optional in a variant). */
function typed(
  kinds: readonly string[],
  tables: Readonly<Record<string, FieldTable>>,
  what: string,
  partial: boolean,
  context?: (kind: string) => string | undefined,
  extra?: (kind: string) => Json,
): Json {
  const objects = kinds.map(k => kindObject(k, tables[k], context?.(k), extra?.(k) ?? {}, partial));
  return {
    description: what,
    // In a variant, an object without "type" may match several kinds; that is fine (anyOf).
    [partial ? 'anyOf' : 'oneOf']: [shorthand(kinds, what), ...objects],
  };
}

const INIT_CONTEXT = (kind: string): string | undefined =>
  kind === 'uniform' ? 'uniform' : kind.startsWith('kaiming') ? 'kaiming' : undefined;

function sections(partial: boolean): Json {
  const initializer = (role: 'weight' | 'bias'): Json => ({
    description: `How to initialize the ${role}s.`,
    $ref: partial ? '#/definitions/initializerOverride' : '#/definitions/initializer',
  });
  const init: Json = {
    description: 'Initialization of the linear layers: an initializer name (for the weights) or { "weight": ..., "bias": ... }.',
    markdownDescription:
      'Initialization of the linear layers (a layer\'s own `init` overrides it). An initializer name sets the **weights**; `{ "weight": ..., "bias": ... }` sets either or both. Default: PyTorch\'s own.',
    anyOf: [
      shorthand(INITIALIZER_KINDS, 'The weight initializer'),
      {
        type: 'object',
        properties: { weight: initializer('weight'), bias: initializer('bias') },
        additionalProperties: false,
      },
    ],
  };
  const layerTables: Record<string, FieldTable> = { linear: LINEAR_FIELDS };
  for (const k of LAYER_KINDS) if (k !== 'linear') layerTables[k] = {};
  // A layer's parts are never partial: a variant's model replaces the whole list.
  const layer = typed(LAYER_KINDS, layerTables, 'A layer, as in torch.nn.Sequential.', false, undefined, kind =>
    kind === 'linear' ? { init: { $ref: '#/definitions/init' } } : {},
  );
  return {
    description: { type: 'string', description: 'What this experiment (or variant) is about.' },
    data: typed(DATA_KINDS, DATA_FIELDS, 'The data set: a synthetic 2-D set or a CSV file.', partial, k => (k === 'csv' ? undefined : 'data')),
    model: {
      type: 'array',
      description: 'The layers in order (torch.nn.Sequential). The first layer\'s input width is the number of features; the last linear layer may leave out out_features.',
      markdownDescription:
        'The layers in order, like `torch.nn.Sequential`. The last linear layer may leave out `out_features`: it then outputs one value per class.',
      items: layer,
      minItems: 1,
    },
    init,
    loss: typed(LOSS_KINDS, { cross_entropy: {}, mse: {} }, 'The loss. Default: cross_entropy for classification, mse for regression.', partial),
    optimizer: typed(OPTIMIZER_KINDS, OPTIMIZER_FIELDS, 'The optimizer (torch.optim names and defaults).', partial, k => k),
    training: {
      type: 'object',
      description: 'The training loop.',
      properties: Object.fromEntries(Object.entries(TRAINING_FIELDS).map(([k, f]) => [k, fieldSchema(k, f, 'training')])),
      additionalProperties: false,
    },
  };
}

export function buildExperimentSchema(): Json {
  const base = sections(false);
  // The experiment's `init` and a layer's `init` share one definition.
  const definitions: Json = {
    init: base.init,
    initializer: typed(INITIALIZER_KINDS, INITIALIZER_FIELDS, 'An initializer (torch.nn.init).', false, INIT_CONTEXT),
    initializerOverride: typed(INITIALIZER_KINDS, INITIALIZER_FIELDS, 'An initializer (torch.nn.init).', true, INIT_CONTEXT),
  };
  base.init = { $ref: '#/definitions/init' };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://trainscope.invalid/schemas/experiment.schema.json',
    title: 'Trainscope experiment',
    description: 'A neural-network training experiment (*.experiment.json): data, model, initialization, loss, optimizer, training, and variants to compare.',
    type: 'object',
    definitions,
    properties: {
      $schema: { type: 'string' },
      name: { type: 'string', description: 'Display name (default: the file name).' },
      ...base,
      variants: {
        type: 'object',
        description: 'Named variants of this experiment: each overrides parts of it. Objects merge key by key; lists and values replace; a different "type" replaces the whole object.',
        markdownDescription:
          'Named variants of this experiment, each run and compared separately. A variant overrides parts of the experiment: objects merge key by key, lists and values replace, and an object with a different `type` replaces the base\'s wholesale (switching `sgd` → `adam` inherits nothing).',
        propertyNames: { minLength: 1 },
        additionalProperties: {
          type: 'object',
          properties: sections(true),
          additionalProperties: false,
        },
      },
    },
    required: ['data', 'model', 'optimizer'],
    additionalProperties: false,
  };
}
