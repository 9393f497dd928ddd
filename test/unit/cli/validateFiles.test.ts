import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../cli/main';

/**
 * `validate` reports what `run` would refuse in the files an experiment names, with run's own
 * messages, at the key naming each file: a workspace (package.json) holding exp/x.experiment.json
 * and exp/data/flowers.csv, and a folder outside it.
 */
let root: string;
let outside: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'trainscope-validate-'));
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'trainscope-outside-'));
  fs.writeFileSync(path.join(root, 'package.json'), '{}');
  fs.mkdirSync(path.join(root, 'exp', 'data'), { recursive: true });
  fs.copyFileSync(path.resolve(__dirname, '../../fixtures/experiments/data/flowers.csv'), path.join(root, 'exp', 'data', 'flowers.csv'));
  fs.writeFileSync(path.join(outside, 'secret.csv'), 'a,species\n1,x\n');
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

const SHOWN = path.join('exp', 'x.experiment.json');
const ROOT_REASON = '(the nearest folder above the experiment file with package.json)';

/** A CSV experiment reading `dataPath`; its "path" key is at 2:28. */
const csvExperiment = (dataPath: string, rest = ''): string =>
  `{
  "data": { "type": "csv", "path": "${dataPath}", "target": "species" },
  "model": [{ "type": "linear", "out_features": 8 }, "relu", { "type": "linear" }],
  "optimizer": { "type": "adam", "lr": 0.01 }${rest}
}
`;

async function cli(command: 'validate' | 'run', experiment: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  fs.writeFileSync(path.join(root, 'exp', 'x.experiment.json'), experiment);
  let stdout = '';
  let stderr = '';
  const code = await main([command, SHOWN, ...args], { stdout: t => void (stdout += t), stderr: t => void (stderr += t), cwd: root });
  return { code, stdout, stderr };
}

