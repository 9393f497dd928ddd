import { ACTIVATION_KINDS, hasDeadUnits, saturationOf as layerSaturation } from '../nn/kinds';
import type { LayerRole } from './record';
import type { SaturationKind } from './stats';

/**
 * Layer types that apply a nonlinearity to their input, value by value (or pairwise, glu/softmax):
 * the model's activation kinds, and prelu (an activation with a learnable slope).
 */
const ACTIVATIONS: ReadonlySet<string> = new Set<string>(ACTIVATION_KINDS);

/** Whether a layer type is an activation (its output is a post-activation). */
export function isActivationKind(kind: string): boolean {
  return ACTIVATIONS.has(kind);
}

/**
 * Each layer's role (see LayerRole). Maxout computes its own pre-activation inside, so its output
 * is an 'activation' while the layer before it stays 'other'.
 */
export function layerRoles(kinds: readonly string[]): LayerRole[] {
  return kinds.map((kind, i): LayerRole => {
    if (i === kinds.length - 1) return 'output';
    if (ACTIVATIONS.has(kind) || kind === 'maxout') return 'activation';
    if (ACTIVATIONS.has(kinds[i + 1])) return 'pre-activation';
    return 'other';
  });
}

/** Layers whose inactive units output exactly zero: a unit zero over the whole batch is dead. */
export function countsDeadUnits(kind: string): boolean {
  return hasDeadUnits(kind);
}

export function saturationOf(kind: string): SaturationKind | undefined {
  return layerSaturation(kind);
}
