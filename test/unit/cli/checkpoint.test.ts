import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../cli/main';
import { decodeSafetensors } from '../../../engine/checkpoint/safetensors';
import { readRun } from '../../../engine/runs/runFiles';
import type { EpochRecord } from '../../../engine/train/events';

/**
 * A small run with everything that carries state across epochs: momentum, a schedule, dropout
 * (its masks draw from a random stream), shuffling. `half` stops after 3 epochs and saves;
 * `resume` continues from that file to 6 epochs; the base runs all 6 epochs at once.
 */
const EXPERIMENT = `{
  "name": "resumable",
  "data": { "type": "spiral", "samples": 150, "noise": 0.1 },
  "model": [{ "type": "linear", "out_features": 16 }, "tanh", { "type": "dropout", "p": 0.2 }, "linear"],
  "optimizer": { "type": "sgd", "lr": 0.2, "momentum": 0.9 },
  "schedule": { "type": "step", "step_size": 2, "gamma": 0.5 },
  "training": { "epochs": 6, "batch_size": 16, "seed": 3 },
  "checkpoint": { "save": "checkpoints/straight.safetensors" },
  "variants": {
    "half": { "training": { "epochs": 3 }, "checkpoint": { "save": "checkpoints/half.safetensors" } },
    "resume": { "checkpoint": { "load": "checkpoints/half.safetensors", "load_mode": "resume", "save": "checkpoints/resumed.safetensors" } },
    "weights": { "checkpoint": { "load": "checkpoints/half.safetensors", "save": "checkpoints/from-weights.safetensors" } },
    "periodic": { "checkpoint": { "save": "checkpoints/periodic.safetensors", "save_every": 2 } }
  }
}
`;

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'trainscope-ckpt-'));
  fs.writeFileSync(path.join(root, 'package.json'), '{}');
  fs.mkdirSync(path.join(root, 'exp'));
  fs.writeFileSync(path.join(root, 'exp', 'resumable.experiment.json'), EXPERIMENT);
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: t => void (stdout += t), stderr: t => void (stderr += t), cwd: root });
  return { code, stdout, stderr };
}

async function run(variant?: string): Promise<{ summary: Record<string, unknown>; epochs: EpochRecord[] }> {
  const r = await cli(['run', 'exp/resumable.experiment.json', '--json', '--quiet', ...(variant ? ['--variant', variant] : [])]);
  expect(r.code, r.stderr).toBe(0);
  const summary = JSON.parse(r.stdout);
  const { records } = readRun(path.join(root, summary.run_dir));
  return { summary, epochs: records.filter((x): x is EpochRecord => x.kind === 'epoch') };
}

function weights(file: string): Map<string, number[]> {
  const decoded = decodeSafetensors(new Uint8Array(fs.readFileSync(path.join(root, 'exp', 'checkpoints', file))));
  const out = new Map<string, number[]>();
  for (const [name, t] of decoded.tensors) if (/^\d+\./.test(name)) out.set(name, Array.from(t.data));
  return out;
}

// 150 samples, 20% validation → 120 training examples in batches of 16: 8 steps per epoch.

/** What must be identical between two runs (not the wall time). */
const measured = (r: EpochRecord): unknown => ({ epoch: r.epoch, step: r.step, train_loss: r.train_loss, val_loss: r.val_loss, lr: r.lr, acc: r.val_accuracy });

