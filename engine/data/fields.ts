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
};

function syntheticFields(classes: number | 'fixed2', noise: number): FieldTable {
  const classesField: NumberField =
    classes === 'fixed2'
      ? { kind: 'number', default: 2, integer: true, fixed: 2 }
      : {
          kind: 'number',
          default: classes,
          integer: true,
          minimum: 2,
          maximum: LIMITS.classes,
          limitReason: 'more classes than that is beyond what a small network here is for',
        };
  return {
    samples: {
      kind: 'number',
      default: 300,
      integer: true,
      minimum: 1,
      maximum: LIMITS.samples,
      limitReason: 'a larger synthetic set would not fit comfortably in memory',
    },
    classes: classesField,
    noise: { kind: 'number', default: noise, minimum: 0 },
    seed: seedField,
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
    path: { kind: 'string', required: true },
    target: { kind: 'string', required: true },
    task: { kind: 'enum', values: TASKS, default: 'classification' },
    standardize: { kind: 'boolean', default: true },
    validation_split: validationSplitField,
    seed: seedField,
  },
};
