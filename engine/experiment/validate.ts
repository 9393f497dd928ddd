/**
 * Validates one experiment (the base, or the base merged with a variant) and resolves it into an
 * `ExperimentSpec`: shorthands already expanded (shorthand.ts), defaults from defaults.ts filled in.
 * Reports every problem it finds, each at the value to blame; returns the spec only when there
 * was no error.
 */
import {
  DATA_FIELDS,
  DATA_KINDS,
  DEFAULT_INITIALIZER,
  DEFAULT_LOSS,
  FAN_BASED_INITIALIZERS,
  INITIALIZER_FIELDS,
  INITIALIZER_KINDS,
  LAYER_KINDS,
  LIMITS,
  LINEAR_FIELDS,
  LOSS_FIELDS,
  LOSS_KINDS,
  OPTIMIZER_FIELDS,
  OPTIMIZER_KINDS,
  REQUIRED_TOP_LEVEL_KEYS,
  TOP_LEVEL_KEYS,
  TRAINING_FIELDS,
  type FieldTable,
} from './defaults';
import { checkChoice, describe, readFields, type FieldValue } from './fields';
import type { Reporter } from './problems';
import { get, type SrcObject, type SrcValue } from './source';
import type {
  DataSpec,
  ExperimentSpec,
  InitializerSpec,
  InitSpec,
  LayerSpec,
  LinearLayerSpec,
  LossSpec,
  OptimizerSpec,
  SyntheticKind,
  Task,
  TrainingSpec,
} from './spec';
import { didYouMean } from './suggest';

export interface ValidationContext {
  /** The experiment's display name (already chosen: the file's `name` or its file name). */
  name: string;
  variant?: string;
}

/** What the rest of the checks need to know about the data before it is loaded. */
interface DataInfo {
  task: Task;
  /** Known for synthetic data: 2 features, `classes` outputs, the split sizes. */
  features?: number;
  outputs?: number;
  train?: number;
  validation?: number;
}

const TOP_LEVEL_HINTS: Record<string, string> = {
  data: ' (e.g. "data": { "type": "spiral" })',
  model: ' (a list of layers, e.g. "model": [{ "type": "linear", "out_features": 32 }, "relu", { "type": "linear" }])',
  optimizer: ' (e.g. "optimizer": { "type": "sgd", "lr": 0.1 })',
};

export function validateExperiment(root: SrcObject, context: ValidationContext, report: Reporter): ExperimentSpec | undefined {
  const errorsBefore = report.errors;
  for (const p of root.props) {
    if (!(TOP_LEVEL_KEYS as readonly string[]).includes(p.key)) {
      const choices = TOP_LEVEL_KEYS.filter(k => k !== '$schema');
      report.key(p, root, `unknown key '${p.key}'; expected one of: ${choices.join(', ')}${didYouMean(p.key, choices, true)}`);
    }
  }
  for (const key of REQUIRED_TOP_LEVEL_KEYS) {
    if (!get(root, key)) report.missing(root, `the experiment needs '${key}'${TOP_LEVEL_HINTS[key] ?? ''}`);
  }
  for (const key of ['name', 'description']) {
    const node = get(root, key);
    if (node && node.kind !== 'string') report.value(node, `'${key}' must be a string, not ${describe(node)}`);
  }

  const dataNode = get(root, 'data');
  const data = dataNode ? validateData(dataNode, report) : undefined;
  const info: DataInfo = data?.info ?? { task: 'classification' };

  const initNode = get(root, 'init');
  const init = resolveInit(initNode ? validateInit(initNode, report) : {}, undefined);

  const lossNode = get(root, 'loss');
  const loss: LossSpec | undefined = lossNode ? validateLoss(lossNode, info, report) : { type: DEFAULT_LOSS[info.task] };

  const modelNode = get(root, 'model');
  const model = modelNode ? validateModel(modelNode, info, loss, init, report) : undefined;

  const optimizerNode = get(root, 'optimizer');
  const optimizer = optimizerNode ? validateOptimizer(optimizerNode, report) : undefined;

  const trainingNode = get(root, 'training');
  const training = validateTraining(trainingNode, report);

  if (model && training) {
    checkRunSize(model.parameters, info, training, trainingNode?.kind === 'object' ? trainingNode : root, report);
  }

  if (report.errors > errorsBefore || !data?.spec || !model || !init || !loss || !optimizer || !training) {
    return undefined;
  }
  const spec: ExperimentSpec = {
    name: context.name,
    data: data.spec,
    model: model.layers,
    init,
    loss,
    optimizer,
    training,
  };
  if (context.variant !== undefined) spec.variant = context.variant;
  const description = get(root, 'description');
  if (description?.kind === 'string') spec.description = description.value as string;
  return spec;
}

