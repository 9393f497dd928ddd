import { describe, expect, it } from 'vitest';
import { filterRows, sortRows, wantsLogAxis } from '../../../contract/runRows';
import { TABLE_ROWS } from '../../fixtures/compare/runs';

const ids = (rows: { runId: string }[]) => rows.map(r => r.runId);

describe('the runs table sorts', () => {
  it('by validation accuracy, best first; runs without one last', () => {
    expect(ids(sortRows(TABLE_ROWS, 'final_val_accuracy', 'desc'))).toEqual(['b-adam', 'd-spiral', 'a-base', 'c-high']);
    expect(ids(sortRows(TABLE_ROWS, 'final_val_accuracy', 'asc'))).toEqual(['a-base', 'd-spiral', 'b-adam', 'c-high']);
  });

  it('by text columns, the base and named runs by their names', () => {
    expect(ids(sortRows(TABLE_ROWS, 'experiment', 'asc'))).toEqual(['a-base', 'b-adam', 'c-high', 'd-spiral']);
    expect(ids(sortRows(TABLE_ROWS, 'variant', 'asc'))).toEqual(['a-base', 'b-adam', 'd-spiral', 'c-high']);
  });

  it('by findings, errors before any number of warnings', () => {
    expect(ids(sortRows(TABLE_ROWS, 'findings', 'desc'))).toEqual(['c-high', 'a-base', 'b-adam', 'd-spiral']);
  });

  it('by test accuracy where only some runs have a test split', () => {
    expect(ids(sortRows(TABLE_ROWS, 'test_accuracy', 'desc'))).toEqual(['b-adam', 'a-base', 'c-high', 'd-spiral']);
  });

  it('keeps the order of equal rows (a stable sort)', () => {
    expect(ids(sortRows(TABLE_ROWS, 'state', 'asc'))).toEqual(['a-base', 'b-adam', 'd-spiral', 'c-high']);
  });
});

describe('the runs table filters', () => {
  it('by words anywhere, all of them', () => {
    expect(ids(filterRows(TABLE_ROWS, 'adam'))).toEqual(['b-adam']);
    expect(ids(filterRows(TABLE_ROWS, 'sgd 0.1'))).toEqual(['a-base']);
    expect(ids(filterRows(TABLE_ROWS, '  '))).toEqual(ids(TABLE_ROWS));
  });

  it('by one field', () => {
    expect(ids(filterRows(TABLE_ROWS, 'state:failed'))).toEqual(['c-high']);
    expect(ids(filterRows(TABLE_ROWS, 'experiment:spiral'))).toEqual(['d-spiral']);
    expect(ids(filterRows(TABLE_ROWS, 'variant:base'))).toEqual(['a-base', 'd-spiral']);
    expect(ids(filterRows(TABLE_ROWS, 'name:best'))).toEqual(['d-spiral']);
  });
});

describe('a scatter axis goes logarithmic when its values span decades', () => {
  it.each([
    [[0.1, 0.01, 3], true],
    [[0.1, 0.5, 0.9], false],
    [[0, 0.1, 10], false],
    [[1e-4], false],
  ])('%j → %s', (values, log) => {
    expect(wantsLogAxis(values as number[])).toBe(log);
  });
});
