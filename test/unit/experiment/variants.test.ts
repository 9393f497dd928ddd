import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { core } from '../../../engine/core/options';
import { SECTIONS } from '../../../engine/experiment/sections';
import { VARIANT_KEYS } from '../../../engine/experiment/sections';
import { brief, errors, parse, positionOf } from './helpers';

const BASE = `{
  "data": { "type": "spiral", "samples": 300, "noise": 0.1 },
  "model": [{ "type": "linear", "out_features": 32 }, "relu", { "type": "linear" }],
  "init": { "weight": { "type": "kaiming_normal", "nonlinearity": "relu" }, "bias": "zeros" },
  "optimizer": { "type": "sgd", "lr": 0.1, "momentum": 0.9, "nesterov": true },
  "training": { "epochs": 5 },
  "variants": VARIANTS
}`;

const withVariants = (variants: string): string => BASE.replace('VARIANTS', variants);

describe('variant merge rule', () => {
  it('objects merge key by key: same optimizer type keeps the base settings', () => {
    const p = parse(withVariants('{ "slow": { "optimizer": { "lr": 0.01 } } }'));
    expect(p.problems).toEqual([]);
    expect(p.resolve('slow')!.spec.optimizer).toMatchObject({ type: 'sgd', lr: 0.01, momentum: 0.9, nesterov: true });
  });

  it('a different type replaces the object wholesale (adam does not inherit momentum)', () => {
    const p = parse(withVariants('{ "adam": { "optimizer": { "type": "adam" } } }'));
    expect(p.problems).toEqual([]);
    expect(p.resolve('adam')!.spec.optimizer).toEqual({
      type: 'adam',
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weight_decay: 0,
      amsgrad: false,
      maximize: false,
      decoupled_weight_decay: false,
    });
  });

  it('a shorthand counts as its type: "optimizer": "adam" replaces, a typeless object merges into a base shorthand', () => {
    const p = parse(withVariants('{ "a": { "optimizer": "adam" }, "b": { "init": { "weight": { "nonlinearity": "tanh" } } }, "c": { "init": "xavier_uniform" } }'));
    expect(p.problems).toEqual([]);
    expect(p.resolve('a')!.spec.optimizer.type).toBe('adam');
    expect(p.resolve('b')!.spec.init).toEqual({
      weight: { type: 'kaiming_normal', a: 0, mode: 'fan_in', nonlinearity: 'tanh' },
      bias: { type: 'zeros' },
    });
    // A new weight initializer type replaces the weight's settings; the bias stays the base's.
    expect(p.resolve('c')!.spec.init).toEqual({ weight: { type: 'xavier_uniform', gain: 1 }, bias: { type: 'zeros' } });
  });

  it('arrays replace: a variant model is the whole model', () => {
    const p = parse(withVariants('{ "deep": { "model": [{ "type": "linear", "out_features": 8 }, "tanh", { "type": "linear", "out_features": 8 }, "tanh", "linear"] } }'));
    expect(p.problems).toEqual([]);
    expect(p.resolve('deep')!.spec.model.map(l => l.type)).toEqual(['linear', 'tanh', 'linear', 'tanh', 'linear']);
    expect(p.resolve()!.spec.model).toHaveLength(3);
  });

  it('scalars replace; other sections come from the base; the variant has its name', () => {
    const p = parse(withVariants('{ "noisy": { "data": { "noise": 0.5 }, "training": { "epochs": 9 } } }'));
    const spec = p.resolve('noisy')!.spec;
    expect(spec.variant).toBe('noisy');
    expect(spec.data).toMatchObject({ type: 'spiral', samples: 300, noise: 0.5 });
    expect(spec.training.epochs).toBe(9);
    expect(spec.optimizer).toEqual(p.resolve()!.spec.optimizer);
    expect(p.resolve()!.spec.variant).toBeUndefined();
  });
});

