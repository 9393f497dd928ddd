/**
 * Activations against PyTorch (fixtures from test/torch/gen_layers_golden.py): output and input
 * gradient of every activation on values that include the kinks (0, ±1, ±3), near-zero values and
 * large |x| (softplus's threshold, gelu's and mish's tails), at float32 tolerance; softmax,
 * log_softmax and glu row-wise; the erf behind GELU against Python's math.erf / math.erfc.
 */
import { describe, expect, it } from 'vitest';
import { GELU, Hardswish, LeakyReLU, SiLU, Softplus } from '../../../engine/nn/activations';
import { parseExperiment } from '../../../engine/experiment/parse';
import { activation as createActivation, type LayerInput } from '../specs';
import { erf, erfc, normalCdf } from '../../../engine/nn/erf';
import golden from '../../fixtures/torch/layers_activations.json';

/**
 * float32 tolerance: torch computes in float32, the engine in double rounded once to float32, so the
 * two differ by a few float32 ulps (measured: relative ≤ 1e-6 except below). atol covers values
 * that are tiny in one and flush to 0 or a denormal in the other (sigmoid(−100), gelu(−10)), and
 * torch's own float32 cancellation in the left tails: 1 + erf(x/√2) in gelu(−2.9) is off by 4e-5
 * relative (2.3e-7 absolute; the engine's value is the exact one), 1 − tanh² in gelu-tanh's
 * gradient at −5 by 2.9e-7 absolute.
 */
const RTOL = 1e-5;
const ATOL = 1e-6;

function expectClose(actual: ArrayLike<number>, expected: readonly number[], label: string, rtol = RTOL, atol = ATOL): void {
  expect(actual.length, `${label}: length`).toBeGreaterThanOrEqual(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      throw new Error(`${label}[${i}]: engine ${a} vs torch ${e}`);
    }
  }
}

describe('activations vs torch', () => {
  const { rows, features } = golden;
  const x = Float32Array.from(golden.x);
  const g = Float32Array.from(golden.g);

  it.each(golden.cases.map((c) => [c.torch + ' ' + JSON.stringify(c.spec), c] as const))('%s', (_label, c) => {
    const layer = createActivation(c.spec as LayerInput, features, rows);
    expect(layer.parameters).toEqual([]);
    expect(layer.buffers).toEqual([]);
    const y = layer.forward(x, rows, true);
    expectClose(y, c.output, 'output');
    const dx = layer.backward(g, rows);
    expectClose(dx, c.grad_input, 'grad_input');
  });

  it('matches torch exactly on the kinks (subgradient conventions)', () => {
    // x = 0 is index 0, −3 index 15, 3 index 14, ±1 indices 10/11 (see SPECIAL in the generator)
    const kinkIndices = [0, 1, 10, 11, 14, 15];
    for (const c of golden.cases) {
      const layer = createActivation(c.spec as LayerInput, features, rows);
      layer.forward(x, rows, true);
      const dx = layer.backward(g, rows);
      for (const i of kinkIndices) {
        expect(Math.abs(dx[i] - c.grad_input[i]), `${c.torch} at x=${x[i]}`).toBeLessThanOrEqual(1e-6 + 1e-5 * Math.abs(c.grad_input[i]));
      }
    }
  });

  it('softmax and log_softmax over each row (huge and tiny scores stay finite)', () => {
    const r = golden.rowwise;
    const xr = Float32Array.from(r.x);
    const gr = Float32Array.from(r.g);
    for (const c of r.cases) {
      const layer = createActivation(c.spec as LayerInput, r.features, r.rows);
      const y = layer.forward(xr, r.rows, true);
      expect(Array.from(y).every(Number.isFinite)).toBe(true);
      expectClose(y, c.output, `${c.torch} output`);
      expectClose(layer.backward(gr, r.rows), c.grad_input, `${c.torch} grad_input`);
    }
    // softmax rows sum to 1
    const softmax = createActivation({ type: 'softmax' }, r.features, r.rows);
    const y = softmax.forward(xr, r.rows, false);
    for (let row = 0; row < r.rows; row++) {
      let sum = 0;
      for (let j = 0; j < r.features; j++) sum += y[row * r.features + j];
      expect(sum).toBeCloseTo(1, 6);
    }
  });

  it('glu halves the features: a·σ(b)', () => {
    const c = golden.glu;
    const layer = createActivation({ type: 'glu' }, c.features, c.rows);
    expect(layer.outFeatures).toBe(c.features / 2);
    expectClose(layer.forward(Float32Array.from(c.x), c.rows, true), c.output, 'glu output');
    expectClose(layer.backward(Float32Array.from(c.g), c.rows), c.grad_input, 'glu grad_input');
    expect(() => createActivation({ type: 'glu' }, 5, 2)).toThrow(/even/);
  });
});

