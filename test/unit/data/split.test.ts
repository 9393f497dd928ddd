import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../../engine/data/dataset';
import { loadData } from '../../../engine/data/kinds';
import { featureStats, splitDataset, standardize } from '../../../engine/data/split';
import type { CsvDataSpec } from '../../../engine/data/kinds';
import { SpecError } from '../../../engine/core/errors';
import { textFiles } from '../textFiles';

function table(n: number): Dataset {
  const x = new Float32Array(n * 2);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[2 * i] = i;
    x[2 * i + 1] = 100 + i;
    y[i] = i % 2;
  }
  return { task: 'classification', size: n, features: 2, outputs: 2, x, y, featureNames: ['a', 'b'], classNames: ['0', '1'] };
}

describe('splitDataset', () => {
  it('holds out round(fraction·n) rows, keeps every row once, with x and y together', () => {
    const { train, validation } = splitDataset(table(10), 0.25, 0);
    expect(validation.size).toBe(3); // round(2.5) = 3
    expect(train.size).toBe(7);
    const ids = [...train.x.filter((_, i) => i % 2 === 0), ...validation.x.filter((_, i) => i % 2 === 0)].sort((a, b) => a - b);
    expect(ids).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const part of [train, validation]) {
      for (let r = 0; r < part.size; r++) {
        expect(part.x[2 * r + 1]).toBe(100 + part.x[2 * r]);
        expect(part.y[r]).toBe(part.x[2 * r] % 2);
      }
    }
  });

  it('shuffles with the seed: same seed same split, another seed another', () => {
    const a = splitDataset(table(50), 0.2, 7);
    expect(splitDataset(table(50), 0.2, 7).validation.x).toEqual(a.validation.x);
    expect(splitDataset(table(50), 0.2, 8).validation.x).not.toEqual(a.validation.x);
    // Not simply the last rows.
    expect([...a.validation.x].filter((_, i) => i % 2 === 0).every(v => v >= 40)).toBe(false);
  });

  it('a split of 0 leaves an empty validation set', () => {
    const { train, validation } = splitDataset(table(5), 0, 0);
    expect(validation.size).toBe(0);
    expect(validation.x).toHaveLength(0);
    expect(train.size).toBe(5);
  });
});

describe('standardize', () => {
  it('uses the training rows only, and applies the same shift and scale to validation', () => {
    const train = { ...table(4), x: new Float32Array([0, 5, 2, 5, 4, 5, 6, 5]) };
    const validation = { ...table(1), x: new Float32Array([100, 7]) };
    const s = standardize({ train, validation });
    expect([...s.stats.mean]).toEqual([3, 5]);
    const std = Math.sqrt(5); // population std of 0, 2, 4, 6
    expect(s.stats.std[0]).toBeCloseTo(std, 12);
    // A constant column is only centred (std treated as 1), never NaN.
    expect(s.stats.std[1]).toBe(1);
    expect(s.train.x[0]).toBeCloseTo(-3 / std, 6);
    expect(s.train.x[1]).toBe(0);
    expect(s.validation.x[0]).toBeCloseTo((100 - 3) / std, 5);
    expect(s.validation.x[1]).toBe(2);
    const after = featureStats(s.train);
    expect(after.mean[0]).toBeCloseTo(0, 6);
    expect(after.std[0]).toBeCloseTo(1, 6);
  });
});

describe('loadData from CSV', () => {
  const csv = ['f1,f2,label', ...Array.from({ length: 20 }, (_, i) => `${i},${i * 10},${i < 10 ? 'low' : 'high'}`)].join('\n');
  const spec = (over: Partial<CsvDataSpec> = {}): CsvDataSpec => ({
    type: 'csv',
    path: 'data/set.csv',
    target: 'label',
    task: 'classification',
    standardize: true,
    validation_split: 0.25,
    seed: 0,
    ...over,
  });

  it('reads through the caller, splits and standardizes with training statistics', () => {
    const paths: string[] = [];
    const split = loadData(spec(), textFiles(p => {
      paths.push(p);
      return csv;
    }));
    expect(paths).toEqual(['data/set.csv']);
    expect(split.train.size).toBe(15);
    expect(split.validation.size).toBe(5);
    expect(split.train.classNames).toEqual(['high', 'low']);
    expect(split.description).toBe("set.csv: 20 rows, 2 features, 2 classes of 'label'");
    const stats = featureStats(split.train);
    expect(stats.mean[0]).toBeCloseTo(0, 5);
    expect(stats.std[0]).toBeCloseTo(1, 5);
    // Validation rows are not re-centred on their own statistics.
    expect(Math.abs(featureStats(split.validation).mean[0])).toBeGreaterThan(1e-3);
  });

  it('without standardize, features are as in the file', () => {
    const split = loadData(spec({ standardize: false, validation_split: 0 }), textFiles(() => csv));
    expect([...split.train.x].filter((_, i) => i % 2 === 0).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('regression description', () => {
    const split = loadData(spec({ task: 'regression', target: 'f2' }), textFiles(() => csv.replace(/,(low|high)/g, ',1')));
    expect(split.description).toBe("set.csv: 20 rows, 2 features, regression on 'f2'");
  });

  it('a split that leaves no training rows is a spec error at validation_split', () => {
    let error: unknown;
    try {
      loadData(spec({ validation_split: 0.99 }), textFiles(() => 'a,label\n1,x\n2,y\n'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).path).toEqual(['data', 'validation_split']);
  });
});
