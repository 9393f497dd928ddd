import { describe, expect, it } from 'vitest';
import { mergeValue } from '../../../engine/experiment/merge';
import { toSource, plain, type SrcValue } from '../../../engine/experiment/source';
import { editDistance, suggest } from '../../../engine/experiment/suggest';
import { parseTree } from 'jsonc-parser/lib/esm/main.js';

describe('suggest', () => {
  it('edit distance counts a swap of neighbours as one edit', () => {
    expect(editDistance('adamm', 'adam')).toBe(1);
    expect(editDistance('nmae', 'name')).toBe(1);
    expect(editDistance('sgd', 'adam')).toBe(4);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests typos, case and separator slips, and known aliases', () => {
    const keys = ['lr', 'momentum', 'weight_decay', 'batch_size'];
    expect(suggest('momentun', keys)).toBe('momentum');
    expect(suggest('Weight-Decay', keys)).toBe('weight_decay');
    expect(suggest('learning_rate', keys, true)).toBe('lr');
    expect(suggest('learning_rate', keys)).toBeUndefined();
    expect(suggest('banana', keys)).toBeUndefined();
    expect(suggest('mom', keys)).toBe('momentum');
    expect(suggest('l2', ['weight_decay', 'lr'], 'key')).toBe('weight_decay');
    expect(suggest('l2', ['l1', 'l2_x', 'regularization'], 'key')).toBe('regularization');
  });

  it("kinds: torch's class names and other names for a kind", () => {
    const schedules = ['step', 'cosine_annealing', 'cosine_annealing_warm_restarts', 'reduce_lr_on_plateau', 'one_cycle'];
    expect(suggest('CosineAnnealingLR', schedules, 'type')).toBe('cosine_annealing');
    expect(suggest('ReduceLROnPlateau', schedules, 'type')).toBe('reduce_lr_on_plateau');
    expect(suggest('StepLR', schedules, 'type')).toBe('step');
    expect(suggest('OneCycleLR', schedules, 'type')).toBe('one_cycle');
    expect(suggest('cosine', schedules, 'type')).toBe('cosine_annealing');
    expect(suggest('sgdr', schedules, 'type')).toBe('cosine_annealing_warm_restarts');
    expect(suggest('sgdr', schedules)).toBeUndefined();
    expect(suggest('CrossEntropyLoss', ['mse', 'cross_entropy'], 'type')).toBe('cross_entropy');
    expect(suggest('glorot_uniform', ['xavier_uniform', 'zeros'], 'type')).toBe('xavier_uniform');
  });

  it("kinds as Python writes them: a module prefix and a call are not part of the name", () => {
    const layers = ['linear', 'relu', 'leaky_relu', 'batch_norm'];
    expect(suggest('torch.nn.ReLU', layers, 'type')).toBe('relu');
    expect(suggest('nn.ReLU()', layers, 'type')).toBe('relu');
    expect(suggest('nn.LeakyReLU(0.2)', layers, 'type')).toBe('leaky_relu');
    expect(suggest('torch.nn.BatchNorm1d', layers, 'type')).toBe('batch_norm');
    expect(suggest('torch.optim.SGD', ['sgd', 'adam'], 'type')).toBe('sgd');
    expect(suggest('optim.Adam', ['sgd', 'adam'], 'type')).toBe('adam');
    expect(suggest('nn.CrossEntropyLoss()', ['mse', 'cross_entropy'], 'type')).toBe('cross_entropy');
    expect(suggest('torch.optim.lr_scheduler.StepLR', ['step', 'exponential'], 'type')).toBe('step');
    // A number is no module path: "0.1" is not "1".
    expect(suggest('0.1', ['l1', 'l2'])).toBeUndefined();
  });

  it("kinds by other libraries' names: sklearn's generators, torchvision's image sets", () => {
    const data = ['spiral', 'moons', 'circles', 'xor', 'blobs', 'csv', 'idx'];
    expect(suggest('make_moons', data, 'type')).toBe('moons');
    expect(suggest('make_circles', data, 'type')).toBe('circles');
    expect(suggest('make_blobs', data, 'type')).toBe('blobs');
    expect(suggest('MNIST', data, 'type')).toBe('idx');
    expect(suggest('fashion_mnist', data, 'type')).toBe('idx');
    expect(suggest('FashionMNIST', data, 'type')).toBe('idx');
    expect(suggest('torchvision.datasets.MNIST', data, 'type')).toBe('idx');
  });

  it('a word that names a property of every object (constructor, toString) is no alias', () => {
    expect(suggest('constructor', ['sgd', 'adam'], 'type')).toBeUndefined();
    expect(suggest('toString', ['lr', 'to_string'], 'key')).toBe('to_string');
  });
});

describe('mergeValue', () => {
  const src = (json: string): SrcValue => toSource(parseTree(json)!, [], []);
  const merge = (base: string, over: string): unknown => plain(mergeValue(src(base), src(over)));

  it('objects merge recursively; arrays and scalars replace; a new type replaces wholesale', () => {
    expect(merge('{"a":{"x":1,"y":2},"b":[1,2]}', '{"a":{"y":3},"b":[9]}')).toEqual({ a: { x: 1, y: 3 }, b: [9] });
    expect(merge('{"type":"sgd","lr":0.1,"momentum":0.9}', '{"type":"adam"}')).toEqual({ type: 'adam' });
    expect(merge('{"type":"sgd","lr":0.1,"momentum":0.9}', '{"type":"sgd","lr":0.5}')).toEqual({ type: 'sgd', lr: 0.5, momentum: 0.9 });
    expect(merge('{"type":"sgd","lr":0.1}', '"adam"')).toEqual('adam');
  });

  it('every merged value keeps the offset where it was written', () => {
    const base = src('{"a":1,"b":2}');
    const over = src('   {"b":3}');
    const merged = mergeValue(base, over);
    if (merged.kind !== 'object') throw new Error('object expected');
    expect(merged.props.map(p => [p.key, p.value.offset])).toEqual([
      ['a', 5],
      ['b', 8],
    ]);
  });
});