// ---- helpers ------------------------------------------------------------------------------------

/** An object with a `type` from a closed set (shorthand strings are already expanded). */
function readTyped<K extends string>(
  node: SrcValue,
  kinds: readonly K[],
  label: string,
  slot: string,
  report: Reporter,
): { obj: SrcObject; kind: K } | undefined {
  if (node.kind !== 'object') {
    report.value(node, `'${slot}' must be an object with a "type" (or just the type, e.g. "${kinds[0]}"), not ${describe(node)}`);
    return undefined;
  }
  const typeNode = get(node, 'type');
  if (!typeNode) {
    report.missing(node, `'${slot}' needs a "type": one of ${kinds.join(', ')}`);
    return undefined;
  }
  const kind = checkChoice(label, kinds, typeNode, report);
  return kind === undefined ? undefined : { obj: node, kind: kind as K };
}

/** The first of `keys` written in `obj` (to blame a rule on), else the object itself. */
function blame(report: Reporter, obj: SrcObject, keys: string[], message: string, severity: 'error' | 'warning' = 'error'): void {
  for (const key of keys) {
    const node = get(obj, key);
    if (node) {
      report.value(node, message, severity);
      return;
    }
  }
  report.missing(obj, message, severity);
}

function others<T>(table: Readonly<Record<string, T>>, except: string): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [k, v] of Object.entries(table)) if (k !== except) out[k] = v;
  return out;
}

function allDefined(values: Record<string, FieldValue>, optional: readonly string[] = []): boolean {
  return Object.entries(values).every(([k, v]) => v !== undefined || optional.includes(k));
}

const EMPTY: SrcObject = { kind: 'object', props: [], offset: 0, length: 0, path: [] };

// ---- data ---------------------------------------------------------------------------------------

function validateData(node: SrcValue, report: Reporter): { spec?: DataSpec; info: DataInfo } | undefined {
  const typed = readTyped(node, DATA_KINDS, 'data type', 'data', report);
  if (!typed) return undefined;
  const { obj, kind } = typed;
  const v = readFields(obj, DATA_FIELDS[kind], report, {
    handled: ['type'],
    what: `data '${kind}'`,
    siblings: others(DATA_FIELDS, kind),
  });

  if (kind === 'csv') {
    const task = (v.task as Task | undefined) ?? 'classification';
    const pathNode = get(obj, 'path');
    if (typeof v.path === 'string' && pathNode && isAbsolutePath(v.path)) {
      report.value(pathNode, `'path' must be relative to this experiment file's folder, not absolute ('${v.path}')`);
      return { info: { task } };
    }
    if (!allDefined(v)) return { info: { task } };
    return {
      spec: {
        type: 'csv',
        path: v.path as string,
        target: v.target as string,
        task,
        standardize: v.standardize as boolean,
        validation_split: v.validation_split as number,
        seed: v.seed as number,
      },
      info: { task },
    };
  }

  const info: DataInfo = { task: 'classification', features: 2 };
  if (typeof v.classes === 'number') info.outputs = v.classes;
  if (typeof v.samples === 'number' && typeof v.classes === 'number' && v.samples < v.classes) {
    blame(report, obj, ['samples', 'classes'], `'samples' (${v.samples}) must be at least 'classes' (${v.classes}): every class needs a point`);
    return { info };
  }
  if (typeof v.samples === 'number' && typeof v.validation_split === 'number') {
    const validation = Math.round(v.validation_split * v.samples);
    if (v.samples - validation < 1) {
      blame(report, obj, ['validation_split', 'samples'], `validation_split ${v.validation_split} of ${v.samples} samples leaves no training examples`);
      return { info };
    }
    info.train = v.samples - validation;
    info.validation = validation;
  }
  if (!allDefined(v)) return { info };
  return {
    spec: {
      type: kind as SyntheticKind,
      samples: v.samples as number,
      classes: v.classes as number,
      noise: v.noise as number,
      seed: v.seed as number,
      validation_split: v.validation_split as number,
    },
    info,
  };
}

