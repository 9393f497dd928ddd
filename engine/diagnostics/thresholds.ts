/**
 * Every number the diagnostic rules compare against, with its default and meaning: one table
 * that the settings docs, the JSON schema of the settings and `resolveThresholds` all read.
 * Defaults come from the course notes where they state one (3× the initial cost, update/weight
 * ratio ~1e-3, ln C) and otherwise are chosen to stay quiet on healthy runs (see each entry).
 */

export interface ThresholdDoc {
  default: number;
  type: 'integer' | 'number';
  minimum: number;
  maximum?: number;
  description: string;
}

export const THRESHOLDS = {
  explodingLossFactor: {
    type: 'number',
    default: 3,
    minimum: 1,
    description:
      'Stop the run when the loss trend (most of the last 25 mini-batch losses, or an epoch\'s training loss) exceeds this many times the initial loss (course notes: "if the cost is ever > 3 × original cost, break out early").',
  },
  initialLossTolerance: {
    type: 'number',
    default: 0.5,
    minimum: 0,
    description:
      'Classification: warn when the first loss is further than this (in nats) from ln(C), the loss of a network that predicts uniform probabilities over C classes. Logits of standard deviation s raise it by about s²/2, so 0.5 ≈ logits of std 1.',
  },
  flatWindow: {
    type: 'integer',
    default: 200,
    minimum: 4,
    description: 'Steps over which "the loss barely moves" is judged.',
  },
  flatRelativeChange: {
    type: 'number',
    default: 0.01,
    minimum: 0,
    description:
      'The loss counts as not moving when the mean of the second half of the window differs from the mean of the first half by less than this fraction.',
  },
  flatNearInitial: {
    type: 'number',
    default: 0.9,
    minimum: 0,
    description:
      'Only report a flat loss while it is still above this fraction of the initial loss (a loss that went down and then levelled off has converged; that is not a learning rate too low).',
  },
  updateRatioLow: {
    type: 'number',
    default: 1e-4,
    minimum: 0,
    description: 'Update/weight ratio ‖Δθ‖/‖θ‖ of a weight tensor below this is too low (course notes: "want ~1e-3").',
  },
  updateRatioHigh: {
    type: 'number',
    default: 1e-2,
    minimum: 0,
    description: 'Update/weight ratio above this is too high.',
  },
  sustainProbes: {
    type: 'integer',
    default: 3,
    minimum: 1,
    description:
      'Consecutive probes a per-layer condition (update ratio, dead units, saturation, gradient scale) must hold before it is reported; the initialization probe alone suffices for the conditions checked at initialization.',
  },
  deadFraction: {
    type: 'number',
    default: 0.5,
    minimum: 0,
    maximum: 1,
    description: 'Report a ReLU layer when more than this fraction of its units output zero for the whole probe batch.',
  },
  deadMinRows: {
    type: 'integer',
    default: 8,
    minimum: 1,
    description:
      'Judge dead ReLUs only on probe batches of at least this many rows: a healthy unit is silent for about half the examples, so for r rows a fraction 0.5^r of healthy units looks dead (0.4 % at 8 rows).',
  },
  saturatedFraction: {
    type: 'number',
    default: 0.5,
    minimum: 0,
    maximum: 1,
    description: 'Report a tanh or sigmoid layer when more than this fraction of its outputs are saturated.',
  },
  activationRatioLow: {
    type: 'number',
    default: 0.75,
    minimum: 0,
    description:
      'At initialization, activations vanish when each activation layer keeps less than this fraction of the previous one\'s standard deviation, over `depthRun` layers in a row (course notes: 0.01·randn on tanh loses ~78 % per layer; Xavier on ReLU ~30 %, "it breaks").',
  },
  activationRatioHigh: {
    type: 'number',
    default: 1.33,
    minimum: 1,
    description: 'At initialization, activations explode when each activation layer\'s standard deviation exceeds the previous one\'s by this factor, over `depthRun` layers in a row.',
  },
  gradientRatioLow: {
    type: 'number',
    default: 0.75,
    minimum: 0,
    description:
      'Gradients vanish when, going back one activation layer, the RMS of ∂loss/∂output keeps less than this fraction, over `depthRun` layers in a row.',
  },
  gradientRatioHigh: {
    type: 'number',
    default: 1.33,
    minimum: 1,
    description: 'Gradients explode when, going back one activation layer, their RMS grows by more than this factor, over `depthRun` layers in a row.',
  },
  depthRun: {
    type: 'integer',
    default: 3,
    minimum: 1,
    description: 'Consecutive layer-to-layer ratios that must all be out of range for the vanishing/exploding rules (3 = four activation layers).',
  },
  overfitEpochs: {
    type: 'integer',
    default: 3,
    minimum: 1,
    description: 'Overfitting: epochs in a row over which the gap between validation and training loss must have grown.',
  },
  overfitRelativeGap: {
    type: 'number',
    default: 0.1,
    minimum: 0,
    description: 'Overfitting: and the validation loss must exceed the training loss by at least this fraction.',
  },
  overfitMinGap: {
    type: 'number',
    default: 0.05,
    minimum: 0,
    description:
      'Overfitting: and the gap must be at least this fraction of the initial loss. Near a loss of zero, noise between two small numbers is a large relative gap; this keeps a well-trained model from being called overfitted.',
  },
  underfitMinEpochs: {
    type: 'integer',
    default: 3,
    minimum: 2,
    description: 'Underfitting is judged from this epoch on.',
  },
  underfitMaxGap: {
    type: 'number',
    default: 0.05,
    minimum: 0,
    description: 'Underfitting: validation and training loss within this fraction of each other count as "no gap".',
  },
  underfitPlateau: {
    type: 'number',
    default: 0.01,
    minimum: 0,
    description: 'Underfitting: the training loss improved by less than this fraction over the last epoch.',
  },
  underfitLossFraction: {
    type: 'number',
    default: 0.5,
    minimum: 0,
    description: 'Underfitting: the training loss is still above this fraction of the initial loss.',
  },
} as const satisfies Record<string, ThresholdDoc>;

