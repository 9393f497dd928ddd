import type { Random } from '../core/random';

/**
 * What an initializer draws from once the fans of its tensor are known. Keeping this as data (not
 * only as sampling code) lets tests and diagnostics ask "which std / bound would this spec use?"
 * and compare it with torch's formula without sampling.
 */
export type InitDistribution =
  | { readonly kind: 'constant'; readonly value: number }
  | { readonly kind: 'uniform'; readonly low: number; readonly high: number }
  | { readonly kind: 'normal'; readonly mean: number; readonly std: number };

/** Fills `out` with independent draws from `dist` (uniform on [low, high), like torch's uniform_). */
export function sampleInto(out: Float32Array, dist: InitDistribution, rng: Random): void {
  switch (dist.kind) {
    case 'constant':
      out.fill(dist.value);
      return;
    case 'uniform':
      for (let i = 0; i < out.length; i++) out[i] = rng.uniformRange(dist.low, dist.high);
      return;
    case 'normal':
      for (let i = 0; i < out.length; i++) out[i] = dist.mean + dist.std * rng.normal();
      return;
  }
}

/** The standard deviation of a distribution (uniform on [a, b): (b − a)/√12). */
export function distributionStd(dist: InitDistribution): number {
  switch (dist.kind) {
    case 'constant':
      return 0;
    case 'uniform':
      return (dist.high - dist.low) / Math.sqrt(12);
    case 'normal':
      return dist.std;
  }
}
