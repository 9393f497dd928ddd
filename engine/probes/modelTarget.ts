import type { ProbeBatchNorm } from './batchNorm';
import type { ProbeParam } from './params';
import type { ProbeLayer, ProbeTarget } from './prober';
import type { ProbeLayout } from './scratch';

/**
 * What the adapter needs of engine/nn's Sequential (which fits as it is). `layerOutputGradients`
 * does not exist yet: when Sequential keeps each layer's ∂loss/∂output of the last backward, the
 * probes also report gradient scale per layer (and the vanishing/exploding-gradient rules run).
 */
export interface ProbedModel {
  readonly layers: readonly { readonly outFeatures: number; describe(): string }[];
  layerOutputs(): readonly Float32Array[];
  readonly lastRows: number;
  readonly maxRows: number;
  readonly parameters: readonly ProbeParam[];
  readonly buffers: readonly { readonly name: string; readonly data: Float32Array | Float64Array }[];
  layerOutputGradients?(): readonly Float32Array[];
}

interface MutableBatchNorm {
  name: string;
  runningMean: Float32Array;
  runningVar: Float32Array;
  numBatchesTracked?: number;
}

interface MutableLayer {
  name: string;
  kind: string;
  output: Float32Array;
  features: number;
  gradient?: Float32Array;
}

/**
 * A ProbeTarget over a Sequential model, built once per run: `kinds` are the experiment's layer
 * types in model order (spec.model.map((l) => l.type)). Call `update()` after each forward/backward
 * that will be probed (it only re-reads buffer references).
 */
export class ModelProbeTarget implements ProbeTarget {
  readonly layers: readonly ProbeLayer[];
  readonly params: readonly ProbeParam[];
  readonly batchnorm: readonly ProbeBatchNorm[];
  private readonly mutableLayers: MutableLayer[];
  private readonly mutableBatchNorm: MutableBatchNorm[];
  private readonly trackedCounters: (Float64Array | undefined)[];

  constructor(
    private readonly model: ProbedModel,
    kinds: readonly string[],
  ) {
    if (kinds.length !== model.layers.length) {
      throw new RangeError(`ModelProbeTarget: ${kinds.length} layer types for a model of ${model.layers.length} layers`);
    }
    this.mutableLayers = model.layers.map((layer, i) => ({
      name: layer.describe(),
      kind: kinds[i],
      output: new Float32Array(0),
      features: layer.outFeatures,
    }));
    this.layers = this.mutableLayers;
    this.params = model.parameters;
    const { layers: batchnorm, counters } = batchNormBuffers(model.buffers);
    this.mutableBatchNorm = batchnorm;
    this.batchnorm = batchnorm;
    this.trackedCounters = counters;
  }

  get rows(): number {
    return this.model.lastRows;
  }

  /** Re-reads the layers' output (and gradient) buffers of the last forward/backward. */
  update(): this {
    const outputs = this.model.layerOutputs();
    const gradients = this.model.layerOutputGradients?.();
    this.mutableLayers.forEach((layer, i) => {
      layer.output = outputs[i];
      const gradient = gradients?.[i];
      if (gradient !== undefined && gradient.length > 0) layer.gradient = gradient;
      else delete layer.gradient;
    });
    this.mutableBatchNorm.forEach((layer, i) => {
      const counter = this.trackedCounters[i];
      if (counter !== undefined) layer.numBatchesTracked = counter[0];
    });
    return this;
  }

  /** The sizes a Prober's scratch needs for this model. */
  layout(): ProbeLayout {
    return {
      maxRows: this.model.maxRows,
      layerFeatures: this.model.layers.map((layer) => layer.outFeatures),
      paramSizes: this.model.parameters.map((p) => p.data.length),
    };
  }
}

/** Batch norm layers from torch-named buffers: "<i>.running_mean", "<i>.running_var", "<i>.num_batches_tracked". */
function batchNormBuffers(buffers: ProbedModel['buffers']): {
  layers: MutableBatchNorm[];
  counters: (Float64Array | undefined)[];
} {
  const byPrefix = new Map<string, { mean?: Float32Array; variance?: Float32Array; counter?: Float64Array }>();
  for (const buffer of buffers) {
    const dot = buffer.name.lastIndexOf('.');
    const prefix = buffer.name.slice(0, dot);
    const key = buffer.name.slice(dot + 1);
    const entry = byPrefix.get(prefix) ?? {};
    if (key === 'running_mean' && buffer.data instanceof Float32Array) entry.mean = buffer.data;
    else if (key === 'running_var' && buffer.data instanceof Float32Array) entry.variance = buffer.data;
    else if (key === 'num_batches_tracked' && buffer.data instanceof Float64Array) entry.counter = buffer.data;
    byPrefix.set(prefix, entry);
  }
  const layers: MutableBatchNorm[] = [];
  const counters: (Float64Array | undefined)[] = [];
  for (const [name, entry] of byPrefix) {
    if (entry.mean === undefined || entry.variance === undefined) continue;
    layers.push({ name, runningMean: entry.mean, runningVar: entry.variance });
    counters.push(entry.counter);
  }
  return { layers, counters };
}
