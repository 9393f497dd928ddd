import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../cli/main';

/** Diagnostic findings on the command line: each at the key it blames, counted in the summary. */

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'trainscope-findings-'));
  fs.writeFileSync(path.join(root, 'package.json'), '{}');
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

async function run(file: string, text: string): Promise<{ code: number; stdout: string; stderr: string }> {
  fs.writeFileSync(path.join(root, file), text);
  let stdout = '';
  let stderr = '';
  const code = await main(['run', file], { stdout: t => void (stdout += t), stderr: t => void (stderr += t), cwd: root });
  return { code, stdout, stderr };
}

/** 1-based line:column of the first `needle` in `text`. */
function at(text: string, needle: string): string {
  const before = text.slice(0, text.indexOf(needle)).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

/** The output lines of findings (and other located problems) of that severity. */
const lines = (output: string, severity: string): string[] => output.split('\n').filter(l => l.includes(`: ${severity}: `));

const DATA = '"data": { "type": "spiral", "samples": 300, "classes": 3, "seed": 1 }';

describe('trainscope run: diagnostic findings', () => {
  it('an exploding loss (lr 1e6) is an error at the lr, and the run exits 3', async () => {
    const text = `{
  ${DATA},
  "model": [{ "type": "linear", "out_features": 32 }, "relu", { "type": "linear" }],
  "optimizer": { "type": "sgd", "lr": 1e6 },
  "training": { "epochs": 3, "batch_size": 32, "seed": 0 }
}
`;
    const r = await run('huge-lr.experiment.json', text);
    expect(r.code).toBe(3);
    // Findings and the summary go to stdout (progress to stderr), the finding at the key to change.
    const errors = lines(r.stdout, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`^huge-lr\\.experiment\\.json:${at(text, '"lr": 1e6')}: error: (?=.*learning rate)(?=.*\\bstep \\d+)`));
    expect(lines(r.stderr, 'error')).toEqual([]);
    expect(r.stdout).toMatch(/\nfailed: /);
    expect(r.stdout).toContain('findings: 1 error, 0 warnings, 0 info\n');
  });

  it('a deep tanh net initialized with normal(0, 0.01) gets a warning at the init weight key', async () => {
    const hidden = Array.from({ length: 6 }, () => '{ "type": "linear", "out_features": 64 }, "tanh"').join(',\n    ');
    // Zero biases: PyTorch's default biases would keep the activations from vanishing.
    const text = `{
  ${DATA},
  "model": [
    ${hidden},
    { "type": "linear" }
  ],
  "init": { "weight": { "type": "normal", "std": 0.01 }, "bias": "zeros" },
  "optimizer": { "type": "sgd", "lr": 0.1 },
  "training": { "epochs": 2, "batch_size": 32, "seed": 0 }
}
`;
    const r = await run('deep-tanh.experiment.json', text);
    expect(r.code).toBe(0);
    const warnings = lines(r.stdout, 'warning');
    const initWarning = `deep-tanh.experiment.json:${at(text, '"weight": { "type": "normal"')}: warning: At initialization the activations shrink`;
    expect(warnings.filter(l => l.startsWith(initWarning))).toHaveLength(1);
    // Its consequences (flat loss, tiny updates, vanishing gradients) are notes of that one finding, not findings of their own.
    expect(warnings.filter(l => /"lr"|learning rate/.test(l))).toEqual([]);
    expect(lines(r.stdout, 'error')).toEqual([]);
    expect(r.stdout).toMatch(new RegExp(`findings: 0 errors, ${warnings.length} warnings?, \\d+ info\\n`));
  });

  it('a healthy run prints no warnings or errors', async () => {
    const text = fs.readFileSync(path.resolve(__dirname, '../../fixtures/experiments/spiral.experiment.json'), 'utf8');
    const r = await run('spiral.experiment.json', text);
    expect(r.code).toBe(0);
    expect(lines(r.stderr, 'warning')).toEqual([]);
    expect(lines(r.stderr, 'error')).toEqual([]);
    expect(r.stdout).toContain('findings: 0 errors, 0 warnings');
  });

  it("the experiment file's own warnings, printed before the run, are counted apart from training's findings", async () => {
    const text = `{
  ${DATA},
  "model": [{ "type": "linear", "out_features": 16 }, "relu", { "type": "linear" }],
  "optimizer": { "type": "sgd", "lr": 0.1 },
  "training": { "epochs": 2, "batch_size": 32, "seed": 0, "early_stopping": { "monitor": "train_loss" } }
}
`;
    const r = await run('short.experiment.json', text);
    expect(r.code).toBe(0);
    expect(lines(r.stderr, 'warning')).toEqual([
      `short.experiment.json:${at(text, '"early_stopping"')}: warning: patience 10 (the default) is not below the 2 epochs of the run, so training can never stop early`,
    ]);
    expect(r.stdout).toMatch(/^findings: 0 errors, \d+ warnings?, \d+ info · experiment file: 1 warning \(above\)$/m);
  });
});
