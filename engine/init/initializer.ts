import type { Random } from '../core/random';
import { sampleInto, type InitDistribution } from './distribution';
import type { Fans } from './fans';

/**
 * An initialization scheme. Each one only says which distribution to draw from given the fans of
 * the tensor's weight; sampling is shared (distribution.ts). The elementwise schemes here ignore
 * the fans; the variance-scaling family (varianceScaling.ts) scales by them; orthogonal and sparse
 * read the 2-D layout from them (rows = fan_out = out_features, cols = fan_in = in_features).
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

/**
 * `torch.nn.init.trunc_normal_(t, mean, std, a, b)`: N(mean, std²) restricted to [a, b]. Note that
 * a and b are absolute values, not multiples of std (torch's defaults −2, 2 truncate nothing
 * visible when std is 0.02).
 */
export class TruncatedNormal extends Initializer {
  constructor(
    readonly mean: number,
    readonly std: number,
    readonly low: number,
    readonly high: number,
  ) {
    super();
  }

  distribution(): InitDistribution {
    return { kind: 'truncated_normal', mean: this.mean, std: this.std, low: this.low, high: this.high };
  }
}

/**
 * `torch.nn.init.orthogonal_(t, gain)` for a 2-D weight [out_features, in_features]: a random
 * (semi-)orthogonal matrix times gain (see orthogonal.ts).
 */
export class Orthogonal extends Initializer {
  constructor(readonly gain: number) {
    super();
  }

  distribution(fans: Fans): InitDistribution {
    return { kind: 'orthogonal', gain: this.gain, rows: fans.fanOut, cols: fans.fanIn };
  }
}

/**
 * `torch.nn.init.sparse_(t, sparsity, std)` for a 2-D weight [rows = out_features, cols =
 * in_features]: N(0, std²) entries, then ceil(sparsity · rows) entries of every COLUMN set to 0 —
 * torch's choice: each input feeds rows − ceil(sparsity·rows) units. (Martens 2010 and the course
 * notes' "k non-zero weights per unit" count per row instead; torch's is what we follow.)
 */
export class Sparse extends Initializer {
  constructor(
    readonly sparsity: number,
    readonly std: number,
  ) {
    super();
  }

  distribution(fans: Fans): InitDistribution {
    const rows = fans.fanOut;
    return {
      kind: 'sparse',
      std: this.std,
      rows,
      cols: fans.fanIn,
      // torch: num_zeros = int(math.ceil(sparsity * rows)), in double precision.
      zerosPerColumn: Math.ceil(this.sparsity * rows),
    };
  }
}