describe('blame: a problem points where its value was written', () => {
  it('a bad value from the variant points into the variant', () => {
    const text = withVariants(`{
    "bad": { "optimizer": { "lr": -1 } }
  }`);
    const p = parse(text);
    const at = positionOf(text, '-1');
    expect(brief(p)).toEqual([`${at.line}:${at.column} error: 'lr' must be greater than 0, not -1`]);
    expect(p.problems[0].path).toEqual(['variants', 'bad', 'optimizer', 'lr']);
    expect(p.resolve('bad')).toBeUndefined();
    expect(p.resolve()).toBeDefined();
  });

  it("a rule broken only in the variant, by a base value, points into the base and names the variant", () => {
    // The base has nesterov: true with momentum 0.9; the variant sets momentum 0.
    const text = withVariants('{ "nomomentum": { "optimizer": { "momentum": 0 } } }');
    const p = parse(text);
    const nesterov = positionOf(text, 'true');
    expect(brief(p)).toEqual([
      `${nesterov.line}:${nesterov.column} error: in variant 'nomomentum': nesterov requires momentum > 0 and dampening = 0 (torch.optim.SGD raises otherwise); momentum is 0`,
    ]);
  });

  it('an unknown key inside a variant section points at that key, with a suggestion', () => {
    const text = withVariants('{ "v": { "training": { "epoch": 3 } } }');
    const p = parse(text);
    const at = positionOf(text, '"epoch"');
    expect(brief(p)).toEqual([
      `${at.line}:${at.column} error: unknown key 'epoch' in training; expected one of: ${Object.keys((core(SECTIONS.training) as z.ZodObject).shape).join(', ')} (did you mean 'epochs'?)`,
    ]);
  });

  it('a base problem is reported once, not once per variant', () => {
    const text = BASE.replace('"lr": 0.1', '"lr": 0').replace('VARIANTS', '{ "a": { "training": { "epochs": 1 } }, "b": { "data": { "noise": 0 } } }');
    const p = parse(text);
    expect(errors(p).map(e => e.message)).toEqual(["'lr' must be greater than 0, not 0"]);
    expect(p.resolve()).toBeUndefined();
    expect(p.resolve('a')).toBeUndefined();
  });

  it('a variant can fix a problem of the base', () => {
    const text = BASE.replace('"lr": 0.1', '"lr": 0').replace('VARIANTS', '{ "fixed": { "optimizer": { "lr": 0.05 } } }');
    const p = parse(text);
    expect(p.resolve()).toBeUndefined();
    expect(p.resolve('fixed')!.spec.optimizer).toMatchObject({ lr: 0.05 });
  });
});

describe('variant names and shape', () => {
  it('unknown and forbidden top-level keys in a variant', () => {
    const text = withVariants('{ "v": { "optimiser": "adam", "name": "x" } }');
    const p = parse(text);
    const a = positionOf(text, '"optimiser"');
    const b = positionOf(text, '"name"');
    expect(brief(p)).toEqual([
      `${a.line}:${a.column} error: unknown key 'optimiser' in variant 'v'; a variant overrides: ${VARIANT_KEYS.join(', ')} (did you mean 'optimizer'?)`,
      `${b.line}:${b.column} error: a variant cannot set 'name'`,
    ]);
    expect(p.resolve('v')).toBeUndefined();
    expect(p.resolve()).toBeDefined();
  });

  it('an empty name, a duplicate name, a non-object variant', () => {
    const text = withVariants('{ "": {}, "x": {}, "x": { "training": { "epochs": 2 } }, "y": 3 }');
    const p = parse(text);
    expect(p.problems.map(x => x.message)).toEqual([
      'a variant needs a non-empty name',
      "duplicate variant name 'x'; variant names must be unique",
      "variant 'y' must be an object of overrides, e.g. { \"optimizer\": { \"type\": \"adam\", \"lr\": 0.01 } }",
    ]);
    expect(p.variants.map(v => v.name)).toEqual(['', 'x', 'y']);
    // The last "x" wins, as JSON.parse would have it.
    expect(p.resolve('x')!.spec.training.epochs).toBe(2);
  });

  it('"variants" must be an object', () => {
    const p = parse(withVariants('["a"]'));
    expect(p.problems.map(x => x.message)).toEqual([
      `'variants' must be an object: variant name → overrides, e.g. { "adam": { "optimizer": "adam" } }`,
    ]);
    expect(p.variants).toEqual([]);
  });

  it('variants are still listed while the file has a syntax error (code lenses stay put)', () => {
    const text = withVariants('{ "a": { "training": { "epochs": 1 } } }').replace('"epochs": 5', '"epochs": 5,,');
    const p = parse(text);
    expect(errors(p).length).toBeGreaterThan(0);
    expect(p.variants.map(v => v.name)).toEqual(['a']);
    expect(p.resolve('a')).toBeUndefined();
  });
});
