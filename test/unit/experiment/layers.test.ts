import { describe, expect, it } from 'vitest';
import { LAYERS } from '../../../engine/nn/kinds';
import { at, brief, errors, keyAt, MINIMAL, parse, textOf, valueAt, warnings } from './helpers';

/** The problems of MINIMAL with `model` replaced, and the text they are located in. */
function model(layers: unknown[], extra: object = {}): { t: string; problems: string[] } {
  const t = textOf({ ...MINIMAL, model: layers, ...extra });
  return { t, problems: brief(parse(t)) };
}

describe('layer kinds and their keys', () => {
  it('resolves every key of a layer, with torch.nn defaults for what is left out', () => {
    const p = parse(
      textOf({
        ...MINIMAL,
        model: [
          { type: 'linear', out_features: 16 },
          { type: 'batch_norm', momentum: null },
          { type: 'leaky_relu', negative_slope: 0.2 },
          { type: 'dropout', p: 0.1 },
          { type: 'maxout', out_features: 8, pieces: 3 },
          { type: 'prelu', num_parameters: 8 },
          'layer_norm',
          { type: 'gelu', approximate: 'tanh' },
          'linear',
        ],
      }),
    );
    expect(p.problems).toEqual([]);
    expect(p.resolve()!.spec.model).toEqual([
      { type: 'linear', out_features: 16, bias: true },
      { type: 'batch_norm', eps: 1e-5, momentum: null, affine: true, track_running_stats: true },
      { type: 'leaky_relu', negative_slope: 0.2 },
      { type: 'dropout', p: 0.1 },
      { type: 'maxout', out_features: 8, pieces: 3, bias: true },
      { type: 'prelu', num_parameters: 8, init: 0.25 },
      { type: 'layer_norm', eps: 1e-5, elementwise_affine: true },
      { type: 'gelu', approximate: 'tanh' },
      { type: 'linear', bias: true },
    ]);
  });

  it("a maxout layer takes an init like a linear layer's; prelu's init is its initial slope", () => {
    const p = parse(
      textOf({
        ...MINIMAL,
        init: { bias: 'zeros' },
        model: [{ type: 'maxout', out_features: 4, init: 'xavier_uniform' }, { type: 'prelu', init: 0.1 }, 'linear'],
      }),
    );
    expect(p.problems).toEqual([]);
    const [maxout, prelu] = p.resolve()!.spec.model;
    expect(maxout).toMatchObject({ init: { weight: { type: 'xavier_uniform', gain: 1 }, bias: { type: 'zeros' } } });
    expect(prelu).toEqual({ type: 'prelu', num_parameters: 1, init: 0.1 });
  });

  it('an unknown layer lists every kind; torch class names and common names get a suggestion', () => {
    const { t, problems } = model([{ type: 'linear', out_features: 4 }, 'BatchNorm1d', { type: 'Dense' }, 'linear']);
    const kinds = LAYERS.types.join(', ');
    expect(problems).toEqual([
      `${at(t, '"BatchNorm1d"')} error: unknown layer type 'BatchNorm1d'; expected one of: ${kinds} (did you mean 'batch_norm'?)`,
      `${at(t, '"Dense"')} error: unknown layer type 'Dense'; expected one of: ${kinds} (did you mean 'linear'?)`,
    ]);
  });

  it("a key of another kind says where it belongs; a misnamed key gets the key meant", () => {
    const { t, problems } = model([
      { type: 'linear', out_features: 4 },
      { type: 'relu', out_features: 3 },
      { type: 'dropout', dropout_rate: 0.2 },
      'linear',
    ]);
    expect(problems).toEqual([
      `${keyAt(t, 'out_features', 1)} error: 'out_features' is not an option of a 'relu' layer; it belongs to 'linear' and 'maxout'`,
      `${keyAt(t, 'dropout_rate')} error: unknown key 'dropout_rate' in a 'dropout' layer; expected one of: p (did you mean 'p'?)`,
    ]);
  });
});

