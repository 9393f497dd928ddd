import { describe, expect, it } from 'vitest';
import { INITIALIZERS } from '../../../engine/init/kinds';
import { LOSSES } from '../../../engine/losses/kinds';
import { at, brief, MINIMAL, parse, textOf, valueAt } from './helpers';

function run(extra: object): { t: string; problems: string[] } {
  const t = textOf({ ...MINIMAL, ...extra });
  return { t, problems: brief(parse(t)) };
}

const resolved = (extra: object) => parse(textOf({ ...MINIMAL, ...extra })).resolve()?.spec;

describe('losses', () => {
  it('every option passes through with torch defaults; class weights stay as written', () => {
    expect(resolved({ loss: { type: 'cross_entropy', weight: [1, 2, 0.5], label_smoothing: 0.1 } })!.loss).toEqual({
      type: 'cross_entropy',
      weight: [1, 2, 0.5],
      label_smoothing: 0.1,
      ignore_index: -100,
      reduction: 'mean',
    });
    expect(resolved({ data: 'moons', loss: 'bce_with_logits' })!.loss).toEqual({ type: 'bce_with_logits', pos_weight: 1, reduction: 'mean' });
    const regression = { data: { type: 'csv', path: 'd.csv', target: 'y', task: 'regression' } };
    expect(resolved({ ...regression, loss: { type: 'huber', delta: 0.5, reduction: 'sum' } })!.loss).toEqual({ type: 'huber', delta: 0.5, reduction: 'sum' });
    expect(resolved({ ...regression, loss: 'smooth_l1' })!.loss).toEqual({ type: 'smooth_l1', beta: 1, reduction: 'mean' });
  });

  it("reduction is 'mean' or 'sum'; torch's 'none' is refused with the reason", () => {
    const none = run({ loss: { type: 'cross_entropy', reduction: 'none' } });
    expect(none.problems).toEqual([
      `${valueAt(none.t, 'reduction')} error: reduction 'none' gives one loss per example, which training cannot minimize as it is (torch's backward needs one number: a torch loop takes its .mean() or .sum()); use 'mean' or 'sum'`,
    ]);
    const typo = run({ loss: { type: 'mse', reduction: 'summ' } });
    expect(typo.problems).toEqual([`${valueAt(typo.t, 'reduction')} error: unknown reduction 'summ'; expected one of: mean, sum (did you mean 'sum'?)`]);
  });

  it('class weights: one number ≥ 0 per class, not all zero', () => {
    const count = run({ loss: { type: 'nll_loss', weight: [1, 2] }, model: [{ type: 'linear', out_features: 4 }, 'relu', 'linear', 'log_softmax'] });
    expect(count.problems).toEqual([
      `${valueAt(count.t, 'weight')} error: 'weight' needs one number per class: the data has 3 classes, but weight has 2 entries`,
    ]);
    const negative = run({ loss: { type: 'cross_entropy', weight: [1, -2, 1] } });
    expect(negative.problems).toEqual([`${at(negative.t, '-2')} error: 'weight[1]' must be at least 0, not -2`]);
    const zero = run({ loss: { type: 'cross_entropy', weight: [0, 0, 0] } });
    expect(zero.problems).toEqual([`${valueAt(zero.t, 'weight')} error: every class weight is 0: the loss is 0/0 (NaN) on every batch`]);
  });

  it('probability targets (soft labels): cross_entropy, bce_with_logits and bce take them; nll_loss and ignore_index are refused at their keys', () => {
    const soft = { data: { type: 'csv', path: 'd.csv', target: ['p_a', 'p_b', 'p_c'], task: 'probabilities' } };
    expect(run({ ...soft, loss: { type: 'cross_entropy', label_smoothing: 0.1 } }).problems).toEqual([]);
    expect(resolved(soft)!.loss).toMatchObject({ type: 'cross_entropy' });
    const nll = run({ ...soft, loss: 'nll_loss', model: [{ type: 'linear', out_features: 4 }, 'relu', 'linear', 'log_softmax'] });
    expect(nll.problems).toEqual([
      `${valueAt(nll.t, 'loss')} error: nll_loss reads one class index per row, but this data's targets are class probabilities (torch's nll_loss has no probability targets); use "cross_entropy"`,
    ]);
    const ignore = run({ ...soft, loss: { type: 'cross_entropy', ignore_index: 0 } });
    expect(ignore.problems).toEqual([
      `${valueAt(ignore.t, 'ignore_index')} error: ignore_index skips the examples of one class, but this data's targets are class probabilities, with no single class per example (torch refuses it too)`,
    ]);
    // Three probability columns are three classes: a loss for 2 is refused before any file is read.
    const binary = run({ ...soft, loss: 'bce_with_logits' });
    expect(binary.problems).toEqual([
      `${valueAt(binary.t, 'loss')} error: bce_with_logits is for 2 classes (the model outputs one logit, the score of class 1), but the data has 3 classes; use "cross_entropy"`,
    ]);
    const one = { data: { type: 'csv', path: 'd.csv', target: 'p_spam', task: 'probabilities' } };
    expect(run({ ...one, loss: 'bce_with_logits', model: [{ type: 'linear', out_features: 4 }, 'relu', 'linear'] }).problems).toEqual([]);
    // Several label columns without task probabilities: said at 'target'.
    const labels = run({ data: { type: 'csv', path: 'd.csv', target: ['a', 'b'] } });
    expect(labels.problems).toEqual([
      `${valueAt(labels.t, 'target')} error: class labels come from one column, but 'target' names 2; for one probability per class and column, set "task": "probabilities"`,
    ]);
  });

  it('ignore_index is an integer (torch default −100, no class) for cross_entropy and nll_loss', () => {
    expect(resolved({ loss: { type: 'nll_loss', ignore_index: 2 }, model: [{ type: 'linear', out_features: 4 }, 'relu', 'linear', 'log_softmax'] })!.loss).toEqual({
      type: 'nll_loss',
      ignore_index: 2,
      reduction: 'mean',
    });
    const fraction = run({ loss: { type: 'cross_entropy', ignore_index: 1.5 } });
    expect(fraction.problems).toEqual([`${valueAt(fraction.t, 'ignore_index')} error: 'ignore_index' must be a whole number, not 1.5`]);
  });

  it('classification losses refuse regression data; bce_with_logits needs 2 classes and 1 output', () => {
    const regression = run({ data: { type: 'csv', path: 'd.csv', target: 'y', task: 'regression' }, loss: 'nll_loss' });
    expect(regression.problems).toEqual([
      `${valueAt(regression.t, 'loss')} error: nll_loss needs a classification task, but the data's task is 'regression'; use "mse", "huber" or "smooth_l1"`,
    ]);
    const three = run({ loss: 'bce_with_logits' });
    expect(three.problems).toEqual([
      `${valueAt(three.t, 'loss')} error: bce_with_logits is for 2 classes (the model outputs one logit, the score of class 1), but the data has 3 classes; use "cross_entropy"`,
    ]);
    const width = run({ data: 'moons', loss: 'bce_with_logits', model: [{ type: 'linear', out_features: 8 }, 'relu', { type: 'linear', out_features: 2 }] });
    expect(width.problems).toEqual([
      `${valueAt(width.t, 'out_features', 1)} error: the last linear layer must output 1 value (the logit of class 1), not 2; or leave out 'out_features'`,
    ]);
  });

  it('bce reads probabilities: a model ending with its linear layer cannot run; another ending is a warning', () => {
    const moons = { data: 'moons', loss: 'bce' };
    expect(run({ ...moons, model: [{ type: 'linear', out_features: 8 }, 'relu', 'linear', 'sigmoid'] }).problems).toEqual([]);
    const raw = run({ ...moons, model: [{ type: 'linear', out_features: 8 }, 'relu', 'linear'] });
    expect(raw.problems).toEqual([
      `${at(raw.t, '"linear"', 1)} error: bce expects probabilities in [0, 1]: end the model with "sigmoid" (or use "bce_with_logits", which applies the sigmoid itself, more stably); the raw outputs of its last linear layer fall outside [0, 1], where torch's BCELoss raises`,
    ]);
    const tanh = run({ ...moons, model: [{ type: 'linear', out_features: 8 }, 'relu', 'linear', 'tanh'] });
    expect(tanh.problems).toEqual([
      `${at(tanh.t, '"tanh"')} warning: bce expects probabilities in [0, 1]: end the model with "sigmoid" (or use "bce_with_logits", which applies the sigmoid itself, more stably)`,
    ]);
    const three = run({ loss: 'bce', model: [{ type: 'linear', out_features: 8 }, 'relu', 'linear', 'sigmoid'] });
    expect(three.problems).toEqual([
      `${valueAt(three.t, 'loss')} error: bce is for 2 classes (the model outputs one probability, that of class 1), but the data has 3 classes; use "cross_entropy"`,
    ]);
    const width = run({ ...moons, model: [{ type: 'linear', out_features: 8 }, 'relu', { type: 'linear', out_features: 2 }, 'sigmoid'] });
    expect(width.problems).toEqual([
      `${valueAt(width.t, 'out_features', 1)} error: the last linear layer must output 1 value (whose sigmoid is the probability of class 1), not 2; or leave out 'out_features'`,
    ]);
  });

  it('an unknown loss lists them all; torch names get the kind meant', () => {
    const { t, problems } = run({ loss: 'BCEWithLogitsLoss' });
    expect(problems).toEqual([
      `${valueAt(t, 'loss')} error: unknown loss 'BCEWithLogitsLoss'; expected one of: ${LOSSES.types.join(', ')} (did you mean 'bce_with_logits'?)`,
    ]);
  });
});

