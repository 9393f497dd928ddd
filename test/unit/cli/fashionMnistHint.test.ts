import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../cli/main';

/**
 * Missing Fashion-MNIST files that Debian's dataset-fashion-mnist has: `validate` and `run` say how
 * to copy them into the workspace. The package's folder is a stand-in here (io.fashionMnist).
 */
let root: string;
let debian: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'trainscope-hint-'));
  debian = fs.mkdtempSync(path.join(os.tmpdir(), 'trainscope-debian-'));
  fs.writeFileSync(path.join(root, 'package.json'), '{}');
  fs.mkdirSync(path.join(root, 'exp'));
  for (const f of ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) fs.writeFileSync(path.join(debian, f), '');
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(debian, { recursive: true, force: true });
});

const SHOWN = path.join('exp', 'x.experiment.json');
const experiment = (folder: string): string => `{
  "data": { "type": "idx", "images": "${folder}/train-images-idx3-ubyte.gz", "labels": "${folder}/train-labels-idx1-ubyte.gz" },
  "model": ["linear"],
  "optimizer": "adam"
}
`;

async function cli(text: string, command: 'validate' | 'run' = 'validate', withPackage = true): Promise<{ code: number; stderr: string }> {
  fs.writeFileSync(path.join(root, SHOWN), text);
  let stderr = '';
  const code = await main([command, SHOWN, ...(command === 'run' ? ['--quiet'] : [])], { stdout: () => {}, stderr: t => void (stderr += t), cwd: root, ...(withPackage && { fashionMnist: debian }) });
  return { code, stderr };
}

const hint = (to: string): string => `hint: Debian's dataset-fashion-mnist has the missing files; copy them into the workspace with:\n  mkdir -p ${to} && cp ${debian}/*.gz ${to}/\n`;

describe("a missing Fashion-MNIST file that Debian's package has", () => {
  it('validate says how to copy it where the experiment looks, once for the folder', async () => {
    const r = await cli(experiment('data/fashion-mnist'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${SHOWN}:2:28: error: data file 'data/fashion-mnist/train-images-idx3-ubyte.gz' not found`);
    expect(r.stderr.endsWith(`${hint(path.join('exp', 'data', 'fashion-mnist'))}${SHOWN}: 2 errors\n`)).toBe(true);
  });

  it('run too, after the problems', async () => {
    const r = await cli(experiment('data/fashion-mnist'), 'run');
    expect(r.code).toBe(1);
    expect(r.stderr.endsWith(hint(path.join('exp', 'data', 'fashion-mnist')))).toBe(true);
  });

  it('not for a folder outside the workspace (the run would refuse the copy too), nor when the files are there', async () => {
    expect((await cli(experiment('../../elsewhere'))).stderr).not.toContain('hint:');
    fs.mkdirSync(path.join(root, 'exp', 'data'));
    for (const f of fs.readdirSync(debian)) fs.copyFileSync(path.join(debian, f), path.join(root, 'exp', 'data', f));
    expect((await cli(experiment('data'))).stderr).not.toContain('hint:');
  });

  it('not when the package is not installed, and a folder with a space is quoted', async () => {
    expect((await cli(experiment('data'), 'validate', false)).stderr).not.toContain('hint:');
    expect((await cli(experiment('my data'))).stderr).toContain(hint(`'${path.join('exp', 'my data')}'`));
  });
});
