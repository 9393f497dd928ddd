/**
 * Pure transforms from a run's metric records to the series the dashboards draw. Shared by the
 * webview (which draws them) and the tests (which check them on fixtures) — no DOM, no chart.js.
 */
import type { EpochRecord, MetricRecord, StepRecord } from '../engine/train/events';

export interface Point {
  x: number;
  y: number;
}

export interface RunSeries {
  /** Mini-batch loss per step: noisy, drawn faint. */
  stepLoss: Point[];
  /** Full-pass loss at each epoch's end, x = global step. */
  trainLoss: Point[];
  valLoss: Point[];
  trainAccuracy: Point[];
  valAccuracy: Point[];
  learningRate: Point[];
  /** The optimizer's momentum (or Adam's β₁) per step, when it has one. */
  momentum: Point[];
}

export function emptySeries(): RunSeries {
  return { stepLoss: [], trainLoss: [], valLoss: [], trainAccuracy: [], valAccuracy: [], learningRate: [], momentum: [] };
}

/** Appends records to `series` in place (the webview keeps one series object per run). */
export function appendRecords(series: RunSeries, records: readonly MetricRecord[]): void {
  for (const r of records) {
    if (r.kind === 'step') {
      appendStep(series, r);
    } else if (r.kind === 'epoch') {
      appendEpoch(series, r);
    }
    // Other kinds (probes, findings) feed their own views.
  }
}

function appendStep(series: RunSeries, r: StepRecord): void {
  series.stepLoss.push({ x: r.step, y: r.loss });
  appendPiecewise(series.learningRate, r.step, r.lr);
  if (r.momentum !== undefined) {
    appendPiecewise(series.momentum, r.step, r.momentum);
  }
}

/**
 * A value that stays constant over long stretches (a learning rate, a momentum): keep only the
 * points where it changes, plus the latest, so a constant lr over 100k steps costs two points.
 */
function appendPiecewise(points: Point[], x: number, y: number): void {
  if (points.length >= 2 && points[points.length - 1].y === y && points[points.length - 2].y === y) {
    points[points.length - 1] = { x, y };
  } else {
    points.push({ x, y });
  }
}

function appendEpoch(series: RunSeries, r: EpochRecord): void {
  series.trainLoss.push({ x: r.step, y: r.train_loss });
  if (r.val_loss !== undefined) {
    series.valLoss.push({ x: r.step, y: r.val_loss });
  }
  if (r.train_accuracy !== undefined) {
    series.trainAccuracy.push({ x: r.step, y: r.train_accuracy });
  }
  if (r.val_accuracy !== undefined) {
    series.valAccuracy.push({ x: r.step, y: r.val_accuracy });
  }
}

/** The latest epoch record, for the headline numbers. */
export function lastEpoch(records: readonly MetricRecord[]): EpochRecord | undefined {
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i];
    if (r.kind === 'epoch') {
      return r;
    }
  }
  return undefined;
}

/** The latest step record, for progress. */
export function lastStep(records: readonly MetricRecord[]): StepRecord | undefined {
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i];
    if (r.kind === 'step') {
      return r;
    }
  }
  return undefined;
}

/**
 * Thins a long noisy series for drawing: keeps at most `maxPoints`, each bucket represented by its
 * mean (a moving average is what a person reads from a noisy loss anyway). The first and last points
 * are kept as they are.
 */
export function downsample(points: readonly Point[], maxPoints: number): Point[] {
  if (points.length <= maxPoints || maxPoints < 3) {
    return points.slice();
  }
  const out: Point[] = [points[0]];
  const inner = points.length - 2;
  const buckets = maxPoints - 2;
  for (let b = 0; b < buckets; b++) {
    const start = 1 + Math.floor((b * inner) / buckets);
    const end = 1 + Math.floor(((b + 1) * inner) / buckets);
    let sx = 0;
    let sy = 0;
    for (let i = start; i < end; i++) {
      sx += points[i].x;
      sy += points[i].y;
    }
    const n = end - start;
    if (n > 0) {
      out.push({ x: sx / n, y: sy / n });
    }
  }
  out.push(points[points.length - 1]);
  return out;
}

/** Short number formatting for headline values (losses, accuracies, learning rates). */
export function formatMetric(v: number | undefined, kind: 'loss' | 'accuracy' | 'lr' = 'loss'): string {
  if (v === undefined) {
    return '–';
  }
  if (!Number.isFinite(v)) {
    return String(v);
  }
  if (kind === 'accuracy') {
    return `${(v * 100).toFixed(1)}%`;
  }
  if (kind === 'lr') {
    return v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e4) ? v.toExponential(1) : String(+v.toPrecision(3));
  }
  return Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : v.toFixed(4);
}