describe('initializers', () => {
  it('the new kinds resolve with torch defaults', () => {
    const weight = (init: unknown) => resolved({ init: { weight: init } })?.init.weight;
    expect(weight('orthogonal')).toEqual({ type: 'orthogonal', gain: 1 });
    expect(weight({ type: 'sparse', sparsity: 0.1 })).toEqual({ type: 'sparse', sparsity: 0.1, std: 0.01 });
    expect(weight('trunc_normal')).toEqual({ type: 'trunc_normal', mean: 0, std: 1, a: -2, b: 2 });
    expect(weight('lecun_normal')).toEqual({ type: 'lecun_normal' });
  });

  it('trunc_normal: a < b, and a mean far outside [a, b] is a warning (torch warns too)', () => {
    const order = run({ init: { weight: { type: 'trunc_normal', a: 1, b: -1 } } });
    expect(order.problems).toEqual([`${valueAt(order.t, 'b')} error: trunc_normal needs a < b (the cut-offs), but a = 1 and b = -1`]);
    const far = run({ init: { weight: { type: 'trunc_normal', mean: 5, std: 0.5, a: -1, b: 1 } } });
    expect(far.problems).toEqual([
      `${valueAt(far.t, 'mean')} warning: mean 5 is more than 2 std from [a, b] = [-1, 1] (torch warns: the distribution of values may be incorrect); a and b are absolute bounds, not multiples of std`,
    ]);
  });

  it('a 2-D initializer cannot initialize a bias (the message lists those that can)', () => {
    const { t, problems } = run({ init: { bias: 'orthogonal' } });
    const can = INITIALIZERS.types.filter(k => !['xavier_uniform', 'xavier_normal', 'kaiming_uniform', 'kaiming_normal', 'lecun_uniform', 'lecun_normal', 'orthogonal', 'sparse'].includes(k));
    expect(problems).toEqual([
      `${valueAt(t, 'bias')} error: 'orthogonal' cannot initialize a bias: it needs a 2-D weight, and a bias is 1-D ` +
        `(torch raises "Only tensors with 2 or more dimensions are supported"); use ${can.slice(0, -1).join(', ')} or ${can[can.length - 1]}`,
    ]);
  });

  it("other names for initializers get torch's", () => {
    const { t, problems } = run({ init: 'he_normal' });
    expect(problems).toEqual([
      `${valueAt(t, 'init')} error: unknown initializer 'he_normal'; expected one of: ${INITIALIZERS.types.join(', ')} (did you mean 'kaiming_normal'?)`,
    ]);
  });
});

