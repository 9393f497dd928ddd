import { describe, expect, it } from 'vitest';
import { Random } from '../../../engine/core/random';
import type { InitializerSpec, InitSpec, Nonlinearity } from '../../../engine/init';
import {
  calculateGain,
  computeFans,
  createInitializer,
  distributionMean,
  distributionStd,
  erf,
  erfc,
  erfinv,
  initDistribution,
  initializeLinear,
  KaimingNormal,
  normalCdf,
  orthogonalMatrix,
  TorchLinearDefault,
  truncatedNormalMoments,
  truncatedNormalUniformRange,
  VarianceScaling,
  XavierUniform,
  type InitDistribution,
} from '../../../engine/init';
import { INITIALIZERS, TWO_D_INITIALIZERS as FAN_BASED_INITIALIZERS } from '../../../engine/init';
import { option } from '../specs';

const INITIALIZER_KINDS = INITIALIZERS.types;
import { Parameter } from '../../../engine/core/parameter';
import golden from '../../fixtures/torch/init_golden.json';

/*
 * Two kinds of evidence: (1) the distribution parameters equal the ones torch itself passes to
 * uniform_/normal_/fill_ (fixture from test/torch/gen_init_golden.py, captured from torch 1.13's own
 * nn.init functions and nn.Linear.reset_parameters); (2) large draws from our RNG have the moments
 * and bounds those parameters promise.
 */

/** torch's trunc_normal_ also records the range of its uniform_ call and the analytic moments. */
type GoldenDistribution =
  | InitDistribution
  | (Extract<InitDistribution, { kind: 'truncated_normal' }> & {
      erfinvLow: number;
      erfinvHigh: number;
      analyticMean: number;
      analyticStd: number;
    });

interface GoldenCase {
  shape: [number, number];
  target: 'weight' | 'bias';
  spec: InitializerSpec;
  torch: GoldenDistribution;
}

function expectSameDistribution(actual: InitDistribution, expected: GoldenDistribution): void {
  expect(actual.kind).toBe(expected.kind);
  // Torch's own double arithmetic: allow a couple of ulps for a different order of operations.
  const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(b)));
  if (actual.kind === 'truncated_normal' && expected.kind === 'truncated_normal') {
    for (const key of ['mean', 'std', 'low', 'high'] as const) expect(actual[key]).toBe(expected[key]);
    const g = expected as Extract<GoldenDistribution, { erfinvLow: number }>;
    // [2Φ(α) − 1, 2Φ(β) − 1): our erf against Python's math.erf (libm).
    const [from, to] = truncatedNormalUniformRange(actual.mean, actual.std, actual.low, actual.high);
    close(from, g.erfinvLow);
    close(to, g.erfinvHigh);
    // The analytic moments, against the same formulas evaluated with math.erf (1e-12: the variance
    // formula cancels a little when the truncation is mild).
    expect(Math.abs(distributionMean(actual) - g.analyticMean)).toBeLessThanOrEqual(1e-12 * actual.std);
    expect(Math.abs(distributionStd(actual) - g.analyticStd)).toBeLessThanOrEqual(1e-12 * actual.std);
  }
  if (actual.kind === 'sparse' && expected.kind === 'sparse') {
    // The zero count is what torch actually left in each column: ceil(sparsity · rows) in double.
    expect(actual).toEqual(expected);
  }
  if (actual.kind === 'constant' && expected.kind === 'constant') close(actual.value, expected.value);
  if (actual.kind === 'uniform' && expected.kind === 'uniform') {
    close(actual.low, expected.low);
    close(actual.high, expected.high);
  }
  if (actual.kind === 'normal' && expected.kind === 'normal') {
    close(actual.mean, expected.mean);
    close(actual.std, expected.std);
  }
}

describe('initializer formulas equal torch.nn.init', () => {
  const cases = golden.cases as GoldenCase[];

  it('the fixture covers every initializer kind (orthogonal has its own cases below)', () => {
    const kinds = new Set(cases.map((c) => c.spec.type));
    expect([...kinds].sort()).toEqual(INITIALIZER_KINDS.filter((k) => k !== 'orthogonal').sort());
    expect(golden.orthogonal.length).toBeGreaterThan(0);
  });

  for (const c of cases) {
    const label = `${c.target} [${c.shape.join('×')}] ${JSON.stringify(c.spec)}`;
    it(label, () => {
      // A bias is initialized with its weight's fans, so both targets use the weight's shape.
      expectSameDistribution(initDistribution(c.spec, computeFans(c.shape)), c.torch);
    });
  }

  it("calculateGain matches torch's calculate_gain", () => {
    for (const g of golden.gains) {
      expect(calculateGain(g.nonlinearity as Nonlinearity, g.param ?? undefined)).toBeCloseTo(g.gain, 15);
    }
  });
});

