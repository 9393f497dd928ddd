import { describe, expect, it } from 'vitest';
import { loadData } from '../../../engine/data/kinds';
import { BLOB_RADIUS, classCounts, generateSynthetic } from '../../../engine/data/synthetic';
import type { SyntheticDataSpec } from '../../../engine/data/kinds';
import { textFiles } from '../textFiles';

type SyntheticKind = SyntheticDataSpec['type'];

const spec = (type: SyntheticKind, over: Partial<SyntheticDataSpec> = {}): SyntheticDataSpec => ({
  type,
  samples: 300,
  classes: type === 'spiral' || type === 'blobs' ? 3 : 2,
  noise: 0.1,
  seed: 0,
  validation_split: 0.2,
  ...over,
});

const counts = (y: Float32Array, classes: number): number[] => {
  const c = new Array<number>(classes).fill(0);
  for (const v of y) c[v]++;
  return c;
};

const noRead = (): string => {
  throw new Error('synthetic data reads no file');
};

describe.each(['spiral', 'moons', 'circles', 'xor', 'blobs'] as const)('%s', kind => {
  it('has 2 features, the right size and balanced classes', () => {
    const d = generateSynthetic(spec(kind, { samples: 301 }));
    const classes = kind === 'spiral' || kind === 'blobs' ? 3 : 2;
    expect(d.size).toBe(301);
    expect(d.features).toBe(2);
    expect(d.outputs).toBe(classes);
    expect(d.x).toHaveLength(602);
    expect(d.y).toHaveLength(301);
    expect(d.task).toBe('classification');
    expect(d.classNames).toEqual(Array.from({ length: classes }, (_, i) => String(i)));
    const c = counts(d.y, classes);
    expect(Math.max(...c) - Math.min(...c)).toBeLessThanOrEqual(1);
    expect(c.reduce((a, b) => a + b)).toBe(301);
    expect([...d.x].every(Number.isFinite)).toBe(true);
  });

  it('is deterministic by seed', () => {
    const a = generateSynthetic(spec(kind));
    const b = generateSynthetic(spec(kind));
    const c = generateSynthetic(spec(kind, { seed: 1 }));
    expect(b.x).toEqual(a.x);
    expect(b.y).toEqual(a.y);
    expect(c.x).not.toEqual(a.x);
  });

  it('splits by validation_split, deterministically', () => {
    const split = loadData(spec(kind, { samples: 200, validation_split: 0.25 }), textFiles(noRead));
    expect(split.validation.size).toBe(50);
    expect(split.train.size).toBe(150);
    const again = loadData(spec(kind, { samples: 200, validation_split: 0.25 }), textFiles(noRead));
    expect(again.train.x).toEqual(split.train.x);
    expect(split.description).toBe(`${kind}: 200 points, ${split.train.outputs} classes, noise 0.1`);
  });
});

describe('geometry', () => {
  it('spiral without noise: radius linspace(0, 1) along each arm, angle 4j..4(j+1)', () => {
    const d = generateSynthetic(spec('spiral', { samples: 30, noise: 0 }));
    // Class 1 occupies rows 10..19; its first point is at r = 0, its last at r = 1, angle 8.
    const r = (i: number): number => Math.hypot(d.x[2 * i], d.x[2 * i + 1]);
    expect(r(10)).toBeCloseTo(0, 6);
    expect(r(19)).toBeCloseTo(1, 6);
    expect(d.x[2 * 19]).toBeCloseTo(Math.sin(8), 6);
    expect(d.x[2 * 19 + 1]).toBeCloseTo(Math.cos(8), 6);
    for (let i = 0; i < 30; i++) expect(r(i)).toBeLessThanOrEqual(1 + 1e-6);
  });

  it('moons without noise: the outer upper half circle and the shifted inner one', () => {
    const d = generateSynthetic(spec('moons', { samples: 100, noise: 0 }));
    for (let i = 0; i < 100; i++) {
      const [x, y] = [d.x[2 * i], d.x[2 * i + 1]];
      if (d.y[i] === 0) {
        expect(Math.hypot(x, y)).toBeCloseTo(1, 5);
        expect(y).toBeGreaterThanOrEqual(-1e-6);
      } else {
        expect(Math.hypot(x - 1, y - 0.5)).toBeCloseTo(1, 5);
        expect(y).toBeLessThanOrEqual(0.5 + 1e-6);
      }
    }
  });

  it('circles without noise: radius 1 (class 0) and 0.5 (class 1)', () => {
    const d = generateSynthetic(spec('circles', { samples: 100, noise: 0 }));
    for (let i = 0; i < 100; i++) {
      expect(Math.hypot(d.x[2 * i], d.x[2 * i + 1])).toBeCloseTo(d.y[i] === 0 ? 1 : 0.5, 5);
    }
  });

  it('xor without noise: in [-1, 1]², class 1 exactly where x·y > 0', () => {
    const d = generateSynthetic(spec('xor', { samples: 400, noise: 0 }));
    for (let i = 0; i < 400; i++) {
      const [x, y] = [d.x[2 * i], d.x[2 * i + 1]];
      expect(Math.abs(x)).toBeLessThanOrEqual(1);
      expect(Math.abs(y)).toBeLessThanOrEqual(1);
      expect(d.y[i]).toBe(x * y > 0 ? 1 : 0);
    }
    // All four quadrants are used.
    const quadrants = new Set<string>();
    for (let i = 0; i < 400; i++) quadrants.add(`${Math.sign(d.x[2 * i])}${Math.sign(d.x[2 * i + 1])}`);
    expect(quadrants.size).toBe(4);
  });

  it('blobs: each class around its centre on a circle, with std = noise', () => {
    const d = generateSynthetic(spec('blobs', { samples: 3000, noise: 0.3 }));
    for (let c = 0; c < 3; c++) {
      const rows = [...d.y.keys()].filter(i => d.y[i] === c);
      const mx = rows.reduce((s, i) => s + d.x[2 * i], 0) / rows.length;
      const my = rows.reduce((s, i) => s + d.x[2 * i + 1], 0) / rows.length;
      expect(mx).toBeCloseTo(BLOB_RADIUS * Math.cos((2 * Math.PI * c) / 3), 1);
      expect(my).toBeCloseTo(BLOB_RADIUS * Math.sin((2 * Math.PI * c) / 3), 1);
      const sd = Math.sqrt(rows.reduce((s, i) => s + (d.x[2 * i] - mx) ** 2, 0) / rows.length);
      expect(sd).toBeGreaterThan(0.25);
      expect(sd).toBeLessThan(0.35);
    }
  });

  it('noise spreads the points: spiral radii exceed 1 only through noise on the angle (never)', () => {
    const d = generateSynthetic(spec('spiral', { noise: 0.5 }));
    for (let i = 0; i < d.size; i++) expect(Math.hypot(d.x[2 * i], d.x[2 * i + 1])).toBeLessThanOrEqual(1 + 1e-6);
  });

  it('classCounts spreads the remainder over the first classes', () => {
    expect(classCounts(10, 3)).toEqual([4, 3, 3]);
    expect(classCounts(9, 3)).toEqual([3, 3, 3]);
    expect(classCounts(5, 2)).toEqual([3, 2]);
  });
});
