/**
 * Specs written by hand in tests, resolved as the experiment format resolves them (every default
 * filled in), so a test can say `{ type: 'batch_norm' }` and get BatchNorm1d's defaults.
 */
import * as z from 'zod';
import { hasWrapper, kindOptions } from '../../engine/core/options';
import { LOSSES } from '../../engine/losses/kinds';
import { jsKernels } from '../../engine/core/jsKernels';
import { Random } from '../../engine/core/random';
import { createLayer, LAYERS } from '../../engine/nn/kinds';

export type LayerInput = z.input<typeof LAYERS.schema>;
export type LossInput = z.input<typeof LOSSES.schema>;

export const layerSpec = (input: LayerInput) => LAYERS.resolve(input);
export const layerSpecs = (inputs: LayerInput[]) => inputs.map(layerSpec);
export const lossSpec = (input: LossInput) => LOSSES.resolve(input);

/** A weightless layer (an activation, a norm) built from its spec, as the model builder builds it. */
export function activation(input: LayerInput | LayerInput['type'], features: number, rows: number) {
  return createLayer(layerSpec(typeof input === 'string' ? ({ type: input } as LayerInput) : input), {
    index: 0,
    inFeatures: features,
    outFeatures: features,
    maxRows: rows,
    kernels: jsKernels,
    init: { weight: { type: 'default' }, bias: { type: 'default' } },
    rng: new Random(0),
    inputGradient: true,
  });
}

/** An option of a kind as JSON Schema (draft-07): its type, range and default, as the editor sees them. */
export function option(family: { schema: z.ZodType }, kind: string, key: string): Record<string, unknown> {
  const schema = (kindOptions(family.schema, kind)!.shape as Record<string, z.ZodType>)[key];
  if (!schema) return {};
  const json = z.toJSONSchema(schema, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...json, required: !hasWrapper(schema, 'optional') && !hasWrapper(schema, 'default') };
}