describe('layer rules, each at the key to change', () => {
  it('dropout p = 1 says what p is', () => {
    const { t, problems } = model([{ type: 'linear', out_features: 4 }, { type: 'dropout', p: 1 }, 'linear']);
    expect(problems).toEqual([
      `${valueAt(t, 'p')} error: 'p' must be less than 1, not 1 (p is the probability of DROPPING a unit; p = 1 drops everything)`,
    ]);
  });

  it('batch_norm momentum: a number in [0, 1] or null', () => {
    const { t, problems } = model([{ type: 'linear', out_features: 4 }, { type: 'batch_norm', momentum: 'none' }, 'linear']);
    expect(problems).toEqual([`${valueAt(t, 'momentum')} error: 'momentum' must be a number or null, not a string ('none')`]);
  });

  it('hardtanh needs min_val < max_val; celu alpha 0 divides by zero', () => {
    const { t, problems } = model([
      { type: 'linear', out_features: 4 },
      { type: 'hardtanh', min_val: 2, max_val: 1 },
      { type: 'celu', alpha: 0 },
      'linear',
    ]);
    expect(problems).toEqual([
      `${valueAt(t, 'max_val')} error: hardtanh needs min_val < max_val (torch raises otherwise), but min_val = 2 and max_val = 1`,
      `${valueAt(t, 'alpha')} error: celu's alpha must not be 0 (CELU divides by it)`,
    ]);
  });

  it('glu needs an even width; the last linear layer then outputs twice the classes', () => {
    const odd = model([{ type: 'linear', out_features: 5 }, 'glu', 'linear']);
    expect(odd.problems).toEqual([`${at(odd.t, '"glu"')} error: glu halves the features, so the width before it must be even, not 5`]);
    const last = model([{ type: 'linear', out_features: 4 }, 'relu', { type: 'linear', out_features: 3 }, 'glu']);
    expect(last.problems).toEqual([
      `${valueAt(last.t, 'out_features', 1)} error: the last linear layer must output 6 values: the model outputs 3 (one per class) and the glu after it halves the width, not 3; or leave out 'out_features'`,
    ]);
    const ok = parse(textOf({ ...MINIMAL, model: [{ type: 'linear', out_features: 4 }, 'relu', 'linear', 'glu'] }));
    expect(ok.problems).toEqual([]);
  });

  it("prelu's num_parameters is 1 or the width of its input", () => {
    const { t, problems } = model([{ type: 'linear', out_features: 4 }, { type: 'prelu', num_parameters: 3 }, 'linear']);
    expect(problems).toEqual([
      `${valueAt(t, 'num_parameters')} error: prelu's num_parameters must be 1 (one slope for all features) or 4 (one per feature of its input), not 3`,
    ]);
  });

  it('maxout counts as a linear layer: it may be last, and only the last may omit out_features', () => {
    const last = parse(textOf({ ...MINIMAL, model: [{ type: 'linear', out_features: 4 }, 'relu', { type: 'maxout' }] }));
    expect(last.problems).toEqual([]);
    const { t, problems } = model([{ type: 'maxout' }, 'linear']);
    expect(problems).toEqual([
      `${at(t, '{\n      "type": "maxout"')} error: this maxout layer needs 'out_features' (only the last linear or maxout layer may omit it: it outputs one value per class or target)`,
    ]);
    const none = model(['relu', 'dropout']);
    expect(none.problems).toEqual([
      `${valueAt(none.t, 'model')} error: the model has no linear layer, so it has nothing to learn; add { "type": "linear" }`,
    ]);
  });

  it('maxout: out_features × pieces is bounded; its parameters count pieces times', () => {
    const wide = model([{ type: 'maxout', out_features: 40000, pieces: 2 }, 'linear']);
    expect(wide.problems).toEqual([
      `${valueAt(wide.t, 'pieces')} error: this maxout layer computes out_features × pieces = 80000 values, above the limit of 65536 (wider layers are beyond what this engine is for)`,
    ]);
    const many = model([{ type: 'maxout', out_features: 30000, pieces: 2 }, { type: 'maxout', out_features: 200, pieces: 2 }, 'linear']);
    // (2·30000 + 30000)·2 + (30000·200 + 200)·2 + (200·3 + 3) = 12,181,003 parameters.
    expect(many.problems).toEqual([
      `${valueAt(many.t, 'model')} error: the model has 12,181,003 parameters, above the limit of 10,000,000: this engine trains small networks on the CPU; make the layers narrower`,
    ]);
  });
});

