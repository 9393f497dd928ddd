/**
 * Messages for values written in the wrong form: a value of several forms (a column name or a list of them), a list of strings,
 * a number too large for JSON, a pair of the wrong length, an initializer object one level too high, a kind named under
 * another key. Each is said once, at the exact place, with what to write instead.
 */
import { describe, expect, it } from 'vitest';
import { DATASETS } from '../../../engine/data/kinds';
import { LAYERS } from '../../../engine/nn/kinds';
import { OPTIMIZERS } from '../../../engine/optim/kinds';
import { at, brief, keyAt, MINIMAL, parse, textOf, valueAt } from './helpers';

function run(extra: object): { t: string; problems: string[] } {
  const t = textOf({ ...MINIMAL, ...extra });
  return { t, problems: brief(parse(t)) };
}

/** The problems of an experiment written as text (for what JSON.stringify cannot write, like 1e309). */
function runText(t: string): { t: string; problems: string[] } {
  return { t, problems: brief(parse(t)) };
}

describe('a value of several forms (a column name or a list of them)', () => {
  it('missing: the usual missing-key message, where missing keys are reported', () => {
    const { t, problems } = run({ data: { type: 'csv', path: 'd.csv' } });
    expect(problems).toEqual([`${keyAt(t, 'data')} error: data 'csv' needs 'target' (the header name of the column to predict)`]);
  });

  it('of another type: the forms it may take, from the schema', () => {
    for (const [value, written] of [
      [2, 'the number 2'],
      [null, 'null'],
      [true, 'true'],
      [{ name: 'y' }, 'an object'],
    ] as const) {
      const { t, problems } = run({ data: { type: 'csv', path: 'd.csv', target: value } });
      expect(problems).toEqual([
        `${valueAt(t, 'target')} error: 'target' must be a string or a list of strings (the header name of the column to predict), not ${written}`,
      ]);
    }
  });

  it('a list with an item of the wrong type: said at the item', () => {
    const { t, problems } = run({ data: { type: 'csv', path: 'd.csv', target: ['x', 3], task: 'regression' } });
    expect(problems).toEqual([`${at(t, '3', 0)} error: 'target[1]' must be a string, not the number 3`]);
    const blank = run({ data: { type: 'csv', path: 'd.csv', target: ['x', ' '], task: 'regression' } });
    expect(blank.problems).toEqual([`${at(blank.t, '" "')} error: 'target[1]' must not be empty`]);
  });

  it('"a number or \\"inf\\"" keeps its messages', () => {
    const { t, problems } = run({ training: { clip_grad_norm: { max_norm: 1, norm_type: 'max' } } });
    expect(problems).toEqual([`${valueAt(t, 'norm_type')} error: 'norm_type' must be a number or "inf", not a string ('max')`]);
    const zero = run({ training: { clip_grad_norm: { max_norm: 1, norm_type: 0 } } });
    expect(zero.problems).toEqual([`${valueAt(zero.t, 'norm_type')} error: 'norm_type' must be greater than 0, not 0`]);
  });
});

describe('a list of strings', () => {
  it('written as one string: a list of strings, the example built from what was written', () => {
    const idx = { type: 'idx', images: 'x', labels: 'y' };
    const { t, problems } = run({ data: { ...idx, class_names: 'cat,dog' } });
    expect(problems).toEqual([`${valueAt(t, 'class_names')} error: 'class_names' must be a list of strings like ["cat", "dog"], not a string ('cat,dog')`]);
    const number = run({ data: { ...idx, class_names: 3 } });
    expect(number.problems).toEqual([`${valueAt(number.t, 'class_names')} error: 'class_names' must be a list of strings, not the number 3`]);
  });
});

