/**
 * Rules across sections: what only the run as a whole decides — the run's size, batch_norm and
 * the batch size, L-BFGS's full batch, who sets the momentum, early stopping's metric, clipping and
 * penalties twice, and the schedules against the run's length. Each problem is reported at the key
 * to change.
 */
import { LIMITS } from '../../core/limits';
import { kindOptions } from '../../core/options';
import type { DataInfo } from '../../data/kinds';
import { OPTIMIZERS } from '../../optim/kinds';
import { takesClosure } from '../../optim/plain';
import type { TrainingSpec } from '../../loop/options';
import type { Reporter, Severity } from '../problems';
import { get, type SrcObject } from '../source';

/** What the rules know of one object of a section: its kind, its valid values, where it is. */
export interface Part {
  /** Its `type`, as written (when a string). */
  kind?: string;
  node: SrcObject;
  /** The values of its valid keys, defaults filled in. */
  values: Record<string, unknown>;
}

export interface RunFacts {
  root: SrcObject;
  info: DataInfo;
  report: Reporter;
  layers: (Part | undefined)[];
  parameters?: number;
  optimizer?: Part;
  /** Undefined when it has an error. */
  training?: TrainingSpec;
  schedule?: Part;
  momentumSchedule?: Part;
}

const num = (v: Record<string, unknown>, key: string): number | undefined => (typeof v[key] === 'number' ? (v[key] as number) : undefined);

function blame(report: Reporter, obj: SrcObject, keys: readonly string[], message: string, severity: Severity = 'error'): void {
  report.blame(obj, keys, message, severity);
}

function blameType(report: Reporter, obj: SrcObject, message: string, severity: Severity = 'error'): void {
  report.blame(obj, ['type'], message, severity);
}

export function checkRun(f: RunFacts): void {
  const run = runShape(f);
  checkRunSize(f, run);
  checkBatchNorm(f, run);
  checkFullBatch(f, run);
  checkMomentum(f);
  checkOptimizerAndSchedule(f);
  checkTrainingParts(f);
  checkScheduleLengths(f, run);
}

interface RunShape {
  /** One full-batch step per epoch (L-BFGS, also inside lookahead). */
  fullBatch: boolean;
  /** Optimizer steps per epoch, when the training set's size is known. */
  stepsPerEpoch?: number;
  epochs?: number;
}

function runShape(f: RunFacts): RunShape {
  // An optimizer with a closure (L-BFGS) takes one full-batch step per epoch, also inside lookahead.
  const fullBatch = optimizerKinds(f.optimizer).some(takesClosure);
  const shape: RunShape = { fullBatch, epochs: f.training?.epochs };
  if (fullBatch) shape.stepsPerEpoch = 1;
  else if (f.info.train !== undefined && f.training) shape.stepsPerEpoch = Math.ceil(f.info.train / f.training.batch_size);
  return shape;
}

/** The optimizer's kind and, for lookahead, its inner optimizer's kind. */
function optimizerKinds(read: Part | undefined): string[] {
  if (!read?.kind) return [];
  const inner = innerOptimizer(read);
  return inner ? [read.kind, inner.kind] : [read.kind];
}

function innerOptimizer(read: Part): { kind: string; values: Record<string, unknown> } | undefined {
  if (read.kind !== 'lookahead') return undefined;
  const node = get(read.node, 'optimizer');
  const spec = read.values.optimizer as Record<string, unknown> | undefined;
  if (spec && typeof spec.type === 'string') return { kind: spec.type, values: spec };
  const type = node?.kind === 'object' ? get(node, 'type') : undefined;
  return type?.kind === 'string' ? { kind: type.value as string, values: {} } : undefined;
}

function trainingNode(f: RunFacts): SrcObject {
  const node = get(f.root, 'training');
  return node?.kind === 'object' ? node : f.root;
}

function trainingPart(f: RunFacts, key: string): SrcObject | undefined {
  const node = get(trainingNode(f), key);
  return node?.kind === 'object' ? node : undefined;
}

// ---- size ---------------------------------------------------------------------------------------

