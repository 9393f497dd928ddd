import { describe, expect, it } from 'vitest';
import { LAYERS } from '../../../engine/nn/kinds';
import { LOSSES } from '../../../engine/losses/kinds';
import { OPTIMIZERS } from '../../../engine/optim/kinds';
import { TOP_LEVEL_KEYS } from '../../../engine/experiment/sections';
import type * as z from 'zod';
import { core } from '../../../engine/core/options';
import { SECTIONS } from '../../../engine/experiment/sections';
import { brief, errors, MINIMAL, parse, parseObject, positionOf, warnings } from './helpers';

/** The closed sets as messages list them: straight from the tables. */
const OPTIMIZER_LIST = OPTIMIZERS.types.join(', ');
const TRAINING_KEYS = Object.keys((core(SECTIONS.training) as z.ZodObject).shape).join(', ');

const EXAMPLE = `{
  "name": "Spiral MLP",
  "data": { "type": "spiral", "samples": 600, "classes": 3, "noise": 0.2, "validation_split": 0.2 },
  "model": [ { "type": "linear", "out_features": 64 }, { "type": "relu" }, { "type": "linear" } ],
  "init": { "weight": { "type": "kaiming_normal", "nonlinearity": "relu" }, "bias": "zeros" },
  "loss": "cross_entropy",
  "optimizer": { "type": "sgd", "lr": 0.1, "momentum": 0.9 },
  "training": { "epochs": 60, "batch_size": 32, "seed": 0 },
  "variants": {
    "adam": { "optimizer": { "type": "adam", "lr": 0.01 } }
  }
}`;

describe('parseExperiment: the documented example', () => {
  it('resolves the base with every default filled in', () => {
    const p = parse(EXAMPLE, 'examples/spiral.experiment.json');
    expect(p.problems).toEqual([]);
    expect(p.name).toBe('Spiral MLP');
    expect(p.resolve()?.spec).toEqual({
      name: 'Spiral MLP',
      data: { type: 'spiral', samples: 600, classes: 3, noise: 0.2, seed: 0, validation_split: 0.2 },
      model: [{ type: 'linear', out_features: 64, bias: true }, { type: 'relu' }, { type: 'linear', bias: true }],
      init: {
        weight: { type: 'kaiming_normal', a: 0, mode: 'fan_in', nonlinearity: 'relu' },
        bias: { type: 'zeros' },
      },
      loss: { type: 'cross_entropy', label_smoothing: 0, ignore_index: -100, reduction: 'mean' },
      optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9, dampening: 0, weight_decay: 0, nesterov: false, maximize: false },
      training: { epochs: 60, batch_size: 32, seed: 0, shuffle: true },
    });
  });

  it('resolves the variant: a new optimizer type inherits nothing from the old one', () => {
    const p = parse(EXAMPLE);
    const spec = p.resolve('adam')?.spec;
    expect(spec?.variant).toBe('adam');
    expect(spec?.optimizer).toEqual({
      type: 'adam',
      lr: 0.01,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weight_decay: 0,
      amsgrad: false,
      maximize: false,
      decoupled_weight_decay: false,
    });
    // Everything else comes from the base.
    expect(spec?.training.epochs).toBe(60);
    expect(spec?.data).toEqual(p.resolve()?.spec.data);
  });

  it('lists the variants with the position of their keys, and the base range at the opening brace', () => {
    const p = parse(EXAMPLE);
    const at = positionOf(EXAMPLE, '"adam": {');
    expect(p.variants).toEqual([{ name: 'adam', keyOffset: at.offset, keyLength: 6 }]);
    expect(p.baseRange).toEqual({ offset: 0, length: 1 });
    expect(p.resolve('nope')).toBeUndefined();
  });

  it('hands out copies: changing a resolved spec does not change the next one', () => {
    const p = parse(EXAMPLE);
    p.resolve()!.spec.training.epochs = 1;
    expect(p.resolve()!.spec.training.epochs).toBe(60);
  });
});