describe('erf (double precision)', () => {
  it('agrees with Python math.erf / math.erfc to ~1e-15 relative, in both tails', () => {
    let worst = 0;
    for (const [x, erfX, erfcX, erfNeg, erfcNeg] of golden.erf) {
      const pairs: [number, number][] = [
        [erf(x), erfX],
        [erfc(x), erfcX],
        [erf(-x), erfNeg],
        [erfc(-x), erfcNeg],
      ];
      for (const [a, e] of pairs) {
        const rel = e === 0 ? Math.abs(a) : Math.abs(a - e) / Math.abs(e);
        worst = Math.max(worst, rel);
        expect(rel, `erf/erfc at ±${x}: ${a} vs ${e}`).toBeLessThan(1e-14);
      }
    }
    expect(worst).toBeGreaterThanOrEqual(0);
  });

  it('is odd, bounded, and Φ is accurate far in the left tail', () => {
    expect(erf(0)).toBe(0);
    expect(Object.is(erf(-0), -0)).toBe(true);
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(Number.isNaN(erf(NaN))).toBe(true);
    // Φ(−10) = erfc(10/√2)/2 ≈ 7.6e-24: 1 + erf(−7.07) would be 0 in double
    expect(normalCdf(-10) / 7.619853024160527e-24).toBeCloseTo(1, 12);
    expect(normalCdf(0)).toBe(0.5);
  });
});

describe('activation construction', () => {
  it('fills torch defaults for keys left out and describes like torch', () => {
    expect(createActivation('relu', 3, 2).describe()).toBe('ReLU');
    expect((createActivation({ type: 'leaky_relu' }, 3, 2) as LeakyReLU).negativeSlope).toBe(0.01);
    expect(createActivation({ type: 'leaky_relu', negative_slope: 0.2 }, 3, 2).describe()).toBe('LeakyReLU(negative_slope=0.2)');
    expect((createActivation({ type: 'gelu' }, 3, 2) as GELU).approximate).toBe('none');
    expect(createActivation({ type: 'gelu', approximate: 'tanh' }, 3, 2).describe()).toBe("GELU(approximate='tanh')");
    const softplus = createActivation({ type: 'softplus' }, 3, 2) as Softplus;
    expect([softplus.beta, softplus.threshold]).toEqual([1, 20]);
    expect(createActivation({ type: 'swish' }, 3, 2)).toBeInstanceOf(SiLU);
    expect(createActivation({ type: 'swish' }, 3, 2).describe()).toBe('SiLU');
    expect(createActivation({ type: 'hardswish' }, 3, 2)).toBeInstanceOf(Hardswish);
    expect(createActivation({ type: 'elu', alpha: 0.5 }, 3, 2).describe()).toBe('ELU(alpha=0.5)');
    expect(createActivation({ type: 'celu' }, 3, 2).describe()).toBe('CELU');
    expect(createActivation({ type: 'selu' }, 3, 2).describe()).toBe('SELU');
    expect(createActivation({ type: 'hardtanh', min_val: -2, max_val: 0.5 }, 3, 2).describe()).toBe('Hardtanh(min_val=-2.0, max_val=0.5)');
  });

  it('the experiment format rejects impossible arguments', () => {
    const errors = (layer: object): string[] =>
      parseExperiment(JSON.stringify({ data: 'spiral', model: [{ type: 'linear', out_features: 4 }, layer, { type: 'linear' }], optimizer: 'adam' }), 'x.experiment.json')
        .problems.filter(p => p.severity === 'error')
        .map(p => p.message);
    expect(errors({ type: 'celu', alpha: 0 })).toEqual([expect.stringMatching(/alpha/)]);
    expect(errors({ type: 'hardtanh', min_val: 1, max_val: 1 })).toEqual([expect.stringMatching(/min_val/)]);
  });

  it('ReLU lets NaN through like torch (a diverging run stays visible)', () => {
    const relu = createActivation('relu', 2, 1);
    const y = relu.forward(Float32Array.from([NaN, -1]), 1, true);
    expect(Number.isNaN(y[0])).toBe(true);
    expect(y[1]).toBe(0);
  });

  it('refuses more rows than its buffers hold', () => {
    expect(() => createActivation('mish', 2, 1).forward(new Float32Array(4), 2, true)).toThrow(RangeError);
  });
});
