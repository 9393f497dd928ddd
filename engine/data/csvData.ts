/** A data set from a CSV file: its options, and how its text becomes a split data set. */
import * as z from 'zod';
import { SpecError } from '../core/errors';
import { about, kind, type Rules } from '../core/options';
import { isAbsolutePath } from '../core/paths';
import type { DataSplit } from './dataset';
import { seed, validationSplit, type DataFiles, type DataInfo } from './options';
import { splitDataset, standardize, validationCount } from './split';
import { readTable } from './table';
import { TASKS } from '../core/task';

const column = z.string().regex(/\S/);

export const csv = kind('csv', 'A CSV file with a header row: numeric feature columns and the target column(s).', {
  path: z
    .string()
    .regex(/\S/)
    .describe('The CSV file, relative to this experiment file. It must stay inside the workspace. The first row is the header.')
    .register(about, { missingHint: '(the CSV file, relative to this experiment file)' }),
  target: z
    .union([column, z.array(column).min(1)])
    .describe(
      'Header name of the column to predict, or a list of names: several numbers to predict (`regression`), or one probability per class (`probabilities`, the columns naming the classes).',
    )
    .register(about, { missingHint: '(the header name of the column to predict)' }),
  task: z
    .enum(TASKS)
    .default('classification')
    .describe(
      'What the target holds: `classification` for class labels (strings or integers), `regression` for numbers, `probabilities` for soft labels — one column per class, each row summing to 1, or one column holding the probability of class 1 (torch\'s probability targets, for `cross_entropy`, `bce_with_logits` and `bce`).',
    ),
  standardize: z.boolean().default(true).describe('Standardize every feature to mean 0 and std 1, with the mean and std of the **training** rows only.'),
  validation_split: validationSplit,
  seed: seed('Seed of the train/validation split (separate from `training.seed`, so every variant sees the same split).'),
});
export type CsvDataSpec = z.output<typeof csv>;

export const csvRules: Rules<CsvDataSpec> = ({ path, target, task }, report) => {
  if (path !== undefined && isAbsolutePath(path)) report.error(['path'], `'path' must be relative to this experiment file's folder, not absolute ('${path}')`);
  if (Array.isArray(target) && target.length > 1 && task === 'classification') {
    report.error(
      ['target'],
      `class labels come from one column, but 'target' names ${target.length}; for one probability per class and column, set "task": "probabilities"`,
    );
  }
};

/** `v.task` is its default when left out, and absent when written wrongly: then the task, and what follows from it, is unknown. */
export function csvInfo(v: Partial<CsvDataSpec>): DataInfo {
  const task = v.task;
  const columns = Array.isArray(v.target) ? v.target.length : undefined;
  // Known from the list alone: one output per target column, one class per probability column (one column: classes 0 and 1).
  const outputs = columns === undefined || task === undefined || task === 'classification' ? undefined : task === 'probabilities' ? Math.max(columns, 2) : columns;
  return { ...(task !== undefined ? { task } : {}), ...(outputs !== undefined ? { outputs } : {}), ...(v.validation_split === 0 ? { hasValidation: false } : {}) };
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
  const named = [spec.target].flat().map(t => `'${t}'`).join(', ');
  const what = {
    classification: `${data.outputs} classes of ${named}`,
    regression: `regression on ${named}`,
    probabilities: `probabilities of ${data.outputs} classes from ${named}`,
  }[data.task];
  return {
    train,
    validation,
    description: `${file}: ${data.size} rows, ${data.features} feature${data.features === 1 ? '' : 's'}, ${what}`,
    source: file,
  };
}
