/** Every family of kinds of the experiment format, for tests that walk them all. */
import type * as z from 'zod';
import { aboutOf, hasWrapper, kindOptions, type FamilyInfo } from '../../../engine/core/options';
import { DATASETS } from '../../../engine/data/kinds';
import { INITIALIZERS } from '../../../engine/init/kinds';
import { LOSSES } from '../../../engine/losses/kinds';
import { LAYERS } from '../../../engine/nn/kinds';
import { OPTIMIZERS } from '../../../engine/optim/kinds';
import { PLAIN_OPTIMIZERS } from '../../../engine/optim/plain';
import { SCHEDULE_CHILDREN } from '../../../engine/schedule/chainable';
import { SCHEDULES } from '../../../engine/schedule/kinds';
import { MOMENTUM_SCHEDULES } from '../../../engine/schedule/momentumSchedule';

export interface AnyFamily {
  schema: z.ZodType;
  info: FamilyInfo;
  types: readonly string[];
}

export const FAMILIES: Record<string, AnyFamily> = {
  data: DATASETS,
  layer: LAYERS,
  initializer: INITIALIZERS,
  loss: LOSSES,
  optimizer: OPTIMIZERS,
  inner_optimizer: PLAIN_OPTIMIZERS,
  schedule: SCHEDULES,
  sequential_child: SCHEDULE_CHILDREN,
  momentum_schedule: MOMENTUM_SCHEDULES,
};

/** A kind's options (without `type`). */
export function optionsOf(family: AnyFamily, kind: string): Record<string, z.ZodType> {
  const { type: _type, ...rest } = kindOptions(family.schema, kind)!.shape as Record<string, z.ZodType>;
  return rest;
}

/** The keys a kind cannot do without. */
export function requiredOf(family: AnyFamily, kind: string): string[] {
  return Object.entries(optionsOf(family, kind))
    .filter(([, s]) => !hasWrapper(s, 'optional') && !hasWrapper(s, 'default'))
    .map(([key]) => key);
}

export function kindDoc(family: AnyFamily, kind: string): string | undefined {
  return aboutOf(kindOptions(family.schema, kind)!).description;
}
