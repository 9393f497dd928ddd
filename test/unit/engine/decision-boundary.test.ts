import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsKernels } from '../../../engine/core/jsKernels';
import { Random } from '../../../engine/core/random';
import type { DataSplit, Dataset } from '../../../engine/data/dataset';
import type { ExperimentSpec } from '../../../engine/experiment/sections';
import { buildModel } from '../../../engine/nn/sequential';
import { readDigest, readRecords } from '../../../engine/runs/runReader';
import { RunRecorder } from '../../../engine/runs/runRecorder';
import { boundaryFigure } from '../../../contract/boundaryFigure';
import { DecisionBoundary, classify, hasDecisionBoundary, type BoundaryRecord } from '../../../engine/train/decisionBoundary';
import type { MetricRecord, TrainEvent } from '../../../engine/train/events';
import { TrainingSession } from '../../../engine/train/session';
import { layerSpecs, lossSpec } from '../specs';

/** Three Gaussian blobs in 2-D. */
function blobs(size: number, seed: number, classes = 3): Dataset {
  const rng = new Random(seed);
  const x = new Float32Array(size * 2);
  const y = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const label = i % classes;
    x[2 * i] = Math.cos((2 * Math.PI * label) / classes) * 2 + 0.5 * rng.normal();
    x[2 * i + 1] = Math.sin((2 * Math.PI * label) / classes) * 2 + 0.5 * rng.normal();
    y[i] = label;
  }
  return { task: 'classification', size, features: 2, outputs: classes, x, y, featureNames: ['x1', 'x2'] };
}

const init = { weight: { type: 'default' }, bias: { type: 'default' } } as ExperimentSpec['init'];

/** The model's prediction at one point, by a forward pass of that single row. */
function predictOne(model: ReturnType<typeof buildModel>, x: number, y: number): { cls: number; p: number } {
  const out = model.forward(Float32Array.from([x, y]), 1, false);
  if (model.outputs === 1) return { cls: out[0] > 0 ? 1 : 0, p: out[0] > 0 ? 1 / (1 + Math.exp(-out[0])) : 1 - 1 / (1 + Math.exp(-out[0])) };
  const scores = [...out.subarray(0, model.outputs)];
  const max = Math.max(...scores);
  const cls = scores.indexOf(max);
  return { cls, p: 1 / scores.reduce((s, v) => s + Math.exp(v - max), 0) };
}

describe('decision boundary grid', () => {
  it("predicts at each cell centre what the model's own forward pass predicts there (eval mode: dropout and batch norm included)", () => {
    const train = blobs(90, 1);
    const model = buildModel(
      layerSpecs([{ type: 'linear', out_features: 16 }, { type: 'batch_norm' }, { type: 'tanh' }, { type: 'dropout', p: 0.5 }, { type: 'linear' }]),
      2,
      3,
      init,
      new Random(7),
      100,
      jsKernels,
    );
    // Train-mode forwards move batch norm's running statistics off their start.
    for (let i = 0; i < 3; i++) model.forward(train.x.subarray(0, 180), 90, true);
    // Chunks of 100 rows: the grid needs several forward passes.
    const grid = new DecisionBoundary(model, train, 100, 20).evaluate(5, 1);
    expect(grid).toMatchObject({ kind: 'boundary', step: 5, epoch: 1, resolution: 20, classes: 3 });
    expect(grid.predicted).toHaveLength(400);
    const seen = new Set<number>();
    for (let r = 0; r < 20; r++) {
      for (let c = 0; c < 20; c++) {
        const x = Math.fround(grid.x0 + ((c + 0.5) * (grid.x1 - grid.x0)) / 20);
        const y = Math.fround(grid.y1 - ((r + 0.5) * (grid.y1 - grid.y0)) / 20);
        const one = predictOne(model, x, y);
        expect(grid.predicted[r * 20 + c]).toBe(one.cls);
        expect(grid.confidence[r * 20 + c]).toBeCloseTo(one.p, 3);
        seen.add(one.cls);
      }
    }
    // The plane spans the points with a margin.
    const xs = [...train.x].filter((_, i) => i % 2 === 0);
    expect(grid.x0).toBeLessThan(Math.min(...xs));
    expect(grid.x1).toBeGreaterThan(Math.max(...xs));
    // The training points ride along: x, y, class.
    expect(grid.points).toHaveLength(90 * 3);
    expect(grid.points.slice(0, 3)).toEqual([train.x[0], train.x[1], 0]);
  });

  it('reads one logit as class 1 when positive (bce_with_logits), and NaN outputs as class 0 of no confidence', () => {
    const predicted: number[] = [];
    const confidence: number[] = [];
    classify(Float32Array.from([2, -1, 0]), 3, 1, 0, predicted, confidence);
    expect(predicted).toEqual([1, 0, 0]);
    expect(confidence[0]).toBeCloseTo(1 / (1 + Math.exp(-2)), 3);
    expect(confidence[2]).toBe(0.5);
    classify(Float32Array.from([1, NaN, 0, 0, 3, 3]), 3, 2, 0, predicted, confidence);
    expect(predicted).toEqual([0, 0, 0]); // NaN; a tie goes to the first, as torch.argmax
    expect(confidence).toEqual([0, 0.5, 0.5]);
  });

  it('with probability targets (soft labels), draws each point as its likeliest class', () => {
    const soft: Dataset = {
      task: 'probabilities',
      size: 3,
      features: 2,
      outputs: 3,
      x: Float32Array.of(0, 0, 1, 1, 2, 2),
      y: Float32Array.of(0.2, 0.8, 0, 0.1, 0.1, 0.8, 0.5, 0.5, 0),
      featureNames: ['x1', 'x2'],
      classNames: ['p_circle', 'p_square', 'p_triangle'],
    };
    expect(hasDecisionBoundary(soft)).toBe(true);
    const model = buildModel(layerSpecs([{ type: 'linear' }]), 2, 3, init, new Random(1), 64, jsKernels);
    const grid = new DecisionBoundary(model, soft, 64, 8).evaluate(1, 1);
    expect(grid.points).toEqual([0, 0, 1, 1, 1, 2, 2, 2, 0]);
    // The data's names for its classes go with the grid (the legend's), none for unnamed classes.
    expect(grid.names).toEqual(['p_circle', 'p_square', 'p_triangle']);
    expect(boundaryFigure(grid, 200, 200, ['rgb(0, 0, 255)'], { background: '#fff', foreground: '#000', muted: '#555', grid: '#ccc' }, 'b').legend?.map((l) => l.label)).toEqual(['p_circle', 'p_square', 'p_triangle']);
    expect(new DecisionBoundary(model, blobs(30, 1), 64, 8).evaluate(1, 1).names).toBeUndefined();
  });

  it('is only drawn for classification with two features, and keeps a thousand points at most', () => {
    expect(hasDecisionBoundary(blobs(10, 1))).toBe(true);
    expect(hasDecisionBoundary({ ...blobs(10, 1), task: 'regression' })).toBe(false);
    expect(hasDecisionBoundary({ ...blobs(10, 1), features: 3 })).toBe(false);
    const model = buildModel(layerSpecs([{ type: 'linear' }]), 2, 3, init, new Random(1), 64, jsKernels);
    const grid = new DecisionBoundary(model, blobs(2500, 2), 64, 8).evaluate(1, 1);
    expect(grid.points.length / 3).toBeLessThanOrEqual(1000);
    expect(grid.points.length / 3).toBeGreaterThan(800);
  });
});

