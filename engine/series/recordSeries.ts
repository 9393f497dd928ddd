/**
 * Which series a run's records feed: one function that the worker (live), the run reader (a run
 * reopened from disk, either format) and the detail reader (a zoomed-in range) all use, so a series
 * means the same everywhere. x is always the global step.
 *
 *   step records    loss, lr, momentum, grad_norm, penalty
 *   epoch records   train_loss, val_loss, train_accuracy, val_accuracy, and test_loss,
 *                   test_accuracy when the data's test split is evaluated every epoch (at the
 *                   epoch's last step)
 *   probe records   total_grad_norm; per layer dead/<i>, saturation/<i>, grad_rms/<i>;
 *                   per weight matrix update_ratio/<name>, param_grad_norm/<name>;
 *                   distributions (one series per level k of DISTRIBUTION_PERCENTILES):
 *                   act_dist/<i>/<k>, grad_dist/<i>/<k> per layer, weight_dist/<name>/<k>
 *   findings        a nan-loss finding puts its non-finite loss into `loss` at its step (the step
 *                   itself has no record: its update was not applied)
 */
import type { MetricRecord } from '../train/events';

/** The series a key belongs to decides its summary's size: steps are dense, the rest sparser. */
export type SeriesGroup = 'step' | 'epoch' | 'probe' | 'distribution';

export const STEP_SERIES = ['loss', 'lr', 'momentum', 'grad_norm', 'penalty'] as const;
export const EPOCH_SERIES = ['train_loss', 'val_loss', 'train_accuracy', 'val_accuracy', 'test_loss', 'test_accuracy'] as const;
/** Probe series whose key is a prefix + '/' + a layer index or parameter name. */
export const PROBE_SERIES_PREFIXES = ['dead', 'saturation', 'grad_rms', 'update_ratio', 'param_grad_norm'] as const;
export const TOTAL_GRAD_NORM = 'total_grad_norm';
/**
 * Distribution series: prefix + '/' + a layer index or parameter name + '/' + the level's index in
 * DISTRIBUTION_PERCENTILES (a band chart reads nine series).
 */
export const DISTRIBUTION_PREFIXES = ['act_dist', 'grad_dist', 'weight_dist'] as const;
export type DistributionPrefix = (typeof DISTRIBUTION_PREFIXES)[number];

/** The key of level `level` of a distribution series. */
export function distributionKey(prefix: DistributionPrefix, of: string | number, level: number): string {
  return `${prefix}/${of}/${level}`;
}

export type ProbeSeriesPrefix = (typeof PROBE_SERIES_PREFIXES)[number];

const STEP_KEYS: ReadonlySet<string> = new Set(STEP_SERIES);
const EPOCH_KEYS: ReadonlySet<string> = new Set(EPOCH_SERIES);

export function seriesGroup(key: string): SeriesGroup {
  if (STEP_KEYS.has(key)) return 'step';
  if (EPOCH_KEYS.has(key)) return 'epoch';
  return isDistributionKey(key) ? 'distribution' : 'probe';
}

/** The training curves (step and epoch series), as against what the probes see inside the network. */
export function isCurve(key: string): boolean {
  return STEP_KEYS.has(key) || EPOCH_KEYS.has(key);
}

function isDistributionKey(key: string): boolean {
  const slash = key.indexOf('/');
  return slash > 0 && (DISTRIBUTION_PREFIXES as readonly string[]).includes(key.slice(0, slash));
}

/** Whether `key` names a series this module can produce (messages from a webview are checked with it). */
export function isSeriesKey(key: unknown): key is string {
  if (typeof key !== 'string' || key.length > 200) return false;
  if (STEP_KEYS.has(key) || EPOCH_KEYS.has(key) || key === TOTAL_GRAD_NORM) return true;
  const slash = key.indexOf('/');
  if (slash <= 0 || key.length <= slash + 1) return false;
  const prefix = key.slice(0, slash);
  if ((PROBE_SERIES_PREFIXES as readonly string[]).includes(prefix)) return true;
  // A distribution names what it is of and a level: "act_dist/1/4".
  return (DISTRIBUTION_PREFIXES as readonly string[]).includes(prefix) && /^[^/]+\/\d$/.test(key.slice(slash + 1));
}

/** Receives the points of a record: series key, x (step), y; and a label for series that need one. */
export interface PointSink {
  point(key: string, x: number, y: number): void;
  label?(key: string, label: string): void;
}

