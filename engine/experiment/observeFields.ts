/**
 * The `probes` and `diagnostics` sections as field tables: read from the engine's own tables
 * (PROBE_SETTINGS, THRESHOLDS, RULES) so that the validator, the schema and the reference stay in
 * step with what the probes and the diagnostics actually use.
 */
import { RULES } from '../diagnostics/catalogue';
import { THRESHOLDS, type ThresholdDoc } from '../diagnostics/thresholds';
import { PROBE_SETTINGS, type ProbeSettingDoc } from '../probes/settings';
import type { Field, FieldTable } from './fieldTypes';

function probeField(doc: ProbeSettingDoc): Field {
  if (doc.type === 'boolean') return { kind: 'boolean', default: doc.default as boolean, doc: doc.description };
  return {
    kind: 'number',
    default: doc.default as number,
    integer: doc.type === 'integer',
    minimum: doc.minimum,
    maximum: doc.maximum,
    doc: doc.description,
  };
}

function thresholdField(doc: ThresholdDoc): Field {
  return { kind: 'number', default: doc.default, integer: doc.type === 'integer', minimum: doc.minimum, maximum: doc.maximum, doc: doc.description };
}

/** The top-level `probes` section. */
export const PROBE_FIELDS: FieldTable = Object.fromEntries(
  Object.entries(PROBE_SETTINGS).map(([key, doc]) => [key, probeField(doc)]),
);

export const PROBES_DOC =
  'How often the run looks inside the network (activations, gradients, update ratios) for the charts and the diagnostics. ' +
  'Absent: the defaults. `{ "every": 0, "at_init": false }` turns the probes off (and with them the diagnostics that read them).';

export const THRESHOLD_FIELDS: FieldTable = Object.fromEntries(
  Object.entries(THRESHOLDS).map(([key, doc]) => [key, thresholdField(doc as ThresholdDoc)]),
);

export const RULE_IDS: readonly string[] = RULES.map(rule => rule.id);

/** The top-level `diagnostics` section. */
export const DIAGNOSTICS_FIELDS: FieldTable = {
  disabled: {
    kind: 'enum_list',
    values: RULE_IDS,
    itemNoun: 'diagnostic rule',
    doc: 'Rules not to run, by id. Absent: every rule runs.',
  },
  thresholds: {
    kind: 'object',
    fields: THRESHOLD_FIELDS,
    doc: 'The numbers the rules compare against; a key left out keeps its default.',
  },
};

export const DIAGNOSTICS_DOC = 'Which diagnostic rules run during training, and their thresholds. Absent: every rule, at its default thresholds.';
