import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseExperiment } from '../../../engine/experiment/parse';
import { listRuns, readRun, runFolderName, RunWriter, slug } from '../../../engine/runs/runFiles';
import type { RunHeader, RunSummary } from '../../../engine/train/events';

const spec = parseExperiment(
  JSON.stringify({ data: 'spiral', model: ['linear'], optimizer: { type: 'sgd', lr: 0.1 } }),
  'spiral.experiment.json',
).resolve()!.spec;

const header: RunHeader = {
  experiment: 'Spiral MLP',
  task: 'classification',
  data: { description: 'spiral', train: 240, validation: 60, features: 2, outputs: 3 },
  layers: ['Linear(2 → 3)'],
  parameters: 9,
  epochs: 2,
  stepsPerEpoch: 8,
  totalSteps: 16,
};

const summary: RunSummary = { status: 'completed', epochs: 2, steps: 16, elapsed_ms: 12, steps_per_second: 1333 };

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trainscope-runs-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('run folder names', () => {
  it('<YYYYMMDD-HHMMSS>-<slug>[--<variant>]', () => {
    const t = new Date(2025, 0, 31, 14, 5, 9);
    expect(runFolderName(t, 'Spiral MLP')).toBe('20250131-140509-spiral-mlp');
    expect(runFolderName(t, 'Spiral MLP', 'Adam (lr=0.01)')).toBe('20250131-140509-spiral-mlp--adam-lr-0-01');
  });

  it('slug keeps ASCII letters and digits', () => {
    expect(slug('Wine — Régression!')).toBe('wine-regression');
    expect(slug('***')).toBe('run');
  });
});

describe('RunWriter', () => {
  it('writes run.json, metrics.bin, series.bin and summary.json as the run goes', () => {
    const now = new Date(2025, 0, 31, 14, 5, 9);
    const w = RunWriter.create(dir, { experiment: 'Spiral MLP', variant: 'adam', file: 'ex/spiral.experiment.json', spec, now });
    expect(w.id).toBe('20250131-140509-spiral-mlp--adam');
    expect(w.dir).toBe(path.join(dir, w.id));
    let meta = JSON.parse(fs.readFileSync(path.join(w.dir, 'run.json'), 'utf8'));
    expect(meta).toEqual({
      format: 2,
      id: w.id,
      experiment: 'Spiral MLP',
      variant: 'adam',
      file: 'ex/spiral.experiment.json',
      started_at: now.toISOString(),
      status: 'running',
      spec,
    });

    w.write({ type: 'started', header });
    w.write({ type: 'records', records: [{ kind: 'step', step: 1, epoch: 1, loss: 1.1, lr: 0.1 }] });
    w.write({ type: 'log', level: 'info', message: 'hello' });
    w.write({
      type: 'records',
      records: [
        { kind: 'step', step: 2, epoch: 1, loss: 1.0, lr: 0.1 },
        { kind: 'epoch', epoch: 1, step: 2, train_loss: 0.9, lr: 0.1, elapsed_ms: 5 },
      ],
    });
    meta = JSON.parse(fs.readFileSync(path.join(w.dir, 'run.json'), 'utf8'));
    expect(meta.header).toEqual(header);
    expect(fs.existsSync(path.join(w.dir, 'summary.json'))).toBe(false);

    w.write({ type: 'finished', summary });
    const run = readRun(w.dir);
    expect(run.meta.status).toBe('completed');
    expect(run.meta.summary).toEqual(summary);
    expect(run.records.map(r => r.kind)).toEqual(['step', 'step', 'epoch']);
    expect(JSON.parse(fs.readFileSync(path.join(w.dir, 'summary.json'), 'utf8'))).toEqual(summary);
    expect(fs.statSync(path.join(w.dir, 'metrics.bin')).size).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(w.dir, 'series.bin'))).toBe(true);
  });

  it('only the first finished counts', () => {
    const w = RunWriter.create(dir, { experiment: 'x', file: 'x.experiment.json', spec });
    w.write({ type: 'finished', summary: { ...summary, status: 'stopped' } });
    w.write({ type: 'finished', summary: { ...summary, status: 'failed', error: 'late' } });
    w.markInterrupted();
    expect(readRun(w.dir).meta.status).toBe('stopped');
  });

  it('folder names are unique even within one second', () => {
    const now = new Date(2025, 5, 1, 8, 0, 0);
    const ids = Array.from({ length: 3 }, () => RunWriter.create(dir, { experiment: 'x', file: 'f', spec, now }).id);
    expect(ids).toEqual(['20250601-080000-x', '20250601-080000-x-2', '20250601-080000-x-3']);
  });

  it('markInterrupted records a run that ends without a summary', () => {
    const w = RunWriter.create(dir, { experiment: 'x', file: 'f', spec });
    w.markInterrupted();
    expect(readRun(w.dir).meta.status).toBe('interrupted');
  });
});

