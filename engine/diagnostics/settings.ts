/** The experiment's `diagnostics` section: which rules run, and the thresholds they compare against. */
import * as z from 'zod';
import { described, type Rules } from '../core/options';
import { RULES } from './catalogue';
import { thresholdOptions, type DiagnosticThresholds } from './thresholds';

const ruleIds = RULES.map(rule => rule.id) as [string, ...string[]];

const diagnosticsShape = {
  disabled: described(z.array(z.enum(ruleIds)).transform(ids => [...new Set(ids)]).optional().describe('Rules not to run, by id. Absent: every rule runs.'), {
    itemNoun: 'diagnostic rule',
  }),
  thresholds: thresholdOptions.optional(),
};

/** Resolved, every threshold is filled in; a spec written by hand may leave some to their defaults. */
export type DiagnosticsSpec = Omit<z.output<z.ZodObject<typeof diagnosticsShape>>, 'thresholds'> & { thresholds?: Partial<DiagnosticThresholds> };

const diagnosticsRules: Rules<DiagnosticsSpec> = (_values, report, written) => {
  const seen = new Set<unknown>();
  const listed = Array.isArray(written.disabled) ? written.disabled : [];
  listed.forEach((id, i) => {
    if (seen.has(id) && typeof id === 'string' && ruleIds.includes(id)) report.warn([`disabled.${i}`], `'${id}' is listed twice in 'disabled'`);
    seen.add(id);
  });
};

export const diagnosticsOptions = described(
  z.strictObject(diagnosticsShape).describe('Which diagnostic rules run during training, and their thresholds. Absent: every rule, at its default thresholds.'),
  { example: '{ "disabled": ["loss-flat"] }', rules: diagnosticsRules },
);
