/**
 * Turns a CSV file's text into a `Dataset`: a header row of unique column names, numeric feature
 * columns, and a target column (class labels or numbers). Every bad cell is reported at its line
 * and column; a bad target name is reported at the experiment's "data.target".
 */
import { LIMITS } from '../core/limits';
import type { Task } from './task';
import { DataFileError, SpecError } from '../core/errors';
import { parseCsv, type CsvField, type CsvRow } from './csv';
import type { Dataset } from './dataset';

export interface TableOptions {
  /** Header name of the target column. */
  target: string;
  task: Task;
}

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

  const targetIndex = header.indexOf(options.target);
  if (targetIndex < 0) {
    throw new SpecError(
      `the target column '${options.target}' is not in ${file}; its columns are: ${header.map(h => `'${h}'`).join(', ')}`,
      ['data', 'target'],
    );
  }
  if (header.length < 2) {
    throw new SpecError(`${file} has no columns besides the target '${options.target}', so there is nothing to learn from`, [
      'data',
      'target',
    ]);
  }
  for (const row of body) checkWidth(row, header, file);

  const featureIndices = header.map((_, i) => i).filter(i => i !== targetIndex);
  const features = featureIndices.length;
  const x = new Float32Array(body.length * features);
  body.forEach((row, r) => {
    featureIndices.forEach((col, f) => {
      x[r * features + f] = numericCell(row.fields[col], header[col], file, 'column');
    });
  });

  const targets = body.map(row => row.fields[targetIndex]);
  const featureNames = featureIndices.map(i => header[i]);
  if (options.task === 'regression') {
    const y = new Float32Array(targets.map(cell => numericCell(cell, options.target, file, 'target column')));
    return { task: 'regression', size: body.length, features, outputs: 1, x, y, featureNames };
  }
  const { y, classNames } = encodeLabels(targets, options.target, file);
  return { task: 'classification', size: body.length, features, outputs: classNames.length, x, y, featureNames, classNames };
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

function numericCell(cell: CsvField, column: string, file: string, what: 'column' | 'target column'): number {
  if (cell.text.trim() === '') {
    throw new DataFileError(`missing value in ${what} '${column}'`, file, cell.line, cell.column);
  }
  const v = parseNumber(cell.text);
  if (v === undefined || !Number.isFinite(v) || !Number.isFinite(Math.fround(v))) {
    const hint = what === 'target column' ? ' (a regression target must be numeric)' : '';
    throw new DataFileError(`'${cell.text.trim()}' is not a number in ${what} '${column}'${hint}`, file, cell.line, cell.column);
  }
  return v;
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
