import { describe, expect, it } from 'vitest';
import { Random } from '../../../engine/core/random';
import type { InitializerSpec, InitSpec, Nonlinearity } from '../../../engine/experiment/spec';
import {
  calculateGain,
  computeFans,
  createInitializer,
  distributionStd,
  initDistribution,
  initializeLinear,
  KaimingNormal,
  TorchLinearDefault,
  VarianceScaling,
  XavierUniform,
  type InitDistribution,
} from '../../../engine/init';
import { Parameter } from '../../../engine/nn/parameter';
import golden from '../../fixtures/torch/init_golden.json';

/*
 * Two kinds of evidence: (1) the distribution parameters equal the ones torch itself passes to
 * uniform_/normal_/fill_ (fixture from test/torch/gen_init_golden.py, captured from torch 1.13's own
 * nn.init functions and nn.Linear.reset_parameters); (2) large draws from our RNG have the moments
 * and bounds those parameters promise.
 */

interface GoldenCase {
  shape: [number, number];
  target: 'weight' | 'bias';
  spec: InitializerSpec;
  torch: InitDistribution;
}

function expectSameDistribution(actual: InitDistribution, expected: InitDistribution): void {
  expect(actual.kind).toBe(expected.kind);
  // Torch's own double arithmetic: allow a couple of ulps for a different order of operations.
  const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(b)));
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

  it('the fixture covers every initializer kind', () => {
    const kinds = new Set(cases.map((c) => c.spec.type));
    expect([...kinds].sort()).toEqual(
      ['constant', 'default', 'kaiming_normal', 'kaiming_uniform', 'normal', 'uniform', 'xavier_normal', 'xavier_uniform', 'zeros'],
    );
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
