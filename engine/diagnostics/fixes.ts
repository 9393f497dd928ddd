/**
 * The quick fixes the rules offer, as edits on the experiment. Each is the course notes' remedy
 * made concrete for this experiment; a rule offers one only where it is sound (e.g. no "use Kaiming"
 * when the experiment already does).
 */
import type { JsonPath } from '../core/errors';
import { isActivationKind } from '../probes/roles';
import type { ContextLayer, RunContext } from './context';
import type { ExperimentEdit, QuickFix } from './finding';

/** x with 6 significant digits, so 0.1 / 3 is written 0.0333333, not 0.03333333333333333. */
export function roundSignificant(x: number): number {
  return Number(x.toPrecision(6));
}

/** A number for a message: 3 significant digits, exponent form when very small or large. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const magnitude = Math.abs(x);
  if (magnitude >= 1e-3 && magnitude < 1e5) return String(Number(x.toPrecision(3)));
  return x.toExponential(1).replace('e+', 'e');
}

export function percent(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(3))} %`;
}

/** Multiply the learning rate by `factor` (a power of ten), e.g. 0.1 to divide by 10. */
export function scaleLearningRate(context: RunContext, factor: number): QuickFix {
  const { lr, lrPath } = context.optimizer;
  const value = roundSignificant(lr * factor);
  const by = factor >= 1 ? roundSignificant(factor) : roundSignificant(1 / factor);
  const verb = factor >= 1 ? 'Multiply' : 'Divide';
  return {
    title: `${verb} the learning rate by ${by} (${formatNumber(lr)} → ${formatNumber(value)})`,
    edits: [{ kind: 'set', path: [...lrPath], value }],
  };
}

const RELU_LIKE = new Set(['relu', 'leaky_relu', 'prelu', 'elu', 'celu', 'gelu', 'silu', 'swish', 'hardswish', 'mish', 'softplus']);

/** The activation type the hidden layers use most (first seen wins a tie); undefined without any. */
export function dominantActivation(layers: readonly ContextLayer[]): string | undefined {
  const counts = new Map<string, number>();
  layers.forEach((layer, i) => {
    if (i < layers.length - 1 && isActivationKind(layer.kind)) counts.set(layer.kind, (counts.get(layer.kind) ?? 0) + 1);
  });
  let best: string | undefined;
  let bestCount = 0;
  for (const [kind, count] of counts) {
    if (count > bestCount) {
      best = kind;
      bestCount = count;
    }
  }
  return best;
}

/**
 * The initializer the course notes prescribe for the model's nonlinearity: Kaiming (Var(w) = 2/n)
 * for ReLU-like units, Xavier with torch's gain for tanh (5/3) and sigmoid (1), LeCun
 * (kaiming with 'linear') for SELU. Undefined when the experiment already uses that type.
 */
export function initializationFix(context: RunContext): QuickFix | undefined {
  const prescribed = prescribedInit(context);
  if (prescribed.value.type === context.initWeight) return undefined;
  return { title: prescribed.title, edits: [{ kind: 'set', path: ['init', 'weight'], value: prescribed.value }] };
}

/** The nearest layer with weights (linear, maxout) before `index`: the one that scales its input. */
export function weightLayerBefore(context: RunContext, index: number): ContextLayer | undefined {
  for (let i = Math.min(index, context.layers.length) - 1; i >= 0; i--) {
    const layer = context.layers[i];
    if (layer.kind === 'linear' || layer.kind === 'maxout') return layer;
  }
  return undefined;
}

/**
 * Where the weights of `layer` get their initialization — its own `init` when it has one, else the
 * experiment's — and the fix there: the prescribed initializer (none when that is already used, or
 * when the layer's own init also sets its biases, which a fix must not drop).
 */
export function weightInitOf(context: RunContext, layer: ContextLayer | undefined): { path: JsonPath; fix?: QuickFix } {
  const own = layer?.ownInit?.weight;
  if (layer === undefined || own === undefined) {
    const fix = initializationFix(context);
    return fix ? { path: ['init', 'weight'], fix } : { path: ['init', 'weight'] };
  }
  const path: JsonPath = ['model', layer.index, 'init'];
  const prescribed = prescribedInit(context);
  if (prescribed.value.type === own || layer.ownInit?.bias !== undefined) return { path };
  return { path, fix: { title: `${prescribed.title.replace(/ for the .* layers$/, '')} in this layer`, edits: [{ kind: 'set', path, value: { weight: prescribed.value } }] } };
}

