import type { DiagnosticRule } from './rule';
import { explodingActivations, explodingGradients, vanishingActivations, vanishingGradients } from './rules/depth';
import { overfitting, underfitting } from './rules/generalization';
import { explodingLoss, initialLoss, lossFlat, nanLoss, nanParameters } from './rules/loss';
import { deadRelu, saturatedUnits } from './rules/units';
import { updateWeightRatio } from './rules/updates';

/**
 * Every diagnostic, in the order they are checked when several could fire at once: run-stopping
 * errors first, then causes (what initialization does to the signal and the units), then their
 * usual consequences (so a consequence finds its cause already reported and is folded into it,
 * see causes.ts). The docs list this table; `Diagnostician` runs it.
 */
export const RULES: readonly DiagnosticRule[] = [
  nanLoss,
  nanParameters,
  explodingLoss,
  vanishingActivations,
  explodingActivations,
  saturatedUnits,
  deadRelu,
  vanishingGradients,
  explodingGradients,
  initialLoss,
  updateWeightRatio,
  lossFlat,
  overfitting,
  underfitting,
];

/** The rule with this id, if any. */
export function ruleById(id: string): DiagnosticRule | undefined {
  return RULES.find((rule) => rule.id === id);
}
