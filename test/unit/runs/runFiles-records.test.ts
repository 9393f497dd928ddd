/**
 * Probe and finding records on disk: RunWriter appends them to metrics.jsonl with the
 * step and epoch records, and readRun gives back the same stream when a run is reopened.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Random } from '../../../engine/core/random';
import type { DataSplit, Dataset } from '../../../engine/data/dataset';
import { parseMetrics, readRun, RunWriter } from '../../../engine/runs/runFiles';
import type { MetricRecord, TrainEvent } from '../../../engine/train/events';
import { TrainingSession, type SessionSpec } from '../../../engine/train/session';
import { lossSpec } from '../specs';

/** Three noisy blobs in the plane. */
function blobs(size: number, seed: number): Dataset {
  const rng = new Random(seed);
  const x = new Float32Array(size * 2);
  const y = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const label = i % 3;
    x[2 * i] = label - 1 + 0.5 * rng.normal();
    x[2 * i + 1] = (label === 1 ? 1 : -1) + 0.5 * rng.normal();
    y[i] = label;
  }
  return { task: 'classification', size, features: 2, outputs: 3, x, y, featureNames: ['x1', 'x2'], classNames: ['a', 'b', 'c'] };
}

const data: DataSplit = { train: blobs(96, 1), validation: blobs(30, 2), description: 'blobs' };

/** A run that reports probes every 4 steps and findings: weights of N(0, 3²) start confidently wrong. */
const spec: SessionSpec = {
  name: 'blobs probes',
  data: { type: 'blobs', samples: 126, classes: 3, noise: 0.5, seed: 1, validation_split: 0.25 },
  model: [{ type: 'linear', out_features: 16, bias: true }, { type: 'relu' }, { type: 'linear', bias: true }],
  init: { weight: { type: 'normal', mean: 0, std: 3 }, bias: { type: 'zeros' } },
  loss: lossSpec({ type: 'cross_entropy' }),
  optimizer: { type: 'adam', lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false, maximize: false, decoupled_weight_decay: false },
  training: { epochs: 3, batch_size: 16, seed: 3, shuffle: true },
  probes: { every: 4 },
};

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trainscope-run-records-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('probe and finding records in run files', () => {
  it('a run written by RunWriter reads back the same records, in order', () => {
    const writer = RunWriter.create(dir, { experiment: spec.name, file: 'blobs.experiment.json', spec });
    const emitted: MetricRecord[] = [];
    const session = new TrainingSession(spec, data, {
      onEvent: (event: TrainEvent) => {
        writer.write(event);
        if (event.type === 'records') emitted.push(...event.records);
      },
    });
    const summary = session.runToEnd();

    const kinds = new Set(emitted.map((r) => r.kind));
    expect([...kinds].sort()).toEqual(['epoch', 'finding', 'probe', 'step']);
    const { meta, records } = readRun(writer.dir);
    expect(records).toEqual(emitted);
    expect(meta.summary).toEqual(summary);
    expect(meta.summary?.findings?.warning).toBeGreaterThan(0);
    // probes and findings keep their place among the steps
    expect(records.map((r) => r.kind).slice(0, 3)).toEqual(['step', 'probe', 'finding']);
  });

  it('parseMetrics keeps every known kind and skips blank, cut-off, foreign and unknown lines', () => {
    const probe = { kind: 'probe', step: 4, epoch: 1, rows: 16, lr: 0.01, total_grad_norm: 1, layers: [], params: [] };
    const finding = { kind: 'finding', rule: 'loss-flat', severity: 'warning', step: 9, epoch: 1, message: 'flat', path: ['optimizer', 'lr'] };
    const text = [
      JSON.stringify({ kind: 'step', step: 4, epoch: 1, loss: 1, lr: 0.01 }),
      JSON.stringify(probe),
      '',
      JSON.stringify(finding),
      JSON.stringify({ kind: 'histogram', step: 5 }),
      JSON.stringify({ kind: 'probe' }),
      '[1, 2]',
      'null',
      '{"kind":"epoch","epoch":1,"st',
    ].join('\n');
    expect(parseMetrics(text)).toEqual([{ kind: 'step', step: 4, epoch: 1, loss: 1, lr: 0.01 }, probe, finding]);
  });
});