describe('fans', () => {
  it('follow torch: weight [out, in] has fan_in = in and fan_out = out', () => {
    expect(computeFans([5, 3])).toEqual({ fanIn: 3, fanOut: 5 });
    expect(computeFans([8, 4, 3, 3])).toEqual({ fanIn: 36, fanOut: 72 });
    expect(() => computeFans([7])).toThrow(/fewer than 2 dimensions/);
  });

  it('Xavier and Kaiming are variance scaling with the fan their mode names', () => {
    const fans = { fanIn: 30, fanOut: 10 };
    const xavier = new XavierUniform(2);
    expect(xavier).toBeInstanceOf(VarianceScaling);
    expect(xavier.fan(fans)).toBe(20);
    expect(xavier.std(fans)).toBeCloseTo(2 * Math.sqrt(2 / 40), 15);
    const kaiming = new KaimingNormal(0, 'fan_out', 'relu');
    expect(kaiming.fan(fans)).toBe(10);
    expect(kaiming.std(fans)).toBeCloseTo(Math.sqrt(2) / Math.sqrt(10), 15);
    expect(new TorchLinearDefault().distribution(fans)).toEqual({
      kind: 'uniform',
      low: expect.closeTo(-1 / Math.sqrt(30), 15),
      high: expect.closeTo(1 / Math.sqrt(30), 15),
    });
  });
});

// ---- sampling ---------------------------------------------------------------------------------

function summarize(values: Float32Array) {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = sum / values.length;
  let sq = 0;
  for (const v of values) sq += (v - mean) ** 2;
  return { mean, std: Math.sqrt(sq / values.length), min, max };
}

function linear(out: number, inp: number): { weight: Parameter; bias: Parameter } {
  return { weight: new Parameter('0.weight', [out, inp]), bias: new Parameter('0.bias', [out]) };
}

const ZERO_BIAS: InitializerSpec = { type: 'zeros' };

