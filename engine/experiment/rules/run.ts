/** Rules across sections: what only the run as a whole decides. Each problem is reported at the key to change. */
import type * as z from 'zod';
import { LIMITS } from '../../core/limits';
import { kindOptions, validValues } from '../../core/options';
import type { DataInfo } from '../../data/kinds';
import type { EarlyStoppingSpec, TrainingSpec } from '../../loop/options';
import { OPTIMIZERS } from '../../optim/kinds';
import { takesClosure } from '../../optim/plain';
import { SCHEDULE_CHILDREN } from '../../schedule/chainable';
import type { Reporter } from '../problems';
import { get, plain, type SrcObject } from '../source';
import { typeOf } from '../walk';

type Values = Record<string, unknown>;

/**
 * What the rules know of one object of a section: its `type` (when a string), its valid values (defaults filled in for the
 * keys left out), where it is. A key the file wrote wrongly is absent from `values`: unknown, never its default.
 */
export type Part = { kind?: string; node: SrcObject; values: Values };

/** Whether the file wrote `key` with a value that is not valid: what depends on it is unknown (see `Part`). */
const wroteWrongly = (part: Part, key: string): boolean => part.values[key] === undefined && get(part.node, key) !== undefined;

export interface RunFacts {
  root: SrcObject;
  info: DataInfo;
  report: Reporter;
  layers: (Part | undefined)[];
  parameters?: number;
  optimizer?: Part;
  /** Its valid values, defaults filled in for the keys left out (see `Part`). */
  training: Partial<TrainingSpec>;
  schedule?: Part;
  momentumSchedule?: Part;
}

// What several rules derive: where training's keys are (`at`; the root without a training object), the optimizer that steps the
// weights (lookahead's inner one), whether it takes full-batch steps (L-BFGS; unknown with the optimizer), the steps per epoch if known.
type Run = RunFacts & { at: SrcObject; stepper?: Part; fullBatch?: boolean; stepsPerEpoch?: number };

const num = (v: Values, key: string): number | undefined => (typeof v[key] === 'number' ? (v[key] as number) : undefined);

function objectAt(obj: SrcObject, key: string): SrcObject | undefined {
  const node = get(obj, key);
  return node?.kind === 'object' ? node : undefined;
}

export function checkRun(facts: RunFacts): void {
  const { optimizer, info, training } = facts;
  const stepper = optimizer?.kind === 'lookahead' ? innerOptimizer(optimizer) : optimizer;
  // An optimizer of no known kind (misspelt, or none) could be lbfgs: what depends on how it steps is unknown.
  const fullBatch = stepper?.kind !== undefined && kindOptions(OPTIMIZERS.schema, stepper.kind) ? takesClosure(stepper.kind) : undefined;
  const stepsPerEpoch = fullBatch ? 1 : fullBatch === false && info.train !== undefined && training.batch_size !== undefined ? Math.ceil(info.train / training.batch_size) : undefined;
  const run: Run = { ...facts, at: objectAt(facts.root, 'training') ?? facts.root, stepper, fullBatch, stepsPerEpoch };
  for (const check of [checkRunSize, checkBatchNorm, checkLbfgs, checkSchedulesAgainstOptimizer, checkTrainingParts, checkScheduleLengths]) check(run);
}

/** From its valid values, else from the type it names; at the object it is written as, else at lookahead. */
function innerOptimizer(lookahead: Part): Part {
  const node = objectAt(lookahead.node, 'optimizer');
  const spec = lookahead.values.optimizer as Values | undefined;
  if (spec && typeof spec.type === 'string') return { kind: spec.type, values: spec, node: node ?? lookahead.node };
  return { kind: typeOf(node), values: {}, node: node ?? lookahead.node };
}

