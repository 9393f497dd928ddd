/**
 * The classic 2-D toy data sets, generated deterministically from the data seed. Each returns the
 * whole set, grouped by class (the split shuffles it); class sizes differ by at most one.
 */
import { Random } from '../core/random';
import type { SyntheticDataSpec, SyntheticKind } from './spec';
import type { Dataset } from './dataset';

type Generator = (counts: number[], noise: number, rng: Random, x: Float32Array) => void;

/** Generates the full (unsplit) data set described by `spec`. */
export function generateSynthetic(spec: SyntheticDataSpec): Dataset {
  const classes = spec.type === 'spiral' || spec.type === 'blobs' ? spec.classes : 2;
  const counts = classCounts(spec.samples, classes);
  const x = new Float32Array(spec.samples * 2);
  const y = new Float32Array(spec.samples);
  let row = 0;
  counts.forEach((count, c) => y.fill(c, row, (row += count)));
  GENERATORS[spec.type](counts, spec.noise, new Random(spec.seed), x);
  return {
    task: 'classification',
    size: spec.samples,
    features: 2,
    outputs: classes,
    x,
    y,
    featureNames: ['x1', 'x2'],
    classNames: counts.map((_, c) => String(c)),
  };
}

/** n split into `classes` sizes differing by at most one (the first classes get the remainder). */
export function classCounts(n: number, classes: number): number[] {
  return Array.from({ length: classes }, (_, c) => Math.floor(n / classes) + (c < n % classes ? 1 : 0));
}

/** numpy.linspace(start, stop, n) (endpoint included; a single point is `start`). */
function linspace(start: number, stop: number, n: number, i: number): number {
  return n <= 1 ? start : start + ((stop - start) * i) / (n - 1);
}

/**
 * CS231n's spiral: class j's points lie along an arm, radius linspace(0, 1), angle
 * linspace(4j, 4(j+1)) plus Gaussian noise on the angle; x = r·sin t, y = r·cos t.
 */
const spiral: Generator = (counts, noise, rng, x) => {
  let row = 0;
  counts.forEach((n, j) => {
    for (let i = 0; i < n; i++, row++) {
      const r = linspace(0, 1, n, i);
      const t = linspace(4 * j, 4 * (j + 1), n, i) + noise * rng.normal();
      x[2 * row] = r * Math.sin(t);
      x[2 * row + 1] = r * Math.cos(t);
    }
  });
};

/**
 * sklearn.datasets.make_moons: the outer moon (class 0) is the upper half circle; the inner one
 * (class 1) is the lower half shifted right by 1 and down by 0.5; Gaussian noise on both coordinates.
 */
const moons: Generator = (counts, noise, rng, x) => {
  const [outer, inner] = counts;
  for (let i = 0; i < outer; i++) {
    const t = linspace(0, Math.PI, outer, i);
    x[2 * i] = Math.cos(t) + noise * rng.normal();
    x[2 * i + 1] = Math.sin(t) + noise * rng.normal();
  }
  for (let i = 0; i < inner; i++) {
    const t = linspace(0, Math.PI, inner, i);
    const row = outer + i;
    x[2 * row] = 1 - Math.cos(t) + noise * rng.normal();
    x[2 * row + 1] = 1 - Math.sin(t) - 0.5 + noise * rng.normal();
  }
};

/** sklearn.datasets.make_circles(factor=0.5): the outer circle is class 0, the inner one class 1. */
const CIRCLES_FACTOR = 0.5;
const circles: Generator = (counts, noise, rng, x) => {
  let row = 0;
  counts.forEach((n, c) => {
    const radius = c === 0 ? 1 : CIRCLES_FACTOR;
    for (let i = 0; i < n; i++, row++) {
      const t = (2 * Math.PI * i) / n; // endpoint=False
      x[2 * row] = radius * Math.cos(t) + noise * rng.normal();
      x[2 * row + 1] = radius * Math.sin(t) + noise * rng.normal();
    }
  });
};

/**
 * XOR: points uniform in [-1, 1]², labelled by the sign of x·y (class 1 where x and y have the same
 * sign). Each class draws from its own two quadrants, so the classes are balanced exactly; the
 * noise then jitters the points, so some cross the axes into the other class's quadrants.
 */
const xor: Generator = (counts, noise, rng, x) => {
  let row = 0;
  counts.forEach((n, c) => {
    for (let i = 0; i < n; i++, row++) {
      const sx = rng.uniform() < 0.5 ? -1 : 1;
      const sy = c === 1 ? sx : -sx;
      // 1 - uniform() is in (0, 1], so a point never sits exactly on an axis.
      x[2 * row] = sx * (1 - rng.uniform()) + noise * rng.normal();
      x[2 * row + 1] = sy * (1 - rng.uniform()) + noise * rng.normal();
    }
  });
};

/** Blobs: one isotropic Gaussian (std = noise) per class, centres evenly spaced on a circle of radius 2. */
export const BLOB_RADIUS = 2;
const blobs: Generator = (counts, noise, rng, x) => {
  let row = 0;
  counts.forEach((n, c) => {
    const angle = (2 * Math.PI * c) / counts.length;
    const cx = BLOB_RADIUS * Math.cos(angle);
    const cy = BLOB_RADIUS * Math.sin(angle);
    for (let i = 0; i < n; i++, row++) {
      x[2 * row] = cx + noise * rng.normal();
      x[2 * row + 1] = cy + noise * rng.normal();
    }
  });
};

const GENERATORS: Record<SyntheticKind, Generator> = { spiral, moons, circles, xor, blobs };
