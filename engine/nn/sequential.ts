import type { Kernels } from '../core/kernels';
import type { Random } from '../core/random';
import type { InitSpec } from '../init';
import type { Task } from '../core/task';
import { SpecError } from '../core/errors';
import { createLayer, layerWidth, type LayerSpec } from './kinds';
import type { Layer, NamedBuffer } from './layer';
import type { Parameter } from '../core/parameter';

/** A stack of layers run in order, like torch.nn.Sequential. */
export class Sequential {
  readonly parameters: readonly Parameter[];
  readonly parameterCount: number;
  /** Every layer's buffers (batch norm's running statistics), in layer order. */
  readonly buffers: readonly NamedBuffer[];
  readonly inputs: number;
  readonly outputs: number;
  readonly maxRows: number;
  private readonly stateEntries: readonly NamedBuffer[];
  private readonly outputsOfLayers: Float32Array[];
  private readonly gradientsOfOutputs: Float32Array[];
  private rowsOfLastForward = 0;

  constructor(readonly layers: readonly Layer[]) {
    if (layers.length === 0) throw new Error('Sequential needs at least one layer');
    this.parameters = layers.flatMap((layer) => layer.parameters);
    this.parameterCount = this.parameters.reduce((sum, p) => sum + p.size, 0);
    this.buffers = layers.flatMap((layer) => layer.buffers);
    this.stateEntries = layers.flatMap((layer): NamedBuffer[] => [
      ...layer.parameters.map((p): NamedBuffer => ({ name: p.name, shape: p.shape, dtype: 'F32', data: p.data })),
      ...layer.buffers,
    ]);
    this.inputs = layers[0].inFeatures;
    this.outputs = layers[layers.length - 1].outFeatures;
    this.maxRows = Math.min(...layers.map((layer) => layer.maxRows));
    this.outputsOfLayers = layers.map(() => new Float32Array(0));
    this.gradientsOfOutputs = layers.map(() => new Float32Array(0));
  }

  /** The output of the last layer for `rows` rows of `input` (a buffer owned by that layer). */
  forward(input: Float32Array, rows: number, training: boolean): Float32Array {
    let x = input;
    const layers = this.layers;
    for (let i = 0; i < layers.length; i++) {
      x = layers[i].forward(x, rows, training);
      this.outputsOfLayers[i] = x;
    }
    this.rowsOfLastForward = rows;
    return x;
  }

  /**
   * Each layer's output of the last forward (index i = layers[i]; rows × layers[i].outFeatures
   * values, row-major, in the first `lastRows` rows). The arrays are the layers' own buffers: read
   * them before the next forward, never write them. Before any forward they are empty.
   */
  layerOutputs(): readonly Float32Array[] {
    return this.outputsOfLayers;
  }

  /** The rows of the last forward (how much of each `layerOutputs()` array is valid). */
  get lastRows(): number {
    return this.rowsOfLastForward;
  }

  /**
   * Backpropagates ∂loss/∂output through all layers, accumulating parameter gradients. Returns
   * ∂loss/∂input, which is empty unless the model was built with `inputGradient`.
   */
  backward(gradOutput: Float32Array, rows: number): Float32Array {
    let g = gradOutput;
    for (let i = this.layers.length - 1; i >= 0; i--) {
      this.gradientsOfOutputs[i] = g;
      g = this.layers[i].backward(g, rows);
    }
    return g;
  }

  /**
   * Each layer's ∂loss/∂output of the last backward (index i = layers[i], same layout as
   * `layerOutputs()`; the last one is the gradient the loss handed in). Buffers owned by the next
   * layer (or the loss): read them before the next backward, never write them. Empty before any.
   */
  layerOutputGradients(): readonly Float32Array[] {
    return this.gradientsOfOutputs;
  }

  /**
   * The tensors of torch's `model.state_dict()`, in its order: per layer, its parameters then its
   * buffers, each with its torch key, shape and dtype. Entries share the live arrays (a checkpoint
   * writer reads them; a loader writes into them). The same array every call.
   */
  stateDict(): readonly NamedBuffer[] {
    return this.stateEntries;
  }

  zeroGrad(): void {
    for (const p of this.parameters) p.zeroGrad();
  }