describe('decision boundary in a run', () => {
  const split: DataSplit = { train: blobs(120, 1), validation: blobs(30, 2), description: 'three blobs' };
  const spec = {
    name: 'grid',
    data: { type: 'blobs', samples: 150, classes: 3, noise: 0.5, seed: 1, validation_split: 0.2 },
    model: layerSpecs([{ type: 'linear', out_features: 8 }, { type: 'relu' }, { type: 'linear' }]),
    init,
    loss: lossSpec({ type: 'cross_entropy' }),
    optimizer: { type: 'sgd', lr: 0.1, momentum: 0, dampening: 0, weight_decay: 0, nesterov: false, maximize: false },
    training: { epochs: 4, batch_size: 16, seed: 3, shuffle: true },
    probes: { every: 5, at_init: true, bins: 10, saturation: 0.97 },
  } as unknown as ExperimentSpec;

  function train(intervalMs: number | undefined): MetricRecord[] {
    const events: TrainEvent[] = [];
    let t = 0;
    const session = new TrainingSession(spec, split, {
      onEvent: (e) => events.push(e),
      now: () => (t += 10),
      ...(intervalMs === undefined ? {} : { decisionBoundary: { intervalMs } }),
    });
    session.runToEnd();
    return events.flatMap((e) => (e.type === 'records' ? e.records : []));
  }

  it('comes at the first step, after probes no more often than asked, and at the end; never unless asked', () => {
    expect(train(undefined).some((r) => r.kind === 'boundary')).toBe(false);
    const records = train(1e9);
    const grids = records.filter((r): r is BoundaryRecord => r.kind === 'boundary');
    expect(grids.map((g) => g.step)).toEqual([1, 32]); // 4 epochs × 8 steps
    expect(grids[1].epoch).toBe(4);
    // Every probe when the interval allows (probes at 1, 5, 10, ..., 30), and the end.
    const often = train(0).filter((r): r is BoundaryRecord => r.kind === 'boundary');
    expect(often.map((g) => g.step)).toEqual([1, 5, 10, 15, 20, 25, 30, 32]);
    // The grid is what the trained model predicts: most training points fall in their own class.
    const last = grids[1];
    let right = 0;
    for (let i = 0; i < last.points.length; i += 3) {
      const c = Math.min(last.resolution - 1, Math.floor(((last.points[i] - last.x0) / (last.x1 - last.x0)) * last.resolution));
      const r = Math.min(last.resolution - 1, Math.floor(((last.y1 - last.points[i + 1]) / (last.y1 - last.y0)) * last.resolution));
      if (last.predicted[r * last.resolution + c] === last.points[i + 2]) right++;
    }
    expect(right / (last.points.length / 3)).toBeGreaterThan(0.9);
  });

  it("is kept in the run folder as the digest's latest grid, not among the records", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boundary-'));
    try {
      const records = train(0);
      const recorder = new RunRecorder(dir);
      recorder.add(records);
      recorder.close();
      const { digest } = readDigest(dir);
      const lastGrid = records.filter((r) => r.kind === 'boundary').at(-1);
      expect(digest.boundary).toEqual(lastGrid);
      expect(digest.counts.steps).toBe(32);
      expect(readRecords(dir).some((r) => r.kind === 'boundary')).toBe(false);
      expect(readRecords(dir)).toHaveLength(records.length - 8);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
