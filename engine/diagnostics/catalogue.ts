import type { DiagnosticRule } from './rule';
import { explodingActivations, explodingGradients, vanishingActivations, vanishingGradients } from './rules/depth';
import { overfitting, underfitting } from './rules/generalization';
import { explodingLoss, initialLoss, lossFlat, nanLoss, nanParameters } from './rules/loss';
import { deadRelu, saturatedUnits } from './rules/units';
import { updateWeightRatio } from './rules/updates';

/**
 * Every diagnostic, in the order findings are reported when several fire at once (run-stopping
 * errors first). The docs list this table; `Diagnostician` runs it.
 */
export const RULES: readonly DiagnosticRule[] = [
  nanLoss,
  nanParameters,
  explodingLoss,
  initialLoss,
  lossFlat,
  updateWeightRatio,
  deadRelu,
  saturatedUnits,
  vanishingActivations,
  explodingActivations,
  vanishingGradients,
  explodingGradients,
  overfitting,
  underfitting,
];

/** The rule with this id, if any. */
export function ruleById(id: string): DiagnosticRule | undefined {
  return RULES.find((rule) => rule.id === id);
}