describe('trainscope validate: the files the experiment names', () => {
  it('a data file that exists, inside the workspace: ok', async () => {
    expect(await cli('validate', csvExperiment('data/flowers.csv'))).toEqual({ code: 0, stdout: `${SHOWN}: ok — the experiment\n`, stderr: '' });
  });

  it('a path outside the workspace: an error at its key, as run says it', async () => {
    const r = await cli('validate', csvExperiment('../../secret.csv'));
    const message = `'../../secret.csv' is outside the workspace root ${root} ${ROOT_REASON}; data files must be inside it`;
    expect(r).toEqual({ code: 1, stdout: '', stderr: `${SHOWN}:2:28: error: ${message}\n${SHOWN}: 1 error\n` });
    const run = await cli('run', csvExperiment('../../secret.csv'), '--quiet');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`${SHOWN}:2:28: error: ${message}\n`);
  });

  it('a symbolic link inside the workspace to a file outside it: an error naming where it leads', async () => {
    fs.symlinkSync(path.join(outside, 'secret.csv'), path.join(root, 'exp', 'data', 'link.csv'));
    const r = await cli('validate', csvExperiment('data/link.csv'));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `${SHOWN}:2:28: error: 'data/link.csv' is outside the workspace root ${root} ${ROOT_REASON}; data files must be inside it ` +
        `(it links to ${fs.realpathSync(path.join(outside, 'secret.csv'))})\n${SHOWN}: 1 error\n`,
    );
  });

  it('a missing data file: where it was looked for', async () => {
    const r = await cli('validate', csvExperiment('data/flower.csv'));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `${SHOWN}:2:28: error: data file 'data/flower.csv' not found (looked for ${path.join(root, 'exp', 'data', 'flower.csv')})\n${SHOWN}: 1 error\n`,
    );
  });

  it('a data file above the size limit, known from its size alone', async () => {
    // Sparse: 51 MiB on paper, nothing on disk.
    fs.truncateSync(path.join(root, 'exp', 'data', 'flowers.csv'), 51 * 1024 * 1024);
    const r = await cli('validate', csvExperiment('data/flowers.csv'));
    expect(r.stderr).toBe(`${SHOWN}:2:28: error: 'data/flowers.csv' is 51.0 MB, more than the 50 MB Trainscope reads for a data file\n${SHOWN}: 1 error\n`);
    expect(r.code).toBe(1);
  });

  const TWO_BAD = `{
  "data": {
    "type": "idx",
    "images": "../../img",
    "labels": "data/lab"
  },
  "model": ["linear"],
  "optimizer": "adam",
  "checkpoint": { "save": "../../w.safetensors" }
}
`;
  const twoBadLines = (): string[] => [
    `${SHOWN}:4:5: error: '../../img' is outside the workspace root ${root} ${ROOT_REASON}; data files must be inside it`,
    `${SHOWN}:5:5: error: data file 'data/lab' not found (looked for ${path.join(root, 'exp', 'data', 'lab')})`,
    `${SHOWN}:9:19: error: '../../w.safetensors' is outside the workspace root ${root} ${ROOT_REASON}; checkpoints must be inside it`,
  ];

  it('every bad path of a file, each at its key, counted; --json alike', async () => {
    const r = await cli('validate', TWO_BAD);
    expect(r).toEqual({ code: 1, stdout: '', stderr: [...twoBadLines(), `${SHOWN}: 3 errors`, ''].join('\n') });
    const json = await cli('validate', TWO_BAD, '--json');
    expect(json.code).toBe(1);
    const problems = JSON.parse(json.stdout).problems as { line: number; column: number; severity: string }[];
    expect(problems.map(p => [p.line, p.column, p.severity])).toEqual([
      [4, 5, 'error'],
      [5, 5, 'error'],
      [9, 19, 'error'],
    ]);
  });

  it('run reports every bad path too, in file order, and trains nothing', async () => {
    const r = await cli('run', TWO_BAD, '--quiet');
    expect(r).toEqual({ code: 1, stdout: '', stderr: twoBadLines().join('\n') + '\n' });
    expect(fs.existsSync(path.join(root, '.trainscope'))).toBe(false);
  });

  it('variants: a path they share with the base once, a variant\'s own at its key there', async () => {
    const text = csvExperiment(
      'data/gone.csv',
      `,
  "variants": {
    "sgd": { "optimizer": { "type": "sgd", "lr": 0.1 } },
    "own": { "data": { "path": "../../secret.csv" } },
    "fixed": { "data": { "path": "data/flowers.csv" } }
  }`,
    );
    const r = await cli('validate', text);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `${SHOWN}:2:28: error: data file 'data/gone.csv' not found (looked for ${path.join(root, 'exp', 'data', 'gone.csv')})\n` +
        `${SHOWN}:7:24: error: '../../secret.csv' is outside the workspace root ${root} ${ROOT_REASON}; data files must be inside it\n` +
        `${SHOWN}: 2 errors\n`,
    );
    const json = JSON.parse((await cli('validate', text, '--json')).stdout).problems as { path: unknown; variant?: string }[];
    expect(json.map(p => [p.path, p.variant])).toEqual([
      [['data', 'path'], undefined],
      [['variants', 'own', 'data', 'path'], 'own'],
    ]);
    const own = await cli('run', text, '--variant', 'own', '--quiet');
    expect(own.code).toBe(1);
    expect(own.stderr).toBe(`${SHOWN}:7:24: error: '../../secret.csv' is outside the workspace root ${root} ${ROOT_REASON}; data files must be inside it\n`);
  });

  it('a base with errors elsewhere still has its files checked; a variant keeping its path does not repeat it', async () => {
    const text = `{
  "data": { "type": "csv", "path": "data/gone.csv", "target": "species" },
  "model": ["linear"],
  "optimizer": { "type": "sgd" },
  "variants": { "with_lr": { "optimizer": { "lr": 0.1 } } }
}
`;
    const r = await cli('validate', text);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')).toEqual([
      `${SHOWN}:2:28: error: data file 'data/gone.csv' not found (looked for ${path.join(root, 'exp', 'data', 'gone.csv')})`,
      expect.stringMatching(new RegExp(`^${SHOWN.replace(/[\\.]/g, '\\$&')}:4:3: error: optimizer 'sgd' needs 'lr'`)),
      `${SHOWN}: 2 errors`,
      '',
    ]);
  });

  it('a file key that holds no path does not hide the other files; a variant that fixes it does not repeat them', async () => {
    const text = `{
  "data": { "type": "idx", "images": 5, "labels": "gone-labels" },
  "model": ["linear"],
  "optimizer": { "type": "sgd", "lr": 0.1 },
  "variants": { "fixed": { "data": { "images": "data/flowers.csv" } } }
}
`;
    const r = await cli('validate', text);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')).toEqual([
      `${SHOWN}:2:28: error: 'images' must be a string, not the number 5`,
      `${SHOWN}:2:41: error: data file 'gone-labels' not found (looked for ${path.join(root, 'exp', 'gone-labels')})`,
      `${SHOWN}: 2 errors`,
      '',
    ]);
  });

  it('every file problem at once: one path the format refuses (absolute) does not hide another outside the workspace', async () => {
    const text = `{
  "data": { "type": "idx", "images": "../../outside-images", "labels": "/abs/labels" },
  "model": [{ "type": "linear", "out_features": "8" }, "linear"],
  "optimizer": "adam",
  "checkpoint": { "load": "gone.safetensors" }
}
`;
    const r = await cli('validate', text);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')).toEqual([
      `${SHOWN}:2:28: error: '../../outside-images' is outside the workspace root ${root} ${ROOT_REASON}; data files must be inside it`,
      `${SHOWN}:2:62: error: 'labels' must be relative to this experiment file's folder, not absolute ('/abs/labels')`,
      `${SHOWN}:3:33: error: 'out_features' must be a number, not a string: write 8 without quotes`,
      `${SHOWN}:5:19: error: checkpoint 'gone.safetensors' not found (looked for ${path.join(root, 'exp', 'gone.safetensors')})`,
      `${SHOWN}: 4 errors`,
      '',
    ]);
  });
});