describe('layers after the last linear layer (the scores the loss reads)', () => {
  it.each([
    ['relu', 'zeroes every negative score and slows or stops learning'],
    ['sigmoid', 'squashes the scores into (0, 1) and slows or stops learning'],
    ['softmax', 'turns them into probabilities, which cross_entropy then treats as scores (softmax twice): the gradients shrink and learning stalls'],
    ['dropout', 'zeroes random scores during training, so the loss sees scores the model did not mean'],
    ['batch_norm', 'normalizes the scores, which caps how confident the model can become'],
    ['elu', 'bends the scores, which should be unconstrained, and slows learning'],
    [
      'log_softmax',
      'is redundant: cross_entropy applies log_softmax itself (a second one changes nothing); with log_softmax at the end, the matching loss is "nll_loss"',
    ],
  ])('cross_entropy then %s: a warning at that layer', (kind, effect) => {
    const { t, problems } = model([{ type: 'linear', out_features: 4 }, 'relu', 'linear', kind]);
    expect(problems).toEqual([
      `${at(t, `"${kind}"`, kind === 'relu' ? 1 : 0)} warning: cross_entropy expects raw scores (logits) from the last linear layer; a '${kind}' after it ${effect}`,
    ]);
  });

  it('nll_loss wants log_softmax at the end (and not softmax)', () => {
    const right = parse(textOf({ ...MINIMAL, loss: 'nll_loss', model: [{ type: 'linear', out_features: 4 }, 'relu', 'linear', 'log_softmax'] }));
    expect(right.problems).toEqual([]);
    const t = textOf({ ...MINIMAL, loss: 'nll_loss', model: [{ type: 'linear', out_features: 4 }, 'relu', 'linear', 'softmax'] });
    expect(brief(parse(t))).toEqual([
      `${at(t, '"softmax"')} warning: nll_loss expects log-probabilities, but the model ends with softmax (probabilities); end it with "log_softmax" instead`,
    ]);
    const bare = textOf({ ...MINIMAL, loss: 'nll_loss' });
    expect(brief(parse(bare))).toEqual([
      `${at(bare, '"linear"', 1)} warning: nll_loss expects log-probabilities: end the model with "log_softmax" (or use "cross_entropy", which applies log_softmax itself)`,
    ]);
  });

  it('warnings do not stop the experiment from resolving', () => {
    const p = parse(textOf({ ...MINIMAL, model: [{ type: 'linear', out_features: 4 }, 'relu', 'linear', 'softmax'] }));
    expect(errors(p)).toEqual([]);
    expect(warnings(p)).toHaveLength(1);
    expect(p.resolve()).toBeDefined();
  });
});

