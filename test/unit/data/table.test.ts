import { describe, expect, it } from 'vitest';
import { parseNumber, readTable } from '../../../engine/data/table';
import { DataFileError, SpecError } from '../../../engine/core/errors';
import type { Task } from '../../../engine/core/task';

const read = (text: string, target: string | string[] = 'y', task: Task = 'classification') =>
  readTable(text, 'data/t.csv', { target, task });

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

function fileError(f: () => unknown): { message: string; at: string } {
  const e = thrown(f);
  if (!(e instanceof DataFileError)) throw e;
  return { message: e.message, at: `${e.file}:${e.line}:${e.column}` };
}

describe('readTable', () => {
  it('reads numeric features and string class labels (sorted → 0..C−1)', () => {
    const d = read('a,b,y\n1,2,cat\n3,4,dog\n5,6,cat\n7,8,ant\n');
    expect(d.task).toBe('classification');
    expect(d.size).toBe(4);
    expect(d.features).toBe(2);
    expect(d.featureNames).toEqual(['a', 'b']);
    expect(d.classNames).toEqual(['ant', 'cat', 'dog']);
    expect(d.outputs).toBe(3);
    expect([...d.y]).toEqual([1, 2, 1, 0]);
    expect([...d.x]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('integer labels sort numerically, and "1" and "1.0" are one class', () => {
    const d = read('y,a\n10,0\n9,1\n1,2\n1.0,3\n');
    expect(d.classNames).toEqual(['1', '9', '10']);
    expect([...d.y]).toEqual([2, 1, 0, 0]);
    // The target may be any column; features keep their order.
    expect(d.featureNames).toEqual(['a']);
  });

  it('regression: numeric targets, one output', () => {
    const d = read('x,price\n1,2.5\n2,-3e2\n', 'price', 'regression');
    expect(d).toMatchObject({ task: 'regression', outputs: 1, size: 2, features: 1 });
    expect([...d.y]).toEqual([2.5, -300]);
    expect(d.classNames).toBeUndefined();
  });

  it('accepts spaces around numbers and header names', () => {
    const d = read(' a , y \n 1.5 , 0\n2 ,1\n');
    expect(d.featureNames).toEqual(['a']);
    expect([...d.x]).toEqual([1.5, 2]);
  });

  it('a non-numeric feature value is reported at its cell', () => {
    const rows = ['alcohol,acid,y', ...Array.from({ length: 15 }, (_, i) => `${i},1,0`), '1,abc,1'];
    expect(fileError(() => read(rows.join('\n') + '\n'))).toEqual({
      message: "'abc' is not a number in column 'acid'",
      at: 'data/t.csv:17:3',
    });
  });

  it('a missing value is reported at its (empty) cell', () => {
    expect(fileError(() => read('a,b,y\n1,2,0\n3,,1\n'))).toEqual({ message: "missing value in column 'b'", at: 'data/t.csv:3:3' });
    expect(fileError(() => read('a,y\n1,0\n3,\n'))).toEqual({ message: "missing value in target column 'y'", at: 'data/t.csv:3:3' });
  });

  it('ragged rows: the first extra field, or the end of a short row', () => {
    expect(fileError(() => read('a,b,y\n1,2,0\n1,2,0,9\n'))).toEqual({
      message: 'this row has 4 fields but the header has 3 columns; this is field 4',
      at: 'data/t.csv:3:7',
    });
    expect(fileError(() => read('a,b,y\n1,2,0\n10,2\n'))).toEqual({
      message: "this row has 2 fields but the header has 3 columns; missing 'y'",
      at: 'data/t.csv:3:5',
    });
  });

  it('duplicate and empty header names', () => {
    expect(fileError(() => read('a,b,a,y\n1,2,3,0\n'))).toEqual({
      message: "duplicate column name 'a' (column 1 has the same name)",
      at: 'data/t.csv:1:5',
    });
    expect(fileError(() => read('a,,y\n1,2,0\n'))).toEqual({ message: 'a column of the header row has no name', at: 'data/t.csv:1:3' });
  });

  it('no data rows, an empty file', () => {
    expect(fileError(() => read('a,y\n'))).toEqual({ message: 'the file has a header but no data rows', at: 'data/t.csv:1:4' });
    expect(fileError(() => read(''))).toEqual({ message: 'the file is empty; it needs a header row and data rows', at: 'data/t.csv:1:1' });
  });

  it('an unknown target column is a spec error at data.target, listing the columns', () => {
    const e = thrown(() => read('alcohol,acid,quality\n1,2,0\n', 'qualty'));
    expect(e).toBeInstanceOf(SpecError);
    expect((e as SpecError).path).toEqual(['data', 'target']);
    expect(e.message).toBe("the target column 'qualty' is not in data/t.csv; its columns are: 'alcohol', 'acid', 'quality'");
  });

  it('a regression target must be numeric; fractional class labels suggest regression', () => {
    expect(fileError(() => read('a,y\n1,2\n2,x\n', 'y', 'regression'))).toEqual({
      message: "'x' is not a number in target column 'y' (a regression target must be numeric)",
      at: 'data/t.csv:3:3',
    });
    const e = thrown(() => read('a,y\n1,2.5\n2,3\n'));
    expect((e as SpecError).path).toEqual(['data', 'task']);
    expect(e.message).toMatch(/fractional numbers \(e\.g\. 2\.5\).*"task": "regression"/);
  });

  it('classification needs two classes; a table needs a feature column', () => {
    expect(thrown(() => read('a,y\n1,0\n2,0\n')).message).toBe("the target column 'y' has a single value ('0'); classification needs at least 2 classes");
    expect((thrown(() => read('y\n0\n1\n')) as SpecError).path).toEqual(['data', 'target']);
  });

  it('a file over the size limit is refused up front', () => {
    const big = 'a,y\n' + '1,0\n'.repeat(14_000_000);
    const e = fileError(() => read(big));
    expect(e.message).toMatch(/^the file is \d+ MB; Trainscope reads data files up to 50 MB$/);
  });

  it('parseNumber accepts decimal numbers only', () => {
    expect(['1', '-2', '+3.5', '.5', '5.', '1e3', '2E-2', ' 7 '].map(parseNumber)).toEqual([1, -2, 3.5, 0.5, 5, 1000, 0.02, 7]);
    expect(['', 'abc', '0x10', 'Infinity', 'NaN', '1,5', '1.2.3', '--1'].map(parseNumber)).toEqual(Array(8).fill(undefined));
  });

  it('several regression targets: one output per column, in the listed order', () => {
    const d = read('a,u,v\n1,10,-1\n2,20,-2\n', ['v', 'u'], 'regression');
    expect(d).toMatchObject({ task: 'regression', outputs: 2, features: 1, featureNames: ['a'] });
    expect(Array.from(d.y)).toEqual([-1, 10, -2, 20]);
  });

  it('probabilities: one column per class (names = columns), or one column for P(class 1) stored as [1 − p, p]', () => {
    const d = read('x,p_cat,p_dog,p_ant\n1,0.7,0.2,0.1\n2,0,0,1\n', ['p_cat', 'p_dog', 'p_ant'], 'probabilities');
    expect(d).toMatchObject({ task: 'probabilities', outputs: 3, features: 1, classNames: ['p_cat', 'p_dog', 'p_ant'] });
    expect(Array.from(d.y)).toEqual(Array.from(Float32Array.of(0.7, 0.2, 0.1, 0, 0, 1)));
    const one = read('x,p\n1,0.25\n2,1\n', 'p', 'probabilities');
    expect(one).toMatchObject({ outputs: 2, classNames: ['0', '1'] });
    expect(Array.from(one.y)).toEqual([0.75, 0.25, 0, 1]);
    // Rounded to two decimals, 0.33 × 3 is within the tolerance of 0.01.
    expect(read('x,a,b,c\n1,0.33,0.33,0.33\n', ['a', 'b', 'c'], 'probabilities').size).toBe(1);
  });

  it('probabilities: a value outside [0, 1] at its cell, a row not summing to 1 at its first probability', () => {
    expect(fileError(() => read('x,a,b\n1,0.5,0.5\n2,1.5,-0.5\n', ['a', 'b'], 'probabilities'))).toEqual({
      message: "1.5 in target column 'a' is not a probability (they are in [0, 1])",
      at: 'data/t.csv:3:3',
    });
    expect(fileError(() => read('x,a,b\n1,0.5,0.4\n', ['a', 'b'], 'probabilities'))).toEqual({
      message: "this row's class probabilities ('a', 'b') sum to 0.9, not 1",
      at: 'data/t.csv:2:3',
    });
    expect(fileError(() => read('x,p\n1,yes\n', 'p', 'probabilities')).message).toBe("'yes' is not a number in target column 'p' (a class probability, in [0, 1])");
  });

  it('a listed target column that is missing is a spec error at its entry; labels need one column', () => {
    const missing = thrown(() => read('x,a\n1,1\n', ['a', 'b'], 'probabilities')) as SpecError;
    expect(missing).toBeInstanceOf(SpecError);
    expect(missing.path).toEqual(['data', 'target', 1]);
    const labels = thrown(() => read('x,a,b\n1,1,0\n', ['a', 'b'])) as SpecError;
    expect(labels.message).toMatch(/class labels come from one column, but 'target' names 2/);
    expect(thrown(() => read('a,b\n1,0\n', ['a', 'b'], 'probabilities')).message).toMatch(/no columns besides the targets 'a', 'b'/);
    expect((thrown(() => read('x,a,b\n1,1,0\n', ['a', 'b', 'a'], 'probabilities')) as SpecError).path).toEqual(['data', 'target', 2]);
  });
});