export function isAbsolutePath(p: string): boolean {
  return /^([a-zA-Z]:)?[\\/]/.test(p) || p.startsWith('~') || /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(p);
}

// ---- initialization -----------------------------------------------------------------------------

function validateInit(node: SrcValue, report: Reporter): Partial<InitSpec> | undefined {
  if (node.kind !== 'object') {
    report.value(node, `'init' must be an initializer name (e.g. "xavier_uniform") or an object with "weight" and/or "bias", not ${describe(node)}`);
    return undefined;
  }
  const out: Partial<InitSpec> = {};
  let ok = true;
  for (const p of node.props) {
    if (p.key !== 'weight' && p.key !== 'bias') {
      report.key(p, node, `unknown key '${p.key}' in init; expected one of: weight, bias${didYouMean(p.key, ['weight', 'bias'], true)}`);
      ok = false;
      continue;
    }
    const initializer = validateInitializer(p.value, p.key, report);
    if (initializer) out[p.key] = initializer;
    else ok = false;
  }
  return ok ? out : undefined;
}

function validateInitializer(node: SrcValue, role: 'weight' | 'bias', report: Reporter): InitializerSpec | undefined {
  const typed = readTyped(node, INITIALIZER_KINDS, 'initializer', role, report);
  if (!typed) return undefined;
  const { obj, kind } = typed;
  const v = readFields(obj, INITIALIZER_FIELDS[kind], report, {
    handled: ['type'],
    what: `initializer '${kind}'`,
    siblings: others(INITIALIZER_FIELDS, kind),
  });
  let ok = allDefined(v);
  if (role === 'bias' && FAN_BASED_INITIALIZERS.includes(kind)) {
    report.value(
      get(obj, 'type') ?? obj,
      `'${kind}' cannot initialize a bias: it needs the fan-in and fan-out of a 2-D weight ` +
        `(torch raises "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions"); ` +
        `use zeros, constant, normal, uniform or default`,
    );
    ok = false;
  }
  if (kind === 'uniform' && typeof v.a === 'number' && typeof v.b === 'number' && v.a > v.b) {
    blame(report, obj, ['b', 'a'], `uniform needs a ≤ b, but a = ${v.a} and b = ${v.b}`);
    ok = false;
  }
  if (
    (kind === 'kaiming_uniform' || kind === 'kaiming_normal') &&
    typeof v.a === 'number' &&
    v.a !== 0 &&
    v.nonlinearity !== 'leaky_relu'
  ) {
    blame(report, obj, ['a'], `'a' (the negative slope) is only used with nonlinearity 'leaky_relu'; here it has no effect`, 'warning');
  }
  if (!ok) return undefined;
  return { type: kind, ...v } as InitializerSpec;
}

/** Fills what a (layer's or the experiment's) init leaves out from `inherited`, else the default. */
function resolveInit(partial: Partial<InitSpec> | undefined, inherited: InitSpec | undefined): InitSpec | undefined {
  if (!partial) return undefined;
  const fallback: InitializerSpec = { type: DEFAULT_INITIALIZER as 'default' };
  return {
    weight: partial.weight ?? inherited?.weight ?? fallback,
    bias: partial.bias ?? inherited?.bias ?? fallback,
  };
}

// ---- model --------------------------------------------------------------------------------------