/** Catches runs that would not finish in any reasonable time, before they start. */
function checkRunSize(f: RunFacts, run: RunShape): void {
  const { info, training, report } = f;
  if (info.train === undefined || !training || run.stepsPerEpoch === undefined) return;
  const at = trainingNode(f);
  const totalSteps = run.stepsPerEpoch * training.epochs;
  if (totalSteps > LIMITS.totalSteps) {
    blame(
      report,
      at,
      ['epochs', 'batch_size'],
      `${training.epochs} epochs × ${run.stepsPerEpoch} steps = ${totalSteps.toExponential(1)} optimizer steps, above the limit of ${LIMITS.totalSteps.toExponential(0)}`,
    );
    return;
  }
  if (f.parameters === undefined) return;
  // Forward + backward ≈ 3 forward passes per training example, plus one evaluation pass over the
  // training and validation sets at the end of each epoch; L-BFGS evaluates the full batch up to
  // max_eval times per step.
  const evaluations = run.fullBatch ? lbfgsEvaluations(f.optimizer) : 1;
  const work = f.parameters * (3 * info.train * evaluations + info.train + (info.validation ?? 0)) * training.epochs;
  if (work > LIMITS.work) {
    blame(
      report,
      at,
      ['epochs'],
      `this run needs about ${work.toExponential(1)} multiply-adds (${f.parameters} parameters × ${info.train} examples × ${training.epochs} epochs × 4), ` +
        `hours of CPU time; reduce epochs, samples or the model's width`,
    );
  } else if (work > LIMITS.workWarning) {
    blame(report, at, ['epochs'], `a large run: about ${work.toExponential(1)} multiply-adds, likely several minutes`, 'warning');
  }
  const batchNode = get(at, 'batch_size');
  if (batchNode && !run.fullBatch && training.batch_size > info.train) {
    report.value(
      batchNode,
      `batch_size ${training.batch_size} is larger than the ${info.train} training examples; every step uses the whole training set`,
      'warning',
    );
  }
}

function lbfgsEvaluations(read: Part | undefined): number {
  const values = read?.kind === 'lookahead' ? (innerOptimizer(read)?.values ?? {}) : (read?.values ?? {});
  const maxIter = num(values, 'max_iter') ?? 20;
  return num(values, 'max_eval') ?? Math.floor((maxIter * 5) / 4);
}

// ---- batch_norm and the batch size --------------------------------------------------------------

/** BatchNorm1d cannot normalize a batch of one row in training (torch raises). */
function checkBatchNorm(f: RunFacts, run: RunShape): void {
  const { training, info, report } = f;
  const norms = f.layers.filter((l): l is Part => l?.kind === 'batch_norm');
  if (norms.length === 0 || !training) return;
  const at = trainingNode(f);
  const layerType = get(norms[0].node, 'type') ?? norms[0].node;
  const torch = `(torch raises "Expected more than 1 value per channel when training")`;
  if (run.fullBatch) {
    if (info.train === 1) report.value(layerType, `batch_norm cannot normalize a full batch of 1 training example ${torch}`);
    return;
  }
  const batch = training.batch_size;
  if (batch === 1) {
    blame(report, at, ['batch_size'], `batch_norm needs at least 2 rows per batch to compute batch statistics ${torch}; batch_size is 1`);
    return;
  }
  if (info.train === undefined) return;
  const lastRows = info.train % batch;
  if (info.train === 1 || (lastRows === 1 && info.train > batch)) {
    const better = [batch - 1, batch + 1, batch - 2, batch + 2, batch + 3, batch - 3].find(b => b >= 2 && info.train! % b !== 1);
    blame(
      report,
      at,
      ['batch_size'],
      `with batch_norm every training batch needs at least 2 rows, but ${info.train} training examples in batches of ${batch} ` +
        `leave a last batch of 1 row ${torch}${better !== undefined ? `; e.g. batch_size ${better} does not` : ''}`,
    );
  }
}

// ---- L-BFGS: one full-batch step per epoch ------------------------------------------------------

function checkFullBatch(f: RunFacts, run: RunShape): void {
  if (!run.fullBatch) return;
  const { report } = f;
  const at = trainingNode(f);
  const rows = f.info.train !== undefined ? `all ${f.info.train} training examples` : 'the whole training set';
  for (const key of ['batch_size', 'shuffle']) {
    const node = get(at, key);
    if (node && at !== f.root) {
      report.value(node, `lbfgs takes one full-batch step per epoch (over ${rows}), so '${key}' is not used`, 'warning');
    }
  }
  for (const layer of f.layers) {
    if (layer?.kind !== 'dropout') continue;
    report.value(
      layer.node.shorthand ? layer.node : (get(layer.node, 'type') ?? layer.node),
      'dropout draws new masks at every evaluation of the loss, so lbfgs sees a different function each time and its line search goes astray; ' +
        'remove dropout or use another optimizer',
      'warning',
    );
  }
}