describe('defaults (PyTorch where PyTorch has one)', () => {
  it('fills a minimal file', () => {
    const spec = parseObject(MINIMAL).resolve()!.spec;
    expect(spec.name).toBe('test');
    expect(spec.data).toEqual({ type: 'spiral', samples: 300, classes: 3, noise: 0.2, seed: 0, validation_split: 0.2 });
    expect(spec.init).toEqual({ weight: { type: 'default' }, bias: { type: 'default' } });
    expect(spec.loss).toEqual({ type: 'cross_entropy', label_smoothing: 0, ignore_index: -100, reduction: 'mean' });
    expect(spec.optimizer).toEqual({ type: 'sgd', lr: 0.1, momentum: 0, dampening: 0, weight_decay: 0, nesterov: false, maximize: false });
    expect(spec.training).toEqual({ epochs: 10, batch_size: 32, seed: 0, shuffle: true });
    expect(spec.model[0]).toEqual({ type: 'linear', out_features: 16, bias: true });
    expect(spec.model[2]).toEqual({ type: 'linear', bias: true });
  });

  it.each([
    ['moons', 2, 0.1],
    ['circles', 2, 0.05],
    ['xor', 2, 0.05],
    ['blobs', 3, 0.5],
  ])('data %s: classes %d, noise %d', (type, classes, noise) => {
    const spec = parseObject({ ...MINIMAL, data: type }).resolve()!.spec;
    expect(spec.data).toEqual({ type, samples: 300, classes, noise, seed: 0, validation_split: 0.2 });
  });

  it('csv: classification, standardized; mse is the default loss of a regression', () => {
    const cls = parseObject({ ...MINIMAL, data: { type: 'csv', path: 'd.csv', target: 'y' } }).resolve()!.spec;
    expect(cls.data).toEqual({ type: 'csv', path: 'd.csv', target: 'y', task: 'classification', standardize: true, validation_split: 0.2, seed: 0 });
    expect(cls.loss).toEqual({ type: 'cross_entropy', label_smoothing: 0, ignore_index: -100, reduction: 'mean' });
    const reg = parseObject({ ...MINIMAL, data: { type: 'csv', path: 'd.csv', target: 'y', task: 'regression' } }).resolve()!.spec;
    expect(reg.loss).toEqual({ type: 'mse', reduction: 'mean' });
  });

  it('adam: lr 1e-3, betas (0.9, 0.999), eps 1e-8', () => {
    const spec = parseObject({ ...MINIMAL, optimizer: 'adam' }).resolve()!.spec;
    expect(spec.optimizer).toEqual({ type: 'adam', lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false, maximize: false, decoupled_weight_decay: false });
  });

  it('initializers: torch.nn.init defaults, kaiming with leaky_relu', () => {
    const weightOf = (init: unknown): unknown => parseObject({ ...MINIMAL, init: { weight: init } }).resolve()?.spec.init.weight;
    expect(weightOf('kaiming_uniform')).toEqual({ type: 'kaiming_uniform', a: 0, mode: 'fan_in', nonlinearity: 'leaky_relu' });
    expect(weightOf('kaiming_normal')).toEqual({ type: 'kaiming_normal', a: 0, mode: 'fan_in', nonlinearity: 'leaky_relu' });
    expect(weightOf('xavier_uniform')).toEqual({ type: 'xavier_uniform', gain: 1 });
    expect(weightOf('xavier_normal')).toEqual({ type: 'xavier_normal', gain: 1 });
    expect(weightOf('normal')).toEqual({ type: 'normal', mean: 0, std: 1 });
    expect(weightOf('uniform')).toEqual({ type: 'uniform', a: 0, b: 1 });
    expect(weightOf('zeros')).toEqual({ type: 'zeros' });
    expect(weightOf({ type: 'constant', value: 0.5 })).toEqual({ type: 'constant', value: 0.5 });
    expect(weightOf('constant')).toBeUndefined(); // value is required
  });
});