describe('a number too large for JSON (it reads as Infinity)', () => {
  it('is said to be too large, for a number and a whole number', () => {
    const { t, problems } = runText(`{ "data": "spiral", "model": ["linear"], "optimizer": { "type": "sgd", "lr": 1e309 }, "training": { "epochs": -1e309 } }`);
    expect(problems).toEqual([
      `${at(t, '1e309')} error: 'lr' is too large: the number written overflows to Infinity`,
      `${at(t, '-1e309')} error: 'epochs' is too large in size: the number written overflows to -Infinity`,
    ]);
  });

  it('where "inf" is accepted, says how to write infinity', () => {
    const { t, problems } = runText(`{ "data": "spiral", "model": ["linear"], "optimizer": "adam", "training": { "clip_grad_norm": { "max_norm": 1, "norm_type": 1e400 } } }`);
    expect(problems).toEqual([`${at(t, '1e400')} error: 'norm_type' is too large: the number written overflows to Infinity; for infinity, write "inf"`]);
  });
});

describe('a pair with the wrong number of items', () => {
  it.each([
    [[0.9, 0.999, 0.1], '3 numbers'],
    [[0.95], '1 number'],
    [[], 'an empty list'],
    [[0.9, 'a', 0.1], 'a list of 3'],
  ])('%j: not %s', (betas, count) => {
    const { t, problems } = run({ optimizer: { type: 'adam', betas } });
    expect(problems[0]).toBe(`${valueAt(t, 'betas')} error: 'betas' must be a pair of numbers like [0.9, 0.999], not ${count}`);
  });
});

describe('an initializer object written where init holds { weight, bias }', () => {
  it('one error at its type, saying where it goes, at the top level', () => {
    const { t, problems } = run({ init: { type: 'normal', std: 0.01 } });
    expect(problems).toEqual([
      `${at(t, '"type": "normal"')} error: an initializer object goes under "weight" (or "bias"): "init": { "weight": { "type": "normal", "std": 0.01 } }`,
    ]);
  });

  it("in a layer's own init; other unknown keys are still reported", () => {
    const { t, problems } = run({ model: [{ type: 'linear', out_features: 8, init: { type: 'kaiming_uniform', a: 0, extra: 1 } }, 'relu', 'linear'] });
    expect(problems).toEqual([
      `${at(t, '"type": "kaiming_uniform"')} error: an initializer object goes under "weight" (or "bias"): "init": { "weight": { "type": "kaiming_uniform", "a": 0 } }`,
      `${keyAt(t, 'extra')} error: unknown key 'extra' in init; expected one of: weight, bias`,
    ]);
  });

  it('a long object is shown by its type', () => {
    const { t, problems } = run({ init: { type: 'kaiming_normal', a: 0.01, mode: 'fan_out', nonlinearity: 'leaky_relu' } });
    expect(problems).toEqual([`${at(t, '"type": "kaiming_normal"')} error: an initializer object goes under "weight" (or "bias"): "init": { "weight": { "type": "kaiming_normal", ... } }`]);
  });
});

describe('a kind named under another key than "type"', () => {
  it('"Type", "kind", "name": said at that key, with the rename', () => {
    const t = `{ "data": { "Type": "spiral" }, "model": [{ "kind": "linear" }], "optimizer": { "name": "adam" } }`;
    const p = parse(t);
    expect(brief(p)).toEqual([
      `${at(t, '"Type"')} error: unknown key 'Type': 'data' needs a "type": one of ${DATASETS.types.join(', ')} (did you mean 'type'?)`,
      `${at(t, '"kind"')} error: unknown key 'kind': 'model[0]' needs a "type": one of ${LAYERS.types.join(', ')} (did you mean 'type'?)`,
      `${at(t, '"name"')} error: unknown key 'name': 'optimizer' needs a "type": one of ${OPTIMIZERS.types.join(', ')} (did you mean 'type'?)`,
    ]);
    expect(p.problems.map(x => x.fix)).toEqual([1, 2, 3].map(() => ({ title: "Change to 'type'", text: '"type"' })));
  });

  it('without such a key, the object is told it needs one, at its key', () => {
    const { t, problems } = run({ optimizer: { lr: 0.1 } });
    expect(problems).toEqual([`${keyAt(t, 'optimizer')} error: 'optimizer' needs a "type": one of ${OPTIMIZERS.types.join(', ')}`]);
  });
});