function validateModel(
  node: SrcValue,
  info: DataInfo,
  loss: LossSpec | undefined,
  init: InitSpec | undefined,
  report: Reporter,
): { layers: LayerSpec[]; parameters: number } | undefined {
  if (node.kind !== 'array') {
    report.value(node, `'model' must be a list of layers, e.g. [{ "type": "linear", "out_features": 32 }, "relu", { "type": "linear" }]; not ${describe(node)}`);
    return undefined;
  }
  if (node.items.length === 0) {
    report.value(node, `the model has no layers; add at least { "type": "linear" }`);
    return undefined;
  }
  const layers: (LayerSpec | undefined)[] = [];
  const sources: SrcObject[] = [];
  let ok = true;
  node.items.forEach((item, i) => {
    const typed = readTyped(item, LAYER_KINDS, 'layer type', `model[${i}]`, report);
    if (!typed) {
      ok = false;
      layers.push(undefined);
      sources.push(EMPTY);
      return;
    }
    const { obj, kind } = typed;
    sources.push(obj);
    if (kind !== 'linear') {
      readFields(obj, {}, report, { handled: ['type'], what: `a '${kind}' layer`, siblings: { linear: LINEAR_FIELDS } });
      layers.push({ type: kind });
      return;
    }
    const v = readFields(obj, LINEAR_FIELDS, report, { handled: ['type', 'init'], what: 'a linear layer' });
    const layerInitNode = get(obj, 'init');
    let layerInit: InitSpec | undefined;
    if (layerInitNode) {
      const partial = validateInit(layerInitNode, report);
      if (partial) layerInit = resolveInit(partial, init);
      else ok = false;
    }
    if (v.bias === undefined || (get(obj, 'out_features') && v.out_features === undefined)) {
      ok = false;
      layers.push(undefined);
      return;
    }
    const layer: LinearLayerSpec = { type: 'linear', bias: v.bias as boolean };
    if (v.out_features !== undefined) layer.out_features = v.out_features as number;
    if (layerInit) layer.init = layerInit;
    layers.push(layer);
  });

  const linearIndices = node.items.map((_, i) => i).filter(i => layers[i]?.type === 'linear' || isLinearSource(sources[i]));
  if (linearIndices.length === 0 && ok) {
    report.value(node, `the model has no linear layer, so it has nothing to learn; add { "type": "linear" }`);
    return undefined;
  }
  const last = linearIndices[linearIndices.length - 1];
  for (const i of linearIndices) {
    const layer = layers[i];
    if (i !== last && layer?.type === 'linear' && layer.out_features === undefined) {
      report.missing(
        sources[i],
        `this linear layer needs 'out_features' (only the last linear layer may omit it: it outputs one value per class or target)`,
      );
      ok = false;
    }
  }
  const lastLayer = layers[last];
  if (lastLayer?.type === 'linear' && lastLayer.out_features !== undefined && info.outputs !== undefined) {
    if (lastLayer.out_features !== info.outputs) {
      report.value(
        get(sources[last], 'out_features')!,
        `the last linear layer must output ${info.outputs} values (one per class), not ${lastLayer.out_features}; or leave out 'out_features'`,
      );
      ok = false;
    }
  }
  if (loss?.type === 'cross_entropy') {
    for (let i = last + 1; i < layers.length; i++) {
      const layer = layers[i];
      if (layer && layer.type !== 'linear') {
        report.value(
          sources[i].shorthand ? sources[i] : (get(sources[i], 'type') ?? sources[i]),
          `cross_entropy expects raw scores (logits) from the last linear layer; a '${layer.type}' after it ` +
            (layer.type === 'relu' ? 'zeroes every negative score' : 'squashes the scores into (-1, 1)') +
            ' and slows or stops learning',
          'warning',
        );
      }
    }
  }

  // Parameter count, as far as the widths are known before the data is loaded.
  let parameters = 0;
  let width = info.features;
  for (const layer of layers) {
    if (layer?.type !== 'linear') continue;
    const out = layer.out_features ?? info.outputs;
    if (width !== undefined && out !== undefined) parameters += width * out + (layer.bias ? out : 0);
    width = out;
  }
  if (parameters > LIMITS.parameters) {
    report.value(
      node,
      `the model has ${parameters.toLocaleString('en-US')} parameters, above the limit of ${LIMITS.parameters.toLocaleString('en-US')}: ` +
        `this engine trains small networks on the CPU; make the layers narrower`,
    );
    ok = false;
  }
  if (!ok || layers.some(l => l === undefined)) return undefined;
  return { layers: layers as LayerSpec[], parameters };
}

function isLinearSource(obj: SrcObject): boolean {
  const t = get(obj, 'type');
  return t?.kind === 'string' && t.value === 'linear';
}

// ---- loss, optimizer, training ------------------------------------------------------------------