export type ThresholdKey = keyof typeof THRESHOLDS;
export type DiagnosticThresholds = { [K in ThresholdKey]: number };

const KEYS = Object.keys(THRESHOLDS) as ThresholdKey[];

export const DEFAULT_THRESHOLDS: Readonly<DiagnosticThresholds> = Object.fromEntries(
  KEYS.map((key) => [key, THRESHOLDS[key].default]),
) as DiagnosticThresholds;

/** The defaults with `overrides` on top; throws RangeError naming the key on a value out of range. */
export function resolveThresholds(overrides: Partial<Record<string, unknown>> = {}): DiagnosticThresholds {
  const resolved: DiagnosticThresholds = { ...DEFAULT_THRESHOLDS };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (!(key in THRESHOLDS)) throw new RangeError(`unknown diagnostic threshold '${key}'`);
    const doc: ThresholdDoc = THRESHOLDS[key as ThresholdKey];
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new RangeError(`diagnostic threshold '${key}' must be a number, not ${String(value)}`);
    if (doc.type === 'integer' && !Number.isInteger(value)) throw new RangeError(`diagnostic threshold '${key}' must be an integer, not ${value}`);
    if (value < doc.minimum) throw new RangeError(`diagnostic threshold '${key}' must be at least ${doc.minimum}, not ${value}`);
    if (doc.maximum !== undefined && value > doc.maximum) throw new RangeError(`diagnostic threshold '${key}' must be at most ${doc.maximum}, not ${value}`);
    resolved[key as ThresholdKey] = value;
  }
  return resolved;
}

/** A JSON Schema (draft-07) object for a settings block of thresholds, all optional. */
export function thresholdsJsonSchema(): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const key of KEYS) {
    const doc: ThresholdDoc = THRESHOLDS[key];
    const property: Record<string, unknown> = { type: doc.type, default: doc.default, minimum: doc.minimum, description: doc.description };
    if (doc.maximum !== undefined) property.maximum = doc.maximum;
    properties[key] = property;
  }
  return { type: 'object', additionalProperties: false, properties };
}
