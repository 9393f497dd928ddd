/**
 * The optimizers' SIMD updates (scripts/wasm/updatesWat.mjs) run when a parameter, its gradient and
 * its state live in a WebAssembly kernels' memory. They must give exactly — bit for bit — what the
 * JavaScript updates give, for every option, so that goldens and resumed runs cannot tell them apart.
 * The same holds for the bias gradient's column sums.
 */
import { describe, expect, it } from 'vitest';
import { allocatingFrom } from '../../../engine/core/memory';
import { Random } from '../../../engine/core/random';
import { WasmKernels } from '../../../engine/core/wasm/wasmKernels';
import { jsKernels } from '../../../engine/core/jsKernels';
import type { AdamSpec } from '../../../engine/optim/adam';
import type { SgdSpec } from '../../../engine/optim/sgd';
import { Parameter } from '../../../engine/core/parameter';
import { ReLU } from '../../../engine/nn/rectifiers';
import { createOptimizer } from '../../../engine/optim';
import type { OptimizerSpec } from '../../../engine/optim/kinds';

/** Sizes around the two-at-a-time loop: odd, even, a single element, a big tensor. */
const SIZES = [1, 2, 7, 64, 1001];

function parameters(seed: number): Parameter[] {
  const rng = new Random(seed);
  return SIZES.map((size, i) => {
    const p = new Parameter(`${i}.weight`, [size]);
    for (let j = 0; j < size; j++) p.data[j] = rng.normal();
    return p;
  });
}

/** Runs `steps` updates of the same optimizer on plain arrays and in WebAssembly memory; returns both. */
function twin(spec: OptimizerSpec, steps: number, adam: 'float32' | 'float64' = 'float64') {
  const kernels = new WasmKernels({ variant: 'simd', adam });
  const plain = parameters(1);
  const simd = allocatingFrom(kernels.arena, () => parameters(1));
  expect(simd.every((p) => kernels.arena.holds(p.data) && kernels.arena.holds(p.grad))).toBe(true);
  const plainOptimizer = createOptimizer(spec, plain);
  const simdOptimizer = allocatingFrom(kernels.arena, () => createOptimizer(spec, simd));
  const rng = new Random(2);
  for (let step = 0; step < steps; step++) {
    for (let i = 0; i < plain.length; i++) {
      for (let j = 0; j < plain[i].size; j++) {
        // gradients of every magnitude, exact zeros included
        const g = j % 11 === 0 ? 0 : rng.normal() * 10 ** rng.int(5) * 1e-2;
        plain[i].grad[j] = g;
        simd[i].grad[j] = g;
      }
    }
    plainOptimizer.step();
    simdOptimizer.step();
  }
  // every update of every tensor took the SIMD path
  expect(kernels.simdUpdates).toBe(steps * SIZES.length);
  return { plain, simd, plainOptimizer, simdOptimizer };
}

function expectBitIdentical(a: Float32Array, b: Float32Array, label: string): void {
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) throw new Error(`${label}[${i}]: JavaScript ${a[i]}, SIMD ${b[i]}`);
  }
}

const adam: AdamSpec = { type: 'adam', lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false, maximize: false, decoupled_weight_decay: false };
const sgd: SgdSpec = { type: 'sgd', lr: 0.01, momentum: 0.9, dampening: 0, weight_decay: 0, nesterov: false, maximize: false };

describe('SIMD optimizer updates are bit-identical to the JavaScript ones', () => {
  const cases: [string, OptimizerSpec][] = [
    ['Adam', adam],
    ['Adam, weight decay, maximize', { ...adam, weight_decay: 0.01, maximize: true }],
    ['Adam, amsgrad', { ...adam, amsgrad: true, betas: [0.8, 0.99], lr: 0.1 }],
    ['Adam, decoupled weight decay (AdamW)', { ...adam, weight_decay: 0.05, decoupled_weight_decay: true, lr: 0.01 }],
    ['AdamW, amsgrad', { ...adam, type: 'adamw', weight_decay: 0.05, amsgrad: true }],
    ['SGD, momentum 0.9', sgd],
    ['SGD, no momentum', { ...sgd, momentum: 0 }],
    ['SGD, nesterov, weight decay', { ...sgd, nesterov: true, weight_decay: 1e-4 }],
    ['SGD, dampening 0.5, maximize', { ...sgd, dampening: 0.5, maximize: true }],
  ];
  for (const [label, spec] of cases) {
    it(label, () => {
      const { plain, simd, plainOptimizer, simdOptimizer } = twin(spec, 7);
      for (let i = 0; i < plain.length; i++) expectBitIdentical(plain[i].data, simd[i].data, `${label}: ${plain[i].name}`);
      // the state too (a checkpoint saves it)
      const a = plainOptimizer.stateDict().state;
      const b = simdOptimizer.stateDict().state;
      for (const index of Object.keys(a)) {
        for (const [key, value] of Object.entries(a[Number(index)])) {
          const other = b[Number(index)][key];
          if (value instanceof Float32Array) expectBitIdentical(value, other as Float32Array, `${label}: state ${index}.${key}`);
          else expect(other).toBe(value);
        }
      }
    });
  }

  it('falls back to JavaScript when a buffer lives outside the memory (the same values)', () => {
    const kernels = new WasmKernels({ variant: 'simd', adam: 'float64' });
    const p = allocatingFrom(kernels.arena, () => new Parameter('w', [5]));
    p.grad.set([1, -2, 3, -4, 5]);
    // optimizer state created outside the scope: plain arrays
    const optimizer = createOptimizer(adam, [p]);
    const reference = new Parameter('w', [5]);
    reference.grad.set([1, -2, 3, -4, 5]);
    const referenceOptimizer = createOptimizer(adam, [reference]);
    optimizer.step();
    referenceOptimizer.step();
    expect(kernels.simdUpdates).toBe(0);
    expectBitIdentical(reference.data, p.data, 'mixed');
  });
});