describe('large draws have the promised distribution', () => {
  // 400×600 = 240,000 draws; a non-square shape so fan_in and fan_out differ.
  const OUT = 400;
  const IN = 600;
  const fans = { fanIn: IN, fanOut: OUT };
  const specs: InitializerSpec[] = [
    { type: 'default' },
    { type: 'normal', mean: 0.3, std: 0.05 },
    { type: 'uniform', a: -0.2, b: 0.6 },
    { type: 'xavier_uniform', gain: 1 },
    { type: 'xavier_normal', gain: 5 / 3 },
    { type: 'kaiming_uniform', a: 0, mode: 'fan_in', nonlinearity: 'relu' },
    { type: 'kaiming_uniform', a: 0.2, mode: 'fan_out', nonlinearity: 'leaky_relu' },
    { type: 'kaiming_normal', a: 0, mode: 'fan_in', nonlinearity: 'relu' },
    { type: 'kaiming_normal', a: 0, mode: 'fan_out', nonlinearity: 'tanh' },
    { type: 'lecun_uniform' },
    { type: 'lecun_normal' },
  ];

  for (const spec of specs) {
    it(JSON.stringify(spec), () => {
      const { weight, bias } = linear(OUT, IN);
      initializeLinear(weight, bias, { weight: spec, bias: ZERO_BIAS }, new Random(7));
      const dist = initDistribution(spec, fans);
      const stats = summarize(weight.data);
      const std = distributionStd(dist);
      const mean = dist.kind === 'uniform' ? (dist.low + dist.high) / 2 : dist.kind === 'normal' ? dist.mean : NaN;
      // Standard error of the mean is std/√240000 ≈ 0.002·std; of the std, under 0.2 %.
      expect(Math.abs(stats.mean - mean)).toBeLessThan(0.01 * std);
      expect(stats.std / std).toBeGreaterThan(0.98);
      expect(stats.std / std).toBeLessThan(1.02);
      if (dist.kind === 'uniform') {
        const width = dist.high - dist.low;
        expect(stats.min).toBeGreaterThanOrEqual(Math.fround(dist.low));
        expect(stats.max).toBeLessThanOrEqual(Math.fround(dist.high));
        expect(stats.min - dist.low).toBeLessThan(1e-3 * width);
        expect(dist.high - stats.max).toBeLessThan(1e-3 * width);
      } else {
        // 240,000 normal draws reach about ±4.5 std; far fewer (or far more) means a wrong shape.
        expect((stats.max - mean) / std).toBeGreaterThan(3.8);
        expect((stats.max - mean) / std).toBeLessThan(6);
        expect((mean - stats.min) / std).toBeGreaterThan(3.8);
        expect((mean - stats.min) / std).toBeLessThan(6);
      }
      expect(Array.from(bias.data).every((v) => v === 0)).toBe(true);
    });
  }

  it("torch's default makes weight and bias U(±1/√fan_in)", () => {
    const { weight, bias } = linear(500, 500);
    initializeLinear(weight, bias, { weight: { type: 'default' }, bias: { type: 'default' } }, new Random(3));
    const bound = 1 / Math.sqrt(500);
    // 250,000 weight draws pin the std to ~0.1 %; 500 bias draws only to ~3 %.
    for (const [p, rtol] of [[weight, 0.02], [bias, 0.1]] as const) {
      const s = summarize(p.data);
      expect(s.min).toBeGreaterThanOrEqual(-bound);
      expect(s.max).toBeLessThanOrEqual(bound);
      expect(Math.abs(s.std / (bound / Math.sqrt(3)) - 1)).toBeLessThan(rtol);
    }
    // 500 bias draws from U(±b) still come within 2 % of both ends.
    const b = summarize(bias.data);
    expect(b.min).toBeLessThan(-0.98 * bound);
    expect(b.max).toBeGreaterThan(0.98 * bound);
  });

  it('a Kaiming bias uses the fan_in of its weight', () => {
    const { weight, bias } = linear(2000, 50);
    const kaiming: InitializerSpec = { type: 'kaiming_uniform', a: 0, mode: 'fan_in', nonlinearity: 'relu' };
    initializeLinear(weight, bias, { weight: ZERO_BIAS, bias: kaiming }, new Random(5));
    const bound = Math.sqrt(3) * Math.sqrt(2) / Math.sqrt(50);
    const s = summarize(bias.data);
    expect(s.max).toBeLessThanOrEqual(bound);
    expect(s.max).toBeGreaterThan(0.99 * bound);
    expect(s.min).toBeLessThan(-0.99 * bound);
  });
});

describe('initializeLinear', () => {
  const spec: InitSpec = {
    weight: { type: 'xavier_normal', gain: 1 },
    bias: { type: 'uniform', a: -0.1, b: 0.1 },
  };

  it('is deterministic for a seed and differs across seeds', () => {
    const draw = (seed: number) => {
      const { weight, bias } = linear(8, 5);
      initializeLinear(weight, bias, spec, new Random(seed));
      return [...weight.data, ...bias.data];
    };
    expect(draw(11)).toEqual(draw(11));
    expect(draw(11)).not.toEqual(draw(12));
  });

  it('draws the weight first, then the bias, from the same stream', () => {
    const withBias = linear(4, 3);
    initializeLinear(withBias.weight, withBias.bias, spec, new Random(9));
    const without = linear(4, 3);
    initializeLinear(without.weight, undefined, spec, new Random(9));
    expect(Array.from(without.weight.data)).toEqual(Array.from(withBias.weight.data));
    expect(Array.from(without.bias.data).every((v) => v === 0)).toBe(true);
  });

  it('fills constants exactly (as float32)', () => {
    const { weight, bias } = linear(3, 2);
    initializeLinear(weight, bias, { weight: { type: 'constant', value: 0.1 }, bias: { type: 'zeros' } }, new Random(1));
    expect(Array.from(weight.data)).toEqual(new Array(6).fill(Math.fround(0.1)));
    expect(Array.from(bias.data)).toEqual([0, 0, 0]);
  });

  it('overwrites previous values', () => {
    const { weight, bias } = linear(3, 2);
    weight.data.fill(7);
    bias.data.fill(7);
    initializeLinear(weight, bias, { weight: { type: 'zeros' }, bias: { type: 'zeros' } }, new Random(1));
    expect([...weight.data, ...bias.data].every((v) => v === 0)).toBe(true);
  });

  it('rejects a weight that is not 2-D', () => {
    expect(() =>
      initializeLinear(new Parameter('w', [6]), undefined, spec, new Random(1)),
    ).toThrow(/2-D weight/);
  });

  it('createInitializer knows every kind of the spec', () => {
    const fans = { fanIn: 4, fanOut: 2 };
    expect(createInitializer({ type: 'zeros' }).distribution(fans)).toEqual({ kind: 'constant', value: 0 });
    expect(createInitializer({ type: 'uniform', a: 1, b: 2 }).distribution(fans)).toEqual({ kind: 'uniform', low: 1, high: 2 });
    expect(createInitializer({ type: 'normal', mean: 1, std: 2 }).distribution(fans)).toEqual({ kind: 'normal', mean: 1, std: 2 });
  });
});