// ---- momentum: the optimizer has one, and one thing sets it --------------------------------------

/** Optimizers whose table has `momentum` or `betas` (beta1) have a momentum a schedule can set. */
function hasMomentum(f: RunFacts): boolean | undefined {
  const read = f.optimizer;
  if (!read) return undefined;
  const kind = read.kind === 'lookahead' ? innerOptimizer(read)?.kind : read.kind;
  const options = kind === undefined ? undefined : kindOptions(OPTIMIZERS.schema, kind);
  if (!options) return undefined;
  return 'momentum' in options.shape || 'betas' in options.shape;
}

/** The schedules (the top-level one and those inside sequential) that cycle the momentum. */
function cyclingSchedules(read: Part | undefined): { obj: SrcObject; kind: string; explicit: boolean }[] {
  if (!read) return [];
  const out: { obj: SrcObject; kind: string; explicit: boolean }[] = [];
  const visit = (obj: SrcObject, kind: string, values: Record<string, unknown>): void => {
    if ((kind === 'one_cycle' || kind === 'cyclic') && values.cycle_momentum !== false) {
      out.push({ obj, kind, explicit: get(obj, 'cycle_momentum') !== undefined });
    }
  };
  visit(read.node, read.kind!, read.values);
  if (read.kind === 'sequential') {
    const list = get(read.node, 'schedulers');
    if (list?.kind === 'array') {
      for (const item of list.items) {
        if (item.kind !== 'object') continue;
        const type = get(item, 'type');
        if (type?.kind !== 'string') continue;
        const cycle = get(item, 'cycle_momentum');
        visit(item, type.value as string, cycle?.kind === 'boolean' ? { cycle_momentum: cycle.value } : {});
      }
    }
  }
  return out;
}

function checkMomentum(f: RunFacts): void {
  const { report } = f;
  const momentum = hasMomentum(f);
  const name = f.optimizer ? (innerOptimizer(f.optimizer)?.kind ?? f.optimizer.kind) : '';
  const cycling = cyclingSchedules(f.schedule);
  const msRead = f.momentumSchedule;
  if (momentum === false) {
    if (msRead) {
      blameType(
        report,
        msRead.node,
        `a momentum schedule needs an optimizer with momentum (sgd, rmsprop) or beta1 (the adam family); optimizer '${name}' has neither`,
      );
    }
    for (const c of cycling) {
      blame(
        report,
        c.obj,
        ['cycle_momentum', 'type'],
        `${c.kind} ${c.explicit ? 'cycles' : 'cycles by default (cycle_momentum: true)'} the optimizer's momentum, but optimizer '${name}' has none ` +
          `(torch raises "optimizer must support momentum"); set "cycle_momentum": false`,
      );
    }
    return;
  }
  if (msRead && cycling.length > 0) {
    const c = cycling[0];
    blameType(
      report,
      msRead.node,
      `both momentum_schedule and the schedule's ${c.kind} (cycle_momentum ${c.explicit ? 'true' : 'true by default'}) set the momentum; ` +
        `set "cycle_momentum": false in the schedule, or remove momentum_schedule`,
    );
  }
}

// ---- the optimizer against the schedule and the model -------------------------------------------

/** L-BFGS keeps 2 · history_size vectors of the parameters' size. */
const LBFGS_HISTORY_BYTES_WARNING = 512 * 1024 * 1024;

function checkOptimizerAndSchedule(f: RunFacts): void {
  const read = f.optimizer;
  if (!read) return;
  const inner = innerOptimizer(read);
  const kind = inner?.kind ?? read.kind;
  const schedule = f.schedule;
  if (kind === 'sgd_lr_decay' && schedule) {
    blameType(
      f.report,
      schedule.node,
      'sgd_lr_decay already decays the learning rate before every step, and a schedule sets it too, so the two fight; ' +
        'use "sgd" with this schedule, or drop the schedule',
      'warning',
    );
  }
  if (kind === 'lbfgs' && f.parameters !== undefined) {
    const values = inner?.values ?? read.values;
    const history = num(values, 'history_size') ?? 100;
    const bytes = 2 * history * f.parameters * 4;
    if (bytes > LBFGS_HISTORY_BYTES_WARNING) {
      const at = read.kind === 'lookahead' ? (get(read.node, 'optimizer') as SrcObject) : read.node;
      blame(
        f.report,
        at.kind === 'object' ? at : read.node,
        ['history_size', 'type'],
        `lbfgs keeps 2 × history_size (${history}) copies of the ${f.parameters.toLocaleString('en-US')} parameters: about ${Math.round(bytes / 1024 / 1024)} MB; ` +
          'a smaller history_size (e.g. 10) uses less memory',
        'warning',
      );
    }
  }
}

