/**
 * safetensors reading/writing, loading torch-made weights (fixture: test/torch/gen_checkpoint_fixture.py),
 * and whole-run checkpoints: save → load is bit-exact, and a resumed run equals one that never stopped.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeRunCheckpoint, parseJson, stringify } from '../../../engine/checkpoint/checkpoint';
import { decodeSafetensors, encodeSafetensors, halfToFloat } from '../../../engine/checkpoint/safetensors';
import { loadModelState, modelState } from '../../../engine/checkpoint/stateDict';
import { jsKernels } from '../../../engine/core/jsKernels';
import { Random } from '../../../engine/core/random';
import type { DataSplit, Dataset } from '../../../engine/data/dataset';
import type { LayerSpec } from '../../../engine/nn/kinds';
import { SpecError } from '../../../engine/core/errors';
import { buildModel } from '../../../engine/nn/sequential';
import type { MetricRecord, TrainEvent } from '../../../engine/train/events';
import { layerRandoms, randomState, setRandomState } from '../../../engine/train/randomState';
import { TrainingSession, type SessionSpec } from '../../../engine/train/session';
import fixture from '../../fixtures/torch/checkpoint_mlp_bn.json';
import { type LayerInput, layerSpec, layerSpecs } from '../specs';

type Nested = number | Nested[];
const flat = (values: Nested): number[] => (Array.isArray(values) ? values.flatMap(flat) : [values]);
const torchFile = (): Uint8Array =>
  new Uint8Array(readFileSync(join(__dirname, '../../fixtures/torch/checkpoint_mlp_bn.safetensors')));

function specError(fn: () => unknown): SpecError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SpecError);
    return error as SpecError;
  }
  throw new Error('expected a SpecError');
}

describe('safetensors', () => {
  it('round-trips F32, F64, I64, I32, scalars, empty tensors and metadata; data starts 8-byte aligned', () => {
    const bytes = encodeSafetensors(
      [
        ['a', { dtype: 'F32', shape: [2, 3], data: [1, -2.5, 3e-8, 4, 5, Math.fround(0.1)] }],
        ['b', { dtype: 'F64', shape: [2], data: [0.1, -1e300] }],
        ['step', { dtype: 'I64', shape: [], data: [2 ** 40 + 3] }],
        ['order', { dtype: 'I32', shape: [3], data: Int32Array.from([2, 0, 1]) }],
        ['empty', { dtype: 'F32', shape: [0, 4], data: [] }],
      ],
      { format: 'pt', note: 'héllo' },
    );
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ format: 'pt', note: 'héllo' });
    expect(tensors.get('a')).toEqual({ dtype: 'F32', shape: [2, 3], data: Float32Array.from([1, -2.5, 3e-8, 4, 5, 0.1]) });
    expect(tensors.get('b')).toEqual({ dtype: 'F64', shape: [2], data: Float64Array.from([0.1, -1e300]) });
    expect(tensors.get('step')).toEqual({ dtype: 'I64', shape: [], data: Float64Array.from([2 ** 40 + 3]) });
    expect(tensors.get('order')!.data).toEqual(Int32Array.from([2, 0, 1]));
    expect(tensors.get('empty')!.shape).toEqual([0, 4]);
    expect([...tensors.keys()]).toEqual(['a', 'b', 'step', 'order', 'empty']);
  });

  it('reads the file torch wrote, with its I64 num_batches_tracked', () => {
    const { tensors, metadata } = decodeSafetensors(torchFile());
    expect(metadata).toEqual({ format: 'pt' });
    const sd = fixture.state_dict as Record<string, Nested>;
    expect([...tensors.keys()].sort()).toEqual(Object.keys(sd).sort());
    expect(tensors.get('1.num_batches_tracked')).toEqual({ dtype: 'I64', shape: [], data: Float64Array.from([3]) });
    expect(tensors.get('0.weight')!.shape).toEqual([5, 3]);
    expect(Array.from(tensors.get('1.running_var')!.data)).toEqual(Array.from(Float32Array.from(flat(sd['1.running_var']))));
  });

  it('says what is wrong with a corrupt file', () => {
    const good = encodeSafetensors([['w', { dtype: 'F32', shape: [2], data: [1, 2] }]]);
    const bad = (mutate: (b: Uint8Array) => Uint8Array) => () => decodeSafetensors(mutate(good.slice()));
    expect(bad((b) => b.subarray(0, 5))).toThrow(/too short/);
    expect(bad((b) => b.subarray(0, b.length - 1))).toThrow(/tensor w: data_offsets end at byte 8 but the data part has 7 \(truncated\?\)/);
    expect(bad((b) => Uint8Array.from([...b, 0]))).toThrow(/the tensors cover 8 bytes but the data part has 9/);
    expect(bad((b) => (new DataView(b.buffer).setBigUint64(0, 10n ** 12n, true), b))).toThrow(/not a safetensors file/);
    expect(bad((b) => (new DataView(b.buffer).setBigUint64(0, 4000n, true), b))).toThrow(/truncated/);
    expect(bad((b) => ((b[8] = 0x5b), b))).toThrow(/not valid JSON/);
    const header = (json: object) => {
      const text = new TextEncoder().encode(JSON.stringify(json));
      const out = new Uint8Array(8 + text.length + 8);
      new DataView(out.buffer).setBigUint64(0, BigInt(text.length), true);
      out.set(text, 8);
      return out;
    };
    expect(() => decodeSafetensors(header({ w: { dtype: 'Q8', shape: [2], data_offsets: [0, 8] } }))).toThrow(/unsupported dtype "Q8"/);
    expect(() => decodeSafetensors(header({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }))).toThrow(/needs 12 bytes/);
    expect(() =>
      decodeSafetensors(header({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [2, 6] } })),
    ).toThrow(/gap or overlap/);
  });

  it('widens F16 and BF16 exactly', () => {
    expect([0x3c00, 0xc000, 0x0001, 0x7c00, 0x3555].map(halfToFloat)).toEqual([1, -2, 2 ** -24, Infinity, 0.333251953125]);
    const bytes = new Uint8Array(8 + 64);
    const text = new TextEncoder().encode(JSON.stringify({ h: { dtype: 'BF16', shape: [2], data_offsets: [0, 4] } }).padEnd(56));
    new DataView(bytes.buffer).setBigUint64(0, BigInt(text.length), true);
    bytes.set(text, 8);
    new DataView(bytes.buffer).setUint16(8 + text.length, 0x3f80, true); // 1.0
    new DataView(bytes.buffer).setUint16(8 + text.length + 2, 0xc040, true); // -3.0
    expect(Array.from(decodeSafetensors(bytes.subarray(0, 8 + text.length + 4)).tensors.get('h')!.data)).toEqual([1, -3]);
  });
});

describe('loading torch weights into a model', () => {
  const layers = layerSpecs(fixture.layers as LayerInput[]);
  const build = (spec: LayerSpec[] = layers) =>
    buildModel(spec, fixture.inputs, fixture.outputs, { weight: { type: 'default' }, bias: { type: 'default' } }, new Random(1), 8, jsKernels);

  it('gives the model torch’s eval-mode outputs (MLP + BatchNorm1d)', () => {
    const model = build();
    loadModelState(model, decodeSafetensors(torchFile()));
    const x = Float32Array.from(flat(fixture.x));
    const out = model.forward(x, 6, false);
    const expected = flat(fixture.eval_output);
    expected.forEach((v, i) => expect(Math.abs(out[i] - v), `output ${i}`).toBeLessThanOrEqual(1e-6 + 1e-5 * Math.abs(v)));
    const counter = modelState(model).find((e) => e.name === '1.num_batches_tracked')!;
    expect(counter.dtype).toBe('I64');
    expect(counter.data[0]).toBe(3);
  });

  it('loads a BatchNorm state without num_batches_tracked as torch 1.13 does: the counter restarts at 0', () => {
    // torch: m2.load_state_dict({k: v for k, v in sd.items() if 'num_batches_tracked' not in k})
    // → <All keys matched successfully>, m2[1].num_batches_tracked == tensor(0) (it was 1 before).
    const file = decodeSafetensors(torchFile());
    file.tensors.delete('1.num_batches_tracked');
    const model = build();
    const counter = modelState(model).find((e) => e.name === '1.num_batches_tracked')!;
    counter.data[0] = 1;
    loadModelState(model, file);
    expect(counter.data[0]).toBe(0);
    const out = model.forward(Float32Array.from(flat(fixture.x)), 6, false);
    // Eval mode reads the running statistics, which did load: torch's outputs.
    flat(fixture.eval_output).forEach((v, i) => expect(Math.abs(out[i] - v)).toBeLessThanOrEqual(1e-6 + 1e-5 * Math.abs(v)));
  });

  it('names a shape mismatch, a missing tensor and unknown tensors at checkpoint.load, and writes nothing', () => {
    const wider = build([{ type: 'linear', out_features: 4, bias: true }, layerSpec({ type: 'batch_norm' }), { type: 'relu' }, { type: 'linear', bias: true }]);
    const before = modelState(wider).map((e) => Array.from(e.data));
    const error = specError(() => loadModelState(wider, decodeSafetensors(torchFile())));
    expect(error.path).toEqual(['checkpoint', 'load']);
    expect(error.message).toContain('0.weight has shape [5, 3] in the file but the model needs [4, 3]');
    expect(error.message).toContain('1.running_mean has shape [5] in the file but the model needs [4]');
    expect(modelState(wider).map((e) => Array.from(e.data))).toEqual(before);

    const noNorm = build([{ type: 'linear', out_features: 5, bias: true }, { type: 'relu' }, { type: 'linear', bias: true }]);
    const extra = specError(() => loadModelState(noNorm, decodeSafetensors(torchFile())));
    expect(extra.message).toMatch(/^the file has no tensor "2.weight", "2.bias" that the model needs; the file has tensors .* that the model does not \(a different model\?\)$/);
    for (const name of ['1.weight', '1.running_mean', '1.num_batches_tracked', '3.weight']) expect(extra.message).toContain(`"${name}"`);
  });

  it('reports a corrupt file as a SpecError at checkpoint.load', () => {
    const bytes = torchFile().slice(0, 100);
    const error = specError(() => decodeRunCheckpoint(bytes));
    expect(error.path).toEqual(['checkpoint', 'load']);
    expect(error.message).toMatch(/^not a valid safetensors file: /);
  });
});

// ---- whole-run checkpoints ----------------------------------------------------------------------

function blobs(size: number, seed: number): Dataset {
  const rng = new Random(seed);
  const x = new Float32Array(size * 2);
  const y = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const label = i % 3;
    x[2 * i] = label - 1 + 0.8 * rng.normal();
    x[2 * i + 1] = (label === 1 ? 1 : -0.5) + 0.8 * rng.normal();
    y[i] = label;
  }
  return { task: 'classification', size, features: 2, outputs: 3, x, y, featureNames: ['a', 'b'], classNames: ['p', 'q', 'r'] };
}

const split: DataSplit = { train: blobs(90, 1), validation: blobs(30, 2), description: 'blobs' };

/** Everything that carries state across steps: shuffling, dropout, batch norm, Adam, schedules, EMA, early stopping. */
function richSpec(epochs = 8): SessionSpec {
  return {
    name: 'resume',
    data: { type: 'blobs', samples: 120, classes: 3, noise: 0.8, seed: 1, validation_split: 0.25 },
    model: [
      { type: 'linear', out_features: 16, bias: true },
      layerSpec({ type: 'batch_norm' }),
      { type: 'relu' },
      { type: 'dropout', p: 0.3 },
      { type: 'linear', bias: true },
    ],
    init: { weight: { type: 'default' }, bias: { type: 'default' } },
    loss: { type: 'cross_entropy' },
    optimizer: { type: 'adam', lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false, maximize: false },
    training: {
      epochs,
      batch_size: 16,
      seed: 7,
      shuffle: true,
      clip_grad_norm: { max_norm: 1, norm_type: 2, error_if_nonfinite: false },
      regularization: { l1: 0, l2: 1e-3, apply_to: 'weights' },
      ema: { decay: 0.9, warmup: true, use_buffers: true },
      early_stopping: { monitor: 'val_loss', mode: 'min', patience: 100, min_delta: 0, restore_best_weights: true },
    },
    schedule: { type: 'cosine_annealing', T_max: 40, eta_min: 0, interval: 'step' },
    momentum_schedule: { type: 'linear', start: 0.85, end: 0.95, interval: 'epoch' },
  } as SessionSpec;
}

