import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportText, readEpochs } from '../../../extension/compare/exportMetrics';
import { RunRowsBuilder } from '../../../extension/compare/runRowsBuilder';
import { listRuns, readMeta, RunWriter } from '../../../engine/runs/runFiles';
import type { MetricRecord, RunSummary } from '../../../engine/train/events';
import type { RunManager } from '../../../extension/runs/runManager';
import type { StoredRun } from '../../../extension/runs/runStore';
import { optimizerRuns } from '../../fixtures/compare/runs';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trainscope-compare-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

type Settings = Record<string, unknown>;

/** A kept run of the optimizer example: 3 epochs of 4 steps, the loss falling by `rate` an epoch; `recordedBy` changes the settings run.json holds (a run from an older version). */
function keptRun(variant: string | undefined, second: number, rate: number, summary: Partial<RunSummary> = {}, recordedBy = (spec: Settings): Settings => spec): string {
  const spec = recordedBy(structuredClone(optimizerRuns().find(r => r.variant === variant)!.spec) as Settings) as never;
  const w = RunWriter.create(dir, { experiment: 'Optimizer comparison', variant, file: 'optimizers.experiment.json', spec, now: new Date(2026, 11, 5, 10, 0, second) });
  const records: MetricRecord[] = [];
  let loss = 1.1;
  for (let epoch = 1; epoch <= 3; epoch++) {
    for (let s = 1; s <= 4; s++) records.push({ kind: 'step', step: (epoch - 1) * 4 + s, epoch, loss: loss - s * 0.01, lr: 0.1 });
    loss *= rate;
    // The accuracy peaks at epoch 2: best and final differ.
    records.push({ kind: 'epoch', epoch, step: epoch * 4, train_loss: loss, train_accuracy: 0.5 + epoch * 0.1, val_loss: loss * 1.1, val_accuracy: epoch === 2 ? 0.8 : 0.6, lr: 0.1, elapsed_ms: epoch * 10 });
  }
  w.write({ type: 'records', records });
  w.write({ type: 'finished', summary: { status: 'completed', epochs: 3, steps: 12, elapsed_ms: 30, steps_per_second: 400, final: { epoch: 3, step: 12, train_loss: loss, train_accuracy: 0.8, val_loss: loss * 1.1, val_accuracy: 0.6, lr: 0.1, elapsed_ms: 30 }, ...summary } });
  return w.dir;
}

describe('exporting kept runs', () => {
  it('reads only the epochs of a run (its step chunks are skipped)', () => {
    const run = keptRun(undefined, 0, 0.5);
    const epochs = readEpochs(run);
    expect(epochs.map(e => e.epoch)).toEqual([1, 2, 3]);
    expect(epochs[1]).toEqual({ epoch: 2, step: 8, train_loss: 1.1 * 0.25, train_accuracy: 0.7, val_loss: 1.1 * 0.25 * 1.1, val_accuracy: 0.8, lr: 0.1, elapsed_ms: 20 });
  });

  it('a comparison as CSV: a row per run and epoch, the settings that differ as columns', () => {
    const runs = [keptRun(undefined, 0, 0.5), keptRun('adam', 1, 0.3)];
    const lines = exportText(runs, 'csv').trimEnd().split('\r\n');
    // SGD's momentum and Adam's betas differ too, but the optimizer's type says so: not columns of their own.
    expect(lines[0]).toBe('run_id,experiment,variant,label,optimizer.type,optimizer.lr,epoch,step,train_loss,train_accuracy,val_loss,val_accuracy,lr,elapsed_ms');
    expect(lines).toHaveLength(1 + 2 * 3);
    expect(lines[1]).toMatch(/^20261205-100000-optimizer-comparison,Optimizer comparison,,"base · optimizer sgd, lr 0\.1",sgd,0\.1,/);
    expect(lines[4]).toMatch(/^20261205-100001-optimizer-comparison--adam,Optimizer comparison,adam,"adam · optimizer adam, lr 0\.01",adam,0\.01,/);
    const last = 1.1 * 0.3 * 0.3 * 0.3;
    expect(lines[6]).toMatch(/,adam,/);
    expect(lines[6].endsWith(`,3,12,${last},0.8,${last * 1.1},0.6,0.1,30`)).toBe(true);
  });

  it('a run recorded before an option existed does not differ from a new run in it', () => {
    const beforeReduction = (spec: Settings): Settings => ({ ...spec, loss: { ...(spec.loss as object), reduction: undefined } });
    const runs = [keptRun(undefined, 0, 0.5, {}, beforeReduction), keptRun('adam', 1, 0.3)];
    expect(JSON.stringify(readMeta(runs[0]).spec.loss)).not.toContain('reduction');
    expect(exportText(runs, 'csv').split('\r\n')[0]).toBe('run_id,experiment,variant,label,optimizer.type,optimizer.lr,epoch,step,train_loss,train_accuracy,val_loss,val_accuracy,lr,elapsed_ms');
  });

  it('as JSON: each run with all its settings, its summary and its epochs', () => {
    const runs = [keptRun(undefined, 0, 0.5), keptRun('adam', 1, 0.3)];
    const parsed = JSON.parse(exportText(runs, 'json'));
    expect(parsed.runs.map((r: { label: string }) => r.label)).toEqual(['base · optimizer sgd, lr 0.1', 'adam · optimizer adam, lr 0.01']);
    expect(parsed.runs[1].settings['optimizer.betas']).toBe('[0.9,0.999]');
    expect(parsed.runs[1].settings['training.epochs']).toBe(40);
    expect(parsed.runs[0].summary.status).toBe('completed');
    expect(parsed.runs[0].epochs).toHaveLength(3);
  });
});

describe('the runs table rows of kept runs', () => {
  const noLiveRuns = { get: () => undefined } as unknown as RunManager;
  const stored = (): StoredRun[] => listRuns(dir).map(meta => ({ meta, dir: path.join(dir, meta.id), state: meta.status === 'running' ? 'interrupted' : meta.status }));

  it('final and best values, what each run changed, a test split where the summary has one', () => {
    keptRun(undefined, 0, 0.5);
    keptRun('adam', 1, 0.3, { test: { accuracy: 0.77, loss: 0.4 } } as Partial<RunSummary>);
    const builder = new RunRowsBuilder(noLiveRuns, (_id, d) => readMeta(d).spec);
    const rows = builder.rows(stored());
    const adam = rows.find(r => r.variant === 'adam')!;
    const base = rows.find(r => r.variant === undefined)!;
    expect(base.differing).toBe('optimizer sgd, lr 0.1');
    expect(adam.differing).toBe('optimizer adam, lr 0.01');
    expect(adam.metrics.final_val_accuracy).toBe(0.6);
    expect(adam.metrics.best_val_accuracy).toBe(0.8);
    expect(adam.metrics.best_train_loss).toBeCloseTo(1.1 * 0.3 ** 3);
    expect(adam.metrics.test_accuracy).toBe(0.77);
    expect(base.metrics.test_accuracy).toBeUndefined();
    expect(adam.settings['optimizer.lr']).toBe(0.01);
    expect(adam.metrics.steps_per_second).toBe(400);
  });

  it('a name given to a run is on its row', () => {
    const run = keptRun('adam', 1, 0.3);
    const meta = JSON.parse(fs.readFileSync(path.join(run, 'run.json'), 'utf8'));
    fs.writeFileSync(path.join(run, 'run.json'), JSON.stringify({ ...meta, name: 'my best' }));
    const rows = new RunRowsBuilder(noLiveRuns, (_id, d) => readMeta(d).spec).rows(stored());
    expect(rows[0].name).toBe('my best');
  });
});
