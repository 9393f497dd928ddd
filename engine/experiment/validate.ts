/**
 * Validates one experiment (the base, or the base merged with a variant) and resolves it into an
 * `ExperimentSpec`: shorthands already expanded (shorthand.ts), defaults filled in from the parts'
 * tables. Each section is read by sections/*, each typed object by typed.ts with the rules across
 * its keys (rules/*), and the rules across sections by rules/run.ts. Reports every problem it
 * finds, each at the value to blame; returns the spec only when there was no error.
 */
import { REQUIRED_TOP_LEVEL_KEYS, TOP_LEVEL_KEYS } from './defaults';
import { describe } from './fields';
import type { Reporter } from './problems';
import { checkRun, sourceKind } from './rules/run';
import { validateCheckpoint } from './sections/checkpoint';
import { validateData } from './sections/data';
import type { DataInfo } from './sections/info';
import { resolveInit, validateInit } from './sections/init';
import { validateLoss } from './sections/loss';
import { validateModel } from './sections/model';
import { validateDiagnostics, validateProbes } from './sections/observe';
import { validateOptional } from './sections/optional';
import { validateTraining } from './sections/training';
import { SLOTS } from './slots';
import { get, type SrcObject } from './source';
import type { CheckpointSpec, ExperimentSpec, InitSpec, MomentumScheduleSpec, OptimizerSpec, ScheduleSpec } from './spec';
import { didYouMean } from './suggest';
import { TypedReader } from './typed';

export { isAbsolutePath } from './sections/data';

export interface ValidationContext {
  /** The experiment's display name (already chosen: the file's `name` or its file name). */
  name: string;
  variant?: string;
}

const TOP_LEVEL_HINTS: Record<string, string> = {
  data: ' (e.g. "data": { "type": "spiral" })',
  model: ' (a list of layers, e.g. "model": [{ "type": "linear", "out_features": 32 }, "relu", { "type": "linear" }])',
  optimizer: ' (e.g. "optimizer": { "type": "sgd", "lr": 0.1 })',
};

export function validateExperiment(root: SrcObject, context: ValidationContext, report: Reporter): ExperimentSpec | undefined {
  const errorsBefore = report.errors;
  checkTopLevel(root, report);

  const plainReader = new TypedReader(report);
  const dataNode = get(root, 'data');
  const data = dataNode ? validateData(dataNode, plainReader, report) : undefined;
  const info: DataInfo = data?.info ?? { task: 'classification' };

  const initNode = get(root, 'init');
  const init = resolveInit(initNode ? validateInit(initNode, plainReader, report) : {}, undefined);
  // A layer's own init inherits what it leaves out from the experiment's.
  const reader = new TypedReader(report, {
    init: node => {
      const partial = validateInit(node, plainReader, report);
      return partial ? resolveInit(partial, init) : undefined;
    },
  });

  const loss = validateLoss(get(root, 'loss'), info, reader, report);

  const modelNode = get(root, 'model');
  const model = modelNode ? validateModel(modelNode, info, loss, reader, report) : undefined;

  const optimizerNode = get(root, 'optimizer');
  const optimizer = optimizerNode ? reader.read(SLOTS.optimizer, optimizerNode, 'optimizer') : undefined;

  const training = validateTraining(get(root, 'training'), report);
  const schedule = validateOptional(get(root, 'schedule'), SLOTS.schedule, 'schedule', reader);
  const momentumSchedule = validateOptional(get(root, 'momentum_schedule'), SLOTS.momentum_schedule, 'momentum_schedule', reader);
  const checkpoint = validateCheckpoint(get(root, 'checkpoint'), report);
  const probes = validateProbes(get(root, 'probes'), report);
  const diagnostics = validateDiagnostics(get(root, 'diagnostics'), report);

  checkRun({
    root,
    info,
    report,
    layers: modelNode?.kind === 'array' ? modelNode.items.map(node => ({ kind: sourceKind(node), node: node as SrcObject })) : [],
    parameters: model?.parameters,
    optimizer,
    training,
    schedule,
    momentumSchedule,
  });

  if (report.errors > errorsBefore) return undefined;
  if (!data?.spec || !model || !init || !loss || !optimizer?.spec || !training) return undefined;
  if ((schedule.present && !schedule.spec) || (momentumSchedule.present && !momentumSchedule.spec) || (checkpoint.present && !checkpoint.spec)) {
    return undefined;
  }
  if ((probes.present && !probes.spec) || (diagnostics.present && !diagnostics.spec)) {
    return undefined;
  }
  const spec: ExperimentSpec = {
    name: context.name,
    data: data.spec,
    model: model.layers,
    init: init as InitSpec,
    loss,
    optimizer: optimizer.spec as unknown as OptimizerSpec,
    training,
  };
  if (schedule.spec) spec.schedule = schedule.spec as unknown as ScheduleSpec;
  if (momentumSchedule.spec) spec.momentum_schedule = momentumSchedule.spec as unknown as MomentumScheduleSpec;
  if (checkpoint.spec) spec.checkpoint = checkpoint.spec as CheckpointSpec;
  if (probes.spec) spec.probes = probes.spec;
  if (diagnostics.spec) spec.diagnostics = diagnostics.spec;
  if (context.variant !== undefined) spec.variant = context.variant;
  const description = get(root, 'description');
  if (description?.kind === 'string') spec.description = description.value as string;
  return spec;
}

function checkTopLevel(root: SrcObject, report: Reporter): void {
  for (const p of root.props) {
    if (!(TOP_LEVEL_KEYS as readonly string[]).includes(p.key)) {
      const choices = TOP_LEVEL_KEYS.filter(k => k !== '$schema');
      report.key(p, root, `unknown key '${p.key}'; expected one of: ${choices.join(', ')}${didYouMean(p.key, choices, 'key')}`);
    }
  }
  for (const key of REQUIRED_TOP_LEVEL_KEYS) {
    if (!get(root, key)) report.missing(root, `the experiment needs '${key}'${TOP_LEVEL_HINTS[key] ?? ''}`);
  }
  for (const key of ['name', 'description']) {
    const node = get(root, key);
    if (node && node.kind !== 'string') report.value(node, `'${key}' must be a string, not ${describe(node)}`);
  }
}