function collect(spec: SessionSpec, checkpoint?: Uint8Array, loadMode: 'weights' | 'resume' = 'resume') {
  const events: TrainEvent[] = [];
  let t = 0;
  const withMode: SessionSpec = checkpoint ? { ...spec, checkpoint: { load_mode: loadMode, save_every: 0, save_optimizer: true } } : spec;
  const session = new TrainingSession(withMode, split, { onEvent: (e) => events.push(e), now: () => t++, checkpoint });
  const records = (): MetricRecord[] => events.flatMap((e) => (e.type === 'records' ? e.records : []));
  return { session, events, records };
}

/** Records without wall time (a resumed run has its own clock). */
const timeless = (records: MetricRecord[]) => records.map((r) => (r.kind === 'epoch' ? { ...r, elapsed_ms: 0 } : r));

function modelTensors(session: TrainingSession) {
  const { tensors } = decodeRunCheckpoint(session.saveCheckpoint()).file;
  return new Map([...tensors].filter(([name]) => /^\d/.test(name)).map(([name, t]) => [name, Array.from(t.data)]));
}

describe('whole-run checkpoints', () => {
  it('save → load is bit-exact (model, optimizer, schedulers, EMA, best weights, RNG) and saving again gives the same bytes', () => {
    const a = collect(richSpec());
    while (a.records().filter((r) => r.kind === 'step').length < 13) a.session.runFor(0);
    const bytes = a.session.saveCheckpoint();
    const b = collect(richSpec(), bytes);
    expect(b.session.saveCheckpoint().subarray(0, bytes.length)).toEqual(bytes.subarray(0, bytes.length));
    // elapsed_ms lives in the session metadata and is the same (no time passed in b)
    expect(b.session.saveCheckpoint()).toEqual(bytes);
    const decoded = decodeRunCheckpoint(bytes);
    const names = [...decoded.file.tensors.keys()];
    expect(names).toContain('1.num_batches_tracked');
    expect(names).toContain('optimizer.state.0.exp_avg');
    expect(names).toContain('optimizer.state.0.exp_avg_sq');
    expect(names).toContain('ema.1.running_var');
    expect(names).toContain('early_stopping.best.0.weight');
    expect(names).toContain('session.order');
    expect(decoded.file.tensors.get('1.num_batches_tracked')!.dtype).toBe('I64');
    expect(decoded.optimizer!.state.param_groups[0]).toMatchObject({ lr: expect.any(Number), params: [0, 1, 2, 3, 4, 5] });
    expect(decoded.session).toMatchObject({ epochs_done: 2, step: 13, batch_in_epoch: 1 }); // 6 steps per epoch
  });

  for (const [label, k] of [
    ['at an epoch boundary', 3 * 6],
    ['in the middle of an epoch', 3 * 6 + 4],
  ] as const) {
    it(`resuming ${label} gives the same records and weights as a run that never stopped`, () => {
      const straight = collect(richSpec());
      const straightSummary = straight.session.runToEnd();

      const first = collect(richSpec());
      while (first.records().filter((r) => r.kind === 'step').length < k) first.session.runFor(0);
      const bytes = first.session.saveCheckpoint();
      const resumed = collect(richSpec(), bytes);
      expect(resumed.session.header.resumed_from).toEqual({ epoch: Math.floor(k / 6), step: k });
      const resumedSummary = resumed.session.runToEnd();

      const before = first.records().length;
      expect(timeless(resumed.records())).toEqual(timeless(straight.records()).slice(before));
      expect(modelTensors(resumed.session)).toEqual(modelTensors(straight.session));
      expect({ ...resumedSummary.final, elapsed_ms: 0 }).toEqual({ ...straightSummary.final, elapsed_ms: 0 });
      expect(resumedSummary.best).toEqual(straightSummary.best);
      expect(resumedSummary.early_stopping).toEqual(straightSummary.early_stopping);
    });
  }

  it('a run of k epochs, saved at its end, continues into a longer run exactly', () => {
    // The schedules here do not depend on the run length (T_max and the momentum ramp are fixed).
    const spec = (epochs: number): SessionSpec => ({
      ...richSpec(epochs),
      training: { ...richSpec(epochs).training, early_stopping: undefined },
      momentum_schedule: undefined,
    });
    const straight = collect(spec(6));
    straight.session.runToEnd();
    const short = collect(spec(4));
    short.session.runToEnd();
    const resumed = collect(spec(6), short.session.saveCheckpoint());
    resumed.session.runToEnd();
    expect(timeless(resumed.records())).toEqual(timeless(straight.records()).slice(short.records().length));
    expect(modelTensors(resumed.session)).toEqual(modelTensors(straight.session));
  });

  it('the RNG positions are part of the state: without them, dropout and shuffling would differ', () => {
    const run = collect(richSpec());
    run.session.runFor(0);
    const bytes = run.session.saveCheckpoint();
    const session = decodeRunCheckpoint(bytes).session as { random: { shuffle: number[]; layers: { layer: number }[] } };
    expect(session.random.layers.map((l) => l.layer)).toEqual([3]); // the dropout layer
    const fresh = new Random(7).fork('shuffle');
    expect(session.random.shuffle).not.toEqual(randomState(fresh));
  });

  it('randomState / setRandomState continue a generator exactly', () => {
    const a = new Random(5);
    a.normal();
    const b = new Random(99);
    setRandomState(b, randomState(a));
    expect([b.normal(), b.uniform(), b.nextUint32()]).toEqual([a.normal(), a.uniform(), a.nextUint32()]);
    const model = buildModel([{ type: 'linear', out_features: 3, bias: true }, { type: 'dropout', p: 0.5 }, { type: 'linear', bias: true }], 2, 2,
      { weight: { type: 'default' }, bias: { type: 'default' } }, new Random(1), 4, jsKernels);
    expect(layerRandoms(model).map((r) => r.layer)).toEqual([1]);
  });

  it('load_mode weights: starts from the weights only (a fresh optimizer, epoch 1)', () => {
    const trained = collect(richSpec(2));
    trained.session.runToEnd();
    const bytes = trained.session.saveCheckpoint();
    const fromWeights = collect(richSpec(1), bytes, 'weights');
    expect(fromWeights.session.header.resumed_from).toBeUndefined();
    expect(modelTensors(fromWeights.session)).toEqual(modelTensors(trained.session));
    fromWeights.session.runToEnd();
    expect(fromWeights.records()[0]).toMatchObject({ kind: 'step', step: 1, epoch: 1 });
  });

  it('refuses to resume from a weights-only file, another optimizer or another data size', () => {
    const torchWeights = torchFile();
    const spec: SessionSpec = {
      ...richSpec(),
      model: layerSpecs(fixture.layers as LayerInput[]),
      training: { ...richSpec().training, ema: undefined },
    };
    const data: DataSplit = { train: { ...blobs(12, 3), features: 3, x: new Float32Array(36), outputs: 2, y: new Float32Array(12), classNames: ['a', 'b'] }, validation: blobs(0, 1), description: 'x' };
    const noValidation = { ...spec, training: { ...spec.training, early_stopping: undefined } };
    const weightsOnly = specError(
      () => new TrainingSession({ ...noValidation, checkpoint: { load_mode: 'resume', save_every: 0, save_optimizer: true } }, data, { onEvent: () => {}, checkpoint: torchWeights }),
    );
    expect(weightsOnly.message).toMatch(/only model weights .* "load_mode": "weights"/);
    // ... which load fine as weights
    new TrainingSession(noValidation, data, { onEvent: () => {}, checkpoint: torchWeights });

    const adam = collect(richSpec());
    adam.session.runFor(0);
    const bytes = adam.session.saveCheckpoint();
    const sgd = { ...richSpec(), optimizer: { type: 'sgd', lr: 0.1, momentum: 0, dampening: 0, weight_decay: 0, nesterov: false, maximize: false } } as SessionSpec;
    expect(specError(() => collect(sgd, bytes)).message).toBe("the checkpoint was trained with optimizer 'adam' but the experiment uses 'sgd'");
    const smaller: DataSplit = { ...split, train: blobs(60, 1) };
    expect(
      specError(() => new TrainingSession({ ...richSpec(), checkpoint: { load_mode: 'resume', save_every: 0, save_optimizer: true } }, smaller, { onEvent: () => {}, checkpoint: bytes })).message,
    ).toBe('the checkpoint was trained on 90 rows but this training set has 60');
  });

  it('delivers checkpoints every save_every epochs and at the end', () => {
    const saved: { epoch: number; final: boolean; bytes: Uint8Array }[] = [];
    const spec: SessionSpec = { ...richSpec(5), checkpoint: { save: 'ckpt.safetensors', load_mode: 'weights', save_every: 2, save_optimizer: false } };
    new TrainingSession(spec, split, { onEvent: () => {}, onCheckpoint: (c) => saved.push(c) }).runToEnd();
    expect(saved.map((c) => [c.epoch, c.final])).toEqual([[2, false], [4, false], [5, true]]);
    // save_optimizer false: weights only (still loadable as weights, not resumable)
    expect(decodeRunCheckpoint(saved[2].bytes).optimizer).toBeUndefined();
  });

  it('keeps non-finite numbers in JSON metadata', () => {
    expect(parseJson(stringify({ a: Infinity, b: [-Infinity, NaN, 1] }))).toEqual({ a: Infinity, b: [-Infinity, NaN, 1] });
  });
});
