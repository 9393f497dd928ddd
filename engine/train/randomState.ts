import { Random } from '../core/random';
import type { Sequential } from '../nn/sequential';

/**
 * Saving and restoring where a run's random streams are, so a resumed run draws the same shuffles
 * and dropout masks as one that never stopped.
 *
 * `Random` keeps its xoshiro128** words and its cached normal private and has no accessor for them,
 * and a dropout layer keeps its own `Random` private too; until they get one (proposed to the lead:
 * `Random.state()` / `Random.setState()`, and a layer accessor), these helpers read the fields by
 * name, in this one place. A test pins the field layout, so a change in Random fails loudly here.
 */

/** A generator's position: the four state words and the cached second normal (NaN = none). */
export type RandomState = [number, number, number, number, number];

interface RandomFields {
  s0: number;
  s1: number;
  s2: number;
  s3: number;
  spareNormal: number;
}

function fields(random: Random): RandomFields {
  const f = random as unknown as RandomFields;
  if (typeof f.s0 !== 'number' || typeof f.s3 !== 'number' || typeof f.spareNormal !== 'number') {
    throw new Error('Random no longer has the fields randomState() reads; update engine/train/randomState.ts');
  }
  return f;
}

export function randomState(random: Random): RandomState {
  const f = fields(random);
  return [f.s0, f.s1, f.s2, f.s3, f.spareNormal];
}

export function setRandomState(random: Random, state: readonly number[]): void {
  if (state.length !== 5 || !state.slice(0, 4).every((w) => Number.isInteger(w))) {
    throw new RangeError(`a random state is four integers and a number, not ${JSON.stringify(state)}`);
  }
  const f = fields(random);
  [f.s0, f.s1, f.s2, f.s3, f.spareNormal] = state as RandomState;
}

/**
 * The generators a model's layers own (dropout masks), in layer order, with the layer index:
 * found among each layer's own fields, since the Layer interface does not expose them.
 */
export function layerRandoms(model: Sequential): { layer: number; random: Random }[] {
  const found: { layer: number; random: Random }[] = [];
  model.layers.forEach((layer, index) => {
    for (const value of Object.values(layer)) {
      if (value instanceof Random) found.push({ layer: index, random: value });
    }
  });
  return found;
}