/** Catches runs that would not finish in any reasonable time, before they start. */
function checkRunSize({ info, training, report, at, stepsPerEpoch, fullBatch, stepper, parameters }: Run): void {
  const { epochs, batch_size: batch } = training;
  if (info.train === undefined || epochs === undefined || stepsPerEpoch === undefined) return;
  const totalSteps = stepsPerEpoch * epochs;
  if (totalSteps > LIMITS.totalSteps) {
    const steps = `${epochs} epochs × ${stepsPerEpoch} steps = ${totalSteps.toExponential(1)} optimizer steps`;
    report.blame(at, ['epochs', 'batch_size'], `${steps}, above the limit of ${LIMITS.totalSteps.toExponential(0)}`);
    return;
  }
  if (parameters === undefined) return;
  // Forward + backward ≈ 3 forward passes per training example, plus one evaluation pass over the training and validation
  // sets at the end of each epoch; L-BFGS evaluates the full batch up to max_eval times per step.
  const evaluations = fullBatch ? lbfgsEvaluations(stepper) : 1;
  if (evaluations === undefined) return;
  const work = parameters * (3 * info.train * evaluations + info.train + (info.validation ?? 0)) * epochs;
  const about = `about ${work.toExponential(1)} multiply-adds`;
  if (work > LIMITS.work) {
    const why = `${parameters} parameters × ${info.train} examples × ${epochs} epochs × 4`;
    report.blame(at, ['epochs'], `this run needs ${about} (${why}), hours of CPU time; reduce epochs, samples or the model's width`);
  } else if (work > LIMITS.workWarning) {
    report.blame(at, ['epochs'], `a large run: ${about}, likely several minutes`, 'warning');
  }
  if (!fullBatch && batch !== undefined && batch > info.train && get(at, 'batch_size')) {
    const message = `batch_size ${batch} is larger than the ${info.train} training examples; every step uses the whole training set`;
    report.blame(at, ['batch_size'], message, 'warning');
  }
}

/** Closure calls per L-BFGS step: max_eval, else torch's default max_iter × 5/4; unknown when either is written wrongly. */
function lbfgsEvaluations(stepper: Part | undefined): number | undefined {
  const values = stepper?.values ?? {};
  const maxEval = num(values, 'max_eval');
  if (maxEval !== undefined) return maxEval;
  if (stepper && wroteWrongly(stepper, 'max_eval')) return undefined;
  const maxIter = num(values, 'max_iter');
  return maxIter === undefined ? undefined : Math.floor((maxIter * 5) / 4);
}

/** BatchNorm1d cannot normalize a batch of one row in training (torch raises). */
function checkBatchNorm({ training, info: { train }, report, at, layers, fullBatch }: Run): void {
  const norm = layers.find(l => l?.kind === 'batch_norm');
  if (!norm || fullBatch === undefined) return;
  const torch = `(torch raises "Expected more than 1 value per channel when training")`;
  const batch = training.batch_size;
  if (fullBatch) {
    if (train === 1) report.blame(norm.node, ['type'], `batch_norm cannot normalize a full batch of 1 training example ${torch}`);
  } else if (batch === undefined) {
    return;
  } else if (batch === 1) {
    report.blame(at, ['batch_size'], `batch_norm needs at least 2 rows per batch to compute batch statistics ${torch}; batch_size is 1`);
  } else if (train !== undefined && (train === 1 || (train % batch === 1 && train > batch))) {
    const better = [batch - 1, batch + 1, batch - 2, batch + 2, batch + 3, batch - 3].find(b => b >= 2 && train % b !== 1);
    const message =
      `with batch_norm every training batch needs at least 2 rows, but ${train} training examples in batches of ${batch} ` +
      `leave a last batch of 1 row ${torch}${better !== undefined ? `; e.g. batch_size ${better} does not` : ''}`;
    report.blame(at, ['batch_size'], message);
  }
}

