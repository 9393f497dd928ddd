/**
 * The vocabulary of the experiment format's key tables: each part of the engine declares the keys
 * of its kinds (engine/<part>/fields.ts) with these field types; the validator and the JSON Schema
 * generator read those tables.
 */

export interface NumberField {
  kind: 'number';
  /** Absent together with `required` = optional without a value (e.g. a last layer's out_features). */
  default?: number;
  required?: boolean;
  integer?: boolean;
  minimum?: number;
  /** The value must be strictly greater than `minimum`. */
  exclusiveMinimum?: boolean;
  maximum?: number;
  /** The value must be strictly less than `maximum`. */
  exclusiveMaximum?: boolean;
  /** Why `maximum` exists when it is a practical limit rather than a mathematical one. */
  limitReason?: string;
  /** The only value allowed (e.g. moons always has 2 classes). */
  fixed?: number;
}

export interface BooleanField {
  kind: 'boolean';
  default: boolean;
}

export interface EnumField {
  kind: 'enum';
  values: readonly string[];
  default: string;
}

export interface StringField {
  kind: 'string';
  required?: boolean;
}

/** Two numbers, each in [minimum, maximum) — Adam's betas. */
export interface PairField {
  kind: 'pair';
  default: readonly [number, number];
  minimum: number;
  maximum: number;
}

export type Field = NumberField | BooleanField | EnumField | StringField | PairField;
export type FieldTable = Readonly<Record<string, Field>>;


// ---- practical limits ---------------------------------------------------------------------------

export const LIMITS = {
  samples: 1_000_000,
  classes: 1000,
  outFeatures: 65_536,
  epochs: 1_000_000,
  batchSize: 1_000_000,
  /** Weights + biases of the whole model. */
  parameters: 10_000_000,
  /** Optimizer steps of a whole run. */
  totalSteps: 100_000_000,
  /** Multiply-adds of a whole run (forward + backward ≈ 3 × forward); ~hours in pure JavaScript. */
  work: 1e13,
  /** Above this, warn that the run will take a while. */
  workWarning: 2e11,
  /** Data files. */
  fileBytes: 50 * 1024 * 1024,
  rows: 1_000_000,
  cells: 20_000_000,
} as const;

/** A seed: any 32-bit unsigned integer. */
export const seedField: NumberField = { kind: 'number', default: 0, integer: true, minimum: 0, maximum: 4294967295 };