// ---- training's parts ---------------------------------------------------------------------------

function checkTrainingParts(f: RunFacts): void {
  const { training, report, info } = f;
  if (!training) return;
  const es = training.early_stopping;
  const esNode = trainingPart(f, 'early_stopping');
  if (es) {
    const at = esNode ?? trainingNode(f);
    const monitor = es.monitor;
    if (monitor.startsWith('val_') && info.hasValidation === false) {
      blame(
        report,
        at,
        ['monitor'],
        `early stopping monitors ${monitor}${esNode && get(esNode, 'monitor') ? '' : ' (the default)'}, but the data has no validation set; ` +
          `monitor train_loss or add a validation split`,
      );
    }
    if (monitor.endsWith('_accuracy') && info.task === 'regression') {
      blame(report, at, ['monitor'], `early stopping monitors ${monitor}, but a regression has no accuracy; monitor a loss`);
    }
    if (es.patience >= training.epochs) {
      blame(
        report,
        at,
        ['patience'],
        `patience ${es.patience} is not below the ${training.epochs} epochs of the run, so training can never stop early`,
        'warning',
      );
    }
  }
  if (training.clip_grad_norm && training.clip_grad_value) {
    const node = get(trainingNode(f), 'clip_grad_value');
    if (node) {
      report.value(
        node,
        'both clip_grad_norm and clip_grad_value are set: the gradients are clipped by norm first, then by value; usually one is enough',
        'warning',
      );
    }
  }
  const l2 = training.regularization?.l2 ?? 0;
  const decay = f.optimizer ? num(innerOptimizer(f.optimizer)?.values ?? f.optimizer.values, 'weight_decay') : undefined;
  const decayKind = f.optimizer ? (innerOptimizer(f.optimizer)?.kind ?? f.optimizer.kind) : '';
  if (l2 > 0 && decay !== undefined && decay > 0 && decayKind !== 'adamw') {
    const regularization = trainingPart(f, 'regularization');
    if (regularization) {
      blame(
        report,
        regularization,
        ['l2'],
        `both regularization.l2 (${l2}) and the optimizer's weight_decay (${decay}) penalize the squared weights, so the decay is applied twice; keep one`,
        'warning',
      );
    }
  }
  const ema = training.ema;
  const emaNode = trainingPart(f, 'ema');
  if (ema && emaNode && ema.decay === 1) {
    blame(report, emaNode, ['decay'], 'decay 1 never moves the average: evaluation would use the first weights forever; typical values are 0.99 to 0.9999', 'warning');
  }
}

// ---- schedules against the run's length ---------------------------------------------------------

/** The run's length in a schedule's units: epochs, or optimizer steps when they are known. */
function runLength(interval: unknown, run: RunShape): number | undefined {
  if (run.epochs === undefined) return undefined;
  if (interval === 'epoch') return run.epochs;
  return run.stepsPerEpoch === undefined ? undefined : run.epochs * run.stepsPerEpoch;
}

function checkScheduleLengths(f: RunFacts, run: RunShape): void {
  const read = f.schedule;
  if (!read) return;
  const length = runLength(read.values.interval, run);
  const unit = `${read.values.interval === 'step' ? 'steps' : 'epochs'}`;
  if (read.kind === 'sequential') {
    checkSequential(f.report, read, length, unit);
    return;
  }
  checkScheduleLength(f.report, read.node, read.kind!, read.values, length, unit, true);
}

