/** `probes` and `diagnostics`: how the run is watched (issue 4). Absent = the defaults. */
import type { DiagnosticsSpec } from '../../train/runDiagnostics';
import type { ProbeSettings } from '../../probes/settings';
import { DIAGNOSTICS_FIELDS, PROBE_FIELDS } from '../observeFields';
import { describe, readFields } from '../fields';
import type { Reporter } from '../problems';
import type { SrcValue } from '../source';

export function validateProbes(node: SrcValue | undefined, report: Reporter): { present: boolean; spec?: ProbeSettings } {
  if (!node || node.kind === 'null') return { present: false };
  if (node.kind !== 'object') {
    report.value(node, `'probes' must be an object like { "every": 50 }, not ${describe(node)}`);
    return { present: true };
  }
  const { values, ok } = readFields(node, PROBE_FIELDS, report, { what: 'probes' });
  return ok ? { present: true, spec: values as unknown as ProbeSettings } : { present: true };
}

export function validateDiagnostics(node: SrcValue | undefined, report: Reporter): { present: boolean; spec?: DiagnosticsSpec } {
  if (!node || node.kind === 'null') return { present: false };
  if (node.kind !== 'object') {
    report.value(node, `'diagnostics' must be an object like { "disabled": ["loss-flat"] }, not ${describe(node)}`);
    return { present: true };
  }
  const { values, ok } = readFields(node, DIAGNOSTICS_FIELDS, report, { what: 'diagnostics' });
  return ok ? { present: true, spec: values as DiagnosticsSpec } : { present: true };
}
