import type { Kernels } from '../core/kernels';
import type { Random } from '../core/random';
import type { InitSpec, LayerSpec, Task } from '../experiment/spec';
import { SpecError } from '../experiment/specError';
import { initializeLinear } from '../init';
import { createActivation } from './activations';
import type { Layer } from './layer';
import { Linear } from './linear';
import type { Parameter } from './parameter';

/** A stack of layers run in order, like torch.nn.Sequential. */
export class Sequential {
  readonly parameters: readonly Parameter[];
  readonly parameterCount: number;
  readonly inputs: number;
  readonly outputs: number;
  readonly maxRows: number;

  constructor(readonly layers: readonly Layer[]) {
    if (layers.length === 0) throw new Error('Sequential needs at least one layer');
    this.parameters = layers.flatMap((layer) => layer.parameters);
    this.parameterCount = this.parameters.reduce((sum, p) => sum + p.size, 0);
    this.inputs = layers[0].inFeatures;
    this.outputs = layers[layers.length - 1].outFeatures;
    this.maxRows = Math.min(...layers.map((layer) => layer.maxRows));
  }

  /** The output of the last layer for `rows` rows of `input` (a buffer owned by that layer). */
  forward(input: Float32Array, rows: number, training: boolean): Float32Array {
    let x = input;
    for (const layer of this.layers) x = layer.forward(x, rows, training);
    return x;
  }

  /**
   * Backpropagates ∂loss/∂output through all layers, accumulating parameter gradients. Returns
   * ∂loss/∂input, which is empty unless the model was built with `inputGradient`.
   */
  backward(gradOutput: Float32Array, rows: number): Float32Array {
    let g = gradOutput;
    for (let i = this.layers.length - 1; i >= 0; i--) g = this.layers[i].backward(g, rows);
    return g;
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
  /** Also compute ∂loss/∂input in backward (gradient checks); training does not need it. */
  inputGradient?: boolean;
}

/**
 * Builds the model an experiment describes. Parameter names are the state_dict keys of the
 * equivalent torch.nn.Sequential ("0.weight", "2.bias", ...): the index is the layer's position in
 * the spec, activations included. Each linear layer's in_features is the previous width; the last
 * linear layer may omit out_features and gets `outputs`. Linear layers are initialized in order
 * from `rng` with their own `init` or the experiment's.
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
  let lastLinear = -1;
  spec.forEach((layer, index) => {
    if (layer.type === 'linear') lastLinear = index;
  });
  if (lastLinear < 0) {
    throw new SpecError('the model has no linear layer, so it has nothing to learn; add { "type": "linear" }', [
      'model',
    ]);
  }

  const layers: Layer[] = [];
  let width = inputs;
  spec.forEach((layerSpec, index) => {
    if (layerSpec.type !== 'linear') {
      layers.push(createActivation(layerSpec.type, width, maxRows));
      return;
    }
    const outFeatures = linearWidth(layerSpec.out_features, index, index === lastLinear, outputs, options.task);
    const linear = new Linear({
      name: String(index),
      inFeatures: width,
      outFeatures,
      bias: layerSpec.bias,
      maxRows,
      kernels,
      inputGradient: layers.length > 0 || options.inputGradient === true,
    });
    initializeLinear(linear.weight, linear.bias, layerSpec.init ?? init, rng);
    layers.push(linear);
    width = outFeatures;
  });
  return new Sequential(layers);
}

function linearWidth(
  outFeatures: number | undefined,
  index: number,
  isLast: boolean,
  outputs: number,
  task: Task | undefined,
): number {
  const path = ['model', index, 'out_features'];
  if (isLast) {
    if (outFeatures === undefined || outFeatures === outputs) return outputs;
    const per = task === 'classification' ? ' (one per class)' : task === 'regression' ? ' (one per target)' : '';
    throw new SpecError(
      `the last linear layer must output ${outputs} value${outputs === 1 ? '' : 's'}${per}, not ${outFeatures}`,
      path,
    );
  }
  if (outFeatures === undefined) {
    throw new SpecError('only the last linear layer may omit out_features; set the width of this one', path);
  }
  if (!Number.isInteger(outFeatures) || outFeatures < 1) {
    throw new SpecError(`out_features must be a positive integer, not ${outFeatures}`, path);
  }
  return outFeatures;
}
