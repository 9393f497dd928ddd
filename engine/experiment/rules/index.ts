/** The rules across the keys of one object, by slot and kind (the slots of slots.ts). */
import type { KindRule } from './context';
import { INITIALIZER_RULES } from './init';
import { LAYER_RULES } from './layer';
import { OPTIMIZER_RULES } from './optimizer';
import { SCHEDULE_RULES } from './schedule';

export const KIND_RULES: Readonly<Record<string, Readonly<Record<string, KindRule>>>> = {
  layer: LAYER_RULES,
  initializer: INITIALIZER_RULES,
  optimizer: OPTIMIZER_RULES,
  innerOptimizer: OPTIMIZER_RULES,
  schedule: SCHEDULE_RULES,
  sequentialSchedule: SCHEDULE_RULES,
};
