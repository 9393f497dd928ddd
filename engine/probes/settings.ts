/**
 * The experiment's `probes` section: how often the loop looks inside the network. The defaults
 * keep the probes' cost within 10 % of training throughput (bench/probes.bench.mjs measures it:
 * one probe costs about as much as one to a few training steps, so every 50 steps stays in the
 * low single-digit percent on the reference workloads).
 */

export interface ProbeSettings {
  /** Probe every this many steps (step % every === 0); 0 = only the initialization probe. */
  every: number;
  /** Also probe the first step: the network at initialization (the sanity checks read it). */
  at_init: boolean;
  /** Histogram bins. */
  bins: number;
  /** Saturation level: tanh |y| > level, sigmoid y > level or y < 1 − level. */
  saturation: number;
}

export interface ProbeSettingDoc {
  default: number | boolean;
  description: string;
  type: 'integer' | 'number' | 'boolean';
  minimum?: number;
  maximum?: number;
}

/** Every setting with its default and meaning (for the settings docs and the JSON schema). */
export const PROBE_SETTINGS: { readonly [K in keyof ProbeSettings]: ProbeSettingDoc } = {
  every: {
    type: 'integer',
    default: 50,
    minimum: 0,
    description:
      'Probe the network every this many training steps (0: only at initialization). A probe costs about one ' +
      'to a few training steps, so 50 keeps the overhead within a few percent.',
  },
  at_init: {
    type: 'boolean',
    default: true,
    description: 'Also probe the first step, with the weights as initialized (activation scale, initial loss checks).',
  },
  bins: { type: 'integer', default: 30, minimum: 2, maximum: 200, description: 'Bins of each histogram.' },
  saturation: {
    type: 'number',
    default: 0.97,
    minimum: 0.5,
    maximum: 1,
    description: 'A tanh output counts as saturated when |y| > this; a sigmoid output when y > this or y < 1 − this.',
  },
};

export const DEFAULT_PROBE_SETTINGS: Readonly<ProbeSettings> = {
  every: PROBE_SETTINGS.every.default as number,
  at_init: PROBE_SETTINGS.at_init.default as boolean,
  bins: PROBE_SETTINGS.bins.default as number,
  saturation: PROBE_SETTINGS.saturation.default as number,
};

/** The defaults with `partial` on top, checked against the table's ranges. */
export function resolveProbeSettings(partial: Partial<ProbeSettings> = {}): ProbeSettings {
  const settings = { ...DEFAULT_PROBE_SETTINGS, ...partial };
  for (const key of Object.keys(PROBE_SETTINGS) as (keyof ProbeSettings)[]) {
    const doc = PROBE_SETTINGS[key];
    const value = settings[key];
    if (doc.type === 'boolean') {
      if (typeof value !== 'boolean') throw new RangeError(`probes.${key} must be true or false, not ${value}`);
      continue;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new RangeError(`probes.${key} must be a number, not ${value}`);
    if (doc.type === 'integer' && !Number.isInteger(value)) throw new RangeError(`probes.${key} must be an integer, not ${value}`);
    if (doc.minimum !== undefined && value < doc.minimum) throw new RangeError(`probes.${key} must be at least ${doc.minimum}, not ${value}`);
    if (doc.maximum !== undefined && value > doc.maximum) throw new RangeError(`probes.${key} must be at most ${doc.maximum}, not ${value}`);
  }
  return settings;
}

/** Whether 1-based step `step` is probed. */
export function isProbeStep(settings: ProbeSettings, step: number): boolean {
  return (settings.at_init && step === 1) || (settings.every > 0 && step % settings.every === 0);
}

/** A JSON Schema (draft-07) object for the experiment's `probes` section, all keys optional. */
export function probeSettingsJsonSchema(): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [key, doc] of Object.entries(PROBE_SETTINGS) as [keyof ProbeSettings, ProbeSettingDoc][]) {
    const property: Record<string, unknown> = { type: doc.type, default: doc.default, description: doc.description };
    if (doc.minimum !== undefined) property.minimum = doc.minimum;
    if (doc.maximum !== undefined) property.maximum = doc.maximum;
    properties[key] = property;
  }
  return { type: 'object', additionalProperties: false, properties };
}
