/**
 * The course notes' activation-statistics experiment (the course notes, "Weight initialization — let's look
 * at some activation statistics"), run through the engine's own code path: unit-normal input, then
 * 10 × (Linear(500 → 500, no bias) initialized by `initializeLinear`, then Tanh or ReLU), printing
 * the mean and std (numpy's population std) of the input and of every layer's output.
 *
 * What is compared (the published numbers, transcribed below from the course notes):
 *   tanh_small    W = 0.01 * randn(fan_in, fan_out), tanh        (003 lines 1158–1168) → normal(0, 0.01)
 *   tanh_unit     W = randn(fan_in, fan_out) * 1.0, tanh         (003 lines 1215–1225) → normal(0, 1)
 *   tanh_xavier   W = randn(fan_in, fan_out) / sqrt(fan_in), tanh (003 lines 1298–1308) → xavier_normal
 *   relu_xavier   the same weights with ReLU ("it breaks")       (003 lines 1346–1356) → xavier_normal
 *   relu_kaiming  W = randn / sqrt(fan_in / 2), ReLU             (003 lines 1456–1466) → kaiming_normal(relu)
 * With fan_in = fan_out = 500, the notes' randn/√fan_in is exactly xavier_normal's N(0, 2/(500+500)).
 *
 * Sampling error. Each published table is ONE random draw (the notes' 1000 × 500 input, CS231n's
 * `np.random.randn(1000, 500)`), and so is ours. test/torch/gen_init_golden.py reruns the notes'
 * experiment in float64 for 60 seeds and records, for every layer, the spread (sd over seeds) of
 * the per-layer mean and std: sd₁₀₀₀ for the notes' 1000 input rows and sd_R for the ROWS rows used
 * here (100, to keep the test near a second: 50 products of 100×500 by 500×500 plus 12.5 M normal
 * draws). Deep-layer spreads come from the weights, not the data, so they hardly depend on the rows
 * (e.g. relu_kaiming layer 10: ~10 % either way). Two checks per layer and statistic:
 *   |ours − published|   ≤ K·√(sd_R² + sd₁₀₀₀²) + 5e-7   (two independent draws; tables print 6 decimals)
 *   |ours − torch mean_R| ≤ K·sd_R·√(1 + 1/seeds)        (sharper where the tables round to 0.000000)
 * with K = 4.5: a deviation this large happens with probability < 1e-5 per comparison (two-sided
 * normal), while every mistake this guards against (a wrong gain, fan or √2) moves a layer by many sd.
 */
import { describe, expect, it } from 'vitest';
import { jsKernels } from '../../../engine/core/jsKernels';
import { Random } from '../../../engine/core/random';
import type { InitializerSpec } from '../../../engine/init';
import { initializeLinear } from '../../../engine/init';
import { ReLU, Tanh } from '../../../engine/nn/activations';
import type { Layer } from '../../../engine/nn/layer';
import { Linear } from '../../../engine/nn/linear';
import statistics from '../../fixtures/torch/init_activation_statistics.json';

const ROWS = 100; // = TEST_ROWS in test/torch/gen_init_golden.py
const PUBLISHED_ROWS = 1000;
const WIDTH = 500;
const LAYERS = 10;
const K = 4.5;
const PRINT_ROUNDING = 5e-7;

type ConfigName = 'tanh_small' | 'tanh_unit' | 'tanh_xavier' | 'relu_xavier' | 'relu_kaiming';

interface Published {
  weight: InitializerSpec;
  activation: 'tanh' | 'relu';
  /** Input layer, then hidden layers 1..10, as printed in the notes. */
  mean: number[];
  std: number[];
}