describe('shorthands', () => {
  it('accepts a string wherever an object with a type is expected', () => {
    const p = parseObject({
      data: 'moons',
      model: [{ type: 'linear', out_features: 8 }, 'tanh', 'linear'],
      init: 'xavier_uniform',
      loss: 'mse',
      optimizer: 'adam',
    });
    expect(p.problems).toEqual([]);
    const spec = p.resolve()!.spec;
    expect(spec.data.type).toBe('moons');
    expect(spec.model).toEqual([{ type: 'linear', out_features: 8, bias: true }, { type: 'tanh' }, { type: 'linear', bias: true }]);
    // "init": "<name>" is the weight initializer; the bias keeps its default.
    expect(spec.init).toEqual({ weight: { type: 'xavier_uniform', gain: 1 }, bias: { type: 'default' } });
    expect(spec.loss).toEqual({ type: 'mse', reduction: 'mean' });
    expect(spec.optimizer.type).toBe('adam');
  });

  it("a layer's init overrides the experiment's, key by key", () => {
    const spec = parseObject({
      ...MINIMAL,
      init: { weight: 'xavier_normal', bias: 'zeros' },
      model: [{ type: 'linear', out_features: 4, init: { bias: { type: 'constant', value: 0.1 } } }, 'relu', { type: 'linear', init: 'normal' }],
    }).resolve()!.spec;
    expect(spec.model[0]).toMatchObject({ init: { weight: { type: 'xavier_normal', gain: 1 }, bias: { type: 'constant', value: 0.1 } } });
    expect(spec.model[2]).toMatchObject({ init: { weight: { type: 'normal', mean: 0, std: 1 }, bias: { type: 'zeros' } } });
    expect(spec.model[1]).toEqual({ type: 'relu' });
  });

  it('an unknown shorthand is reported at the string', () => {
    const text = `{
  "data": "spiral",
  "model": ["linear"],
  "optimizer": "adamww"
}`;
    const p = parse(text);
    expect(brief(p)).toEqual([`4:16 error: unknown optimizer 'adamww'; expected one of: ${OPTIMIZER_LIST} (did you mean 'adamw'?)`]);
    expect(p.problems[0].path).toEqual(['optimizer']);
    expect(p.problems[0].length).toBe('"adamww"'.length);
  });
});

describe('JSON with comments', () => {
  it('allows comments and trailing commas', () => {
    const p = parse(`// header comment
{
  /* block */ "data": "spiral", // trailing
  "model": ["linear",],
  "optimizer": { "type": "sgd", "lr": 0.1, },
}`);
    expect(p.problems).toEqual([]);
    expect(p.resolve()).toBeDefined();
  });

  it('reports a missing comma where the next key starts', () => {
    const text = `{
  "data": "spiral"
  "model": ["linear"],
  "optimizer": { "type": "sgd", "lr": 0.1 }
}`;
    const p = parse(text);
    expect(brief(p)).toEqual(['3:3 error: expected a comma']);
    expect(p.resolve()).toBeUndefined();
  });

  it('reports an unterminated string and an unclosed object', () => {
    const p = parse('{\n  "data": "spiral,\n');
    const messages = errors(p).map(e => e.message);
    expect(messages).toContain('unterminated string (missing the closing quote)');
    expect(p.problems[0]).toMatchObject({ line: 2, column: 11 });
  });

  it('an empty file and a non-object are errors at the start', () => {
    expect(brief(parse(''))[0]).toMatch(/^1:1 error: the file is empty/);
    expect(brief(parse('  [1, 2]'))[0]).toMatch(/^1:3 error: an experiment file must hold a JSON object/);
  });

  it('a duplicate key is a warning at the second key; the last value wins', () => {
    const text = `{
  "data": "spiral", "model": ["linear"],
  "optimizer": { "type": "sgd", "lr": 0.1, "lr": 0.5 }
}`;
    const p = parse(text);
    expect(brief(p)).toEqual(["3:44 warning: duplicate key 'lr'; the last one wins"]);
    expect((p.resolve()!.spec.optimizer as { lr: number }).lr).toBe(0.5);
  });
});

