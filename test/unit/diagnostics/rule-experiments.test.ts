/**
 * Every diagnostic rule, end to end on real experiment files: for each rule an experiment that
 * fires it (`<rule>.fires.experiment.json`) and one that does not (`<rule>.quiet.experiment.json`),
 * asserted on the engine (TrainingSession's finding records) and through the command-line runner
 * (the `file:line:col: severity: message (step N)` lines on stdout, at the key).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../cli/main';
import { RULES } from '../../../engine/diagnostics/catalogue';
import { parseExperiment } from '../../../engine/experiment/parse';
import type { FindingRecord } from '../../../engine/train/events';
import { trainExperiment } from './trainExperiment';

const DIR = path.resolve(__dirname, '../../fixtures/experiments/diagnostics');

interface RuleCase {
  /** The key the finding blames (FindingRecord.path) in the .fires run. */
  path: (string | number)[];
  /** A phrase only this rule's message has, to recognise its line on stdout. */
  phrase: RegExp;
}

const CASES: Record<string, RuleCase> = {
  'nan-loss': { path: ['optimizer', 'lr'], phrase: /The loss became (NaN|-?Infinity)/ },
  'nan-parameters': { path: ['optimizer', 'lr'], phrase: /became NaN or infinite/ },
  'exploding-loss': { path: ['optimizer', 'lr'], phrase: /training is exploding/ },
  'initial-loss': { path: ['init', 'weight'], phrase: /The first loss is .* well (above|below) ln\(/ },
  'loss-flat': { path: ['optimizer', 'lr'], phrase: /The loss has barely moved/ },
  'update-ratio': { path: ['optimizer', 'lr'], phrase: /[Tt]he update\/weight ratio/ },
  'dead-relu': { path: ['init', 'bias'], phrase: /output zero for every example of the probe batch/ },
  'saturated-units': { path: ['init', 'weight'], phrase: /are saturated, at the flat ends/ },
  'vanishing-activations': { path: ['init', 'weight'], phrase: /At initialization the activations shrink/ },
  'exploding-activations': { path: ['init', 'weight'], phrase: /At initialization the activations grow/ },
  'vanishing-gradients': { path: ['model'], phrase: /The gradient shrinks on its way back/ },
  'exploding-gradients': { path: ['training', 'clip_grad_norm'], phrase: /The gradient grows on its way back/ },
  'overfitting': { path: ['optimizer', 'weight_decay'], phrase: /The validation loss is pulling away/ },
  'underfitting': { path: ['model'], phrase: /the model is underfitting/ },
};

const fileOf = (rule: string, kind: 'fires' | 'quiet'): string => path.join(DIR, `${rule}.${kind}.experiment.json`);

/** Trains an experiment file to the end; its finding records. */
function engineFindings(file: string): FindingRecord[] {
  return trainExperiment(file).filter((r): r is FindingRecord => r.kind === 'finding');
}

let out: string;
beforeAll(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'trainscope-rule-experiments-'));
});
afterAll(() => {
  fs.rmSync(out, { recursive: true, force: true });
});

/** `trainscope run <file> --out <tmp> --quiet`, in process; its stdout (findings and summary; progress is on stderr). */
async function cliStdout(file: string): Promise<string> {
  let stdout = '';
  await main(['run', file, '--out', out, '--quiet'], { stdout: (t) => void (stdout += t), stderr: () => {}, cwd: DIR });
  return stdout;
}

/** The stdout lines `<file>:LINE:COL: <severity>: <message of this rule>` saying its step, at the key `key`. */
function ruleLines(stdout: string, file: string, key: (string | number)[], severity: string, phrase: RegExp): string[] {
  const at = parseExperiment(fs.readFileSync(file, 'utf8'), path.basename(file)).locateKey(key);
  const located = new RegExp(`^${path.basename(file).replace(/\./g, '\\.')}:${at.line}:${at.column}: ${severity}: .*\\bstep \\d+`);
  return stdout.split('\n').filter((line) => located.test(line) && phrase.test(line));
}

describe('every rule has a pair of experiments', () => {
  it('one case per rule of the catalogue, and both files exist', () => {
    expect(Object.keys(CASES).sort()).toEqual(RULES.map((r) => r.id).sort());
    for (const id of Object.keys(CASES)) {
      expect(fs.existsSync(fileOf(id, 'fires')), id).toBe(true);
      expect(fs.existsSync(fileOf(id, 'quiet')), id).toBe(true);
    }
  });
});

for (const rule of RULES) {
  const c = CASES[rule.id];
  describe(rule.id, () => {
    it('engine: fires on the .fires experiment, at its key', () => {
      const mine = engineFindings(fileOf(rule.id, 'fires')).filter((f) => f.rule === rule.id);
      expect(mine.length).toBeGreaterThan(0);
      expect(mine[0].severity).toBe(rule.severity);
      expect(mine[0].path).toEqual(c.path);
      expect(mine[0].message).toMatch(c.phrase);
    });

    it('engine: stays quiet on the .quiet experiment', () => {
      expect(engineFindings(fileOf(rule.id, 'quiet')).filter((f) => f.rule === rule.id)).toEqual([]);
    });

    it('CLI: prints a located line of this rule for .fires and none for .quiet', async () => {
      const fires = fileOf(rule.id, 'fires');
      expect(ruleLines(await cliStdout(fires), fires, c.path, rule.severity, c.phrase)).not.toEqual([]);
      const quiet = fileOf(rule.id, 'quiet');
      const quietOut = await cliStdout(quiet);
      // No line of this rule at any severity or location.
      expect(quietOut.split('\n').filter((line) => c.phrase.test(line))).toEqual([]);
    });
  });
}