describe('an item of no known kind is taken for no layer', () => {
  const kinds = LAYERS.types.join(', ');
  const unknown = (name: string, meant: string) => `error: unknown layer type '${name}'; expected one of: ${kinds} (did you mean '${meant}'?)`;

  it('a misspelt last layer: only its own error (not a wrong width, nor scores bent by what comes before it)', () => {
    const typo = '{ "data": "spiral", "model": [{"type":"linear","out_features":16},"relu","linaer"], "optimizer": "adam" }';
    expect(brief(parse(typo))).toEqual([`${at(typo, '"linaer"')} ${unknown('linaer', 'linear')}`]);
    expect(at(typo, '"linaer"')).toBe('1:74');
    const object = '{ "data": "spiral", "model": [{"type":"linear","out_features":16},"relu",{"type":"Linear"}], "optimizer": "adam" }';
    expect(brief(parse(object))).toEqual([`${at(object, '"Linear"')} ${unknown('Linear', 'linear')}`]);
  });

  it('nor a last item without a type, or not an object', () => {
    const typeless = model([{ type: 'linear', out_features: 16 }, 'relu', { out_features: 3 }]);
    expect(typeless.problems).toEqual([`${at(typeless.t, '{\n      "out_features": 3')} error: 'model[2]' needs a "type": one of ${kinds}`]);
    const number = model([{ type: 'linear', out_features: 16 }, 'relu', 3]);
    expect(number.problems).toEqual([
      `${at(number.t, '3\n')} error: 'model[2]' must be an object with a "type" (or just the type, e.g. "linear"), not the number 3`,
    ]);
  });

  it('a misspelt ending is not an ending the loss reads, nor a layer that bends its scores', () => {
    const nll = model([{ type: 'linear', out_features: 16 }, 'relu', 'linear', 'log_softmx'], { loss: 'nll_loss' });
    expect(nll.problems).toEqual([`${at(nll.t, '"log_softmx"')} ${unknown('log_softmx', 'log_softmax')}`]);
    const bce = model([{ type: 'linear', out_features: 16 }, 'relu', { type: 'linear', out_features: 1 }, 'sigmod'], { data: 'moons', loss: 'bce' });
    expect(bce.problems).toEqual([`${at(bce.t, '"sigmod"')} ${unknown('sigmod', 'sigmoid')}`]);
    const between = model([{ type: 'linear', out_features: 16 }, 'relu', 'linear', 'rleu', 'log_softmax'], { loss: 'nll_loss' });
    expect(between.problems).toEqual([`${at(between.t, '"rleu"')} ${unknown('rleu', 'relu')}`]);
  });

  it('the width after it is unknown, and so is the size of the model', () => {
    const prelu = model([{ type: 'linear', out_features: 16 }, { type: 'linaer', out_features: 5 }, { type: 'prelu', num_parameters: 5 }, 'linear']);
    expect(prelu.problems).toEqual([`${at(prelu.t, '"linaer"')} ${unknown('linaer', 'linear')}`]);
    const glu = model([{ type: 'linear', out_features: 16 }, { type: 'linaer', out_features: 5 }, 'glu', 'linear']);
    expect(glu.problems).toEqual([`${at(glu.t, '"linaer"')} ${unknown('linaer', 'linear')}`]);
    // The third layer has 1000 × 1000 weights only if the misspelt one is no linear layer: the run's size is not judged.
    const big = model(
      [{ type: 'linear', out_features: 1000 }, { type: 'linaer', out_features: 4 }, { type: 'linear', out_features: 1000 }, 'relu', 'linear'],
      { data: { type: 'spiral', samples: 20000 }, training: { epochs: 500 } },
    );
    expect(big.problems).toEqual([`${at(big.t, '"linaer"')} ${unknown('linaer', 'linear')}`]);
  });

  it('what it cannot change is still checked: the last linear layer after it, batch_norm against the batch, dropout under lbfgs', () => {
    const before = model([{ type: 'linear', out_features: 16 }, 'rleu', { type: 'linear', out_features: 7 }]);
    expect(before.problems).toEqual([
      `${at(before.t, '"rleu"')} ${unknown('rleu', 'relu')}`,
      `${valueAt(before.t, 'out_features', 1)} error: the last linear layer must output 3 values (one per class), not 7; or leave out 'out_features'`,
    ]);
    const norm = model([{ type: 'linear', out_features: 16 }, 'batch_norm', 'relu', 'linaer'], { training: { batch_size: 1 } });
    expect(norm.problems).toEqual([
      `${at(norm.t, '"linaer"')} ${unknown('linaer', 'linear')}`,
      `${valueAt(norm.t, 'batch_size')} error: batch_norm needs at least 2 rows per batch to compute batch statistics (torch raises "Expected more than 1 value per channel when training"); batch_size is 1`,
    ]);
    const lbfgs = model([{ type: 'linear', out_features: 16 }, 'dropout', 'linaer'], { optimizer: 'lbfgs' });
    expect(lbfgs.problems).toEqual([
      `${at(lbfgs.t, '"dropout"')} warning: dropout draws new masks at every evaluation of the loss, so lbfgs sees a different function each time and its line search goes astray; remove dropout or use another optimizer`,
      `${at(lbfgs.t, '"linaer"')} ${unknown('linaer', 'linear')}`,
    ]);
  });
});
