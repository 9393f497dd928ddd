import type { InitSpec } from '../init/spec';

/**
 * What an experiment's `model` list resolves to: layers as in torch.nn.Sequential, with torch's
 * names for kinds (F.* functional names) and keys (the nn.Module constructor arguments).
 *
 * Keys of the non-linear kinds are optional in these types: a key left out means torch's default,
 * which engine/nn/fields.ts (LAYER_FIELDS) declares and both the validator and `buildModel`
 * apply — so a hand-written spec such as `{ type: 'batch_norm' }` builds BatchNorm1d() exactly.
 */

// ---- layers with weights -----------------------------------------------------------------------

export interface LinearLayerSpec {
  type: 'linear';
  /** Output width; omitted on the last linear (or maxout) layer = the number of classes / targets. */
  out_features?: number;
  bias: boolean;
  /** Overrides the experiment's `init` for this layer. */
  init?: InitSpec;
}

/**
 * Maxout [Goodfellow et al., 2013]: y_o = max_j (W x + b)_{o·pieces + j}, j < pieces. torch has no
 * Maxout module; this one is torch.nn.Linear(in, out·pieces) followed by
 * `.view(N, out, pieces).max(-1)`, so its parameters are those of that Linear: "<i>.weight"
 * [out·pieces, in] and "<i>.bias" [out·pieces], the pieces of output o being rows o·pieces ..
 * o·pieces + pieces − 1 (contiguous). The gradient reaches only the piece that won.
 */
export interface MaxoutLayerSpec {
  type: 'maxout';
  /** Output width (units); omitted on the last linear or maxout layer = the number of outputs. */
  out_features?: number;
  /** Linear pieces per unit (k ≥ 2; default 2, as in the paper's max of two affine maps). */
  pieces?: number;
  bias?: boolean;
  /** Overrides the experiment's `init` for this layer's linear map. */
  init?: InitSpec;
}

/** torch.nn.PReLU: x > 0 ? x : a·x with a learnable, "<i>.weight" [num_parameters]. */
export interface PreluLayerSpec {
  type: 'prelu';
  /** 1 (one slope shared by all features) or the layer's width (one per feature). */
  num_parameters?: number;
  /** Initial slope (torch's `init`, default 0.25). */
  init?: number;
}

// ---- activations without weights ---------------------------------------------------------------

/** Activations that take no arguments. "swish" is an alias of "silu" (the same layer, torch's SiLU). */
export type PlainActivationKind =
  | 'relu'
  | 'selu'
  | 'silu'
  | 'swish'
  | 'hardswish'
  | 'sigmoid'
  | 'tanh'
  | 'mish'
  | 'softmax'
  | 'log_softmax'
  | 'glu';

/**
 * softmax / log_softmax work over the features of each row (torch dim=1). glu (torch.nn.GLU,
 * dim=-1) splits the features in halves a | b and outputs a·σ(b): half as many features.
 */
export interface ActivationLayerSpec {
  type: PlainActivationKind;
}

export interface LeakyReluLayerSpec {
  type: 'leaky_relu';
  negative_slope?: number;
}

export interface EluLayerSpec {
  type: 'elu';
  alpha?: number;
}

export interface CeluLayerSpec {
  type: 'celu';
  /** Must not be 0 (CELU divides by it). */
  alpha?: number;
}

export interface GeluLayerSpec {
  type: 'gelu';
  /** 'none': x·Φ(x) with the exact normal CDF (erf); 'tanh': the tanh approximation. */
  approximate?: 'none' | 'tanh';
}

export interface SoftplusLayerSpec {
  type: 'softplus';
  beta?: number;
  /** Above beta·x > threshold the layer is linear (x), as torch. */
  threshold?: number;
}

export interface HardtanhLayerSpec {
  type: 'hardtanh';
  min_val?: number;
  max_val?: number;
}

export type ActivationSpec =
  | ActivationLayerSpec
  | LeakyReluLayerSpec
  | EluLayerSpec
  | CeluLayerSpec
  | GeluLayerSpec
  | SoftplusLayerSpec
  | HardtanhLayerSpec;
export type ActivationKind = ActivationSpec['type'];
export const ACTIVATION_KINDS: readonly ActivationKind[] = [
  'relu',
  'leaky_relu',
  'elu',
  'selu',
  'celu',
  'gelu',
  'silu',
  'swish',
  'hardswish',
  'softplus',
  'sigmoid',
  'tanh',
  'mish',
  'hardtanh',
  'softmax',
  'log_softmax',
  'glu',
];

// ---- normalization and regularization ----------------------------------------------------------

/**
 * torch.nn.BatchNorm1d over the features (num_features = the previous width). Parameters
 * "<i>.weight", "<i>.bias" (when affine); buffers "<i>.running_mean", "<i>.running_var",
 * "<i>.num_batches_tracked" (when track_running_stats).
 */
export interface BatchNormLayerSpec {
  type: 'batch_norm';
  eps?: number;
  /** Weight of the newest batch in the running statistics; null = cumulative moving average. */
  momentum?: number | null;
  affine?: boolean;
  track_running_stats?: boolean;
}

/** torch.nn.LayerNorm(normalized_shape = the previous width): "<i>.weight", "<i>.bias" when affine. */
export interface LayerNormLayerSpec {
  type: 'layer_norm';
  eps?: number;
  elementwise_affine?: boolean;
}

/** torch.nn.Dropout: in training, zeroes each value with probability p and scales the rest by 1/(1−p). */
export interface DropoutLayerSpec {
  type: 'dropout';
  p?: number;
}

export type LayerSpec =
  | LinearLayerSpec
  | MaxoutLayerSpec
  | PreluLayerSpec
  | ActivationSpec
  | BatchNormLayerSpec
  | LayerNormLayerSpec
  | DropoutLayerSpec;
export type LayerKind = LayerSpec['type'];