describe('files that are not JSON', () => {
  const base = '{ "data": "spiral", "model": ["linear"], "optimizer": { "type": "sgd", "lr": LR } }';
  const with_ = (lr: string): string[] => brief(parse(base.replace('LR', lr)));

  it("names other languages' habits and what JSON writes instead, once per line", () => {
    const column = base.indexOf('LR') + 1;
    expect(with_('.1')).toEqual([`1:${column} error: write 0.1: a JSON number needs a digit before its decimal point`]);
    expect(with_('+1')).toEqual([`1:${column} error: write 1: a JSON number has no '+' sign`]);
    expect(with_('True')).toEqual([`1:${column} error: 'True' is Python; JSON writes true`]);
    expect(with_('None')).toEqual([`1:${column} error: 'None' is Python; JSON writes null`]);
    expect(with_('NaN')).toEqual([`1:${column} error: NaN is not a JSON value`]);
    expect(with_('-Infinity')).toEqual([`1:${column} error: -Infinity is not a JSON value; where an option takes infinity, write "inf"`]);
    expect(brief(parse("{ 'data': 'spiral' }"))).toEqual(['1:3 error: JSON writes strings and keys in double quotes ("lr"), not single quotes']);
  });

  it('an unknown word is still an unexpected character, each line reported once', () => {
    const p = parse('{\n  "data": spiral,\n  "model": [linear]\n}');
    expect(brief(p)).toEqual(['2:11 error: unexpected character', '3:13 error: unexpected character']);
  });

  it('reads a file that starts with a byte-order mark, at the same positions', () => {
    const text = '\uFEFF{\r\n  "data": "spiral", "model": ["linear"],\r\n  "optimizer": { "type": "sgd", "lr": "0.1" }\r\n}';
    const { line, column } = positionOf(text, '"0.1"');
    expect(brief(parse(text))).toEqual([`${line}:${column} error: 'lr' must be a number, not a string: write 0.1 without quotes`]);
  });

  it('a file nested deeper than any experiment is one error, not a crash', () => {
    const deep = `{ "data": "spiral", "junk": ${'{ "a": '.repeat(5000)}1${' }'.repeat(5000)} }`;
    const p = parse(deep);
    // The root is the first level: the 64th "a" object is the 65th.
    const column = deep.indexOf('{ "a": ') + 63 * '{ "a": '.length + 1;
    expect(brief(p)).toEqual([`1:${column} error: nested more than 64 levels deep; an experiment's settings are a few levels deep`]);
    expect(p.resolve()).toBeUndefined();
    expect(brief(parse(`{ "model": ${'['.repeat(100_000)} }`))[0]).toMatch(/^1:\d+ error: nested more than 64 levels deep/);
  });

  it("a duplicate inside a value a later key replaced is placed at its own key on the command line", () => {
    const text = `{
  "data": "spiral", "model": ["linear"],
  "optimizer": { "type": "sgd", "lr": 0.1, "lr": 0.01 },
  "optimizer": "adam"
}`;
    const p = parse(text);
    expect(p.problems.map(x => p.problemKey(x))).toEqual([
      { line: 3, column: 44 },
      { line: 4, column: 3 },
    ]);
    // A value's problem is named by its key.
    const q = parse(base.replace('LR', '-1'));
    expect(q.problemKey(errors(q)[0])).toEqual({ line: 1, column: base.indexOf('"lr"') + 1 });
  });
});

describe('problems at exact positions', () => {
  const text = `{
  "data": { "type": "spiral", "samples": 200 },
  "model": [
    { "type": "linear", "out_features": 32 },
    { "type": "relu" },
    { "type": "linear" }
  ],
  "optimizer": { "type": "adamm", "lr": 0.01 },
  "training": { "epochs": 0, "batchsize": 16 }
}`;

  it('reports every problem at once, in file order, each at its value (or key)', () => {
    const p = parse(text);
    expect(brief(p)).toEqual([
      `8:26 error: unknown optimizer 'adamm'; expected one of: ${OPTIMIZER_LIST} (did you mean 'adam'?)`,
      "9:27 error: 'epochs' must be at least 1, not 0",
      `9:30 error: unknown key 'batchsize' in training; expected one of: ${TRAINING_KEYS} (did you mean 'batch_size'?)`,
    ]);
    expect(p.problems.map(x => x.path)).toEqual([
      ['optimizer', 'type'],
      ['training', 'epochs'],
      ['training', 'batchsize'],
    ]);
    expect(p.problems[2].length).toBe('"batchsize"'.length);
    expect(p.resolve()).toBeUndefined();
  });

  it('a missing required key points at the key that holds the object', () => {
    const t = `{
  "data": "spiral",
  "model": ["linear"],
  "optimizer": { "type": "sgd", "momentum": 0.9 }
}`;
    const p = parse(t);
    expect(brief(p)).toEqual([
      `4:3 error: optimizer 'sgd' needs 'lr' (the learning rate: torch.optim.SGD has no default; e.g. "lr": 0.1)`,
    ]);
    expect(p.problems[0].length).toBe('"optimizer"'.length);
  });

  it('a missing top-level key points at the opening brace', () => {
    const p = parse('{\n  "data": "spiral",\n  "model": ["linear"]\n}');
    expect(brief(p)).toEqual([`1:1 error: the experiment needs 'optimizer' (e.g. "optimizer": { "type": "sgd", "lr": 0.1 })`]);
  });

  it('unknown keys get the nearest valid key or a known alias', () => {
    const p = parseObject({ ...MINIMAL, optimizer: { type: 'sgd', learning_rate: 0.1, lr: 0.1, momentun: 0.9 } });
    const messages = errors(p).map(e => e.message);
    expect(messages[0]).toMatch(/^unknown key 'learning_rate' in optimizer 'sgd'; expected one of: lr, momentum, .*\(did you mean 'lr'\?\)$/);
    expect(messages[1]).toMatch(/\(did you mean 'momentum'\?\)$/);
  });

  it("a key of another kind says where it belongs", () => {
    const p = parseObject({ ...MINIMAL, optimizer: { type: 'sgd', lr: 0.1, betas: [0.9, 0.99] } });
    expect(errors(p)[0].message).toBe("'betas' is not an option of optimizer 'sgd'; it belongs to 'adam', 'adamw', 'adamax', 'nadam' and 'radam'");
    const adam = parseObject({ ...MINIMAL, optimizer: { type: 'adam', momentum: 0.9 } });
    expect(errors(adam)[0].message).toBe(
      `'momentum' is not an option of optimizer 'adam' (its momentum is betas[0], e.g. "betas": [0.9, 0.999]); it belongs to 'sgd' and 'rmsprop'`,
    );
  });

  it('no suggestion when nothing is close', () => {
    const p = parseObject({ ...MINIMAL, optimizer: 'newton' });
    expect(errors(p)[0].message).toBe(`unknown optimizer 'newton'; expected one of: ${OPTIMIZER_LIST}`);
  });

  it('a number written as a string says to drop the quotes', () => {
    const p = parseObject({ ...MINIMAL, optimizer: { type: 'sgd', lr: '0.1' } });
    expect(errors(p)[0].message).toBe("'lr' must be a number, not a string: write 0.1 without quotes");
  });
});