/** "[2] ReLU": the index tells apart layers with the same description. */
export function layerLabel(layer: { index: number; name: string }): string {
  return `[${layer.index}] ${layer.name}`;
}

/** "[0] Linear(2 → 64) weight" for the torch key "0.weight" (the key as it is when no layer matches). */
export function paramLabel(param: { name: string }, layers: readonly { index: number; name: string }[]): string {
  const dot = param.name.lastIndexOf('.');
  const index = Number(param.name.slice(0, dot));
  const layer = dot > 0 && Number.isInteger(index) ? layers.find((l) => l.index === index) : undefined;
  return layer ? `${layerLabel(layer)} ${param.name.slice(dot + 1)}` : param.name;
}

/** The value a nan-loss finding's message names ("The loss became Infinity at step 12. ..."). */
function nonFiniteLossOf(message: string): number {
  const m = /became (-?Infinity|NaN)/.exec(message);
  return m?.[1] === 'Infinity' ? Infinity : m?.[1] === '-Infinity' ? -Infinity : NaN;
}

/** Feeds one record's points to `sink`. Kinds this module does not know feed nothing. */
export function recordPoints(r: MetricRecord, sink: PointSink): void {
  switch (r.kind) {
    case 'step':
      sink.point('loss', r.step, r.loss);
      sink.point('lr', r.step, r.lr);
      if (r.momentum !== undefined) sink.point('momentum', r.step, r.momentum);
      if (r.grad_norm !== undefined) sink.point('grad_norm', r.step, r.grad_norm);
      if (r.penalty !== undefined) sink.point('penalty', r.step, r.penalty);
      return;
    case 'epoch':
      sink.point('train_loss', r.step, r.train_loss);
      if (r.val_loss !== undefined) sink.point('val_loss', r.step, r.val_loss);
      if (r.train_accuracy !== undefined) sink.point('train_accuracy', r.step, r.train_accuracy);
      if (r.val_accuracy !== undefined) sink.point('val_accuracy', r.step, r.val_accuracy);
      if (r.test_loss !== undefined) sink.point('test_loss', r.step, r.test_loss);
      if (r.test_accuracy !== undefined) sink.point('test_accuracy', r.step, r.test_accuracy);
      return;
    case 'probe': {
      sink.point(TOTAL_GRAD_NORM, r.step, r.total_grad_norm);
      for (const layer of r.layers) {
        const label = layerLabel(layer);
        if (layer.dead !== undefined) probePoint(sink, `dead/${layer.index}`, label, r.step, layer.dead);
        if (layer.saturated_fraction !== undefined) probePoint(sink, `saturation/${layer.index}`, label, r.step, layer.saturated_fraction);
        if (layer.grad_rms !== undefined) probePoint(sink, `grad_rms/${layer.index}`, label, r.step, layer.grad_rms);
        if (layer.distribution) distributionPoints(sink, 'act_dist', layer.index, label, r.step, layer.distribution);
        if (layer.grad_distribution) distributionPoints(sink, 'grad_dist', layer.index, label, r.step, layer.grad_distribution);
      }
      for (const param of r.params) {
        // Weight matrices only: the ratios of bias and normalization vectors say little.
        if (param.shape.length < 2) continue;
        const label = paramLabel(param, r.layers);
        if (param.update_ratio !== undefined) probePoint(sink, `update_ratio/${param.name}`, label, r.step, param.update_ratio);
        probePoint(sink, `param_grad_norm/${param.name}`, label, r.step, param.grad_norm);
        if (param.distribution) distributionPoints(sink, 'weight_dist', param.name, label, r.step, param.distribution);
      }
      return;
    }
    case 'finding':
      // At a step: the mini-batch loss; after an epoch: its evaluation.
      if (r.rule === 'nan-loss' && r.step > 0) sink.point(/in the evaluation/.test(r.message) ? 'train_loss' : 'loss', r.step, nonFiniteLossOf(r.message));
      return;
  }
}

function probePoint(sink: PointSink, key: string, label: string, x: number, y: number): void {
  sink.label?.(key, label);
  sink.point(key, x, y);
}

function distributionPoints(sink: PointSink, prefix: DistributionPrefix, of: string | number, label: string, x: number, levels: readonly number[]): void {
  for (let k = 0; k < levels.length; k++) probePoint(sink, distributionKey(prefix, of, k), label, x, levels[k]);
}
