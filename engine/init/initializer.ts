import type { Random } from '../core/random';
import { sampleInto, type InitDistribution } from './distribution';
import type { Fans } from './fans';

/**
 * An initialization scheme. Each one only says which distribution to draw from given the fans of
 * the tensor's weight; sampling is shared. The simple schemes (this file) ignore the fans; the
 * variance-scaling family (varianceScaling.ts) is where the fans matter.
 */
export abstract class Initializer {
  abstract distribution(fans: Fans): InitDistribution;

  /** Fills `out` (a weight or a bias) using the fans of the layer's weight. */
  initialize(out: Float32Array, fans: Fans, rng: Random): void {
    sampleInto(out, this.distribution(fans), rng);
  }
}

/** `torch.nn.init.constant_(t, value)`. */
export class Constant extends Initializer {
  constructor(readonly value: number) {
    super();
  }

  distribution(): InitDistribution {
    return { kind: 'constant', value: this.value };
  }
}

/** `torch.nn.init.zeros_`. */
export class Zeros extends Constant {
  constructor() {
    super(0);
  }
}

/** `torch.nn.init.normal_(t, mean, std)`. */
export class RandomNormal extends Initializer {
  constructor(
    readonly mean: number,
    readonly std: number,
  ) {
    super();
  }

  distribution(): InitDistribution {
    return { kind: 'normal', mean: this.mean, std: this.std };
  }
}

/** `torch.nn.init.uniform_(t, a, b)`: U[a, b). */
export class RandomUniform extends Initializer {
  constructor(
    readonly low: number,
    readonly high: number,
  ) {
    super();
  }

  distribution(): InitDistribution {
    return { kind: 'uniform', low: this.low, high: this.high };
  }
}
