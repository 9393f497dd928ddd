/**
 * Turns a CSV file's text into a `Dataset`: a header row of unique column names, numeric feature
 * columns, and target columns (class labels, numbers, or class probabilities). Every bad cell is
 * reported at its line and column; a bad target name at the experiment's "data.target".
 */
import { LIMITS } from '../core/limits';
import type { Task } from '../core/task';
import { DataFileError, SpecError } from '../core/errors';
import { parseCsv, type CsvField, type CsvRow } from './csv';
import type { Dataset } from './dataset';

export interface TableOptions {
  /**
   * Header name of the target column, or names of several: regression targets, or one class's
   * probability each (task 'probabilities'; one column alone is the probability of class 1).
   */
  target: string | readonly string[];
  task: Task;
}

/** How far a row's class probabilities may sum from 1 (probabilities written with 2 decimals, e.g. 0.33 × 3). */
export const PROBABILITY_SUM_TOLERANCE = 0.01;

/** A decimal number as written in CSV files ("1", "-0.5", ".5", "1e-3"); no hex, no Infinity, no NaN. */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  return NUMBER.test(t) ? Number(t) : undefined;
}

export function readTable(text: string, file: string, options: TableOptions): Dataset {
  if (text.length > LIMITS.fileBytes) {
    throw new DataFileError(
      `the file is ${(text.length / 1024 / 1024).toFixed(0)} MB; Trainscope reads data files up to ${LIMITS.fileBytes / 1024 / 1024} MB`,
      file,
      1,
      1,
    );
  }
  const rows = parseCsv(text, file, { maxRows: LIMITS.rows + 1 });
  if (rows.length === 0) throw new DataFileError('the file is empty; it needs a header row and data rows', file, 1, 1);
  const header = readHeader(rows[0], file);
  const body = rows.slice(1);
  if (body.length === 0) {
    throw new DataFileError('the file has a header but no data rows', file, rows[0].endLine, rows[0].endColumn);
  }
  if (body.length * header.length > LIMITS.cells) {
    throw new DataFileError(
      `the file has ${body.length.toLocaleString('en-US')} rows × ${header.length} columns, more than the ` +
        `${LIMITS.cells.toLocaleString('en-US')} values Trainscope reads`,
      file,
      1,
      1,
    );
  }

  const listed = typeof options.target === 'string' ? undefined : options.target;
  const names = listed ?? [options.target as string];
  const targetIndices = names.map((name, i) => {
    if (names.indexOf(name) < i) throw new SpecError(`'${name}' is listed twice in 'target'`, ['data', 'target', i]);
    const index = header.indexOf(name);
    if (index < 0) {
      throw new SpecError(
        `the target column '${name}' is not in ${file}; its columns are: ${header.map(h => `'${h}'`).join(', ')}`,
        listed ? ['data', 'target', i] : ['data', 'target'],
      );
    }
    return index;
  });
  if (header.length <= targetIndices.length) {
    throw new SpecError(`${file} has no columns besides the target${names.length > 1 ? 's' : ''} ${names.map(n => `'${n}'`).join(', ')}, so there is nothing to learn from`, [
      'data',
      'target',
    ]);
  }
  for (const row of body) checkWidth(row, header, file);

  const featureIndices = header.map((_, i) => i).filter(i => !targetIndices.includes(i));
  const features = featureIndices.length;
  const x = new Float32Array(body.length * features);
  body.forEach((row, r) => {
    featureIndices.forEach((col, f) => {
      x[r * features + f] = numericCell(row.fields[col], header[col], file, 'column');
    });
  });

  const featureNames = featureIndices.map(i => header[i]);
  const base = { size: body.length, features, x, featureNames };
  if (options.task === 'regression') {
    const outputs = names.length;
    const y = new Float32Array(body.length * outputs);
    body.forEach((row, r) => targetIndices.forEach((col, j) => (y[r * outputs + j] = numericCell(row.fields[col], header[col], file, 'target column', ' (a regression target must be numeric)'))));
    return { task: 'regression', ...base, outputs, y };
  }
  if (options.task === 'probabilities') return { task: 'probabilities', ...base, ...readProbabilities(body, targetIndices, header, file) };
  if (names.length > 1) {
    throw new SpecError(
      `class labels come from one column, but 'target' names ${names.length}; for one probability per class and column, set "task": "probabilities"`,
      ['data', 'target'],
    );
  }
  const targetIndex = targetIndices[0];
  const targets = body.map(row => row.fields[targetIndex]);
  const { y, classNames } = encodeLabels(targets, names[0], file);
  return { task: 'classification', ...base, outputs: classNames.length, y, classNames };
}

function readHeader(row: CsvRow, file: string): string[] {
  const names: string[] = [];
  for (const field of row.fields) {
    const name = field.text.trim();
    if (name === '') throw new DataFileError('a column of the header row has no name', file, field.line, field.column);
    const earlier = names.indexOf(name);
    if (earlier >= 0) {
      throw new DataFileError(`duplicate column name '${name}' (column ${earlier + 1} has the same name)`, file, field.line, field.column);
    }
    names.push(name);
  }
  return names;
}