function validateLoss(node: SrcValue, info: DataInfo, report: Reporter): LossSpec | undefined {
  const typed = readTyped(node, LOSS_KINDS, 'loss', 'loss', report);
  if (!typed) return undefined;
  readFields(typed.obj, LOSS_FIELDS[typed.kind], report, { handled: ['type'], what: `loss '${typed.kind}'` });
  if (typed.kind === 'cross_entropy' && info.task === 'regression') {
    report.value(
      get(typed.obj, 'type') ?? typed.obj,
      `cross_entropy needs a classification task, but the data's task is 'regression'; use "mse"`,
    );
    return undefined;
  }
  return { type: typed.kind };
}

function validateOptimizer(node: SrcValue, report: Reporter): OptimizerSpec | undefined {
  const typed = readTyped(node, OPTIMIZER_KINDS, 'optimizer', 'optimizer', report);
  if (!typed) return undefined;
  const { obj, kind } = typed;
  const v = readFields(obj, OPTIMIZER_FIELDS[kind], report, {
    handled: ['type'],
    what: `optimizer '${kind}'`,
    siblings: others(OPTIMIZER_FIELDS as Record<string, FieldTable>, kind),
  });
  let ok = allDefined(v);
  if (kind === 'sgd') {
    if (v.nesterov === true && typeof v.momentum === 'number' && typeof v.dampening === 'number') {
      if (v.momentum <= 0 || v.dampening !== 0) {
        const why = v.momentum <= 0 ? `momentum is ${v.momentum}` : `dampening is ${v.dampening}`;
        blame(report, obj, ['nesterov'], `nesterov requires momentum > 0 and dampening = 0 (torch.optim.SGD raises otherwise); ${why}`);
        ok = false;
      }
    }
    if (typeof v.momentum === 'number' && v.momentum >= 1) {
      blame(report, obj, ['momentum'], `momentum ${v.momentum} ≥ 1 lets the velocity grow without bound; typical values are 0.9 or 0.99`, 'warning');
    }
  }
  if (!ok) return undefined;
  return { type: kind, ...v } as OptimizerSpec;
}

function validateTraining(node: SrcValue | undefined, report: Reporter): TrainingSpec | undefined {
  if (node && node.kind !== 'object') {
    report.value(node, `'training' must be an object like { "epochs": 20, "batch_size": 32 }, not ${describe(node)}`);
    return undefined;
  }
  const v = readFields(node ?? EMPTY, TRAINING_FIELDS, report, { what: 'training' });
  if (!allDefined(v)) return undefined;
  return v as unknown as TrainingSpec;
}

/** Catches runs that would not finish in any reasonable time, before they start. */
function checkRunSize(parameters: number, info: DataInfo, training: TrainingSpec, trainingObj: SrcObject, report: Reporter): void {
  if (info.train === undefined) return;
  const stepsPerEpoch = Math.ceil(info.train / training.batch_size);
  const totalSteps = stepsPerEpoch * training.epochs;
  if (totalSteps > LIMITS.totalSteps) {
    blame(
      report,
      trainingObj,
      ['epochs', 'batch_size'],
      `${training.epochs} epochs × ${stepsPerEpoch} steps = ${totalSteps.toExponential(1)} optimizer steps, above the limit of ${LIMITS.totalSteps.toExponential(0)}`,
    );
    return;
  }
  // Forward + backward ≈ 3 forward passes per training example, plus one evaluation pass over
  // the training and validation sets at the end of each epoch.
  const work = parameters * (4 * info.train + (info.validation ?? 0)) * training.epochs;
  if (work > LIMITS.work) {
    blame(
      report,
      trainingObj,
      ['epochs'],
      `this run needs about ${work.toExponential(1)} multiply-adds (${parameters} parameters × ${info.train} examples × ${training.epochs} epochs × 4), ` +
        `hours of CPU time; reduce epochs, samples or the model's width`,
    );
  } else if (work > LIMITS.workWarning) {
    blame(report, trainingObj, ['epochs'], `a large run: about ${work.toExponential(1)} multiply-adds, likely several minutes`, 'warning');
  }
  const batchNode = get(trainingObj, 'batch_size');
  if (batchNode && training.batch_size > info.train) {
    report.value(
      batchNode,
      `batch_size ${training.batch_size} is larger than the ${info.train} training examples; every step uses the whole training set`,
      'warning',
    );
  }
}
