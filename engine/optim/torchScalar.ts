/**
 * Scalars as torch's L-BFGS holds them: a Python float (a double) or a 0-dim float32 tensor.
 * `_strong_wolfe` and `_cubic_interpolate` mix the two freely — directional derivatives are tensors
 * (`g.dot(d)`), losses are Python floats, a step length starts as a float and may become a tensor
 * when interpolation picks it — and the kind decides the arithmetic: any operation with a tensor
 * operand casts the Python operand to float32 and rounds the result to float32 (`float / tensor` is
 * torch's `reciprocal(tensor) * float`), comparisons with a tensor compare in float32, and Python's
 * min/max keep the first of equal arguments. Porting the search with plain doubles changes its
 * decisions (e.g. whether a cubic has a real minimizer), so these helpers reproduce the rules.
 */

const f32 = Math.fround;

export interface TorchScalar {
  readonly v: number;
  /** true: a float32 0-dim tensor; false: a Python float. */
  readonly tensor: boolean;
}

/** A Python float. */
export const py = (v: number): TorchScalar => ({ v, tensor: false });
/** A float32 0-dim tensor. */
export const tensor = (v: number): TorchScalar => ({ v: f32(v), tensor: true });

const either = (a: TorchScalar, b: TorchScalar): boolean => a.tensor || b.tensor;

export function add(a: TorchScalar, b: TorchScalar): TorchScalar {
  return either(a, b) ? tensor(f32(a.v) + f32(b.v)) : py(a.v + b.v);
}

export function sub(a: TorchScalar, b: TorchScalar): TorchScalar {
  return either(a, b) ? tensor(f32(a.v) - f32(b.v)) : py(a.v - b.v);
}

export function mul(a: TorchScalar, b: TorchScalar): TorchScalar {
  return either(a, b) ? tensor(f32(a.v) * f32(b.v)) : py(a.v * b.v);
}

export function div(a: TorchScalar, b: TorchScalar): TorchScalar {
  if (!either(a, b)) return py(a.v / b.v);
  // Python float / tensor is Tensor.__rtruediv__: reciprocal(tensor) * float.
  if (!a.tensor) return tensor(f32(1 / b.v) * f32(a.v));
  return tensor(a.v / f32(b.v));
}

export function abs(a: TorchScalar): TorchScalar {
  return { v: Math.abs(a.v), tensor: a.tensor };
}

export function sqrt(a: TorchScalar): TorchScalar {
  return a.tensor ? tensor(Math.sqrt(a.v)) : py(Math.sqrt(a.v));
}

/** a > b, in float32 when either is a tensor. */
export function gt(a: TorchScalar, b: TorchScalar): boolean {
  return either(a, b) ? f32(a.v) > f32(b.v) : a.v > b.v;
}

/** a ≥ b, in float32 when either is a tensor. */
export function ge(a: TorchScalar, b: TorchScalar): boolean {
  return either(a, b) ? f32(a.v) >= f32(b.v) : a.v >= b.v;
}

export const lt = (a: TorchScalar, b: TorchScalar): boolean => gt(b, a);
export const le = (a: TorchScalar, b: TorchScalar): boolean => ge(b, a);

/** Python's max(a, b): b only if b > a. */
export const max = (a: TorchScalar, b: TorchScalar): TorchScalar => (gt(b, a) ? b : a);
/** Python's min(a, b): b only if b < a. */
export const min = (a: TorchScalar, b: TorchScalar): TorchScalar => (lt(b, a) ? b : a);