describe('ranges and rules', () => {
  const problemFor = (value: object): string[] => errors(parseObject({ ...MINIMAL, ...value })).map(e => e.message);

  it.each([
    [{ optimizer: { type: 'sgd', lr: 0 } }, "'lr' must be greater than 0, not 0"],
    [{ optimizer: { type: 'sgd', lr: 0.1, momentum: -0.5 } }, "'momentum' must be at least 0, not -0.5"],
    [{ optimizer: { type: 'sgd', lr: 0.1, weight_decay: -1 } }, "'weight_decay' must be at least 0, not -1"],
    [
      { optimizer: { type: 'adam', betas: [0.9, 1] } },
      "'betas[1]' must be less than 1, not 1 (each beta is the decay rate of a running average, 0 ≤ β < 1; typical: [0.9, 0.999])",
    ],
    [{ optimizer: { type: 'adam', betas: [0.9] } }, "'betas' must be a pair of numbers like [0.9, 0.999], not 1 number"],
    [{ optimizer: { type: 'adam', eps: 0 } }, "'eps' must be greater than 0, not 0 (PyTorch also accepts 0, but then a zero gradient divides by zero)"],
    [{ training: { batch_size: 0 } }, "'batch_size' must be at least 1, not 0"],
    [{ training: { batch_size: 2.5 } }, "'batch_size' must be a whole number, not 2.5"],
    [{ training: { epochs: 1.5 } }, "'epochs' must be a whole number, not 1.5"],
    [{ training: { shuffle: 'yes' } }, "'shuffle' must be true or false, not a string ('yes')"],
    [{ training: { seed: -1 } }, "'seed' must be at least 0, not -1"],
    [{ data: { type: 'spiral', validation_split: 1 } }, "'validation_split' must be less than 1, not 1"],
    [{ data: { type: 'spiral', samples: 2, classes: 3 } }, "'samples' (2) must be at least 'classes' (3): every class needs a point"],
    [{ data: { type: 'spiral', samples: 2_000_000 } }, "'samples' is 2000000, above the limit of 1000000 (a larger synthetic set would not fit comfortably in memory)"],
    [{ data: { type: 'moons', classes: 3 } }, "'classes' can only be 2 here, not 3"],
    [{ data: { type: 'xor', noise: -0.1 } }, "'noise' must be at least 0, not -0.1"],
    [{ data: { type: 'csv', path: '/etc/passwd', target: 'y' } }, "'path' must be relative to this experiment file's folder, not absolute ('/etc/passwd')"],
    [{ model: [{ type: 'linear', out_features: 0 }, 'linear'] }, "'out_features' must be at least 1, not 0"],
    [{ model: [{ type: 'linear', out_features: 100000 }, 'linear'] }, "'out_features' is 100000, above the limit of 65536 (wider layers are beyond what this engine is for)"],
    [{ model: [] }, 'the model has no layers; add at least { "type": "linear" }'],
    [{ model: ['relu'] }, 'the model has no linear layer, so it has nothing to learn; add { "type": "linear" }'],
    [{ model: [{ type: 'conv2d' }] }, `unknown layer type 'conv2d'; expected one of: ${LAYERS.types.join(', ')}`],
    [{ model: [{ type: 'relu', inplace: true }, 'linear'] }, "unknown key 'inplace' in a 'relu' layer (a 'relu' layer has no options)"],
    [{ init: { weight: { type: 'uniform', a: 1, b: 0 } } }, 'uniform needs a ≤ b, but a = 1 and b = 0'],
    [{ init: { weight: { type: 'kaiming_normal', nonlinearity: 'rellu' } } }, "unknown nonlinearity 'rellu'; expected one of: linear, sigmoid, tanh, relu, selu, leaky_relu (did you mean 'relu'?)"],
    [{ init: { weight: { type: 'kaiming_normal', mode: 'fan_avg' } } }, "unknown mode 'fan_avg'; expected one of: fan_in, fan_out"],
    [{ init: { wieght: 'zeros' } }, "unknown key 'wieght' in init; expected one of: weight, bias (did you mean 'weight'?)"],
    [{ loss: 'nll' }, `unknown loss 'nll'; expected one of: ${LOSSES.types.join(', ')} (did you mean 'nll_loss'?)`],
    [
      { nmae: 'x' },
      `unknown key 'nmae'; expected one of: ${TOP_LEVEL_KEYS.filter(k => k !== '$schema').join(', ')} (did you mean 'name'?)`,
    ],
  ])('%j → %s', (value, message) => {
    expect(problemFor(value)).toEqual([message]);
  });

  it('nesterov requires momentum > 0 and dampening 0, as torch.optim.SGD does', () => {
    expect(problemFor({ optimizer: { type: 'sgd', lr: 0.1, nesterov: true } })).toEqual([
      'nesterov requires momentum > 0 and dampening = 0 (torch.optim.SGD raises otherwise); momentum is 0',
    ]);
    expect(problemFor({ optimizer: { type: 'sgd', lr: 0.1, nesterov: true, momentum: 0.9, dampening: 0.1 } })).toEqual([
      'nesterov requires momentum > 0 and dampening = 0 (torch.optim.SGD raises otherwise); dampening is 0.1',
    ]);
    expect(problemFor({ optimizer: { type: 'sgd', lr: 0.1, nesterov: true, momentum: 0.9 } })).toEqual([]);
  });

  it('a fan-based initializer cannot initialize a bias', () => {
    const [message] = problemFor({ init: { bias: 'kaiming_uniform' } });
    expect(message).toMatch(/^'kaiming_uniform' cannot initialize a bias/);
  });

  it('only the last linear layer may omit out_features; it must match the classes when given', () => {
    expect(problemFor({ model: ['linear', 'relu', 'linear'] })).toEqual([
      "this linear layer needs 'out_features' (only the last linear layer may omit it: it outputs one value per class or target)",
    ]);
    expect(problemFor({ model: [{ type: 'linear', out_features: 4 }] })).toEqual([
      "the last linear layer must output 3 values (one per class), not 4; or leave out 'out_features'",
    ]);
  });

  it('absurd sizes are errors that say why', () => {
    const [params] = problemFor({ model: [{ type: 'linear', out_features: 60000 }, 'relu', { type: 'linear', out_features: 60000 }, 'linear'] });
    expect(params).toMatch(/^the model has 3,600,[0-9,]+ parameters, above the limit of 10,000,000/);
    const [work] = problemFor({
      data: { type: 'spiral', samples: 1_000_000 },
      model: [{ type: 'linear', out_features: 1000 }, 'relu', { type: 'linear', out_features: 1000 }, 'linear'],
      training: { epochs: 1000 },
    });
    expect(work).toMatch(/^this run needs about .* multiply-adds .* hours of CPU time/);
  });

  it('warnings do not block resolving', () => {
    const p = parseObject({ ...MINIMAL, model: [{ type: 'linear' }, 'relu'], optimizer: { type: 'sgd', lr: 0.1, momentum: 1.2 } });
    expect(errors(p)).toEqual([]);
    expect(warnings(p).map(w => w.message)).toEqual([
      "cross_entropy expects raw scores (logits) from the last linear layer; a 'relu' after it zeroes every negative score and slows or stops learning",
      'momentum 1.2 ≥ 1 lets the velocity grow without bound; typical values are 0.9 or 0.99',
    ]);
    expect(p.resolve()).toBeDefined();
  });

  it('cross_entropy on a regression task is an error at the loss', () => {
    const p = parseObject({ ...MINIMAL, data: { type: 'csv', path: 'a.csv', target: 'y', task: 'regression' }, loss: 'cross_entropy' });
    expect(errors(p).map(e => e.message)).toEqual([
      `cross_entropy needs a classification task, but the data's task is 'regression'; use "mse", "huber" or "smooth_l1"`,
    ]);
    expect(errors(p)[0].path).toEqual(['loss']);
  });
});

