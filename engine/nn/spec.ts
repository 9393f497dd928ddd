import type { InitSpec } from '../init/spec';

/** What an experiment's `model` list resolves to: layers as in torch.nn.Sequential. */

// ---- layers ------------------------------------------------------------------------------------

export interface LinearLayerSpec {
  type: 'linear';
  /** Output width; omitted on the last linear layer = the number of classes / targets. */
  out_features?: number;
  bias: boolean;
  /** Overrides the experiment's `init` for this layer. */
  init?: InitSpec;
}

export type ActivationKind = 'relu' | 'tanh';
export const ACTIVATION_KINDS: readonly ActivationKind[] = ['relu', 'tanh'];

export interface ActivationLayerSpec {
  type: ActivationKind;
}

export type LayerSpec = LinearLayerSpec | ActivationLayerSpec;
