/**
 * A training run on each kernels variant: its buffers live in the kernels' memory and stop growing
 * once every shape has been seen; one thread or two give the same run bit for bit; and the
 * WebAssembly kernels' run agrees with the JavaScript one to float32 rounding (docs/engine.md).
 */
import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { jsKernels } from '../../../engine/core/jsKernels';
import type { Kernels } from '../../../engine/core/kernels';
import { WasmKernels } from '../../../engine/core/wasm/wasmKernels';
import { teacherData } from '../../../bench/engine.workload';
import type { DataSplit } from '../../../engine/data/dataset';
import type { StepRecord, TrainEvent } from '../../../engine/train/events';
import { TrainingSession, type SessionSpec } from '../../../engine/train/session';
import { lossSpec } from '../specs';

v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

const data: DataSplit = { train: teacherData(300, 20, 4, 1), validation: teacherData(60, 20, 4, 2), description: 'teacher' };

function spec(optimizer: 'adam' | 'sgd'): SessionSpec {
  return {
    name: 'kernels',
    data: { type: 'blobs', samples: 0, classes: 4, noise: 1, seed: 1, validation_split: 0 },
    model: [
      { type: 'linear', out_features: 37, bias: true },
      { type: 'relu' },
      { type: 'linear', out_features: 29, bias: true },
      { type: 'relu' },
      { type: 'linear', bias: true },
    ],
    init: { weight: { type: 'default' }, bias: { type: 'default' } },
    loss: lossSpec({ type: 'cross_entropy' }),
    optimizer:
      optimizer === 'adam'
        ? { type: 'adam', lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false, maximize: false, decoupled_weight_decay: false }
        : { type: 'sgd', lr: 0.05, momentum: 0.9, dampening: 0, weight_decay: 0, nesterov: false, maximize: false },
    training: { epochs: 4, batch_size: 25, seed: 3, shuffle: true },
  };
}

function train(kernels: Kernels, optimizer: 'adam' | 'sgd') {
  const events: TrainEvent[] = [];
  const session = new TrainingSession(spec(optimizer), data, { kernels, onEvent: (e) => events.push(e) });
  const summary = session.runToEnd();
  const steps = events.flatMap((e) => (e.type === 'records' ? e.records : [])).filter((r): r is StepRecord => r.kind === 'step');
  return { session, summary, losses: steps.map((s) => s.loss) };
}

describe('training runs on the WebAssembly kernels', () => {
  it("keeps the run's buffers in the kernels' memory and allocates none per step once every shape was seen", () => {
    const kernels = new WasmKernels({ variant: 'simd' });
    const events: TrainEvent[] = [];
    const session = new TrainingSession({ ...spec('adam'), training: { ...spec('adam').training, epochs: 6 } }, data, {
      kernels,
      onEvent: (e) => events.push(e),
    });
    session.runFor(0);
    // the first epoch sees every shape (training batches, the last partial one, evaluation chunks)
    while (events.filter((e) => e.type === 'records').flatMap((e) => (e.type === 'records' ? e.records : [])).every((r) => r.kind !== 'epoch')) {
      session.runFor(0);
    }
    const used = kernels.arena.bytesUsed;
    session.runToEnd();
    expect(kernels.arena.bytesUsed).toBe(used);
    expect(kernels.simdUpdates).toBeGreaterThan(0);
  });

  for (const variant of ['simd', 'relaxed'] as const) {
    it(`${variant}: one thread and two give the same run, bit for bit`, () => {
      for (const optimizer of ['adam', 'sgd'] as const) {
        const one = train(new WasmKernels({ variant }), optimizer);
        const two = train(new WasmKernels({ variant, threads: 2, minParallelWork: 0 }), optimizer);
        expect(two.losses).toEqual(one.losses);
        const { elapsed_ms: _a, ...finalTwo } = two.summary.final!;
        const { elapsed_ms: _b, ...finalOne } = one.summary.final!;
        expect(finalTwo).toEqual(finalOne);
      }
    });

    it(`${variant}: agrees with the JavaScript kernels to float32 rounding`, () => {
      for (const optimizer of ['adam', 'sgd'] as const) {
        const js = train(jsKernels, optimizer);
        const wasm = train(new WasmKernels({ variant }), optimizer);
        expect(wasm.losses.length).toBe(js.losses.length);
        // the first step sees the same weights: only the products' rounding differs
        expect(Math.abs(wasm.losses[0] - js.losses[0])).toBeLessThan(1e-6 * js.losses[0]);
        // 48 steps later the trajectories have drifted by amplified rounding, no more
        for (let i = 0; i < js.losses.length; i++) expect(Math.abs(wasm.losses[i] - js.losses[i])).toBeLessThan(1e-3 * js.losses[i]);
        expect(Math.abs(wasm.summary.final!.val_loss! - js.summary.final!.val_loss!)).toBeLessThan(1e-3);
      }
    });
  }

  it("a model larger than the WebAssembly memory trains on the JavaScript kernels, as if they had been chosen", () => {
    // 64 KiB of memory cannot hold this model's buffers (20·37 + 37·29 + 29·4 weights, their grads, Adam's state, the batch).
    const small = new WasmKernels({ variant: 'simd', maxBytes: 65536 });
    const fellBack = train(small, 'adam');
    const js = train(jsKernels, 'adam');
    expect(fellBack.session.header.kernels).toBe('js');
    expect(fellBack.losses).toEqual(js.losses);
    // With room enough, the same kernels keep the run.
    expect(train(new WasmKernels({ variant: 'simd', maxBytes: 1 << 24 }), 'adam').session.header.kernels).toBe('wasm-simd');
  });
});