/** L-BFGS takes one full-batch step per epoch, re-evaluating the loss in its line search, and keeps 2 · history_size copies of the parameters. */
function checkLbfgs({ fullBatch, info, report, at, root, layers, stepper, parameters }: Run): void {
  if (!fullBatch) return;
  const rows = info.train !== undefined ? `all ${info.train} training examples` : 'the whole training set';
  for (const key of ['batch_size', 'shuffle']) {
    if (at !== root && get(at, key)) report.blame(at, [key], `lbfgs takes one full-batch step per epoch (over ${rows}), so '${key}' is not used`, 'warning');
  }
  const message =
    'dropout draws new masks at every evaluation of the loss, so lbfgs sees a different function each time and its line search goes astray; ' +
    'remove dropout or use another optimizer';
  for (const layer of layers) if (layer?.kind === 'dropout') report.blame(layer.node, ['type'], message, 'warning');
  if (stepper?.kind !== 'lbfgs' || parameters === undefined) return;
  const history = num(stepper.values, 'history_size');
  if (history === undefined) return;
  const bytes = 2 * history * parameters * 4;
  if (bytes > 512 * 1024 * 1024) {
    const copies = `2 × history_size (${history}) copies of the ${parameters.toLocaleString('en-US')} parameters`;
    const message = `lbfgs keeps ${copies}: about ${Math.round(bytes / 1024 / 1024)} MB; a smaller history_size (e.g. 10) uses less memory`;
    report.blame(stepper.node, ['history_size', 'type'], message, 'warning');
  }
}

/** The schedules against the optimizer: one thing sets its momentum (`momentum`, or beta1 of `betas`), if it has one; sgd_lr_decay sets its own lr. */
function checkSchedulesAgainstOptimizer({ stepper, schedule, momentumSchedule, report }: Run): void {
  const name = stepper?.kind;
  const options = name === undefined ? undefined : kindOptions(OPTIMIZERS.schema, name);
  // Of an optimizer of no known kind (misspelt, or none), whether it has a momentum to set is unknown.
  if (name !== undefined && options) checkMomentumSetters(name, options, schedule, momentumSchedule, report);
  if (stepper?.kind === 'sgd_lr_decay' && schedule) {
    const message =
      'sgd_lr_decay already decays the learning rate before every step, and a schedule sets it too, so the two fight; ' +
      'use "sgd" with this schedule, or drop the schedule';
    report.blame(schedule.node, ['type'], message, 'warning');
  }
}

/** The momentum schedule and the cycling schedules against optimizer `name`, whose `options` say whether it has a momentum. */
function checkMomentumSetters(name: string, options: z.ZodObject, schedule: Part | undefined, momentumSchedule: Part | undefined, report: Reporter): void {
  // cycle_momentum is true by default; written wrongly, whether it cycles is unknown.
  const cycles = (s: Part | undefined): s is Part => (s?.kind === 'one_cycle' || s?.kind === 'cyclic') && s.values.cycle_momentum === true;
  const cycling = [schedule, ...sequenceOf(schedule)].filter(cycles);
  if (!('momentum' in options.shape || 'betas' in options.shape)) {
    if (momentumSchedule) {
      const message = `a momentum schedule needs an optimizer with momentum (sgd, rmsprop) or beta1 (the adam family); optimizer '${name}' has neither`;
      report.blame(momentumSchedule.node, ['type'], message);
    }
    for (const c of cycling) {
      const cycles = `${c.kind} ${get(c.node, 'cycle_momentum') ? 'cycles' : 'cycles by default (cycle_momentum: true)'} the optimizer's momentum`;
      const message = `${cycles}, but optimizer '${name}' has none (torch raises "optimizer must support momentum"); set "cycle_momentum": false`;
      report.blame(c.node, ['cycle_momentum', 'type'], message);
    }
  } else if (momentumSchedule && cycling.length > 0) {
    const message =
      `both momentum_schedule and the schedule's ${cycling[0].kind} (cycle_momentum ${get(cycling[0].node, 'cycle_momentum') ? 'true' : 'true by default'}) ` +
      `set the momentum; set "cycle_momentum": false in the schedule, or remove momentum_schedule`;
    report.blame(momentumSchedule.node, ['type'], message);
  }
}

/** The schedules inside sequential whose type is written, with their valid values (as a `Part`'s; none for a kind not known). */
function sequenceOf(schedule: Part | undefined): (Part | undefined)[] {
  const list = schedule?.kind === 'sequential' ? get(schedule.node, 'schedulers') : undefined;
  if (list?.kind !== 'array') return [];
  return list.items.map(item => {
    const kind = typeOf(item);
    if (kind === undefined || item.kind !== 'object') return undefined;
    const options = kindOptions(SCHEDULE_CHILDREN.schema, kind);
    return { kind, node: item, values: options ? validValues(options, plain(item) as Values) : {} };
  });
}

