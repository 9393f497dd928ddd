import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../cli/main';

/**
 * The babysitting recipe is a lesson: each variant's comment tells the student what they will see.
 * These runs (full length, as a student runs them) keep the comments true.
 */
const EXAMPLES = path.resolve(__dirname, '../../../examples');
const FILE = path.join('examples', 'babysitting.experiment.json');
const LN10 = Math.log(10);

interface Finding {
  rule: string;
  severity: string;
  path: (string | number)[];
}
interface Result {
  code: number;
  stderr: string;
  summary: { status: string; final: { train_loss: number; train_accuracy: number; val_accuracy?: number }; findings: Finding[] };
  firstLoss: number;
}

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'trainscope-recipe-'));
  fs.writeFileSync(path.join(root, 'package.json'), '{}');
  fs.mkdirSync(path.join(root, 'examples', 'data'), { recursive: true });
  fs.copyFileSync(path.join(EXAMPLES, 'babysitting.experiment.json'), path.join(root, FILE));
  fs.cpSync(path.join(EXAMPLES, 'data', 'fashion-mnist-slice'), path.join(root, 'examples', 'data', 'fashion-mnist-slice'), { recursive: true });
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

async function run(variant?: string): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const args = ['run', FILE, '--json', ...(variant ? ['--variant', variant] : [])];
  const code = await main(args, { stdout: t => void (stdout += t), stderr: t => void (stderr += t), cwd: root });
  const first = /^first loss (\S+)/m.exec(stderr);
  return { code, stderr, summary: JSON.parse(stdout), firstLoss: first ? Number(first[1]) : NaN };
}

const rules = (r: Result) => r.summary.findings.map(f => `${f.severity} ${f.rule} @${f.path.join('.')}`);

describe('the babysitting recipe does what its comments say', () => {
  it('the base: first loss 1.00× ln(10), then a sensible run that overfits a little', async () => {
    const r = await run();
    expect(r.code, r.stderr).toBe(0);
    expect(r.firstLoss / LN10).toBeCloseTo(1, 2);
    expect(r.stderr).toContain('— 1.00× the expected ln(10)');
    expect(r.summary.final.train_accuracy).toBeGreaterThan(0.85);
    expect(r.summary.final.val_accuracy).toBeGreaterThan(0.75);
    expect(rules(r)).toEqual(['warning overfitting @optimizer.weight_decay']);
  }, 60_000);

  it('init_too_large: the first loss is many times ln(10), blamed on the init', async () => {
    const r = await run('init_too_large');
    expect(r.firstLoss / LN10).toBeGreaterThan(10);
    expect(rules(r).some(f => /^warning initial-loss @init\.weight/.test(f))).toBe(true);
  }, 60_000);

  it('overfit_20: 100 % training accuracy, the loss near 0', async () => {
    const r = await run('overfit_20');
    expect(r.code, r.stderr).toBe(0);
    expect(r.summary.final.train_accuracy).toBe(1);
    expect(r.summary.final.train_loss).toBeLessThan(0.01);
  }, 60_000);

  it('lr_too_small: the loss stays at ln(10); one warning, on lr', async () => {
    const r = await run('lr_too_small');
    expect(r.code, r.stderr).toBe(0);
    expect(Math.abs(r.summary.final.train_loss - LN10)).toBeLessThan(1e-3);
    expect(rules(r)).toEqual(['warning update-ratio @optimizer.lr']);
  }, 60_000);

  it('lr_too_high: the loss explodes and the run stops as failed, blaming lr', async () => {
    const r = await run('lr_too_high');
    expect(r.code).toBe(3);
    expect(r.summary.status).toBe('failed');
    expect(rules(r)).toEqual(['error exploding-loss @optimizer.lr']);
  }, 60_000);
});