const PUBLISHED: Record<ConfigName, Published> = {
  tanh_small: {
    weight: { type: 'normal', mean: 0, std: 0.01 },
    activation: 'tanh',
    mean: [0.000927, -0.000117, -0.000001, -0.000002, 0.000001, 0.000002, -0.0, 0.0, -0.0, 0.0, -0.0],
    std: [0.998388, 0.213081, 0.047551, 0.01063, 0.002378, 0.000532, 0.000119, 0.000026, 0.000006, 0.000001, 0.0],
  },
  tanh_unit: {
    weight: { type: 'normal', mean: 0, std: 1 },
    activation: 'tanh',
    mean: [0.0018, -0.00043, -0.000849, 0.000566, 0.000483, -0.000682, -0.000401, -0.000237, -0.000448, -0.000899, 0.000584],
    std: [1.001311, 0.981879, 0.981649, 0.981601, 0.981755, 0.981614, 0.98156, 0.98152, 0.981913, 0.981728, 0.981736],
  },
  tanh_xavier: {
    weight: { type: 'xavier_normal', gain: 1 },
    activation: 'tanh',
    mean: [0.0018, 0.001198, -0.000175, 0.000055, -0.000306, 0.000142, -0.000389, -0.000228, -0.000291, 0.000361, 0.000139],
    std: [1.001311, 0.627953, 0.486051, 0.407723, 0.357108, 0.320917, 0.292116, 0.273387, 0.254935, 0.239266, 0.228008],
  },
  relu_xavier: {
    weight: { type: 'xavier_normal', gain: 1 },
    activation: 'relu',
    mean: [0.000501, 0.398623, 0.272352, 0.186076, 0.136442, 0.099568, 0.072234, 0.049775, 0.035138, 0.025404, 0.018408],
    std: [0.999444, 0.582273, 0.403795, 0.276912, 0.198685, 0.140299, 0.10328, 0.072748, 0.051572, 0.038583, 0.026076],
  },
  relu_kaiming: {
    weight: { type: 'kaiming_normal', a: 0, mode: 'fan_in', nonlinearity: 'relu' },
    activation: 'relu',
    mean: [0.000501, 0.562488, 0.553614, 0.545867, 0.565396, 0.547678, 0.587103, 0.596867, 0.623214, 0.567498, 0.552531],
    std: [0.999444, 0.825232, 0.827835, 0.813855, 0.826902, 0.834092, 0.860035, 0.87061, 0.889348, 0.845357, 0.844523],
  },
};

interface Ensemble {
  meanOfMean: number[];
  sdOfMean: number[];
  meanOfStd: number[];
  sdOfStd: number[];
}

const ensembles = statistics.ensembles as unknown as Record<string, Record<ConfigName, Ensemble>>;

interface LayerStats {
  mean: number[];
  std: number[];
  /** Fraction of last-layer outputs with |h| > 0.99 (tanh saturation). */
  saturated: number;
}

/** Mean and population std of the first `size` values, in double. */
function moments(values: Float32Array, size: number): { mean: number; std: number } {
  let sum = 0;
  for (let i = 0; i < size; i++) sum += values[i];
  const mean = sum / size;
  let sq = 0;
  for (let i = 0; i < size; i++) sq += (values[i] - mean) ** 2;
  return { mean, std: Math.sqrt(sq / size) };
}

/** The notes' loop, with the engine's layers: each config gets its own input and weight streams. */
function runExperiment(name: ConfigName): LayerStats {
  const config = PUBLISHED[name];
  const root = new Random(2015);
  const dataRng = root.fork(`data:${name}`);
  const initRng = root.fork(`init:${name}`);
  const size = ROWS * WIDTH;
  const input = new Float32Array(size);
  for (let i = 0; i < size; i++) input[i] = dataRng.normal();

  const stats: LayerStats = { mean: [], std: [], saturated: 0 };
  const record = (h: Float32Array) => {
    const m = moments(h, size);
    stats.mean.push(m.mean);
    stats.std.push(m.std);
  };
  record(input);
  let h: Float32Array = input;
  for (let layer = 0; layer < LAYERS; layer++) {
    const linear = new Linear({
      name: String(2 * layer),
      inFeatures: WIDTH,
      outFeatures: WIDTH,
      bias: false,
      maxRows: ROWS,
      kernels: jsKernels,
      inputGradient: false,
    });
    initializeLinear(linear.weight, undefined, { weight: config.weight, bias: { type: 'zeros' } }, initRng);
    const activation: Layer = config.activation === 'tanh' ? new Tanh(WIDTH, ROWS) : new ReLU(WIDTH, ROWS);
    h = activation.forward(linear.forward(h, ROWS, false), ROWS, false);
    record(h);
  }
  let saturated = 0;
  for (let i = 0; i < size; i++) if (Math.abs(h[i]) > 0.99) saturated++;
  stats.saturated = saturated / size;
  return stats;
}