function checkWidth(row: CsvRow, header: string[], file: string): void {
  const count = row.fields.length;
  if (count === header.length) return;
  const counted = `this row has ${count} field${count === 1 ? '' : 's'} but the header has ${header.length} columns`;
  if (count > header.length) {
    const extra = row.fields[header.length];
    throw new DataFileError(`${counted}; this is field ${header.length + 1}`, file, extra.line, extra.column);
  }
  const missing = header.slice(count).map(h => `'${h}'`).join(', ');
  throw new DataFileError(`${counted}; missing ${missing}`, file, row.endLine, row.endColumn);
}

function numericCell(cell: CsvField, column: string, file: string, what: 'column' | 'target column', hint = ''): number {
  if (cell.text.trim() === '') {
    throw new DataFileError(`missing value in ${what} '${column}'`, file, cell.line, cell.column);
  }
  const v = parseNumber(cell.text);
  if (v === undefined || !Number.isFinite(v) || !Number.isFinite(Math.fround(v))) {
    throw new DataFileError(`'${cell.text.trim()}' is not a number in ${what} '${column}'${hint}`, file, cell.line, cell.column);
  }
  return v;
}

/**
 * Class probabilities (soft labels), one row per example: with several columns, one class each
 * (its name is the column's), each row summing to 1; with one column, the probability of class 1
 * of two, stored as the row [1 − p, p]. Every value must be in [0, 1].
 */
function readProbabilities(body: CsvRow[], columns: number[], header: string[], file: string): { outputs: number; y: Float32Array; classNames: string[] } {
  const binary = columns.length === 1;
  const outputs = binary ? 2 : columns.length;
  const y = new Float32Array(body.length * outputs);
  body.forEach((row, r) => {
    let sum = 0;
    for (const [j, col] of columns.entries()) {
      const cell = row.fields[col];
      const p = numericCell(cell, header[col], file, 'target column', ' (a class probability, in [0, 1])');
      if (!(p >= 0 && p <= 1)) {
        throw new DataFileError(`${p} in target column '${header[col]}' is not a probability (they are in [0, 1])`, file, cell.line, cell.column);
      }
      if (binary) {
        y[r * 2] = 1 - p;
        y[r * 2 + 1] = p;
      } else {
        y[r * outputs + j] = p;
      }
      sum += p;
    }
    if (!binary && Math.abs(sum - 1) > PROBABILITY_SUM_TOLERANCE + 1e-9) {
      const first = row.fields[columns[0]];
      throw new DataFileError(
        `this row's class probabilities (${columns.map(c => `'${header[c]}'`).join(', ')}) sum to ${+sum.toPrecision(4)}, not 1`,
        file,
        first.line,
        first.column,
      );
    }
  });
  const classNames = binary ? ['0', '1'] : columns.map(c => header[c]);
  return { outputs, y, classNames };
}

/**
 * Class labels → 0..C−1 in sorted order: numerically when every label is a number (so "10" comes
 * after "9"), else as strings. The names keep the labels as written (numbers canonicalized, so
 * "1" and "1.0" are one class).
 */
function encodeLabels(cells: CsvField[], target: string, file: string): { y: Float32Array; classNames: string[] } {
  const labels = cells.map(cell => {
    const label = cell.text.trim();
    if (label === '') throw new DataFileError(`missing value in target column '${target}'`, file, cell.line, cell.column);
    return label;
  });
  const numbers = labels.map(parseNumber);
  const numeric = numbers.every(v => v !== undefined);
  const keys = numeric ? numbers.map(v => String(v)) : labels;
  const distinct = [...new Set(keys)];
  if (numeric) {
    const fractional = numbers.find(v => !Number.isInteger(v));
    if (fractional !== undefined) {
      throw new SpecError(
        `the target column '${target}' holds fractional numbers (e.g. ${fractional}), which are not class labels; ` +
          `to predict a number, set "task": "regression"`,
        ['data', 'task'],
      );
    }
    distinct.sort((a, b) => Number(a) - Number(b));
  } else {
    distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
  if (distinct.length < 2) {
    throw new SpecError(`the target column '${target}' has a single value ('${distinct[0]}'); classification needs at least 2 classes`, [
      'data',
      'target',
    ]);
  }
  if (distinct.length > LIMITS.classes) {
    throw new SpecError(
      `the target column '${target}' has ${distinct.length} distinct values, too many classes (limit ${LIMITS.classes}); ` +
        `to predict a number, set "task": "regression"`,
      ['data', 'task'],
    );
  }
  const index = new Map(distinct.map((name, i) => [name, i]));
  return { y: new Float32Array(keys.map(k => index.get(k)!)), classNames: distinct };
}