describe('calculateGain', () => {
  it('uses torch default slope 0.01 for leaky_relu without a parameter', () => {
    expect(calculateGain('leaky_relu')).toBeCloseTo(Math.sqrt(2 / (1 + 0.0001)), 15);
    expect(calculateGain('leaky_relu', 0)).toBeCloseTo(Math.SQRT2, 15);
    expect(calculateGain('relu', 123)).toBe(Math.SQRT2); // the parameter only matters for leaky_relu
    expect(calculateGain('tanh')).toBe(5 / 3);
    expect(calculateGain('sigmoid')).toBe(1);
    expect(calculateGain('linear')).toBe(1);
  });
});

// ---- the initializers beyond Xavier/Kaiming -----------------------------------------------------

describe('lecun_uniform / lecun_normal', () => {
  it('have variance 1/fan_in (the notes\' randn(n)/√n), untruncated', () => {
    const fans = { fanIn: 250, fanOut: 40 };
    expect(initDistribution({ type: 'lecun_normal' }, fans)).toEqual({ kind: 'normal', mean: 0, std: 1 / Math.sqrt(250) });
    const u = initDistribution({ type: 'lecun_uniform' }, fans);
    expect(distributionStd(u)).toBeCloseTo(1 / Math.sqrt(250), 15);
    expect(u).toMatchObject({ kind: 'uniform', high: expect.closeTo(Math.sqrt(3 / 250), 15) });
  });
});

describe('orthogonal', () => {
  it("equals torch's orthogonal_ for the same normal draws (float64, LAPACK vs our Householder QR)", () => {
    let worst = 0;
    for (const c of golden.orthogonal) {
      const [rows, cols] = c.shape;
      const ours = orthogonalMatrix(c.normals, rows, cols, c.gain);
      c.torch.forEach((v, i) => (worst = Math.max(worst, Math.abs(ours[i] - v))));
    }
    // Both are backward-stable QRs of the same matrix with the same sign convention.
    expect(worst).toBeLessThan(1e-13);
  });

  function gram(w: Float32Array, rows: number, cols: number, byColumns: boolean): Float64Array {
    const n = byColumns ? cols : rows;
    const g = new Float64Array(n * n);
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        let s = 0;
        if (byColumns) for (let r = 0; r < rows; r++) s += w[r * cols + a] * w[r * cols + b];
        else for (let c = 0; c < cols; c++) s += w[a * cols + c] * w[b * cols + c];
        g[a * n + b] = s;
      }
    }
    return g;
  }

  for (const [rows, cols, gain] of [
    [120, 80, 1],
    [80, 120, Math.SQRT2],
    [64, 64, 0.5],
  ] as const) {
    it(`[${rows}×${cols}], gain ${gain.toFixed(3)}: ${rows >= cols ? 'WᵀW' : 'WWᵀ'} = gain²·I`, () => {
      const { weight } = linear(rows, cols);
      initializeLinear(weight, undefined, { weight: { type: 'orthogonal', gain }, bias: ZERO_BIAS }, new Random(rows + cols));
      const g = gram(weight.data, rows, cols, rows >= cols);
      const n = Math.min(rows, cols);
      let worst = 0;
      for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) worst = Math.max(worst, Math.abs(g[a * n + b] - (a === b ? gain * gain : 0)));
      // Only float32 storage of the entries is lost: ~1e-7 relative per entry, summed over ≤ 120.
      expect(worst).toBeLessThan(2e-6 * gain * gain);
      const s = summarize(weight.data);
      expect(s.std).toBeCloseTo(distributionStd(initDistribution({ type: 'orthogonal', gain }, { fanIn: cols, fanOut: rows })), 3);
    });
  }

  it('the sign correction makes Q Haar: its diagonal is symmetric about 0', () => {
    // Without diag(sign(R)), Householder's Q has Q₀₀ = −|x₀|/‖x‖ < 0 on every draw.
    const rng = new Random(3);
    let positive = 0;
    let trace = 0;
    const draws = 600;
    for (let d = 0; d < draws; d++) {
      const w = new Float32Array(16);
      createInitializer({ type: 'orthogonal', gain: 1 }).initialize(w, { fanIn: 4, fanOut: 4 }, rng);
      if (w[0] > 0) positive++;
      trace += w[0] + w[5] + w[10] + w[15];
    }
    // Binomial(600, ½): sd ≈ 12; the trace has mean 0 and variance 1 per draw (Haar).
    expect(Math.abs(positive - draws / 2)).toBeLessThan(5 * 12.3);
    expect(Math.abs(trace / draws)).toBeLessThan(5 / Math.sqrt(draws));
  });
});