function checkSequential(report: Reporter, read: Part, length: number | undefined, unit: string): void {
  const milestones = Array.isArray(read.values.milestones) ? (read.values.milestones as number[]) : undefined;
  const list = get(read.node, 'schedulers');
  const milestonesNode = get(read.node, 'milestones');
  if (milestones && length !== undefined && milestonesNode?.kind === 'array') {
    milestones.forEach((m, i) => {
      if (m >= length) {
        report.value(
          milestonesNode.items[i],
          `milestone ${m} is not before the run's end (${length} ${unit}): the schedule after it never runs`,
          'warning',
        );
      }
    });
  }
  if (!milestones || list?.kind !== 'array') return;
  list.items.forEach((item, i) => {
    if (item.kind !== 'object') return;
    const type = get(item, 'type');
    if (type?.kind !== 'string') return;
    const start = i === 0 ? 0 : milestones[i - 1];
    const end = i < milestones.length ? milestones[i] : length;
    const segment = end === undefined || start === undefined ? undefined : end - start;
    const kind = type.value as string;
    const values = plainValues(item);
    // torch would need the child's length, and the sequence gives it one of zero or less.
    const derived = kind === 'cosine_annealing' ? (values.T_max === undefined ? 'T_max' : undefined) : kind === 'one_cycle' && values.total_steps === undefined && values.epochs === undefined ? 'total_steps' : undefined;
    if (segment !== undefined && segment <= 0 && derived !== undefined) {
      blameType(
        report,
        item,
        `${kind}'s ${derived} defaults to the length of its segment of the sequence, ${end} − ${start} = ${segment} ${unit}: the run ends before it starts; ` +
          `set ${derived}, or a milestone before the run's end`,
      );
      return;
    }
    checkScheduleLength(report, item, kind, values, segment, unit, false);
  });
}

/** The numbers and booleans written in an object (a schedule inside sequential, already validated). */
function plainValues(obj: SrcObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of obj.props) if (p.value.kind === 'number' || p.value.kind === 'boolean' || p.value.kind === 'string') out[p.key] = p.value.value;
  return out;
}

/**
 * One schedule against the length it runs for (`length` in its units, when known): OneCycleLR's
 * cycle must cover it and must not have a phase of zero length (torch divides by zero); warm-ups
 * and decays that outlast the run never finish.
 */
function checkScheduleLength(
  report: Reporter,
  obj: SrcObject,
  kind: string,
  v: Record<string, unknown>,
  length: number | undefined,
  unit: string,
  topLevel: boolean,
): void {
  if (kind === 'one_cycle') {
    const total = num(v, 'total_steps') ?? (num(v, 'epochs') !== undefined && num(v, 'steps_per_epoch') !== undefined ? num(v, 'epochs')! * num(v, 'steps_per_epoch')! : undefined);
    const explicit = total !== undefined;
    const cycle = total ?? length;
    if (explicit && length !== undefined && total < length) {
      blame(
        report,
        obj,
        ['total_steps', 'epochs'],
        `one_cycle's cycle has ${total} ${unit} but the ${topLevel ? 'run' : 'segment'} has ${length}; torch raises once the cycle is over — lengthen the cycle or leave it out (= the ${topLevel ? 'run' : 'segment'})`,
      );
      return;
    }
    const pct = num(v, 'pct_start') ?? 0.3;
    if (cycle === undefined) return;
    // torch's phase ends: pct·T − 1, (three_phase: 2·pct·T − 2), T − 1; a phase of zero length divides by zero.
    const ends = v.three_phase === true ? [pct * cycle - 1, 2 * pct * cycle - 2, cycle - 1] : [pct * cycle - 1, cycle - 1];
    let start = 0;
    for (let i = 0; i < ends.length; i++) {
      if (ends[i] - start === 0) {
        blame(
          report,
          obj,
          ['pct_start'],
          `with pct_start ${pct} and a cycle of ${cycle} ${unit}, phase ${i + 1} of one_cycle has zero length (torch divides by zero there); change pct_start` +
            (explicit ? ' or the cycle length' : ''),
        );
        return;
      }
      start = ends[i];
    }
    return;
  }
  if (length === undefined || !topLevel) return;
  if (kind === 'multi_step' && Array.isArray(v.milestones)) {
    const node = get(obj, 'milestones');
    (v.milestones as number[]).forEach((m, i) => {
      if (m >= length && node?.kind === 'array') {
        report.value(node.items[i], `milestone ${m} is not before the run's end (${length} ${unit}), so it never applies`, 'warning');
      }
    });
  }
  if ((kind === 'linear' || kind === 'constant' || kind === 'polynomial') && typeof v.total_iters === 'number' && v.total_iters > length) {
    blame(
      report,
      obj,
      ['total_iters', 'type'],
      `total_iters ${v.total_iters} is longer than the run (${length} ${unit}): the schedule never reaches its end${get(obj, 'total_iters') ? '' : ' (5 is the default)'}`,
      'warning',
    );
  }
  if (kind === 'step' && typeof v.step_size === 'number' && v.step_size >= length) {
    blame(report, obj, ['step_size'], `step_size ${v.step_size} is not shorter than the run (${length} ${unit}), so the learning rate never changes`, 'warning');
  }
}