  /** One entry per layer, e.g. ["Linear(2 → 64)", "ReLU", "Linear(64 → 3)"]. */
  layerDescriptions(): string[] {
    return this.layers.map((layer) => layer.describe());
  }

  describe(): string {
    return `Sequential(${this.layerDescriptions().join(', ')})`;
  }
}

export interface BuildOptions {
  /** Used only to word errors ("one per class" / "one per target"). */
  task?: Task;
  /** Where the data comes from ("wine.csv"), used only to word errors: "one per class of wine.csv". */
  source?: string;
  /** Also compute ∂loss/∂input in backward (gradient checks); training does not need it. */
  inputGradient?: boolean;
}

/**
 * Builds the model an experiment describes. Parameter and buffer names are the state_dict keys of
 * the equivalent torch.nn.Sequential ("0.weight", "1.running_mean", ...): the index is the layer's
 * position in the spec, activations included. Each layer's input width is the previous layer's
 * output width. The last linear (or maxout) layer must give the model its `outputs` — twice that
 * per glu after it, since glu halves — and may omit out_features to get exactly that. Linear and
 * maxout layers are initialized in order from `rng` with their own `init` or the experiment's;
 * dropout layers draw their masks from `rng.fork('dropout:<index>')`, so adding one changes no
 * initial weight.
 */
export function buildModel(
  spec: readonly LayerSpec[],
  inputs: number,
  outputs: number,
  init: InitSpec,
  rng: Random,
  maxRows: number,
  kernels: Kernels,
  options: BuildOptions = {},
): Sequential {
  let lastMapping = -1;
  spec.forEach((layer, index) => {
    if (layer.type === 'linear' || layer.type === 'maxout') lastMapping = index;
  });
  if (lastMapping < 0) {
    throw new SpecError('the model has no linear layer, so it has nothing to learn; add { "type": "linear" }', [
      'model',
    ]);
  }
  const glusAfter = spec.slice(lastMapping + 1).filter((layer) => layer.type === 'glu').length;
  const last: LastWidth = { index: lastMapping, width: outputs * 2 ** glusAfter, outputs, glusAfter, task: options.task, source: options.source };

  const layers: Layer[] = [];
  let width = inputs;
  spec.forEach((layerSpec, index) => {
    let outFeatures = width;
    if (layerSpec.type === 'linear' || layerSpec.type === 'maxout') {
      outFeatures = mappedWidth(layerSpec.type, layerSpec.out_features, index, last);
    }
    layers.push(
      createLayer(layerSpec, {
        index,
        inFeatures: width,
        outFeatures,
        maxRows,
        kernels,
        init,
        rng,
        inputGradient: layers.length > 0 || options.inputGradient === true,
      }),
    );
    width = layerWidth(layerSpec, width, outFeatures);
  });
  return new Sequential(layers);
}

/** What the last linear or maxout layer must output. */
interface LastWidth {
  index: number;
  /** outputs · 2^glusAfter */
  width: number;
  outputs: number;
  glusAfter: number;
  task: Task | undefined;
  source: string | undefined;
}

function mappedWidth(kind: 'linear' | 'maxout', outFeatures: number | undefined, index: number, last: LastWidth): number {
  const path = ['model', index, 'out_features'];
  if (index === last.index) {
    if (outFeatures === undefined || outFeatures === last.width) return last.width;
    const of = last.source !== undefined ? ` of ${last.source}` : '';
    const per = last.task === 'classification' || last.task === 'probabilities' ? ` (one per class${of})` : last.task === 'regression' ? ` (one per target${of})` : '';
    const why =
      last.glusAfter === 0
        ? per
        : `: the model outputs ${last.outputs}${per} and ${last.glusAfter === 1 ? 'the glu after it halves' : `the ${last.glusAfter} glu layers after it halve`} the width`;
    throw new SpecError(`the last ${kind} layer must output ${last.width} value${last.width === 1 ? '' : 's'}${why}, not ${outFeatures}`, path);
  }
  if (outFeatures === undefined) {
    throw new SpecError(
      `only the last ${kind === 'linear' ? 'linear' : 'linear or maxout'} layer may omit out_features; set the width of this one`,
      path,
    );
  }
  if (!Number.isInteger(outFeatures) || outFeatures < 1) {
    throw new SpecError(`out_features must be a positive integer, not ${outFeatures}`, path);
  }
  return outFeatures;
}