describe('sparse', () => {
  it('zeros exactly ceil(sparsity · rows) entries in every column, at varying rows', () => {
    const rows = 300;
    const cols = 200;
    const { weight } = linear(rows, cols);
    initializeLinear(weight, undefined, { weight: { type: 'sparse', sparsity: 0.1, std: 0.05 }, bias: ZERO_BIAS }, new Random(8));
    const zerosPerRow = new Int32Array(rows);
    const nonZero: number[] = [];
    for (let c = 0; c < cols; c++) {
      let zeros = 0;
      for (let r = 0; r < rows; r++) {
        const v = weight.data[r * cols + c];
        if (v === 0) {
          zeros++;
          zerosPerRow[r]++;
        } else nonZero.push(v);
      }
      expect(zeros).toBe(30);
    }
    // Each row is hit Binomial(200, 0.1) times (mean 20, sd 4.2): chosen per column, independently.
    const counts = Array.from(zerosPerRow);
    expect(Math.min(...counts)).toBeGreaterThan(0);
    expect(Math.max(...counts)).toBeLessThan(45);
    const s = summarize(Float32Array.from(nonZero));
    expect(Math.abs(s.std / 0.05 - 1)).toBeLessThan(0.02);
    expect(distributionStd(initDistribution({ type: 'sparse', sparsity: 0.1, std: 0.05 }, { fanIn: cols, fanOut: rows }))).toBeCloseTo(
      0.05 * Math.sqrt(0.9),
      15,
    );
  });

  it('sparsity 0 keeps every entry, 1 zeros everything', () => {
    for (const [sparsity, expectZeros] of [[0, 0], [1, 60]] as const) {
      const { weight } = linear(6, 10);
      initializeLinear(weight, undefined, { weight: { type: 'sparse', sparsity, std: 0.01 }, bias: ZERO_BIAS }, new Random(2));
      expect(weight.data.filter((v) => v === 0).length).toBe(expectZeros);
    }
  });
});

describe('trunc_normal', () => {
  const specs: Extract<InitializerSpec, { type: 'trunc_normal' }>[] = [
    { type: 'trunc_normal', mean: 0, std: 1, a: -2, b: 2 },
    { type: 'trunc_normal', mean: 0.1, std: 0.5, a: -0.3, b: 1.2 },
    { type: 'trunc_normal', mean: 1, std: 2, a: 0, b: 10 },
    { type: 'trunc_normal', mean: 0, std: 0.02, a: -0.01, b: 0.05 },
  ];

  for (const spec of specs) {
    it(`${JSON.stringify(spec)}: bounds, analytic mean and std, and the CDF`, () => {
      const { weight } = linear(400, 600);
      initializeLinear(weight, undefined, { weight: spec, bias: ZERO_BIAS }, new Random(17));
      const dist = initDistribution(spec, { fanIn: 600, fanOut: 400 });
      const { mean, std } = truncatedNormalMoments(spec.mean, spec.std, spec.a, spec.b);
      expect(distributionStd(dist)).toBe(std);
      const s = summarize(weight.data);
      expect(s.min).toBeGreaterThanOrEqual(Math.fround(spec.a));
      expect(s.max).toBeLessThanOrEqual(Math.fround(spec.b));
      // 240,000 draws: standard errors std/490 (mean) and ≲ std/690 (std); 5 of them.
      expect(Math.abs(s.mean - mean)).toBeLessThan((5 * std) / 490);
      expect(Math.abs(s.std / std - 1)).toBeLessThan(5 / 490);
      // Kolmogorov–Smirnov at nine points: 1.63/√n is the 1 % critical value (0.0033).
      const z = normalCdf((spec.b - spec.mean) / spec.std) - normalCdf((spec.a - spec.mean) / spec.std);
      const sorted = Float64Array.from(weight.data).sort();
      for (let k = 1; k <= 9; k++) {
        const x = spec.a + ((spec.b - spec.a) * k) / 10;
        const expected = (normalCdf((x - spec.mean) / spec.std) - normalCdf((spec.a - spec.mean) / spec.std)) / z;
        const below = upperBound(sorted, x) / sorted.length;
        expect(Math.abs(below - expected)).toBeLessThan(1.63 / Math.sqrt(sorted.length));
      }
    });
  }

  it('the default N(0, 1) on [−2, 2] has Keras\' truncated-normal std 0.8796', () => {
    expect(truncatedNormalMoments(0, 1, -2, 2).std).toBeCloseTo(0.87962566103423978, 14);
  });
});

function upperBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

describe('erf, erfc, erfinv (what trunc_normal needs; JavaScript has none)', () => {
  it("erf and erfc match Python's math.erf / math.erfc", () => {
    for (const [x, e, c] of golden.erf.erf) {
      expect(Math.abs(erf(x) - e)).toBeLessThanOrEqual(2e-15 * Math.abs(e));
      expect(Math.abs(erfc(x) - c)).toBeLessThanOrEqual(5e-15 * c);
    }
  });

  it('erfinv matches mpmath (40 digits), including 1 − 1e-12 where float64 torch.erfinv is off by 3e-6', () => {
    for (const [y, v] of golden.erf.erfinv) {
      expect(Math.abs(erfinv(y) - v)).toBeLessThanOrEqual(5e-15 * Math.abs(v));
    }
    expect(erfinv(1)).toBe(Infinity);
    expect(erfinv(-1)).toBe(-Infinity);
    expect(erfinv(1.5)).toBeNaN();
  });
});

describe('bias initialization', () => {
  it('a constant bias of 0.1 keeps ReLU units active at the start (the notes\' advice)', () => {
    const { weight, bias } = linear(50, 20);
    const spec: InitSpec = {
      weight: { type: 'kaiming_normal', a: 0, mode: 'fan_in', nonlinearity: 'relu' },
      bias: { type: 'constant', value: 0.1 },
    };
    initializeLinear(weight, bias, spec, new Random(4));
    expect(Array.from(bias.data)).toEqual(new Array(50).fill(Math.fround(0.1)));
    expect(summarize(weight.data).std).toBeGreaterThan(0.2);
  });

  it('initializers that need a 2-D weight are marked and refuse a bias', () => {
    for (const kind of ['orthogonal', 'sparse', 'lecun_uniform', 'lecun_normal', 'xavier_normal'] as const) {
      expect(FAN_BASED_INITIALIZERS).toContain(kind);
    }
    expect(FAN_BASED_INITIALIZERS).not.toContain('trunc_normal');
    const { weight, bias } = linear(4, 3);
    expect(() =>
      initializeLinear(weight, bias, { weight: ZERO_BIAS, bias: { type: 'orthogonal', gain: 1 } }, new Random(1)),
    ).toThrow(/2-D weight \[4, 3\].*a bias cannot use it/);
    expect(() =>
      initializeLinear(weight, bias, { weight: ZERO_BIAS, bias: { type: 'sparse', sparsity: 0.5, std: 0.01 } }, new Random(1)),
    ).toThrow(/a bias cannot use it/);
  });

  it("every kind has its options with torch's defaults", () => {
    expect(new Set(INITIALIZER_KINDS).size).toBe(INITIALIZER_KINDS.length);
    expect(INITIALIZERS.resolve({ type: 'trunc_normal' })).toEqual({ type: 'trunc_normal', mean: 0, std: 1, a: -2, b: 2 });
    expect(option(INITIALIZERS, 'sparse', 'sparsity')).toMatchObject({ required: true });
    expect(option(INITIALIZERS, 'sparse', 'std')).toMatchObject({ default: 0.01 });
    expect(option(INITIALIZERS, 'orthogonal', 'gain')).toMatchObject({ default: 1 });
  });
});