describe('name', () => {
  it('comes from the file name when the file has none', () => {
    expect(parse(JSON.stringify(MINIMAL), '/a/b/wine-mlp.experiment.json').name).toBe('wine-mlp');
    expect(parse(JSON.stringify(MINIMAL), 'C:\\x\\y.experiment.json').resolve()!.spec.name).toBe('y');
  });
});

describe('locate', () => {
  it('finds the value of a path, or its nearest ancestor', () => {
    const p = parse(EXAMPLE);
    const lr = positionOf(EXAMPLE, '0.1, "momentum"');
    expect(p.locate(['optimizer', 'lr'])).toMatchObject({ offset: lr.offset, line: lr.line, column: lr.column, length: 3 });
    // The last layer has no out_features: the layer itself.
    const layer = positionOf(EXAMPLE, '{ "type": "linear" }');
    expect(p.locate(['model', 2, 'out_features'])).toMatchObject({ line: layer.line, column: layer.column });
    // A shorthand: "loss": "cross_entropy" has no "type" key of its own.
    expect(p.locate(['loss', 'type'])).toMatchObject(positionOf(EXAMPLE, '"cross_entropy"'));
    expect(p.locate(['nothing', 'here'])).toEqual({ offset: 0, length: 1, line: 1, column: 1 });
  });

  it("in a variant: the variant's own values, the base's for the rest", () => {
    const p = parse(EXAMPLE);
    const lr = positionOf(EXAMPLE, '0.01');
    expect(p.locate(['optimizer', 'lr'], 'adam')).toMatchObject({ line: lr.line, column: lr.column });
    expect(p.locate(['training', 'epochs'], 'adam')).toMatchObject(positionOf(EXAMPLE, '60,'));
  });
});


