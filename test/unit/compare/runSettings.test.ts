import { describe, expect, it } from 'vitest';
import { differingSettings, flattenSettings, numericDifferences, runLabels, shortNames } from '../../../contract/runSettings';
import { optimizerRuns } from '../../fixtures/compare/runs';

describe('the settings that tell runs apart', () => {
  it('flattens a resolved experiment into dotted paths, lists of values as one value', () => {
    const flat = flattenSettings({ name: 'x', variant: 'v', optimizer: { type: 'adam', betas: [0.9, 0.999] }, model: [{ type: 'linear', out_features: 4 }, { type: 'relu' }] });
    expect(Object.fromEntries(flat)).toEqual({ 'optimizer.type': 'adam', 'optimizer.betas': '[0.9,0.999]', 'model.0.type': 'linear', 'model.0.out_features': 4, 'model.1.type': 'relu' });
  });

  it('names each run of the optimizer example by its variant and what it changed', () => {
    const runs = optimizerRuns();
    const differences = differingSettings(runs.map(r => r.spec));
    expect(differences.map(d => d.name)).toEqual(['optimizer', 'lr', 'momentum', 'weight_decay', 'nesterov', 'eps', 'alpha']);
    expect(runLabels(runs, differences)).toEqual([
      'base · optimizer sgd, lr 0.1',
      'momentum · optimizer sgd, lr 0.1, momentum 0.9',
      'nesterov · optimizer sgd, lr 0.1, momentum 0.9, nesterov true',
      // Defaults differ too: Adagrad's eps is 1e-10 where RMSprop's and Adam's are 1e-8.
      'adagrad · optimizer adagrad, lr 0.1, eps 1e-10',
      'rmsprop · optimizer rmsprop, lr 0.005, alpha 0.99',
      'adam · optimizer adam, lr 0.01',
      'adamw · optimizer adamw, lr 0.01, weight_decay 0.01',
      'lookahead_adam · optimizer lookahead, alpha 0.5',
      'sgd_lr_too_high · optimizer sgd, lr 3',
    ]);
  });

  it('leaves out settings a different type explains (Adam\'s betas beside SGD\'s dampening)', () => {
    const differences = differingSettings(optimizerRuns().map(r => r.spec));
    const paths = differences.map(d => d.path);
    expect(paths).not.toContain('optimizer.betas');
    expect(paths).not.toContain('optimizer.dampening');
    expect(paths).not.toContain('optimizer.optimizer.lr');
    // The data, model and training are the same in every run.
    expect(paths.every(p => p.startsWith('optimizer.'))).toBe(true);
  });

  it('with two runs both name their value; a value most runs share is named only where it differs', () => {
    const two = [{ optimizer: { type: 'sgd', lr: 0.1 } }, { optimizer: { type: 'sgd', lr: 0.01 } }];
    expect(runLabels([{}, { variant: 'small' }], differingSettings(two))).toEqual(['base · lr 0.1', 'small · lr 0.01']);
    const three = [...two, { optimizer: { type: 'sgd', lr: 0.1 } }];
    expect(runLabels([{}, { variant: 'small' }, { variant: 'again' }], differingSettings(three))).toEqual(['base', 'small · lr 0.01', 'again']);
  });

  it('tells apart runs that would read the same by their start time, and prefers a given name', () => {
    const specs = [{ lr: 1 }, { lr: 1 }, { lr: 2 }];
    const labels = runLabels(
      [
        { variant: 'a', startedAt: '2026-12-05T10:00:00' },
        { variant: 'a', startedAt: '2026-12-05T10:05:07' },
        { variant: 'b', name: 'tuned', startedAt: '2026-12-05T10:06:00' },
      ],
      differingSettings(specs),
    );
    expect(labels).toEqual(['a (10:00:00)', 'a (10:05:07)', 'tuned · lr 2']);
  });

  it('shortens paths to the shortest unambiguous suffix, never starting at a list index', () => {
    expect(shortNames(['optimizer.lr', 'optimizer.type', 'model.0.out_features', 'model.2.out_features', 'training.seed', 'data.seed'])).toEqual([
      'lr',
      'optimizer',
      'model.0.out_features',
      'model.2.out_features',
      'training.seed',
      'data.seed',
    ]);
  });

  it('offers numeric settings for a scatter axis', () => {
    const differences = differingSettings(optimizerRuns().map(r => r.spec));
    expect(numericDifferences(differences).map(d => d.name)).toEqual(['lr', 'momentum', 'weight_decay', 'eps', 'alpha']);
  });

  it('finds no differences between identical runs', () => {
    const runs = optimizerRuns();
    expect(differingSettings([runs[0].spec, runs[0].spec])).toEqual([]);
  });
});