/** The initializer the course prescribes for the model's nonlinearity, and a fix's title for it. */
function prescribedInit(context: RunContext): { value: { type: string } & Record<string, unknown>; title: string } {
  const activation = dominantActivation(context.layers);
  let value: { type: string } & Record<string, unknown>;
  let title: string;
  if (activation === 'tanh' || activation === 'sigmoid' || activation === undefined) {
    const gain = activation === 'tanh' ? 5 / 3 : 1;
    value = { type: 'xavier_normal', gain: roundSignificant(gain) };
    title = `Use Xavier initialization${activation ? ` for the ${activation} layers` : ''}`;
  } else if (activation === 'selu') {
    value = { type: 'kaiming_normal', nonlinearity: 'linear' };
    title = 'Use LeCun initialization (kaiming_normal, linear) for the SELU layers';
  } else {
    value = { type: 'kaiming_normal', nonlinearity: RELU_LIKE.has(activation) ? 'relu' : 'linear' };
    title = `Use Kaiming initialization for the ${activation} layers`;
  }
  return { value, title };
}

/**
 * Batch normalization after every linear layer that feeds an activation ("usually inserted after
 * fully connected layers, and before nonlinearity", course notes). Edits run from the last layer
 * back, so each index is still right when its edit is applied.
 */
export function batchNormBeforeActivations(context: RunContext): QuickFix | undefined {
  const { layers } = context;
  const edits: ExperimentEdit[] = [];
  for (let i = layers.length - 2; i >= 0; i--) {
    if (layers[i].kind === 'linear' && isActivationKind(layers[i + 1].kind)) {
      edits.push({ kind: 'insert', path: ['model', i + 1], value: { type: 'batch_norm' } });
    }
  }
  if (edits.length === 0) return undefined;
  return { title: 'Add batch normalization after each hidden linear layer', edits };
}

/** Batch normalization just before the activation at `index`, unless one is already there. */
export function batchNormBefore(context: RunContext, index: number): QuickFix | undefined {
  if (index > 0 && context.layers[index - 1].kind === 'batch_norm') return undefined;
  return {
    title: 'Add batch normalization before this activation',
    edits: [{ kind: 'insert', path: ['model', index], value: { type: 'batch_norm' } }],
  };
}

/** torch.nn.utils.clip_grad_norm_ at 1 ("exploding gradients ... can be mitigated using gradient clipping"). */
export function gradientClipping(context: RunContext): QuickFix | undefined {
  if (context.clipping) return undefined;
  return {
    title: 'Clip the gradient norm at 1',
    edits: [{ kind: 'set', path: ['training', 'clip_grad_norm'], value: { max_norm: 1 } }],
  };
}

/** Stronger L2: the optimizer's weight decay ×10 (1e-4 when it is 0), or training.regularization. */
export function moreRegularization(context: RunContext): QuickFix {
  const { weightDecay, weightDecayPath } = context.optimizer;
  if (weightDecay !== undefined && weightDecayPath !== undefined) {
    const value = weightDecay > 0 ? roundSignificant(weightDecay * 10) : 1e-4;
    return {
      title: `Increase weight decay to ${formatNumber(value)}`,
      edits: [{ kind: 'set', path: [...weightDecayPath], value }],
    };
  }
  return {
    title: 'Add an L2 penalty of 1e-4',
    edits: [{ kind: 'set', path: ['training', 'regularization'], value: { l2: 1e-4 } }],
  };
}

/** Twice the width of every hidden linear layer, or a hidden layer of 64 ReLUs for a linear model. */
export function moreCapacity(context: RunContext): QuickFix {
  const edits: ExperimentEdit[] = [];
  // The last linear (or maxout) layer's width is the number of outputs: it is not capacity.
  let last = -1;
  for (const layer of context.layers) if (layer.kind === 'linear' || layer.kind === 'maxout') last = layer.index;
  for (const layer of context.layers) {
    if (layer.kind === 'linear' && layer.outFeatures !== undefined && layer.index !== last) {
      edits.push({ kind: 'set', path: ['model', layer.index, 'out_features'], value: layer.outFeatures * 2 });
    }
  }
  if (edits.length > 0) return { title: 'Double the width of the hidden layers', edits };
  return {
    title: 'Add a hidden layer of 64 ReLU units',
    edits: [
      { kind: 'insert', path: ['model', 0], value: { type: 'linear', out_features: 64 } },
      { kind: 'insert', path: ['model', 1], value: { type: 'relu' } },
    ],
  };
}

/** Leaky ReLU in place of the ReLU at `index`: its negative slope keeps gradients flowing. */
export function leakyRelu(index: number): QuickFix {
  return {
    title: 'Use leaky ReLU in this layer',
    edits: [{ kind: 'set', path: ['model', index], value: { type: 'leaky_relu' } }],
  };
}

/** Biases of 0.1 (course notes: "in ReLU, initialize bias to 0.1 instead of 0 ... to allow participation at initialization"). */
export function positiveBias(): QuickFix {
  return {
    title: 'Initialize biases to 0.1 so that ReLU units start active',
    edits: [{ kind: 'set', path: ['init', 'bias'], value: { type: 'constant', value: 0.1 } }],
  };
}
