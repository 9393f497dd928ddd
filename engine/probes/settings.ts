/**
 * The experiment's `probes` section: how often the loop looks inside the network. The defaults
 * keep the probes' cost within a few percent of training throughput (bench/probes.bench.mjs
 * measures it: one probe costs about as much as one to a few training steps, so every 50 steps
 * stays in the low single-digit percent on the reference workloads).
 */
import * as z from 'zod';
import { described } from '../core/options';

export const probeSettings = described(
  z
    .strictObject({
      every: z
        .int()
        .min(0)
        .default(50)
        .describe(
          'Probe the network every this many training steps (0: only at initialization). A probe costs about one ' +
            'to a few training steps, so 50 keeps the overhead within a few percent.',
        ),
      at_init: z
        .boolean()
        .default(true)
        .describe('Also probe the first step, with the weights as initialized (activation scale, initial loss checks).'),
      bins: z.int().min(2).max(200).default(30).describe('Bins of each histogram.'),
      saturation: z
        .number()
        .min(0.5)
        .max(1)
        .default(0.97)
        .describe('A tanh output counts as saturated when |y| > this; a sigmoid output when y > this or y < 1 − this.'),
    })
    .describe(
      'How often the run looks inside the network (activations, gradients, update ratios) for the charts and the diagnostics. ' +
        'Absent: the defaults. `{ "every": 0, "at_init": false }` turns the probes off (and with them the diagnostics that read them).',
    ),
  { example: '{ "every": 50 }' },
);

export type ProbeSettings = z.output<typeof probeSettings>;

export const DEFAULT_PROBE_SETTINGS: Readonly<ProbeSettings> = probeSettings.parse({});

/** Whether 1-based step `step` is probed. */
export function isProbeStep(settings: ProbeSettings, step: number): boolean {
  return (settings.at_init && step === 1) || (settings.every > 0 && step % settings.every === 0);
}
