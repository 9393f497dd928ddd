/**
 * The error function and its inverse in double precision, which JavaScript lacks. torch's
 * trunc_normal_ needs both: erf for the normal CDF of the bounds (Python's math.erf, i.e. libm's,
 * accurate to an ulp or two) and erfinv to map uniform draws back through the CDF.
 */

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
/** Where the series hands over to the continued fraction (both are accurate on either side). */
const SERIES_LIMIT = 2.5;

/**
 * erf(x). For |x| < 2.5 the series erf(x) = 2/√π · e^(−x²) · Σₙ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)), whose
 * terms are all positive (no cancellation, ~1e-16 relative). Beyond, erf = ±(1 − erfc(|x|)) with
 * erfc from its continued fraction, accurate to the last bits of the tail.
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  if (a < SERIES_LIMIT) return erfSeries(x);
  const value = 1 - erfcContinuedFraction(a);
  return x < 0 ? -value : value;
}

/**
 * erfc(x) = 1 − erf(x) without cancellation: the continued fraction from |x| = 1 on (≤ ~200 terms,
 * ~1e-15 relative), 1 − erf(x) below, where erfc(x) > 0.15 and nothing much cancels.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x >= 1) return erfcContinuedFraction(x);
  if (x <= -1) return 2 - erfcContinuedFraction(-x);
  return 1 - erfSeries(x);
}

function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (Math.abs(term) <= 1e-17 * Math.abs(sum)) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/**
 * erfc(x) for x ≥ 1: e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), evaluated
 * with the modified Lentz algorithm.
 */
function erfcContinuedFraction(x: number): number {
  if (x === Infinity) return 0;
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 1000; k++) {
    const a = k / 2;
    d = x + a * d;
    d = d === 0 ? tiny : d;
    c = x + a / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
}

/**
 * erfinv(y) for y in [−1, 1] (±Infinity at ±1, NaN outside). M. Giles' single-precision
 * approximation ("Approximating the erfinv function", 2010) gives a start within ~1e-7; two
 * Newton steps on erf(x) − y bring it to double precision.
 */
export function erfinv(y: number): number {
  if (!(y >= -1 && y <= 1)) return NaN;
  if (y === 1) return Infinity;
  if (y === -1) return -Infinity;
  if (y === 0) return 0;
  let w = -Math.log((1 - y) * (1 + y));
  let p: number;
  if (w < 5) {
    w -= 2.5;
    p = 2.81022636e-8;
    p = 3.43273939e-7 + p * w;
    p = -3.5233877e-6 + p * w;
    p = -4.39150654e-6 + p * w;
    p = 0.00021858087 + p * w;
    p = -0.00125372503 + p * w;
    p = -0.00417768164 + p * w;
    p = 0.246640727 + p * w;
    p = 1.50140941 + p * w;
  } else {
    w = Math.sqrt(w) - 3;
    p = -0.000200214257;
    p = 0.000100950558 + p * w;
    p = 0.00134934322 + p * w;
    p = -0.00367342844 + p * w;
    p = 0.00573950773 + p * w;
    p = -0.0076224613 + p * w;
    p = 0.00943887047 + p * w;
    p = 1.00167406 + p * w;
    p = 2.83297682 + p * w;
  }
  let x = p * y;
  // Newton on f(x) = erf(x) − y. Near ±1 the residual is taken through erfc, where 1 ∓ y is exact
  // and nothing cancels. Giles' start is within ~1e-7 for |y| < 1 − 6e-8 (the float32 range it was
  // made for), so two steps suffice there; closer to ±1 it is off by up to ~1 %, and a few more
  // steps (quadratic convergence) finish the job.
  for (let i = 0; i < 12; i++) {
    const f = x > 2 ? 1 - y - erfc(x) : x < -2 ? erfc(-x) - (1 + y) : erf(x) - y;
    const slope = TWO_OVER_SQRT_PI * Math.exp(-x * x);
    if (slope === 0) break;
    const step = f / slope;
    x -= step;
    if (Math.abs(step) <= 1e-16 * Math.abs(x)) break;
  }
  return x;
}

/** The standard normal CDF Φ(x), as torch's trunc_normal_ computes it: (1 + erf(x/√2)) / 2. */
export function normalCdf(x: number): number {
  return (1 + erf(x / Math.SQRT2)) / 2;
}

/** The standard normal density φ(x). */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}
