// The engine's WebAssembly kernels as one WAT module per variant, assembled by buildKernels.mjs.
//   simd:    WebAssembly SIMD (f32x4.mul + f32x4.add) — every runtime the engine supports
//   relaxed: the same with f32x4.relaxed_madd (a fused multiply-add on x86 with FMA) — runtimes with
//            relaxed SIMD (Electron ≥ 26, Node ≥ 22; Node 20 only behind a V8 flag)
// Both import one shared memory ("env" "memory"), so every thread's instance sees the same buffers.
import { gemmWat } from './gemmWat.mjs';
import { updatesWat } from './updatesWat.mjs';

/** Register tile and K block: 4×8 keeps 8 accumulators + 2 B vectors + 1 A splat in 16 xmm registers. */
export const TILE = { MR: 4, NR: 8, KC: 512 };

/** @param {'simd' | 'relaxed'} variant */
export function kernelsWat(variant) {
  const fma = variant === 'relaxed';
  return `(module
  (import "env" "memory" (memory 1 65536 shared))
${gemmWat({ ...TILE, fma })}
${updatesWat()}
)`;
}
