/**
 * Train/validation split and feature standardization. The split shuffles row order with the data
 * seed, so every variant of an experiment sees the same split; standardization learns its mean and
 * std from the training rows only (using validation statistics would leak it into training).
 */
import { Random } from '../core/random';
import type { Dataset } from './dataset';
import { targetWidth } from '../core/task';

export interface Split {
  train: Dataset;
  validation: Dataset;
}

/** Rows held out for validation: round(fraction · n). */
export function validationCount(n: number, fraction: number): number {
  return Math.round(fraction * n);
}

/** Shuffles rows with `new Random(seed).fork('split')`; the first round(fraction·n) become validation. */
export function splitDataset(data: Dataset, fraction: number, seed: number): Split {
  const rows = splitRows(data.size, fraction, seed);
  return { validation: takeRows(data, rows.validation), train: takeRows(data, rows.train) };
}

/** Which of `size` rows are held out for validation and which train, as splitDataset splits them. */
export function splitRows(size: number, fraction: number, seed: number): { train: Int32Array; validation: Int32Array } {
  const order = new Int32Array(size);
  for (let i = 0; i < size; i++) order[i] = i;
  new Random(seed).fork('split').shuffle(order);
  const held = validationCount(size, fraction);
  return { validation: order.subarray(0, held), train: order.subarray(held) };
}

/** A new data set of the given rows of `data`, in that order. */
export function takeRows(data: Dataset, rows: Int32Array): Dataset {
  const yWidth = targetWidth(data.task, data.outputs);
  const x = new Float32Array(rows.length * data.features);
  const y = new Float32Array(rows.length * yWidth);
  rows.forEach((row, i) => {
    x.set(data.x.subarray(row * data.features, (row + 1) * data.features), i * data.features);
    y.set(data.y.subarray(row * yWidth, (row + 1) * yWidth), i * yWidth);
  });
  return { ...data, size: rows.length, x, y };
}

export interface FeatureStats {
  mean: Float64Array;
  /** Population std (ddof 0, like sklearn's StandardScaler); 1 where a column is constant. */
  std: Float64Array;
}

/** Per-feature mean and std of a data set (accumulated in float64). */
export function featureStats(data: Dataset): FeatureStats {
  const f = data.features;
  const mean = new Float64Array(f);
  const std = new Float64Array(f);
  for (let r = 0; r < data.size; r++) for (let j = 0; j < f; j++) mean[j] += data.x[r * f + j];
  for (let j = 0; j < f; j++) mean[j] /= Math.max(data.size, 1);
  for (let r = 0; r < data.size; r++) {
    for (let j = 0; j < f; j++) {
      const d = data.x[r * f + j] - mean[j];
      std[j] += d * d;
    }
  }
  for (let j = 0; j < f; j++) {
    const s = Math.sqrt(std[j] / Math.max(data.size, 1));
    // A constant column is only centred: dividing by 0 would turn it into NaN.
    std[j] = s > 1e-12 * Math.max(1, Math.abs(mean[j])) ? s : 1;
  }
  return { mean, std };
}

/** (x − mean) / std with the training set's statistics, applied to both sets. */
export function standardize(split: Split): Split & { stats: FeatureStats } {
  const stats = featureStats(split.train);
  return { train: applyStats(split.train, stats), validation: applyStats(split.validation, stats), stats };
}

function applyStats(data: Dataset, { mean, std }: FeatureStats): Dataset {
  const f = data.features;
  const x = new Float32Array(data.x.length);
  for (let r = 0; r < data.size; r++) {
    for (let j = 0; j < f; j++) x[r * f + j] = (data.x[r * f + j] - mean[j]) / std[j];
  }
  return { ...data, x };
}
