import { applyEdits, findNodeAtLocation, modify, parseTree } from 'jsonc-parser';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../cli/main';
import { parseExperiment } from '../../../engine/experiment/parse';
import { readRun } from '../../../engine/runs/runFiles';
import type { EpochRecord } from '../../../engine/train/events';

/**
 * Every shipped example, its base and each variant, trains through the command line — cut to
 * EPOCHS epochs here (the examples themselves take a few seconds each, see their comments).
 */
const EXAMPLES = path.resolve(__dirname, '../../../examples');
// (Four, not two: the warm-up of one-cycle's warmup_cosine variant takes 3 epochs.)
const EPOCHS = 4;
const files = fs.readdirSync(EXAMPLES).filter(f => f.endsWith('.experiment.json'));
/** Variants that show a learning rate too high: they may stop early as failed, saying so. */
const MAY_DIVERGE: Readonly<Record<string, readonly string[]>> = {
  'optimizers.experiment.json': ['sgd_lr_too_high'],
  'fashion-mnist.experiment.json': ['lr_too_high'],
  'babysitting.experiment.json': ['lr_too_high'],
};
/**
 * Examples whose data is not shipped (it is copied into the workspace from a Debian package, as
 * their comments say): without it, a run must stop before training at the key naming the file.
 */
const DATA_NOT_SHIPPED: Readonly<Record<string, string>> = { 'fashion-mnist-full.experiment.json': 'data/fashion-mnist/train-images-idx3-ubyte.gz' };

/** The file with every `training.epochs` (the base's and each variant's) set to `epochs`, comments kept. */
function withEpochs(text: string, epochs: number): string {
  const tree = parseTree(text)!;
  const paths: (string | number)[][] = [['training', 'epochs']];
  const variants = findNodeAtLocation(tree, ['variants']);
  for (const p of variants?.children ?? []) {
    const name = p.children![0].value as string;
    if (findNodeAtLocation(tree, ['variants', name, 'training', 'epochs'])) paths.push(['variants', name, 'training', 'epochs']);
  }
  let out = text;
  for (const p of paths) out = applyEdits(out, modify(out, p, epochs, { formattingOptions: { insertSpaces: true, tabSize: 2 } }));
  return out;
}

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'trainscope-examples-'));
  fs.writeFileSync(path.join(root, 'package.json'), '{}');
  fs.cpSync(EXAMPLES, path.join(root, 'examples'), { recursive: true });
  for (const f of files) {
    const file = path.join(root, 'examples', f);
    fs.writeFileSync(file, withEpochs(fs.readFileSync(file, 'utf8'), EPOCHS));
  }
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('the examples', () => {
  it('are there: optimizers, initialization, batch norm, dropout, L-BFGS, OneCycle, Fashion-MNIST', () => {
    for (const name of ['optimizers', 'initialization', 'batch-norm', 'dropout', 'lbfgs', 'one-cycle', 'fashion-mnist', 'fashion-mnist-full']) {
      expect(files).toContain(`${name}.experiment.json`);
    }
  });

  it.each(files)('%s: valid, with comments that explain it', file => {
    const text = fs.readFileSync(path.join(EXAMPLES, file), 'utf8');
    const parsed = parseExperiment(text, file);
    expect(parsed.problems).toEqual([]);
    expect(text.match(/^\s*\/\/ /gm)?.length ?? 0).toBeGreaterThanOrEqual(3);
    expect(withEpochs(text, EPOCHS)).toMatch(new RegExp(`"epochs": ${EPOCHS}`));
  });

  const runs = files.flatMap(file => {
    const parsed = parseExperiment(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'), file);
    return [undefined, ...parsed.variants.map(v => v.name)].map(variant => [file, variant ?? '(base)'] as const);
  });

  it.each(runs)('%s %s trains', async (file, variant) => {
    let stdout = '';
    let stderr = '';
    const args = ['run', path.join('examples', file), '--json', '--quiet', ...(variant === '(base)' ? [] : ['--variant', variant])];
    const code = await main(args, { stdout: t => void (stdout += t), stderr: t => void (stderr += t), cwd: root });
    const missing = DATA_NOT_SHIPPED[file];
    if (missing !== undefined) {
      expect(code).toBe(1);
      expect(stderr).toMatch(new RegExp(`^examples[\\\\/]${file}:\\d+:\\d+: error: data file '${missing}' not found`, 'm'));
      return;
    }
    const summary = JSON.parse(stdout);
    if (MAY_DIVERGE[file]?.includes(variant) && summary.status === 'failed') {
      expect(summary.error).toMatch(/learning rate|NaN|Infinity/);
      return;
    }
    expect(code, stderr).toBe(0);
    const { meta, records } = readRun(path.join(root, summary.run_dir));
    expect(summary.status).toBe('completed');
    expect(summary.epochs).toBe(EPOCHS);
    expect(summary.steps).toBe(EPOCHS * meta.header!.stepsPerEpoch);
    const epochs = records.filter((r): r is EpochRecord => r.kind === 'epoch');
    expect(epochs).toHaveLength(EPOCHS);
    for (const e of epochs) expect(Number.isFinite(e.train_loss)).toBe(true);
  });
});
