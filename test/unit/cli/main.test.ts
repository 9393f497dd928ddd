import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main, type CliIO } from '../../../cli/main';
import { OPTIMIZERS } from '../../../engine/optim/kinds';
import { listRuns, readRun } from '../../../engine/runs/runFiles';

const FIXTURES = path.resolve(__dirname, '../../fixtures/experiments');

/** A workspace in a temp folder: the fixtures under experiments/, a package.json marking the root. */
let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'trainscope-cli-'));
  fs.cpSync(FIXTURES, path.join(root, 'experiments'), { recursive: true });
  fs.writeFileSync(path.join(root, 'package.json'), '{}');
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], extra: Partial<CliIO> = {}): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: t => void (stdout += t),
    stderr: t => void (stderr += t),
    cwd: root,
    ...extra,
  });
  return { code, stdout, stderr };
}

describe('trainscope run', () => {
  it('trains a good experiment: the loss falls, the run folder is written, the summary printed', async () => {
    const r = await cli(['run', 'experiments/spiral.experiment.json']);
    expect(r.stderr).toContain('Spiral MLP');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^completed: 30 epochs, 240 steps in [\d.]+ s/);
    expect(r.stdout).toMatch(/run: \.trainscope[\\/]runs[\\/]\d{8}-\d{6}-spiral-mlp\n$/);

    const runs = listRuns(path.join(root, '.trainscope/runs'));
    expect(runs).toHaveLength(1);
    const { meta, records } = readRun(path.join(root, '.trainscope/runs', runs[0].id));
    expect(meta).toMatchObject({ status: 'completed', experiment: 'Spiral MLP', file: path.join('experiments', 'spiral.experiment.json') });
    expect(meta.header?.parameters).toBe(2 * 32 + 32 + 32 * 3 + 3);
    const epochs = records.filter(r => r.kind === 'epoch');
    expect(epochs).toHaveLength(30);
    const first = epochs[0].kind === 'epoch' ? epochs[0].train_loss : NaN;
    const last = epochs[29].kind === 'epoch' ? epochs[29].train_loss : NaN;
    expect(last).toBeLessThan(first * 0.5);
    expect(records.filter(r => r.kind === 'step')).toHaveLength(240);
    expect(fs.existsSync(path.join(root, '.trainscope/runs', runs[0].id, 'summary.json'))).toBe(true);

    // The course's first check: the first step's loss against ln C, that step's own recorded loss.
    const firstStep = records.find(r => r.kind === 'step');
    const loss = firstStep?.kind === 'step' ? firstStep.loss : NaN;
    expect(r.stderr).toContain('expected initial loss ≈ ln(3) = 1.0986');
    expect(r.stderr).toContain(`first loss ${loss.toFixed(4)} — ${(loss / Math.log(3)).toFixed(2)}× the expected ln(3)\n`);
  });

  it('non-TTY progress: the first epoch, every ~10%, and the last', async () => {
    const r = await cli(['run', 'experiments/spiral.experiment.json']);
    const epochLines = r.stderr.split('\n').filter(l => l.startsWith('epoch'));
    expect(epochLines.map(l => Number(/epoch\s+(\d+)/.exec(l)![1]))).toEqual([1, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30]);
    expect(epochLines[0]).toMatch(/^epoch  1\/30  loss \d+\.\d{4}  acc \d+\.\d%  val_loss \d+\.\d{4}  val_acc \d+\.\d%  lr 0\.02$/);
  });

  it('--variant, --out, --quiet, --json', async () => {
    const r = await cli(['run', 'experiments/spiral.experiment.json', '--variant', 'sgd', '--out', 'my-runs', '--quiet', '--json']);
    expect(r.code).toBe(0);
    // --quiet leaves only diagnostic warnings (this variant overfits a little), nothing else.
    expect(r.stderr.split('\n').filter(l => l !== '' && !/^experiments[\\/]spiral\.experiment\.json:\d+:\d+: warning: .* \(step \d+\)$/.test(l))).toEqual([]);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ status: 'completed', epochs: 30, steps: 240 });
    expect(summary.run_dir).toMatch(/^my-runs[\\/]\d{8}-\d{6}-spiral-mlp--sgd$/);
    const meta = readRun(path.join(root, summary.run_dir)).meta;
    expect(meta.variant).toBe('sgd');
    expect(meta.spec.optimizer).toMatchObject({ type: 'sgd', lr: 0.5, momentum: 0.9 });
  });

  it('Ctrl+C stops the run cleanly: status stopped, files kept, exit 130', async () => {
    // Long enough that the first 100 ms slice cannot finish it.
    const file = path.join(root, 'experiments', 'long.experiment.json');
    fs.writeFileSync(file, fs.readFileSync(path.join(root, 'experiments', 'spiral.experiment.json'), 'utf8').replace('"epochs": 30', '"epochs": 100000'));
    let interrupt: (() => void) | undefined;
    let stderr = '';
    let stdout = '';
    const code = await main(['run', file], {
      stdout: t => void (stdout += t),
      stderr: t => {
        stderr += t;
        // Interrupt as soon as the first epoch is reported.
        if (t.startsWith('epoch')) interrupt?.();
      },
      cwd: root,
      onInterrupt: h => {
        interrupt = h;
        return () => (interrupt = undefined);
      },
    });
    expect(code).toBe(130);
    expect(stdout).toMatch(/^stopped: /);
    expect(stderr).toMatch(/^epoch/m);
    expect(interrupt).toBeUndefined(); // unsubscribed at the end
    const [run] = listRuns(path.join(root, '.trainscope/runs'));
    const { meta, records } = readRun(path.join(root, '.trainscope/runs', run.id));
    expect(meta.status).toBe('stopped');
    expect(meta.summary?.epochs).toBeGreaterThan(0);
    expect(meta.summary?.epochs).toBeLessThan(100000);
    expect(records.length).toBeGreaterThan(0);
  });

  it('a diverging run fails with exit 3 and keeps its folder', async () => {
    const r = await cli(['run', 'experiments/spiral.experiment.json', '--variant', 'diverge', '--quiet']);
    expect(r.code).toBe(3);
    // The finding first, at the key it blames; then the summary, which names it instead of repeating it.
    expect(r.stdout).toMatch(/^experiments[\\/]spiral\.experiment\.json:\d+:\d+: error: /);
    expect(r.stdout).toMatch(/\nfailed: \d+ epochs?, \d+ steps? in /);
    expect(r.stdout).toMatch(/\nstopped by: the (nan-loss|exploding-loss) finding at step \d+\n/);
    // The loss overflows (NaN, ±Infinity), or the session stops it first for exploding (> 3× its start).
    expect(r.stdout).toMatch(/error: .*(loss became (NaN|Infinity|-Infinity)|more than 3× the initial loss)/i);
    expect(listRuns(path.join(root, '.trainscope/runs'))[0].status).toBe('failed');
  });

  it('malformed JSON → file:line:col, exit 1, no run folder', async () => {
    const r = await cli(['run', 'experiments/malformed.experiment.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`${path.join('experiments', 'malformed.experiment.json')}:4:3: error: expected a comma\n`);
    expect(fs.existsSync(path.join(root, '.trainscope'))).toBe(false);
  });

  it('unknown optimizer → its exact position', async () => {
    const r = await cli(['run', 'experiments/unknown-optimizer.experiment.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `${path.join('experiments', 'unknown-optimizer.experiment.json')}:4:18: error: unknown optimizer 'adamm'; expected one of: ${OPTIMIZERS.types.join(', ')} (did you mean 'adam'?)\n`,
    );
  });

  it('an unknown variant lists the variants', async () => {
    const r = await cli(['run', 'experiments/spiral.experiment.json', '--variant', 'adamw']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/has no variant 'adamw'; its variants are: sgd, diverge\n$/);
  });

  it('a missing file', async () => {
    const r = await cli(['run', 'experiments/nope.experiment.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: cannot read ${path.join('experiments', 'nope.experiment.json')}: no such file\n`);
  });
});

describe('trainscope run with CSV data', () => {
  const data = (name: string): string => path.join('experiments', 'data', name);
  const experiment = (name: string): string => path.join('experiments', name);

  it('trains on a good CSV file', async () => {
    const r = await cli(['run', 'experiments/csv-flowers.experiment.json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("flowers.csv: 90 rows, 3 features, 3 classes of 'species'");
  });

  it('trains on soft labels: class probabilities with cross_entropy, P(class 1) with bce_with_logits', async () => {
    // Three annotators' votes over 3 classes of points on a plane, as probabilities that sum to 1.
    const rows = ['x,y,p_a,p_b,p_c,p_one'];
    for (let i = 0; i < 120; i++) {
      const x = Math.cos(i * 2.4) * (1 + (i % 7) / 7);
      const y = Math.sin(i * 1.7) * (1 + (i % 5) / 5);
      const votes = [x > 0 ? 2 : 0, y > 0 ? 1 : 0, x + y > 0 ? 0 : 1];
      const a = votes[0] / 3, b = votes[1] / 3, c = 1 - a - b;
      rows.push(`${x.toFixed(3)},${y.toFixed(3)},${a.toFixed(4)},${b.toFixed(4)},${c.toFixed(4)},${(x > y ? 0.9 : 0.1).toFixed(1)}`);
    }
    fs.writeFileSync(path.join(root, 'experiments', 'data', 'votes.csv'), rows.join('\n') + '\n');
    const write = (name: string, data: object, loss: string) =>
      fs.writeFileSync(
        path.join(root, 'experiments', name),
        JSON.stringify({ data, loss, model: [{ type: 'linear', out_features: 16 }, 'tanh', 'linear'], optimizer: { type: 'adam', lr: 0.02 }, training: { epochs: 20, batch_size: 16 } }),
      );
    // The other probability column is a feature here: 3 features.
    write('soft.experiment.json', { type: 'csv', path: 'data/votes.csv', target: ['p_a', 'p_b', 'p_c'], task: 'probabilities' }, 'cross_entropy');
    const soft = await cli(['run', 'experiments/soft.experiment.json']);
    expect(soft.stderr).toContain("votes.csv: 120 rows, 3 features, probabilities of 3 classes from 'p_a', 'p_b', 'p_c'");
    expect(soft.code).toBe(0);
    const run = readRun(path.join(root, '.trainscope/runs', listRuns(path.join(root, '.trainscope/runs'))[0].id));
    const epochs = run.records.flatMap(r => (r.kind === 'epoch' ? [r] : []));
    expect(epochs[19].train_loss).toBeLessThan(epochs[0].train_loss);
    expect(epochs[19].val_accuracy).toBeGreaterThan(0.5);
    expect(run.meta.header?.task).toBe('probabilities');

    write('binary.experiment.json', { type: 'csv', path: 'data/votes.csv', target: 'p_one', task: 'probabilities' }, 'bce_with_logits');
    const binary = await cli(['run', 'experiments/binary.experiment.json']);
    expect(binary.stderr).toContain("votes.csv: 120 rows, 5 features, probabilities of 2 classes from 'p_one'");
    expect(binary.code).toBe(0);
  });

  it('a non-numeric value → the data file at its line and column', async () => {
    const r = await cli(['run', 'experiments/csv-non-numeric.experiment.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`${data('non-numeric.csv')}:17:8: error: 'abc' is not a number in column 'petal_width'\n`);
  });

  it('a ragged row (CRLF file) → the first extra field', async () => {
    const r = await cli(['run', 'experiments/csv-ragged.experiment.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`${data('ragged.csv')}:6:31: error: this row has 5 fields but the header has 4 columns; this is field 5\n`);
  });

  it('a missing target column → data.target in the experiment, listing the columns', async () => {
    const r = await cli(['run', 'experiments/csv-missing-target.experiment.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `${experiment('csv-missing-target.experiment.json')}:5:5: error: the target column 'specie' is not in data/flowers.csv; ` +
        `its columns are: 'petal_length', 'petal_width', 'noise', 'species'\n`,
    );
  });

  it('a model that does not fit the data → the blamed key, found after loading', async () => {
    const r = await cli(['run', 'experiments/csv-wrong-width.experiment.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^experiments[\\/]csv-wrong-width\.experiment\.json:3:82: error: the last linear layer must output 3 values/);
  });

  it('a path leaving the workspace is rejected, naming the root and why', async () => {
    fs.writeFileSync(path.join(path.dirname(root), 'outside.csv'), 'x,y\n1,0\n2,1\n');
    const r = await cli(['run', 'experiments/csv-escape.experiment.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `${experiment('csv-escape.experiment.json')}:2:28: error: '../../outside.csv' is outside the workspace root ${root} ` +
        `(the nearest folder above the experiment file with package.json); data files must be inside it\n`,
    );
    fs.rmSync(path.join(path.dirname(root), 'outside.csv'));
  });

  it('a symbolic link out of the workspace is rejected too', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'trainscope-outside-'));
    fs.writeFileSync(path.join(outside, 'secret.csv'), 'a,species\n1,x\n2,y\n');
    fs.symlinkSync(path.join(outside, 'secret.csv'), path.join(root, 'experiments', 'data', 'link.csv'));
    const file = path.join(root, 'experiments', 'csv-link.experiment.json');
    fs.writeFileSync(file, fs.readFileSync(path.join(root, 'experiments', 'csv-flowers.experiment.json'), 'utf8').replace('flowers.csv', 'link.csv'));
    const r = await cli(['run', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/'data\/link\.csv' is outside the workspace root .* \(it links to .*secret\.csv\)/);
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('a missing data file', async () => {
    fs.rmSync(path.join(root, 'experiments', 'data', 'flowers.csv'));
    const r = await cli(['run', 'experiments/csv-flowers.experiment.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^experiments[\\/]csv-flowers\.experiment\.json:2:28: error: data file 'data\/flowers\.csv' not found/);
  });
});

describe('trainscope validate and variants', () => {
  it('validate: ok', async () => {
    const r = await cli(['validate', 'experiments/spiral.experiment.json']);
    expect(r).toEqual({ code: 0, stdout: `${path.join('experiments', 'spiral.experiment.json')}: ok — the experiment and 2 variants\n`, stderr: '' });
  });

  it('validate: every problem, then a count; --json', async () => {
    const file = path.join(root, 'experiments', 'two.experiment.json');
    fs.writeFileSync(file, '{\n  "data": "spirall",\n  "model": ["linear"],\n  "optimizer": { "type": "sgd" }\n}\n');
    const r = await cli(['validate', file]);
    const shown = path.join('experiments', 'two.experiment.json');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `${shown}:2:3: error: unknown data type 'spirall'; expected one of: spiral, moons, circles, xor, blobs, csv, idx (did you mean 'spiral'?)\n` +
        `${shown}:4:3: error: optimizer 'sgd' needs 'lr' (the learning rate: torch.optim.SGD has no default; e.g. "lr": 0.1)\n` +
        `${shown}: 2 errors\n`,
    );
    const json = await cli(['validate', file, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).problems.map((p: { line: number; column: number }) => [p.line, p.column])).toEqual([
      [2, 3],
      [4, 3],
    ]);
  });

  it('variants', async () => {
    expect(await cli(['variants', 'experiments/spiral.experiment.json'])).toEqual({ code: 0, stdout: 'sgd\ndiverge\n', stderr: '' });
    expect((await cli(['variants', 'experiments/spiral.experiment.json', '--json'])).stdout).toBe('["sgd","diverge"]\n');
  });
});

describe('usage', () => {
  it('--help and --version', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: trainscope <command>/);
    const version = await cli(['--version']);
    expect(version.stdout).toMatch(/^trainscope \d+\.\d+\.\d+\n$/);
  });

  it.each([
    [[], 'no command given'],
    [['train', 'x'], "unknown command 'train'; expected one of: run, validate, variants"],
    [['run'], "'run' needs an experiment file"],
    [['run', 'a', 'b'], "'run' takes one experiment file, got 2"],
    [['run', 'a', '--variant'], '--variant needs a value'],
    [['validate', 'a', '--quiet'], "unknown option '--quiet' for 'validate'"],
  ])('%j → exit 2: %s', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`trainscope: ${message}`);
  });
});