describe('listRuns and readRun', () => {
  it('lists runs newest first and skips folders that are not runs', () => {
    RunWriter.create(dir, { experiment: 'old', file: 'f', spec, now: new Date(2024, 0, 1) });
    RunWriter.create(dir, { experiment: 'new', file: 'f', spec, now: new Date(2025, 0, 1) });
    fs.mkdirSync(path.join(dir, 'not-a-run'));
    fs.writeFileSync(path.join(dir, 'stray.txt'), 'x');
    fs.mkdirSync(path.join(dir, 'broken'));
    fs.writeFileSync(path.join(dir, 'broken', 'run.json'), '{ "format": 1, "id": ');
    expect(listRuns(dir).map(r => r.experiment)).toEqual(['new', 'old']);
    expect(listRuns(path.join(dir, 'missing'))).toEqual([]);
  });

  it('a run cut off mid-write still loads: the torn last chunk is skipped', () => {
    const w = RunWriter.create(dir, { experiment: 'x', file: 'f', spec });
    w.write({ type: 'started', header });
    w.write({ type: 'records', records: [{ kind: 'step', step: 1, epoch: 1, loss: 1.1, lr: 0.1 }] });
    const file = path.join(w.dir, 'metrics.bin');
    const whole = fs.readFileSync(file);
    // The first 20 bytes of a second chunk: its header and a little of its body.
    fs.appendFileSync(file, whole.subarray(0, 20));
    const run = readRun(w.dir);
    expect(run.meta.status).toBe('running');
    expect(run.records).toEqual([{ kind: 'step', step: 1, epoch: 1, loss: 1.1, lr: 0.1 }]);
  });

  it('a run folder of the earlier format (metrics.jsonl) still opens, its torn last line skipped', () => {
    const old = path.join(dir, '20240101-000000-old');
    fs.mkdirSync(old);
    fs.writeFileSync(path.join(old, 'run.json'), JSON.stringify({ format: 1, id: 'x', experiment: 'old', file: 'f', started_at: '2024-01-01T00:00:00.000Z', status: 'completed', spec }));
    fs.writeFileSync(
      path.join(old, 'metrics.jsonl'),
      '{"kind":"step","step":1,"epoch":1,"loss":1.1,"lr":0.1}\n{"kind":"epoch","epoch":1,"step":1,"train_loss":0.9,"lr":0.1,"elapsed_ms":5}\n{"kind":"step","st',
    );
    expect(listRuns(dir).map(r => r.experiment)).toEqual(['old']);
    expect(readRun(old).records.map(r => r.kind)).toEqual(['step', 'epoch']);
  });

  it('the folder name is the id, even if the folder was renamed', () => {
    const w = RunWriter.create(dir, { experiment: 'x', file: 'f', spec });
    const moved = path.join(dir, 'renamed');
    fs.renameSync(w.dir, moved);
    expect(readRun(moved).meta.id).toBe('renamed');
  });
});
