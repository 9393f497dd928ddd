/**
 * Whole training runs of the session against PyTorch (fixtures from test/torch/gen_train_golden.py):
 * an MLP with BatchNorm1d trained full-batch with SGD(momentum) + StepLR + an L1/L2 penalty +
 * clip_grad_norm_, and L-BFGS (strong Wolfe) on a logistic regression, its loss a mean or a sum.
 */
import { describe, expect, it } from 'vitest';
import { decodeRunCheckpoint } from '../../../engine/checkpoint/checkpoint';
import { encodeSafetensors, type TensorToWrite } from '../../../engine/checkpoint/safetensors';
import type { DataSplit, Dataset } from '../../../engine/data/dataset';
import type { LayerSpec } from '../../../engine/nn/kinds';
import type { EpochRecord, StepRecord, TrainEvent } from '../../../engine/train/events';
import { TrainingSession, type SessionSpec } from '../../../engine/train/session';
import lbfgs from '../../fixtures/torch/train_lbfgs.json';
import lbfgsSum from '../../fixtures/torch/train_lbfgs_sum.json';
import trajectory from '../../fixtures/torch/train_trajectory.json';
import { layerSpec, lossSpec } from '../specs';

type Nested = number | Nested[];
const flat = (values: Nested): number[] => (Array.isArray(values) ? values.flatMap(flat) : [values]);
const shapeOf = (values: Nested): number[] => (Array.isArray(values) ? [values.length, ...shapeOf(values[0])] : []);

function classification(x: Nested, classes: number[], outputs: number): Dataset {
  const xs = flat(x);
  const features = xs.length / classes.length;
  return {
    task: 'classification',
    size: classes.length,
    features,
    outputs,
    x: Float32Array.from(xs),
    y: Float32Array.from(classes),
    featureNames: Array.from({ length: features }, (_, i) => `x${i}`),
    classNames: Array.from({ length: outputs }, (_, i) => `c${i}`),
  };
}

function trainOnly(train: Dataset): DataSplit {
  return { train, validation: { ...train, size: 0, x: new Float32Array(0), y: new Float32Array(0) }, description: 'fixture' };
}

/** A torch state_dict from a fixture as safetensors bytes (int entries are num_batches_tracked, I64). */
function stateDictFile(stateDict: Record<string, Nested>): Uint8Array {
  const tensors: [string, TensorToWrite][] = Object.entries(stateDict).map(([name, v]) =>
    typeof v === 'number' && name.endsWith('num_batches_tracked')
      ? [name, { dtype: 'I64', shape: [], data: [v] }]
      : [name, { dtype: 'F32', shape: shapeOf(v), data: flat(v) }],
  );
  return encodeSafetensors(tensors);
}

function run(spec: SessionSpec, data: DataSplit, weights: Uint8Array) {
  const events: TrainEvent[] = [];
  const session = new TrainingSession(spec, data, { onEvent: (e) => events.push(e), checkpoint: weights });
  const summary = session.runToEnd();
  const records = events.flatMap((e) => (e.type === 'records' ? e.records : []));
  const state = decodeRunCheckpoint(session.saveCheckpoint()).file.tensors;
  return {
    summary,
    steps: records.filter((r): r is StepRecord => r.kind === 'step'),
    epochs: records.filter((r): r is EpochRecord => r.kind === 'epoch'),
    state,
  };
}

function expectClose(actual: number, expected: number, label: string, rtol: number, atol: number): void {
  if (!(Math.abs(actual - expected) <= atol + rtol * Math.abs(expected))) {
    throw new Error(`${label}: got ${actual}, torch ${expected} (|Δ| = ${Math.abs(actual - expected)})`);
  }
}