/** Early stopping against the data and the run, and settings of training that undo or repeat each other. */
function checkTrainingParts({ training, report, info, at, stepper }: Run): void {
  const { epochs } = training;
  const esNode = objectAt(at, 'early_stopping');
  // Its keys written well, also when another is not (validValues keeps them).
  const es: Partial<EarlyStoppingSpec> | undefined = training.early_stopping;
  if (es?.monitor?.startsWith('val_') && info.hasValidation === false) {
    const monitor = `${es.monitor}${esNode && get(esNode, 'monitor') ? '' : ' (the default)'}`;
    const message = `early stopping monitors ${monitor}, but the data has no validation set; monitor train_loss or add a validation split`;
    report.blame(esNode ?? at, ['monitor'], message);
  }
  if (es?.monitor?.endsWith('_accuracy') && info.task === 'regression') {
    report.blame(esNode ?? at, ['monitor'], `early stopping monitors ${es.monitor}, but a regression has no accuracy; monitor a loss`);
  }
  if (es?.patience !== undefined && epochs !== undefined && es.patience >= epochs) {
    const patience = `patience ${es.patience}${esNode && get(esNode, 'patience') ? '' : ' (the default)'}`;
    const message = `${patience} is not below the ${epochs} epochs of the run, so training can never stop early`;
    report.blame(esNode ?? at, ['patience'], message, 'warning');
  }
  if (training.clip_grad_norm && training.clip_grad_value && get(at, 'clip_grad_value')) {
    const message = 'both clip_grad_norm and clip_grad_value are set: the gradients are clipped by norm first, then by value; usually one is enough';
    report.blame(at, ['clip_grad_value'], message, 'warning');
  }
  const l2 = training.regularization?.l2 ?? 0;
  const decay = num(stepper?.values ?? {}, 'weight_decay') ?? 0;
  const regularization = objectAt(at, 'regularization');
  // Decoupled weight decay (AdamW's) shrinks the weights directly: not a second L2 term.
  const decoupled = stepper?.values.decoupled_weight_decay === true || (stepper !== undefined && wroteWrongly(stepper, 'decoupled_weight_decay'));
  if (l2 > 0 && decay > 0 && stepper?.kind !== 'adamw' && !decoupled && regularization) {
    const both = `both regularization.l2 (${l2}) and the optimizer's weight_decay (${decay})`;
    const message = `${both} penalize the squared weights, so the decay is applied twice; keep one`;
    report.blame(regularization, ['l2'], message, 'warning');
  }
  const ema = objectAt(at, 'ema');
  if (training.ema?.decay === 1 && ema) {
    const message = 'decay 1 never moves the average: evaluation would use the first weights forever; typical values are 0.99 to 0.9999';
    report.blame(ema, ['decay'], message, 'warning');
  }
}

