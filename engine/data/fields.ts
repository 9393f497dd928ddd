import type { FieldTable, NumberField } from '../experiment/fieldTypes';
import { LIMITS, seedField } from '../experiment/fieldTypes';
import { SYNTHETIC_KINDS, type SyntheticKind } from './spec';

/** The `data` kinds and their keys (besides `type`). */
export const DATA_KINDS: readonly (SyntheticKind | 'csv')[] = [...SYNTHETIC_KINDS, 'csv'];
export const TASKS = ['classification', 'regression'] as const;

const validationSplitField: NumberField = {
  kind: 'number',
  default: 0.2,
  minimum: 0,
  maximum: 1,
  exclusiveMaximum: true,
  doc: 'Fraction of the examples held out for validation, in [0, 1). `0` = no validation set.',
};

/** What each `data` kind is (hovers, completion, the reference). */
export const DATA_DOCS: Readonly<Record<SyntheticKind | 'csv', string>> = {
  spiral: 'Points along interleaved spiral arms, one per class (the CS231n classic).',
  moons: 'Two interleaving half circles (`sklearn.datasets.make_moons`).',
  circles: 'A small circle inside a large one (`sklearn.datasets.make_circles`, factor 0.5).',
  xor: 'Points in [-1, 1]², class 1 where x·y > 0.',
  blobs: 'One Gaussian blob per class, centres evenly spaced on a circle.',
  csv: 'A CSV file with a header row: numeric feature columns and a target column.',
};

function syntheticFields(classes: number | 'fixed2', noise: number): FieldTable {
  const classesField: NumberField =
    classes === 'fixed2'
      ? { kind: 'number', default: 2, integer: true, fixed: 2, doc: 'Number of classes (always 2 for this data set).' }
      : {
          kind: 'number',
          default: classes,
          integer: true,
          minimum: 2,
          maximum: LIMITS.classes,
          limitReason: 'more classes than that is beyond what a small network here is for',
          doc: 'Number of classes.',
        };
  return {
    samples: {
      kind: 'number',
      default: 300,
      integer: true,
      minimum: 1,
      maximum: LIMITS.samples,
      limitReason: 'a larger synthetic set would not fit comfortably in memory',
      doc: 'Total number of points (training + validation).',
    },
    classes: classesField,
    noise: { kind: 'number', default: noise, minimum: 0, doc: 'Standard deviation of the Gaussian noise added to the points.' },
    seed: {
      ...seedField,
      doc: 'Seed of the data generator and of the train/validation split (separate from `training.seed`, so every variant sees the same data).',
    },
    validation_split: validationSplitField,
  };
}

/** Keys of each data kind (besides `type`). */
export const DATA_FIELDS: Readonly<Record<SyntheticKind | 'csv', FieldTable>> = {
  spiral: syntheticFields(3, 0.2),
  moons: syntheticFields('fixed2', 0.1),
  circles: syntheticFields('fixed2', 0.05),
  xor: syntheticFields('fixed2', 0.05),
  blobs: syntheticFields(3, 0.5),
  csv: {
    path: {
      kind: 'string',
      required: true,
      doc: 'The CSV file, relative to this experiment file. It must stay inside the workspace. The first row is the header.',
    },
    target: { kind: 'string', required: true, doc: 'Header name of the column to predict.' },
    task: {
      kind: 'enum',
      values: TASKS,
      default: 'classification',
      doc: 'What the target holds: `classification` for class labels (strings or integers), `regression` for a number.',
    },
    standardize: {
      kind: 'boolean',
      default: true,
      doc: 'Standardize every feature to mean 0 and std 1, with the mean and std of the **training** rows only.',
    },
    validation_split: validationSplitField,
    seed: {
      ...seedField,
      doc: 'Seed of the train/validation split (separate from `training.seed`, so every variant sees the same split).',
    },
  },
};
