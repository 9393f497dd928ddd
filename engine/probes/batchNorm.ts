import type { BatchNormProbe } from './record';
import { rangeStats } from './stats';

/** A batch norm layer's running statistics, as the probe reads them (the layer's live buffers). */
export interface ProbeBatchNorm {
  /** state_dict prefix, e.g. "1". */
  readonly name: string;
  readonly runningMean: Float32Array;
  readonly runningVar: Float32Array;
  readonly numBatchesTracked?: number;
}

export function summarizeBatchNorm(layer: ProbeBatchNorm): BatchNormProbe {
  const probe: BatchNormProbe = {
    name: layer.name,
    features: layer.runningMean.length,
    running_mean: rangeStats(layer.runningMean),
    running_var: rangeStats(layer.runningVar),
  };
  if (layer.numBatchesTracked !== undefined) probe.batches_tracked = layer.numBatchesTracked;
  return probe;
}