/** The schedules against the run's length in their units (epochs, or steps when known): what outlasts the run never takes effect. */
function checkScheduleLengths({ schedule, training, stepsPerEpoch, report }: Run): void {
  if (!schedule) return;
  const { node: obj, kind, values: v } = schedule;
  const epochs = training.epochs;
  // An interval written wrongly leaves the schedule's unit, so its length, unknown.
  const steps = epochs === undefined || stepsPerEpoch === undefined ? undefined : epochs * stepsPerEpoch;
  const length = v.interval === 'epoch' ? epochs : v.interval === 'step' ? steps : undefined;
  const unit = v.interval === 'step' ? 'steps' : 'epochs';
  const milestones = Array.isArray(v.milestones) ? (v.milestones as number[]) : undefined;
  if (kind === 'one_cycle') checkOneCycle(report, schedule, length, unit, 'run');
  const written = get(obj, 'milestones');
  if (milestones && length !== undefined && written?.kind === 'array') {
    const after = kind === 'multi_step' ? ', so it never applies' : ': the schedule after it never runs';
    milestones.forEach((m, i) => {
      if (m >= length) report.value(written.items[i], `milestone ${m} is not before the run's end (${length} ${unit})${after}`, 'warning');
    });
  }
  if (kind === 'sequential' && milestones) {
    sequenceOf(schedule).forEach((item, i) => {
      if (!item) return;
      const start = i === 0 ? 0 : milestones[i - 1];
      const end = i < milestones.length ? milestones[i] : length;
      const segment = end === undefined || start === undefined ? undefined : end - start;
      // Left out, torch would take the child's length from the sequence, which gives it one of zero or less.
      const derived = item.kind === 'cosine_annealing' ? 'T_max' : item.kind === 'one_cycle' && !get(item.node, 'epochs') ? 'total_steps' : undefined;
      if (segment !== undefined && segment <= 0 && derived !== undefined && !get(item.node, derived)) {
        const message =
          `${item.kind}'s ${derived} defaults to the length of its segment of the sequence, ${end} − ${start} = ${segment} ${unit}: ` +
          `the run ends before it starts; set ${derived}, or a milestone before the run's end`;
        report.blame(item.node, ['type'], message);
      } else if (item.kind === 'one_cycle') {
        checkOneCycle(report, item, segment, unit, 'segment');
      }
    });
  }
  if (length === undefined) return;
  const totalIters = num(v, 'total_iters');
  if ((kind === 'linear' || kind === 'constant' || kind === 'polynomial') && totalIters !== undefined && totalIters > length) {
    const message = `total_iters ${totalIters} is longer than the run (${length} ${unit}): the schedule never reaches its end`;
    report.blame(obj, ['total_iters', 'type'], `${message}${get(obj, 'total_iters') ? '' : ' (5 is the default)'}`, 'warning');
  }
  const stepSize = num(v, 'step_size');
  if (kind === 'step' && stepSize !== undefined && stepSize >= length) {
    report.blame(obj, ['step_size'], `step_size ${stepSize} is not shorter than the run (${length} ${unit}), so the learning rate never changes`, 'warning');
  }
}

/** OneCycleLR's cycle must cover the run (or its segment) and must not have a phase of zero length (torch divides by zero). */
function checkOneCycle(report: Reporter, part: Part, length: number | undefined, unit: string, span: 'run' | 'segment'): void {
  const { node: obj, values: v } = part;
  // A length written wrongly is no cycle of the run's length: the cycle is unknown.
  if (['total_steps', 'epochs', 'steps_per_epoch'].some(key => wroteWrongly(part, key))) return;
  const total = num(v, 'total_steps') ?? (typeof v.epochs === 'number' && typeof v.steps_per_epoch === 'number' ? v.epochs * v.steps_per_epoch : undefined);
  if (total !== undefined && length !== undefined && total < length) {
    const message = `one_cycle's cycle has ${total} ${unit} but the ${span} has ${length}; torch raises once the cycle is over`;
    report.blame(obj, ['total_steps', 'epochs'], `${message} — lengthen the cycle or leave it out (= the ${span})`);
    return;
  }
  const cycle = total ?? length;
  if (cycle === undefined) return;
  const pct = num(v, 'pct_start');
  if (pct === undefined) return;
  // torch's phase ends: pct·T − 1, (three_phase: 2·pct·T − 2), T − 1; a phase of zero length divides by zero.
  // With three_phase written wrongly, only the first phase's end is known.
  const ends =
    v.three_phase === true ? [pct * cycle - 1, 2 * pct * cycle - 2, cycle - 1] : v.three_phase === false ? [pct * cycle - 1, cycle - 1] : [pct * cycle - 1];
  const phase = ends.findIndex((end, i) => end - (i === 0 ? 0 : ends[i - 1]) === 0);
  if (phase >= 0) {
    const message = `with pct_start ${pct} and a cycle of ${cycle} ${unit}, phase ${phase + 1} of one_cycle has zero length (torch divides by zero there)`;
    report.blame(obj, ['pct_start'], `${message}; change pct_start${total !== undefined ? ' or the cycle length' : ''}`);
  }
}
