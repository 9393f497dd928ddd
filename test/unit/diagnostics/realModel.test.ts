/**
 * The probes and the rules together on the engine's real layers: the course notes' experiment of a
 * deep tanh network initialized with 0.01·randn (activations and gradients vanish layer by layer)
 * against the same network with Xavier initialization, and a ReLU network with Kaiming.
 */
import { describe, expect, it } from 'vitest';
import { jsKernels } from '../../../engine/core/jsKernels';
import { Random } from '../../../engine/core/random';
import { runContextFromSpec } from '../../../engine/train/runDiagnostics';
import { Diagnostician } from '../../../engine/diagnostics/diagnostician';
import type { Finding } from '../../../engine/diagnostics/finding';
import type { ExperimentSpec } from '../../../engine/experiment/sections';
import type { InitializerSpec } from '../../../engine/init';
import type { LayerSpec } from '../../../engine/nn/kinds';
import { createLoss } from '../../../engine/losses';
import { buildModel, type Sequential } from '../../../engine/nn/sequential';
import { createOptimizer } from '../../../engine/optim';
import { ModelProbeTarget, type ProbedModel } from '../../../engine/probes/modelTarget';
import { Prober } from '../../../engine/probes/prober';
import { lossSpec } from '../specs';

const WIDTH = 100;
const DEPTH = 6;
const CLASSES = 10;
const ROWS = 64;

/**
 * Sequential with each layer's ∂loss/∂output of the last backward kept — what the report asks
 * engine/nn/sequential.ts to provide as `layerOutputGradients()`.
 */
function withLayerGradients(model: Sequential): ProbedModel & { backward(g: Float32Array, rows: number): void } {
  const gradients: Float32Array[] = model.layers.map(() => new Float32Array(0));
  return {
    layers: model.layers,
    layerOutputs: () => model.layerOutputs(),
    get lastRows() {
      return model.lastRows;
    },
    maxRows: model.maxRows,
    parameters: model.parameters,
    buffers: model.buffers,
    layerOutputGradients: () => gradients,
    backward(gradOutput: Float32Array, rows: number) {
      let g = gradOutput;
      for (let i = model.layers.length - 1; i >= 0; i--) {
        gradients[i] = g;
        g = model.layers[i].backward(g, rows);
      }
    },
  };
}

function spec(activation: 'tanh' | 'relu', weight: InitializerSpec): ExperimentSpec {
  const model: LayerSpec[] = [];
  for (let i = 0; i < DEPTH; i++) model.push({ type: 'linear', out_features: WIDTH, bias: true }, { type: activation });
  model.push({ type: 'linear', bias: true });
  return {
    name: 'deep',
    data: { type: 'blobs', samples: ROWS, classes: CLASSES, noise: 1, seed: 1, validation_split: 0 },
    model,
    init: { weight, bias: { type: 'zeros' } },
    loss: lossSpec({ type: 'cross_entropy' }),
    optimizer: { type: 'sgd', lr: 0.01, momentum: 0, dampening: 0, weight_decay: 0, nesterov: false, maximize: false },
    training: { epochs: 1, batch_size: ROWS, seed: 1, shuffle: false },
  };
}

/** The first training step of `s` on unit-Gaussian inputs, probed and diagnosed. */
function firstStep(s: ExperimentSpec): { findings: Finding[]; stds: number[] } {
  const rng = new Random(11);
  const model = buildModel(s.model, WIDTH, CLASSES, s.init, rng.fork('init'), ROWS, jsKernels, { task: 'classification' });
  const probed = withLayerGradients(model);
  const loss = createLoss(s.loss, CLASSES, ROWS, 'classification');
  const optimizer = createOptimizer(s.optimizer, model.parameters);
  const target = new ModelProbeTarget(probed, s.model.map((l) => l.type));
  const prober = new Prober(target.layout());
  const x = Float32Array.from({ length: ROWS * WIDTH }, () => rng.normal());
  const y = Float32Array.from({ length: ROWS }, (_, i) => i % CLASSES);

  optimizer.zeroGrad();
  const value = loss.forward(model.forward(x, ROWS, true), y, ROWS);
  probed.backward(loss.backward(ROWS), ROWS);
  prober.beforeStep(model.parameters);
  optimizer.step();
  const record = prober.probe(1, 1, target.update(), optimizer);

  const d = new Diagnostician(runContextFromSpec(s, { task: 'classification', expectedInitialLoss: Math.log(CLASSES) }));
  const findings = [...d.step(1, 1, value), ...d.probe(record)];
  return { findings, stds: record.layers.filter((l) => l.role === 'activation').map((l) => l.std) };
}

describe('probes + diagnostics on real deep networks at initialization', () => {
  it('0.01·randn on a deep tanh net: activations and gradients vanish, Xavier is suggested', () => {
    const { findings, stds } = firstStep(spec('tanh', { type: 'normal', mean: 0, std: 0.01 }));
    // each layer multiplies the spread by about 0.01·√100 = 0.1, as in the course notes' table
    for (let i = 1; i < stds.length; i++) expect(stds[i] / stds[i - 1]).toBeLessThan(0.15);
    // One cause, one finding: the gradients vanish because the activations do, folded into it.
    const rules = findings.map((f) => f.rule);
    expect(rules).toContain('vanishing-activations');
    expect(rules).not.toContain('vanishing-gradients');
    expect(rules).not.toContain('initial-loss'); // tiny weights: the loss starts at ln 10
    const vanishing = findings.filter((f) => f.rule === 'vanishing-activations').at(-1)!;
    expect(vanishing.path).toEqual(['init', 'weight']);
    expect(vanishing.fix?.edits).toEqual([{ kind: 'set', path: ['init', 'weight'], value: { type: 'xavier_normal', gain: 1.66667 } }]);
    expect(vanishing.explains).toEqual(['vanishing-gradients']);
    expect(vanishing.related?.[0].message).toMatch(/^Then, at step 1: the gradient shrinks layer by layer on its way back/);
  });

  it('the same net with Xavier initialization (tanh gain) is healthy', () => {
    const { findings } = firstStep(spec('tanh', { type: 'xavier_normal', gain: 5 / 3 }));
    expect(findings.filter((f) => f.rule.includes('vanishing') || f.rule.includes('exploding'))).toEqual([]);
  });

  it('a deep ReLU net with Kaiming initialization is healthy', () => {
    const { findings } = firstStep(spec('relu', { type: 'kaiming_normal', a: 0, mode: 'fan_in', nonlinearity: 'relu' }));
    expect(findings.filter((f) => f.rule.includes('vanishing') || f.rule.includes('exploding'))).toEqual([]);
  });

  it('randn·1.0 on a deep tanh net saturates the units', () => {
    const { findings } = firstStep(spec('tanh', { type: 'normal', mean: 0, std: 1 }));
    const saturated = findings.filter((f) => f.rule === 'saturated-units');
    expect(saturated.length).toBeGreaterThan(0);
    expect(saturated[0].path).toEqual(['init', 'weight']);
    // Confidently wrong from the start: a consequence of the saturation, folded into it.
    expect(findings.map((f) => f.rule)).not.toContain('initial-loss');
    expect(saturated.at(-1)!.explains).toContain('initial-loss:high');
  });
});
