/**
 * The experiment's `probes` section: how often the loop looks inside the network. A probe's cost
 * grows with the network's width, a step's with its width squared, so a probe costs a few steps
 * of a wide network and tens of a tiny one. `every` sets where probes may happen and
 * `max_overhead` caps what they cost: after the first ALWAYS_PROBED probes (a short run keeps its
 * whole picture) only every k-th probe point is taken, k estimated from the network's shape
 * (cost.ts; bench/probes.bench.mjs and `npm run bench` measure what they cost).
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
          'Probe the network every this many training steps (0: only at initialization); on small networks `max_overhead` spaces them out after the first 20.',
        ),
      max_overhead: z
        .number()
        .gt(0)
        .max(1)
        .default(0.05)
        .describe(
          "The share of the training time probes may take, estimated from the network's shape: after the first 20 probes, a small network is probed at only one in k of the `every` points, k chosen to stay within this share (the same steps on every machine). `1`: probe at all of them.",
        ),
      at_init: z.boolean().default(true).describe('Also probe the first step, with the weights as initialized (activation scale, initial loss checks).'),
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

/** The first probes of a run are taken whatever they cost: a short run keeps its whole picture. */
export const ALWAYS_PROBED = 20;

/** Whether 1-based step `step` is one where a probe is due (before `max_overhead` has its say). */
export function isProbeStep(settings: ProbeSettings, step: number): boolean {
  return (settings.at_init && step === 1) || (settings.every > 0 && step % settings.every === 0);
}
