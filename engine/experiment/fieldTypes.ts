/**
 * The vocabulary of the experiment format's key tables: each part of the engine declares the keys
 * of its kinds (engine/<part>/fields.ts) with these field types, each with its documentation; the
 * validator (validate.ts), the JSON Schema generator (schema.ts) and the reference
 * (docs/experiment-format.md) read those tables, so a new kind or key is one table entry.
 */

/** What every field may carry besides its type: the text of hovers, completion and the reference. */
export interface Documented {
  /**
   * What the key means, as one or more sentences. May use `code` and **bold** (markdown); the plain
   * description shown where markdown is not rendered is this text without the marks.
   */
  doc?: string;
  /** A markdown text to show instead of `doc` where markdown is rendered (when it needs more than marks). */
  markdownDoc?: string;
}

export interface NumberField extends Documented {
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
  /** Said after a range error, to explain the range (dropout's "p is the probability of DROPPING a unit"). */
  rangeHint?: string;
  /** The only value allowed (e.g. moons always has 2 classes). */
  fixed?: number;
  /** `null` is a value of its own (torch's None, e.g. batch_norm's momentum: a cumulative average). */
  nullable?: boolean;
  /** The string "inf" is accepted and means Infinity (torch's float('inf'), e.g. a max norm). */
  infinity?: boolean;
}

export interface BooleanField extends Documented {
  kind: 'boolean';
  default: boolean;
}

export interface EnumField extends Documented {
  kind: 'enum';
  values: readonly string[];
  default: string;
}

export interface StringField extends Documented {
  kind: 'string';
  required?: boolean;
}

/** A list of distinct strings from a closed set (the diagnostics' `disabled` rule ids). */
export interface EnumListField extends Documented {
  kind: 'enum_list';
  values: readonly string[];
  /** What one item is called in a message: "rule id". */
  itemNoun: string;
}

/** Two numbers, each in [minimum, maximum) — Adam's betas. */
export interface PairField extends Documented {
  kind: 'pair';
  default: readonly [number, number];
  minimum: number;
  maximum: number;
  /** Said after a range error (e.g. what each number is). */
  rangeHint?: string;
}

/** A list of whole numbers (MultiStepLR's milestones). */
export interface IntegerListField extends Documented {
  kind: 'integer_list';
  required?: boolean;
  default?: readonly number[];
  /** Every item is at least this. */
  minimum?: number;
  /** 'nondecreasing': a repeated item counts twice (MultiStepLR); 'increasing': strictly. */
  order?: 'nondecreasing' | 'increasing';
  minItems?: number;
  /** The list's length must be the length of this other (list) key of the object minus one (SequentialLR). */
  lengthOneLessThan?: string;
}

/** A list of numbers (per-class loss weights). */
export interface NumberListField extends Documented {
  kind: 'number_list';
  required?: boolean;
  minimum?: number;
  exclusiveMinimum?: boolean;
  minItems?: number;
}

/**
 * A nested object with a `type` of its own, from another slot of kinds (typed.ts: SLOTS), e.g.
 * lookahead's inner `optimizer`. Its own problems are reported inside it.
 */
export interface TypedField extends Documented {
  kind: 'typed';
  /** The slot of kinds it takes (a key of SLOTS: 'inner_optimizer', ...). */
  slot: string;
  required?: boolean;
}

/** A list of typed objects (sequential's `schedulers`); a variant replaces the whole list. */
export interface TypedListField extends Documented {
  kind: 'typed_list';
  slot: string;
  required?: boolean;
  minItems?: number;
}

/**
 * An optional group of keys under its own name (training's `clip_grad_norm`, `ema`, ...): absent or
 * null = off. A number may stand for the object with only `numberShorthand` set ("clip_grad_norm":
 * 1.0); `true`, when `trueShorthand`, for the object with its defaults ("ema": true).
 */
export interface ObjectField extends Documented {
  kind: 'object';
  fields: FieldTable;
  numberShorthand?: string;
  trueShorthand?: boolean;
}

/** A layer's own `init` (an initializer name or { weight, bias }, like the experiment's). */
export interface InitField extends Documented {
  kind: 'init';
}

export type Field =
  | NumberField
  | BooleanField
  | EnumField
  | EnumListField
  | StringField
  | PairField
  | IntegerListField
  | NumberListField
  | TypedField
  | TypedListField
  | ObjectField
  | InitField;
export type FieldTable = Readonly<Record<string, Field>>;

/** Whether a field must be written (in a base experiment; a variant inherits). */
export function isRequired(field: Field): boolean {
  return 'required' in field && field.required === true;
}


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
  /** Checkpoint files (a model within `parameters`, with optimizer state, fits easily). */
  checkpointBytes: 512 * 1024 * 1024,
  rows: 1_000_000,
  cells: 20_000_000,
} as const;

/** A seed: any 32-bit unsigned integer. */
export const seedField: NumberField = { kind: 'number', default: 0, integer: true, minimum: 0, maximum: 4294967295 };