describe("keys named like Object.prototype's properties", () => {
  it('are unknown keys like any other, at their place (no crash, no "belongs to" every kind)', () => {
    const p = parse(`{
  "data": { "type": "spiral" },
  "model": [{ "type": "linear", "out_features": 8, "__proto__": 1 }, "relu", { "type": "linear" }],
  "optimizer": { "type": "adam", "constructor": 1, "toString": 2 },
  "constructor": 3,
  "training": { "epochs": 1, "hasOwnProperty": 1 }
}`);
    expect(brief(p).map(line => line.replace(/; expected one of: .*/, ''))).toEqual([
      "3:52 error: unknown key '__proto__' in a linear layer",
      "4:34 error: unknown key 'constructor' in optimizer 'adam'",
      "4:52 error: unknown key 'toString' in optimizer 'adam'",
      "5:3 error: unknown key 'constructor'",
      "6:30 error: unknown key 'hasOwnProperty' in training",
    ]);
  });

  it('are unknown kinds and choices like any other', () => {
    const p = parseObject({
      ...MINIMAL,
      schedule: { type: 'sequential', schedulers: ['constructor'], milestones: [] },
      loss: { type: 'cross_entropy', reduction: 'toString' },
    });
    expect(errors(p).map(x => x.message.replace(/; expected one of: .*/, ''))).toEqual([
      "unknown schedule 'constructor'",
      "unknown reduction 'toString'",
    ]);
  });

  it('are variant names like any other', () => {
    const p = parseObject({ ...MINIMAL, variants: { constructor: { optimizer: { lr: 0.5 } }, toString: {} } });
    expect(p.problems).toEqual([]);
    expect(p.resolve('constructor')?.spec.optimizer).toMatchObject({ type: 'sgd', lr: 0.5 });
  });
});