describe('session vs torch: BatchNorm MLP, SGD momentum, StepLR, L1+L2 penalty, clip_grad_norm_', () => {
  const h = trajectory.hyper;
  const layers: LayerSpec[] = [
    { type: 'linear', out_features: 8, bias: true },
    layerSpec({ type: 'batch_norm' }),
    { type: 'relu' },
    { type: 'linear', bias: true },
  ];
  const spec: SessionSpec = {
    name: 'golden',
    data: { type: 'blobs', samples: 24, classes: 3, noise: 1, seed: 0, validation_split: 0 },
    model: layers,
    init: { weight: { type: 'default' }, bias: { type: 'default' } },
    loss: { type: 'cross_entropy' },
    optimizer: { type: 'sgd', lr: h.lr, momentum: h.momentum, dampening: 0, weight_decay: 0, nesterov: false, maximize: false },
    training: {
      epochs: trajectory.steps.length,
      batch_size: trajectory.classes.length,
      seed: 0,
      shuffle: false,
      clip_grad_norm: { max_norm: h.max_norm, norm_type: 2, error_if_nonfinite: false },
      regularization: { l1: h.l1, l2: h.l2, apply_to: 'weights' },
    },
    schedule: { type: 'step', step_size: h.step_size, gamma: h.gamma, interval: 'epoch' },
  } as SessionSpec;
  const data = trainOnly(classification(trajectory.x, trajectory.classes, 3));
  const result = run(spec, data, stateDictFile(trajectory.initial_state_dict as Record<string, Nested>));

  it('has the same per-step data loss, penalty, pre-clip gradient norm and lr', () => {
    expect(result.summary.status).toBe('completed');
    expect(result.steps.length).toBe(trajectory.steps.length);
    // 20 steps through batch norm, momentum and clipping; float32 sums in another order than
    // torch's. Measured worst relative differences: loss 1.2e-7, penalty 1.2e-7, grad_norm 2.4e-7.
    trajectory.steps.forEach((t, i) => {
      const s = result.steps[i];
      expectClose(s.loss, t.loss, `step ${i + 1} loss`, 2e-6, 1e-7);
      expectClose(s.penalty!, t.penalty, `step ${i + 1} penalty`, 2e-6, 1e-8);
      expectClose(s.grad_norm!, t.grad_norm, `step ${i + 1} grad_norm`, 1e-5, 1e-7);
      expect(s.lr, `step ${i + 1} lr`).toBeCloseTo(t.lr, 12);
      expect(s.momentum).toBe(h.momentum);
    });
  });

  it('ends with the same parameters and BatchNorm buffers', () => {
    // Measured worst: weights 8e-9 absolute (1.7e-5 relative on an element of 5e-4), running stats 4.5e-7 relative.
    for (const [name, expected] of Object.entries(trajectory.final_state_dict as Record<string, Nested>)) {
      const tensor = result.state.get(name)!;
      expect(tensor, name).toBeDefined();
      const values = flat(expected);
      values.forEach((v, j) => expectClose(tensor.data[j], v, `${name}[${j}]`, 1e-5, 1e-7));
    }
  });

  it('evaluates the final model like torch in eval mode', () => {
    expectClose(result.epochs[result.epochs.length - 1].train_loss, trajectory.final_eval_loss, 'final eval loss', 1e-5, 1e-7);
  });
});

for (const golden of [lbfgs, lbfgsSum]) {
  describe(`session vs torch: L-BFGS (strong Wolfe), one closure step per epoch, reduction '${golden.reduction}'`, () => {
    const spec: SessionSpec = {
      name: 'lbfgs-golden',
      data: { type: 'blobs', samples: 40, classes: 2, noise: 1, seed: 0, validation_split: 0 },
      model: [{ type: 'linear', bias: true }],
      init: { weight: { type: 'default' }, bias: { type: 'default' } },
      loss: lossSpec({ type: 'cross_entropy', reduction: golden.reduction as 'mean' | 'sum' }),
      optimizer: {
        type: 'lbfgs',
        lr: golden.optimizer.lr,
        max_iter: golden.optimizer.max_iter,
        tolerance_grad: 1e-7,
        tolerance_change: 1e-9,
        history_size: golden.optimizer.history_size,
        line_search_fn: 'strong_wolfe',
      },
      training: { epochs: golden.steps.length, batch_size: 8, seed: 0, shuffle: true },
    } as SessionSpec;
    const data = trainOnly(classification(golden.x, golden.classes, 2));
    const result = run(spec, data, stateDictFile(golden.initial_state_dict as Record<string, Nested>));
    // The closure's objective is torch's loss with the reduction; the record reports its mean.
    const rows = golden.classes.length;
    const reported = (loss: number) => (golden.reduction === 'sum' ? loss / rows : loss);

    it('takes one full-batch step per epoch whatever batch_size says', () => {
      expect(result.summary.status).toBe('completed');
      expect(result.steps.map((s) => [s.epoch, s.step])).toEqual(golden.steps.map((_, i) => [i + 1, i + 1]));
    });

    it('reports the loss step() returns and torch’s cumulative func_evals', () => {
      golden.steps.forEach((t, i) => {
        const s = result.steps[i];
        expectClose(s.loss, reported(t.loss), `step ${i + 1} loss`, 1e-5, 1e-7);
        expect(s.function_evaluations, `step ${i + 1} func_evals`).toBe(t.func_evals);
      });
    });

    it('ends at the same weights', () => {
      for (const [name, expected] of Object.entries(golden.final_state_dict as Record<string, Nested>)) {
        flat(expected).forEach((v, j) => expectClose(result.state.get(name)!.data[j], v, `${name}[${j}]`, 1e-5, 1e-6));
      }
      expectClose(result.epochs[result.epochs.length - 1].train_loss, golden.final_loss, 'final loss', 1e-5, 1e-7);
    });
  });
}
