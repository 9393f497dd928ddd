/** A data set from a CSV file: its options, and how its text becomes a split data set. */
import * as z from 'zod';
import { SpecError } from '../core/errors';
import { about, kind, type Rules } from '../core/options';
import { isAbsolutePath } from '../core/paths';
import type { DataSplit } from './dataset';
import { seed, validationSplit, type DataFiles, type DataInfo } from './options';
import { splitDataset, standardize, validationCount } from './split';
import { readTable } from './table';
import { TASKS } from './task';

export const csv = kind('csv', 'A CSV file with a header row: numeric feature columns and a target column.', {
  path: z
    .string()
    .regex(/\S/)
    .describe('The CSV file, relative to this experiment file. It must stay inside the workspace. The first row is the header.')
    .register(about, { missingHint: '(the CSV file, relative to this experiment file)' }),
  target: z
    .string()
    .regex(/\S/)
    .describe('Header name of the column to predict.')
    .register(about, { missingHint: '(the header name of the column to predict)' }),
  task: z
    .enum(TASKS)
    .default('classification')
    .describe('What the target holds: `classification` for class labels (strings or integers), `regression` for a number.'),
  standardize: z
    .boolean()
    .default(true)
    .describe('Standardize every feature to mean 0 and std 1, with the mean and std of the **training** rows only.'),
  validation_split: validationSplit,
  seed: seed('Seed of the train/validation split (separate from `training.seed`, so every variant sees the same split).'),
});
export type CsvDataSpec = z.output<typeof csv>;

export const csvRules: Rules<CsvDataSpec> = ({ path }, report) => {
  if (path !== undefined && isAbsolutePath(path)) report.error(['path'], `'path' must be relative to this experiment file's folder, not absolute ('${path}')`);
};

export function csvInfo(v: Partial<CsvDataSpec>): DataInfo {
  return { task: v.task ?? 'classification', ...(v.validation_split === 0 ? { hasValidation: false } : {}) };
}

export function loadCsvFile(spec: CsvDataSpec, files: DataFiles): DataSplit {
  return loadCsv(spec, new TextDecoder('utf-8').decode(files.bytes(spec.path)));
}

export function loadCsv(spec: CsvDataSpec, text: string): DataSplit {
  const data = readTable(text, spec.path, { target: spec.target, task: spec.task });
  if (data.size - validationCount(data.size, spec.validation_split) < 1) {
    throw new SpecError(
      `validation_split ${spec.validation_split} of ${data.size} rows leaves no rows for training`,
      ['data', 'validation_split'],
    );
  }
  const split = splitDataset(data, spec.validation_split, spec.seed);
  const { train, validation } = spec.standardize ? standardize(split) : split;
  const file = spec.path.split(/[\\/]/).pop() ?? spec.path;
  const what =
    data.task === 'classification' ? `${data.outputs} classes of '${spec.target}'` : `regression on '${spec.target}'`;
  return {
    train,
    validation,
    description: `${file}: ${data.size} rows, ${data.features} feature${data.features === 1 ? '' : 's'}, ${what}`,
    source: file,
  };
}