describe('a loss or data set of no known kind is taken for none', () => {
  const losses = LOSSES.types.join(', ');
  const moons = { data: 'moons', model: [{ type: 'linear', out_features: 16 }, 'relu', { type: 'linear', out_features: 1 }] };

  it("an unknown loss, or one with an error, does not say how wide the model's output must be", () => {
    const typo = run({ ...moons, loss: 'bce_with_logit' });
    expect(typo.problems).toEqual([
      `${valueAt(typo.t, 'loss')} error: unknown loss 'bce_with_logit'; expected one of: ${losses} (did you mean 'bce_with_logits'?)`,
    ]);
    const option = run({ ...moons, loss: { type: 'bce_with_logits', pos_weight: '2' } });
    expect(option.problems).toEqual([`${valueAt(option.t, 'pos_weight')} error: 'pos_weight' must be a number, not a string: write 2 without quotes`]);
  });

  it('without a known data set the default loss is unknown (a misspelt csv may be a regression)', () => {
    const model = [{ type: 'linear', out_features: 16 }, 'relu', 'linear', 'relu'];
    const csv = run({ data: { type: 'CSV', path: 'd.csv', target: 'y', task: 'regression' }, model });
    expect(csv.problems).toEqual([
      `${valueAt(csv.t, 'type')} error: unknown data type 'CSV'; expected one of: spiral, moons, circles, xor, blobs, csv, idx (did you mean 'csv'?)`,
    ]);
  });
});

