/**
 * The error function in double precision, for GELU's exact form x·Φ(x), Φ(x) = ½(1 + erf(x/√2)).
 * JavaScript has no Math.erf. Two classical expansions, each used where it converges fast and
 * without cancellation:
 *   |x| < 2.5:  erf(x) = (2/√π)·x·e^{−x²}·Σ_{n≥0} (2x²)ⁿ / (1·3·5···(2n+1))   (all terms positive)
 *   x ≥ 1:      erfc(x) = e^{−x²} / (√π · (x + ½/(x + 1/(x + (3/2)/(x + 2/(x + …))))))   (Laplace's
 *               continued fraction, evaluated by the modified Lentz method; ≤ 190 terms at x = 1)
 * erf uses the series below 2.5 and 1 − erfc above; erfc uses 1 − erf below 1 (erfc(1) ≈ 0.16, so
 * little is cancelled) and the fraction above. Measured against Python's math.erf / math.erfc
 * (test/unit/engine/activations.test.ts): relative error below 1e-14 everywhere.
 */

const TWO_OVER_SQRT_PI = 1.1283791670955126; // 2/√π
const ONE_OVER_SQRT_PI = 0.5641895835477563; // 1/√π
const SERIES_LIMIT = 2.5;
const FRACTION_LIMIT = 1;
const TINY = 1e-300;

/** erf(x) for |x| < SERIES_LIMIT, by the series with positive terms. */
function erfSeries(x: number): number {
  const twoX2 = 2 * x * x;
  let term = 1;
  let sum = 1;
  for (let n = 1; n < 200; n++) {
    term *= twoX2 / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return TWO_OVER_SQRT_PI * x * Math.exp(-x * x) * sum;
}

/** erfc(x) for x ≥ FRACTION_LIMIT, by the continued fraction. */
function erfcContinuedFraction(x: number): number {
  // erfc(28) ≈ 1e-342 is below the smallest double; this also answers x = ∞.
  if (x >= 28) return 0;
  // f = x + a₁/(x + a₂/(x + …)), aₙ = n/2
  let f = x;
  let c = f;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    if (d === 0) d = TINY;
    c = x + a / c;
    if (c === 0) c = TINY;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (Math.exp(-x * x) * ONE_OVER_SQRT_PI) / f;
}

export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x >= SERIES_LIMIT) return 1 - erfcContinuedFraction(x);
  if (x <= -SERIES_LIMIT) return erfcContinuedFraction(-x) - 1;
  return erfSeries(x);
}

/** erfc(x) = 1 − erf(x), accurate in the right tail where 1 − erf(x) would be 0. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x >= FRACTION_LIMIT) return erfcContinuedFraction(x);
  if (x <= -FRACTION_LIMIT) return 2 - erfcContinuedFraction(-x);
  return 1 - erfSeries(x);
}

/** Φ(x), the standard normal CDF, accurate in both tails (via erfc on the left). */
export function normalCdf(x: number): number {
  return x >= 0 ? 0.5 * (1 + erf(x * Math.SQRT1_2)) : 0.5 * erfc(-x * Math.SQRT1_2);
}