describe("Adam in float32 (the kernels' default, torch's order of operations)", () => {
  for (const [label, spec] of [
    ['Adam', adam],
    ['Adam, weight decay, maximize', { ...adam, weight_decay: 0.01, maximize: true }],
    ['Adam, amsgrad', { ...adam, amsgrad: true, betas: [0.8, 0.99], lr: 0.1 }],
    ['Adam, decoupled weight decay (AdamW)', { ...adam, weight_decay: 0.05, decoupled_weight_decay: true, lr: 0.01 }],
    ['AdamW, amsgrad', { ...adam, type: 'adamw', weight_decay: 0.05, amsgrad: true }],
  ] as [string, AdamSpec][]) {
    it(`${label}: within float32 rounding of the JavaScript update after 7 steps`, () => {
      const { plain, simd } = twin(spec, 7, 'float32');
      for (let i = 0; i < plain.length; i++) {
        for (let j = 0; j < plain[i].size; j++) {
          const a = plain[i].data[j];
          const b = simd[i].data[j];
          // each step's update (≤ lr in size) is computed with a few float32 roundings
          if (!(Math.abs(a - b) <= 4 * 2 ** -23 * Math.abs(a) + 7 * 8 * 2 ** -24 * spec.lr)) {
            throw new Error(`${label} ${plain[i].name}[${j}]: JavaScript ${a}, float32 SIMD ${b}`);
          }
        }
      }
    });
  }
});

describe('sumRows (bias gradients)', () => {
  it('gives the JavaScript sums exactly, in and out of the memory', () => {
    const kernels = new WasmKernels({ variant: 'simd' });
    const rng = new Random(4);
    for (const [rows, cols] of [
      [1, 1],
      [3, 5],
      [128, 10],
      [33, 67],
    ]) {
      const x = allocatingFrom(kernels.arena, () => new Parameter('x', [rows * cols])).data;
      for (let i = 0; i < x.length; i++) x[i] = rng.normal() * 10 ** rng.int(4);
      const start = Float32Array.from({ length: cols }, () => rng.normal());
      const inMemory = allocatingFrom(kernels.arena, () => new Parameter('b', [cols])).grad;
      inMemory.set(start);
      const outside = start.slice();
      const reference = start.slice();
      kernels.sumRows(rows, cols, x, inMemory);
      kernels.sumRows(rows, cols, x.slice(), outside);
      jsKernels.sumRows(rows, cols, x, reference);
      expectBitIdentical(reference, inMemory, `${rows}×${cols} in memory`);
      expectBitIdentical(reference, outside, `${rows}×${cols} outside`);
    }
  });
});

describe('ReLU in WebAssembly memory', () => {
  it('gives the JavaScript layer its exact outputs and gradients (NaN, −0, odd sizes)', () => {
    const kernels = new WasmKernels({ variant: 'simd' });
    const rng = new Random(6);
    for (const [rows, features] of [
      [1, 1],
      [3, 7],
      [32, 64],
    ]) {
      const simd = allocatingFrom(kernels.arena, () => new ReLU(features, rows));
      const plain = new ReLU(features, rows);
      const x = allocatingFrom(kernels.arena, () => new Parameter('x', [rows * features])).data;
      const dy = allocatingFrom(kernels.arena, () => new Parameter('dy', [rows * features])).data;
      for (let i = 0; i < x.length; i++) {
        x[i] = [NaN, -0, 0, -1e-30][i % 9] ?? rng.normal();
        dy[i] = i % 13 === 0 ? NaN : rng.normal();
      }
      expectBitIdentical(plain.forward(x.slice(), rows, true), simd.forward(x, rows, true), 'relu');
      expectBitIdentical(plain.backward(dy.slice(), rows), simd.backward(dy, rows), 'relu gradient');
    }
  });
});