describe('a key written wrongly is unknown to the rules, never its default', () => {
  const csv = (more: object) => ({ data: { type: 'csv', path: 'd.csv', target: 'y', ...more } });
  const taskError = (t: string, task: string, near: string) =>
    `${valueAt(t, 'task')} error: unknown task '${task}'; expected one of: classification, regression, probabilities (did you mean '${near}'?)`;

  it("a misspelt task is not 'classification': no default loss, so no warning about what follows the scores", () => {
    const typo = run({ ...csv({ task: 'regresion' }), model: [{ type: 'linear', out_features: 8 }, 'relu', 'linear', 'relu'] });
    expect(typo.problems).toEqual([taskError(typo.t, 'regresion', 'regression')]);
    // Written right, the default loss (mse) is known and reads no scores; a classification's cross_entropy would warn.
    expect(run({ ...csv({ task: 'regression' }), model: ['linear', 'relu'] }).problems).toEqual([]);
    expect(run({ ...csv({ task: 'classification' }), model: ['linear', 'relu'] }).problems).toHaveLength(1);
  });

  it('nor are its target columns class labels, and the loss is checked against no task', () => {
    const columns = run({ data: { type: 'csv', path: 'd.csv', target: ['a', 'b'], task: 'regresion' }, loss: 'mse' });
    expect(columns.problems).toEqual([taskError(columns.t, 'regresion', 'regression')]);
    const nll = run({ ...csv({ task: 'clasification' }), loss: 'nll_loss', model: ['linear', 'softmax'] });
    // What the task cannot change is still said: nll_loss reads log-probabilities whatever the task.
    expect(nll.problems).toEqual([
      taskError(nll.t, 'clasification', 'classification'),
      `${at(nll.t, '"softmax"')} warning: nll_loss expects log-probabilities, but the model ends with softmax (probabilities); end it with "log_softmax" instead`,
    ]);
  });

  it("a misspelt nonlinearity may be leaky_relu: 'a' is not said to have no effect", () => {
    const typo = run({ init: { weight: { type: 'kaiming_uniform', a: 0.1, nonlinearity: 'leakyrelu' } } });
    expect(typo.problems).toEqual([
      `${valueAt(typo.t, 'nonlinearity')} error: unknown nonlinearity 'leakyrelu'; expected one of: linear, sigmoid, tanh, relu, selu, leaky_relu (did you mean 'leaky_relu'?)`,
    ]);
    expect(run({ init: { weight: { type: 'kaiming_uniform', a: 0.1, nonlinearity: 'relu' } } }).problems).toHaveLength(1);
  });
});

describe("a loss key written wrongly leaves the loss's type known", () => {
  it('what follows the scores, and the last layer\'s width, are still checked against its type', () => {
    const reduction = run({ model: [{ type: 'linear', out_features: 8 }, 'relu', { type: 'linear', out_features: 2 }, 'relu'], loss: { type: 'cross_entropy', reduction: 'avg' } });
    expect(reduction.problems).toEqual([
      `${valueAt(reduction.t, 'out_features', 1)} error: the last linear layer must output 3 values (one per class), not 2; or leave out 'out_features'`,
      `${at(reduction.t, '"relu"', 1)} warning: cross_entropy expects raw scores (logits) from the last linear layer; a 'relu' after it zeroes every negative score and slows or stops learning`,
      `${valueAt(reduction.t, 'reduction')} error: unknown reduction 'avg'; expected one of: mean, sum`,
    ]);
  });
});