describe('trainscope run: checkpoints', () => {
  it('saves the final checkpoint where the experiment says, relative to it, and says so', async () => {
    const r = await cli(['run', 'exp/resumable.experiment.json']);
    expect(r.code).toBe(0);
    const shown = path.join('exp', 'checkpoints', 'straight.safetensors');
    expect(r.stderr).toContain(`checkpoint: epoch 6, step 48 (final) → ${shown}\n`);
    expect(r.stdout).toContain(`checkpoint: ${shown}\n`);
    expect([...weights('straight.safetensors').keys()].sort()).toEqual(['0.bias', '0.weight', '3.bias', '3.weight']);
  });

  it('a resumed run ends with the same weights and records as a straight run', async () => {
    const straight = await run();
    const half = await run('half');
    expect(half.epochs.map(e => e.epoch)).toEqual([1, 2, 3]);
    const resumed = await run('resume');
    expect(resumed.summary).toMatchObject({ status: 'completed', epochs: 6, steps: 48, checkpoint: path.join('exp', 'checkpoints', 'resumed.safetensors') });
    // The resumed run reports epochs 4..6 only, each exactly as the straight run did.
    expect(resumed.epochs.map(measured)).toEqual(straight.epochs.slice(3).map(measured));
    expect(half.epochs.map(measured)).toEqual(straight.epochs.slice(0, 3).map(measured));
    expect(weights('resumed.safetensors')).toEqual(weights('straight.safetensors'));
    // The header says where it resumed from.
    const meta = readRun(path.join(root, resumed.summary.run_dir as string)).meta;
    expect(meta.header?.resumed_from).toEqual({ epoch: 3, step: 24 });
  });

  it("load_mode 'weights' starts a new run from the saved weights", async () => {
    await run('half');
    const fromWeights = await run('weights');
    expect(fromWeights.epochs.map(e => e.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    const fresh = await run();
    // Same seed, other starting weights: the first epoch differs from a fresh run's.
    expect(fromWeights.epochs[0].train_loss).not.toBe(fresh.epochs[0].train_loss);
    expect(fromWeights.epochs[0].train_loss).toBeLessThan(fresh.epochs[0].train_loss);
  });

  it('save_every writes during the run (each overwrites the last) and at the end', async () => {
    const r = await cli(['run', 'exp/resumable.experiment.json', '--variant', 'periodic']);
    expect(r.code).toBe(0);
    const lines = r.stderr.split('\n').filter(l => l.startsWith('checkpoint:'));
    const shown = path.join('exp', 'checkpoints', 'periodic.safetensors');
    expect(lines).toEqual([
      `checkpoint: epoch 2, step 16 → ${shown}`,
      `checkpoint: epoch 4, step 32 → ${shown}`,
      `checkpoint: epoch 6, step 48 (final) → ${shown}`,
    ]);
    expect(fs.readdirSync(path.join(root, 'exp', 'checkpoints'))).toEqual(['periodic.safetensors']);
  });

  it('a checkpoint to load that is missing, or not a checkpoint, is an error at checkpoint.load', async () => {
    const file = 'exp/resumable.experiment.json';
    const at = (needle: string): string => {
      const before = EXPERIMENT.slice(0, EXPERIMENT.indexOf(needle)).split('\n');
      return `${before.length}:${before[before.length - 1].length + 1}`;
    };
    const missing = await cli(['run', file, '--variant', 'resume']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      `${path.join('exp', 'resumable.experiment.json')}:${at('"load": "checkpoints/half.safetensors"')}: error: ` +
        `checkpoint 'checkpoints/half.safetensors' not found (looked for ${path.join(root, 'exp', 'checkpoints', 'half.safetensors')})\n`,
    );
    fs.mkdirSync(path.join(root, 'exp', 'checkpoints'));
    fs.writeFileSync(path.join(root, 'exp', 'checkpoints', 'half.safetensors'), 'not a checkpoint');
    const garbage = await cli(['run', file, '--variant', 'resume']);
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toMatch(
      new RegExp(`^exp[\\\\/]resumable\\.experiment\\.json:${at('"load": "checkpoints/half.safetensors"')}: error: not a valid safetensors file`),
    );
  });

  it('checkpoint paths must stay inside the workspace', async () => {
    const file = path.join(root, 'exp', 'escape.experiment.json');
    fs.writeFileSync(file, EXPERIMENT.replace('"checkpoints/straight.safetensors"', '"../../straight.safetensors"'));
    const r = await cli(['run', file]);
    expect(r.code).toBe(1);
    const line = EXPERIMENT.split('\n')[7];
    expect(r.stderr).toBe(
      `${path.join('exp', 'escape.experiment.json')}:8:${line.indexOf('"save": "checkpoints/straight') + 1}: error: '../../straight.safetensors' is outside the workspace root ${root} ` +
        `(the nearest folder above the experiment file with package.json); checkpoints must be inside it\n`,
    );
  });
});
