/**
 * The editor's quick fixes for problems in an experiment file: a misspelt key or name becomes the
 * suggested one, a number out of its range goes back into it. Each fix replaces exactly the range its
 * problem marks, and the fixed file has that problem no more.
 */
import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../../../engine/experiment/parse';
import type { Problem } from '../../../engine/experiment/problems';

const BASE = {
  data: { type: 'spiral', samples: 300 },
  model: [{ type: 'linear', out_features: 32 }, 'relu', { type: 'linear' }],
  optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9 },
  training: { epochs: 2, batch_size: 32 },
};
const TEXT = JSON.stringify(BASE, null, 2);

function problemsOf(text: string): Problem[] {
  return parseExperiment(text, 'x.experiment.json').problems;
}

function applyFix(text: string, p: Problem): string {
  return text.slice(0, p.offset) + p.fix!.text + text.slice(p.offset + p.length);
}

/** The one problem of `text`, its fix, and the file after the fix. */
function fixOf(text: string): { problem: Problem; fixed: string } {
  const problems = problemsOf(text);
  expect(problems, JSON.stringify(problems)).toHaveLength(1);
  const [problem] = problems;
  expect(problem.fix, problem.message).toBeDefined();
  return { problem, fixed: applyFix(text, problem) };
}

describe('quick fixes of problems', () => {
  it.each([
    ['an optimizer name', ['"sgd"', '"sgdd"'], "Change to 'sgd'", '"sgd"'],
    ['a layer shorthand', ['"relu"', '"reluu"'], "Change to 'relu'", '"relu"'],
    ['a data kind', ['"spiral"', '"spirall"'], "Change to 'spiral'", '"spiral"'],
    ['a key of an option', ['"momentum"', '"momentun"'], "Change to 'momentum'", '"momentum"'],
    ['a top-level key', ['"training"', '"trainig"'], "Change to 'training'", '"training"'],
  ])('did you mean: %s', (_what, [right, wrong], title, text) => {
    const broken = TEXT.replace(right, wrong);
    const { problem, fixed } = fixOf(broken);
    expect(problem.message).toContain('did you mean');
    expect(problem.fix).toEqual({ title, text });
    // The fix touches only the misspelt token.
    expect(broken.slice(problem.offset, problem.offset + problem.length)).toBe(wrong);
    expect(fixed).toBe(TEXT);
    expect(problemsOf(fixed)).toEqual([]);
  });

  it('a number out of its range goes back to the option\'s default (epochs 0 → 10)', () => {
    const { problem, fixed } = fixOf(TEXT.replace('"epochs": 2', '"epochs": 0'));
    expect(problem.message).toMatch(/at least 1/);
    expect(problem.fix).toEqual({ title: 'Change to the default, 10', text: '10' });
    expect(fixed).toBe(TEXT.replace('"epochs": 2', '"epochs": 10'));
    expect(problemsOf(fixed)).toEqual([]);
  });

  it('without a default, to the inclusive bound it crossed (out_features 0 → 1)', () => {
    const { problem, fixed } = fixOf(TEXT.replace('"out_features": 32', '"out_features": 0'));
    expect(problem.fix).toEqual({ title: 'Change to the minimum, 1', text: '1' });
    expect(problemsOf(fixed)).toEqual([]);
  });

  it('no fix where there is nothing sure to write: a name far from every choice, a learning rate ≤ 0', () => {
    const far = problemsOf(TEXT.replace('"sgd"', '"zzzzzz"'));
    expect(far).toHaveLength(1);
    expect(far[0].fix).toBeUndefined();
    const lr = problemsOf(TEXT.replace('"lr": 0.1', '"lr": -1'));
    expect(lr).toHaveLength(1);
    expect(lr[0].message).toMatch(/greater than 0/);
    expect(lr[0].fix).toBeUndefined();
  });
});
