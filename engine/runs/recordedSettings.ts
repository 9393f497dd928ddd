/**
 * A run's recorded settings as today's format resolves them. A run recorded before an option
 * existed has no value for it, and beside a newer run it would seem to differ in that option; an
 * option is added with the default that keeps what runs did before, so the default is what the
 * older run used. Settings today's format does not read as recorded (an option since renamed) stay
 * as they were.
 */
import { parseExperiment } from '../experiment/parse';

export function settingsAsResolvedToday(spec: unknown): unknown {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) return spec;
  // A resolved experiment is itself an experiment file (the variant it came from is not a key of one).
  const { variant, ...settings } = spec as Record<string, unknown>;
  const today = parseExperiment(JSON.stringify(settings), 'run.json').resolve()?.spec;
  return today ? { ...today, ...(variant !== undefined && { variant }) } : spec;
}
