import { describe, expect, it } from 'vitest';
import { Random } from '../../../engine/core/random';

describe('Random.state / setState', () => {
  it('a generator moved to another one\'s position draws the same numbers (through JSON too)', () => {
    const a = new Random(7);
    for (let i = 0; i < 13; i++) a.uniform();
    a.normal(); // leaves a cached second normal
    const b = new Random(123);
    b.setState(JSON.parse(JSON.stringify(a.state())));
    // JSON turns the cached NaN/normal into null/number; the cached normal must survive.
    expect(b.normal()).toBe(a.normal());
    const draws = (r: Random): number[] => [r.uniform(), r.normal(), r.int(1000), r.nextUint32()];
    expect(draws(b)).toEqual(draws(a));
  });

  it('without a cached normal, the state says NaN and JSON null restores it', () => {
    const a = new Random(1);
    expect(Number.isNaN(a.state()[4])).toBe(true);
    const b = new Random(2);
    b.setState(JSON.parse(JSON.stringify(a.state())));
    expect([b.normal(), b.normal()]).toEqual([a.normal(), a.normal()]);
  });

  it('refuses what is not a state', () => {
    const r = new Random(0);
    expect(() => r.setState([1, 2, 3])).toThrow(/four 32-bit integers/);
    expect(() => r.setState([1, 2, 3, 0.5, NaN])).toThrow(/four 32-bit integers/);
    expect(() => r.setState([0, 0, 0, 0, NaN])).toThrow(/all zeros/);
  });
});