function expectWithinSamplingError(name: ConfigName, stats: LayerStats): void {
  const published = PUBLISHED[name];
  const here = ensembles[String(ROWS)][name];
  const notes = ensembles[String(PUBLISHED_ROWS)][name];
  const seeds = statistics.seeds;
  const failures: string[] = [];
  for (const stat of ['mean', 'std'] as const) {
    const sdHere = stat === 'mean' ? here.sdOfMean : here.sdOfStd;
    const sdNotes = stat === 'mean' ? notes.sdOfMean : notes.sdOfStd;
    const torchMean = stat === 'mean' ? here.meanOfMean : here.meanOfStd;
    for (let layer = 0; layer <= LAYERS; layer++) {
      const ours = stats[stat][layer];
      const vsPublished = K * Math.hypot(sdHere[layer], sdNotes[layer]) + PRINT_ROUNDING;
      const vsTorch = K * sdHere[layer] * Math.sqrt(1 + 1 / seeds);
      const label = `${name} ${layer === 0 ? 'input' : `layer ${layer}`} ${stat}`;
      if (!(Math.abs(ours - published[stat][layer]) <= vsPublished)) {
        failures.push(`${label}: ours ${ours}, published ${published[stat][layer]} (tolerance ${vsPublished})`);
      }
      if (!(Math.abs(ours - torchMean[layer]) <= vsTorch)) {
        failures.push(`${label}: ours ${ours}, torch ensemble ${torchMean[layer]} (tolerance ${vsTorch})`);
      }
    }
  }
  expect(failures).toEqual([]);
}

/** The geometric mean of the per-layer std ratios from layer `from` to layer `to`. */
function ratio(std: number[], from: number, to: number): number {
  return (std[to] / std[from]) ** (1 / (to - from));
}

describe("the notes' activation statistics (10 layers × 500 units), through Linear + initializeLinear", () => {
  it('the fixture was generated for this geometry', () => {
    expect(statistics.layers).toBe(LAYERS);
    expect(statistics.width).toBe(WIDTH);
    expect(Object.keys(statistics.ensembles).sort()).toEqual([String(PUBLISHED_ROWS), String(ROWS)].sort());
    // The published tables are plausible draws of the notes' experiment (a check of the transcription).
    for (const name of Object.keys(PUBLISHED) as ConfigName[]) {
      const e = ensembles[String(PUBLISHED_ROWS)][name];
      PUBLISHED[name].std.forEach((s, layer) => {
        expect(Math.abs(s - e.meanOfStd[layer]), `${name} layer ${layer}`).toBeLessThanOrEqual(K * e.sdOfStd[layer] + PRINT_ROUNDING);
      });
    }
  });

  it('W = 0.01·randn with tanh: the std shrinks ×0.01·√500 per layer until all activations are ~0', () => {
    const stats = runExperiment('tanh_small');
    expectWithinSamplingError('tanh_small', stats);
    // Var(s) = n·Var(w)·Var(x) (the notes' derivation), and tanh is linear at these scales.
    expect(ratio(stats.std, 2, LAYERS)).toBeCloseTo(0.01 * Math.sqrt(WIDTH), 2);
    expect(stats.std[LAYERS]).toBeLessThan(1e-6);
  });

  it('W = randn with tanh: almost all units saturate at ±1', () => {
    const stats = runExperiment('tanh_unit');
    expectWithinSamplingError('tanh_unit', stats);
    expect(stats.saturated).toBeGreaterThan(0.85);
  });

  it('Xavier with tanh: a reasonable scale in every layer (slowly shrinking, 0.63 → 0.23)', () => {
    const stats = runExperiment('tanh_xavier');
    expectWithinSamplingError('tanh_xavier', stats);
    for (let layer = 1; layer <= LAYERS; layer++) expect(stats.std[layer]).toBeGreaterThan(0.2);
  });

  it('Xavier with ReLU: the variance halves every layer (std × 1/√2)', () => {
    const stats = runExperiment('relu_xavier');
    expectWithinSamplingError('relu_xavier', stats);
    expect(ratio(stats.std, 1, LAYERS)).toBeGreaterThan(0.6);
    expect(ratio(stats.std, 1, LAYERS)).toBeLessThan(0.8);
  });

  it('Kaiming with ReLU: the std stays put (≈ 0.83 in every layer)', () => {
    const stats = runExperiment('relu_kaiming');
    expectWithinSamplingError('relu_kaiming', stats);
    expect(stats.std[LAYERS] / stats.std[1]).toBeGreaterThan(0.6);
    expect(stats.std[LAYERS] / stats.std[1]).toBeLessThan(1.4);
  });
});
