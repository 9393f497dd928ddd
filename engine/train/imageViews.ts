/**
 * What a run on images shows besides its curves (the course draws each): a fixed handful of held-out
 * examples with their true and predicted classes, the confusion matrix of the held-out set, and
 * the first layer's weights drawn as images — each unit's template, which shows what it learned.
 *
 * Made at the end of an epoch, at most every so often (the record holds a few tens of thousands of
 * small integers, and a view needs only the latest), and always at the last epoch.
 */
import type { Dataset, DataSplit } from '../data/dataset';
import type { Loss } from '../losses/loss';
import { Linear } from '../nn/linear';
import type { Sequential } from '../nn/sequential';
import { ConfusionMatrix, predictedClass } from './confusion';
import type { ImagesRecord } from './events';

/** Examples shown, always the same ones (the first rows of the held-out set). */
export const SAMPLE_COUNT = 24;
/** First-layer units drawn. */
export const UNIT_COUNT = 32;
/** Largest class count a confusion matrix is drawn for. */
const MAX_CLASSES = 30;
/** At least this long between two records, and at least this fraction of the run so far. */
const MIN_INTERVAL_MS = 2000;
const INTERVAL_FRACTION = 0.1;

/** Whether a data set's examples are images a view can draw: 2-D, classified. */
export function drawsImages(data: DataSplit): boolean {
  const { shape, task, outputs } = data.train;
  return task === 'classification' && shape?.length === 2 && outputs <= MAX_CLASSES;
}

export class ImageViews {
  private lastAt = -Infinity;

  constructor(
    private readonly model: Sequential,
    private readonly loss: Loss,
    private readonly data: DataSplit,
    private readonly chunkRows: number,
  ) {}


  /**
   * A confusion matrix to fill during this epoch's evaluation when a record is due (at most every
   * so often, and always at the last epoch); undefined when the last record is recent enough.
   */
  due(elapsedMs: number, last: boolean): ConfusionMatrix | undefined {
    if (!last && elapsedMs - this.lastAt < Math.max(MIN_INTERVAL_MS, INTERVAL_FRACTION * elapsedMs)) return undefined;
    this.lastAt = elapsedMs;
    return new ConfusionMatrix(Math.max(this.data.train.outputs, 2));
  }

  /** The record, with the confusion matrix `due` gave, filled by the evaluation of the held-out set. */
  record(step: number, epoch: number, confusion: ConfusionMatrix): ImagesRecord {
    const { train, validation } = this.data;
    const heldOut = validation.size > 0;
    const set = heldOut ? validation : train;
    const [height, width] = train.shape!;
    const record: ImagesRecord = {
      kind: 'images',
      step,
      epoch,
      split: heldOut ? 'validation' : 'train',
      height,
      width,
      classes: train.classNames ? [...train.classNames] : Array.from({ length: confusion.classes }, (_, i) => String(i)),
      samples: this.samples(set),
      confusion: confusion.rows(),
    };
    const weights = this.firstLayerWeights(height * width);
    if (weights) record.weights = weights;
    return record;
  }

  /** The first examples with their labels and the model's predictions; pixels scaled to 0–255 per image. */
  private samples(set: Dataset): ImagesRecord['samples'] {
    const rows = Math.min(SAMPLE_COUNT, set.size, this.chunkRows);
    if (rows === 0) return [];
    const x = set.x.subarray(0, rows * set.features);
    const scores = this.model.forward(x, rows, false);
    const width = this.loss.modelOutputs;
    return Array.from({ length: rows }, (_, r) => ({
      pixels: toBytes(x.subarray(r * set.features, (r + 1) * set.features)),
      label: set.y[r],
      predicted: predictedClass(scores, r, width),
    }));
  }

  /**
   * The first linear layer reading the pixels: each unit's weights as an image, 128 at zero and
   * 0 / 255 at ± the layer's largest magnitude (one scale for all, so units compare).
   */
  private firstLayerWeights(pixels: number): ImagesRecord['weights'] {
    const index = this.model.layers.findIndex(l => l instanceof Linear);
    const layer = this.model.layers[index];
    if (!(layer instanceof Linear) || layer.inFeatures !== pixels) return undefined;
    const w = layer.weight.data;
    const units = Math.min(UNIT_COUNT, layer.outFeatures);
    let max = 0;
    for (let i = 0; i < units * pixels; i++) max = Math.max(max, Math.abs(w[i]));
    const scale = max > 0 ? 127 / max : 0;
    const out: number[][] = [];
    for (let u = 0; u < units; u++) {
      const unit = new Array<number>(pixels);
      for (let j = 0; j < pixels; j++) unit[j] = Math.round(128 + w[u * pixels + j] * scale);
      out.push(unit);
    }
    return { layer: index, units: layer.outFeatures, max, pixels: out };
  }
}

/** An example's values (preprocessed: scaled, centred or standardized) back to 0–255 for display. */
function toBytes(values: Float32Array): number[] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const span = max - min;
  return Array.from(values, v => (span > 0 ? Math.round((255 * (v - min)) / span) : 0));
}
