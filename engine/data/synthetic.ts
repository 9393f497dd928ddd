/**
 * The classic 2-D toy data sets, generated deterministically from the data seed. Each returns the
 * whole set, grouped by class (the split shuffles it); class sizes differ by at most one.
 */
import * as z from 'zod';
import { LIMITS } from '../core/limits';
import { described, kind, type Rules } from '../core/options';
import { Random } from '../core/random';
import type { Dataset, DataSplit } from './dataset';
import { seed, validationSplit, type DataInfo } from './options';
import { splitDataset, validationCount } from './split';

function synthetic<const T extends string>(type: T, doc: string, classes: number | 'two', noise: number) {
  return kind(type, doc, {
    samples: described(z.int().min(1).max(LIMITS.samples).default(300).describe('Total number of points (training + validation).'), {
      limitReason: 'a larger synthetic set would not fit comfortably in memory',
    }),
    classes:
      classes === 'two'
        ? z.literal(2).default(2).describe('Number of classes (always 2 for this data set).')
        : described(z.int().min(2).max(LIMITS.classes).default(classes).describe('Number of classes.'), {
            limitReason: 'more classes than that is beyond what a small network here is for',
          }),
    noise: z.number().min(0).default(noise).describe('Standard deviation of the Gaussian noise added to the points.'),
    seed: seed('Seed of the data generator and of the train/validation split (separate from `training.seed`, so every variant sees the same data).'),
    validation_split: validationSplit,
  });
}

export const syntheticRules: Rules<{ samples: number; classes: number; validation_split: number }> = (v, report) => {
  const { samples, classes, validation_split: split } = v;
  if (samples !== undefined && classes !== undefined && samples < classes) {
    report.error(['samples', 'classes'], `'samples' (${samples}) must be at least 'classes' (${classes}): every class needs a point`);
  } else if (samples !== undefined && split !== undefined && samples - validationCount(samples, split) < 1) {
    report.error(['validation_split', 'samples'], `validation_split ${split} of ${samples} samples leaves no training examples`);
  }
};

/** 2 features, the classes, and the split sizes (when the values are valid). */
export function syntheticInfo(v: { samples?: number; classes?: number; validation_split?: number }): DataInfo {
  const info: DataInfo = { task: 'classification', features: 2 };
  if (v.classes !== undefined) info.outputs = v.classes;
  if (v.samples !== undefined && v.validation_split !== undefined && (v.classes === undefined || v.samples >= v.classes)) {
    const validation = validationCount(v.samples, v.validation_split);
    if (v.samples - validation >= 1) {
      info.train = v.samples - validation;
      info.validation = validation;
      info.hasValidation = validation > 0;
    }
  }
  return info;
}

const spiralOptions = synthetic('spiral', 'Points along interleaved spiral arms, one per class (the CS231n classic).', 3, 0.2);
const moonsOptions = synthetic('moons', 'Two interleaving half circles (`sklearn.datasets.make_moons`).', 'two', 0.1);
const circlesOptions = synthetic('circles', 'A small circle inside a large one (`sklearn.datasets.make_circles`, factor 0.5).', 'two', 0.05);
const xorOptions = synthetic('xor', 'Points in [-1, 1]², class 1 where x·y > 0.', 'two', 0.05);
const blobsOptions = synthetic('blobs', 'One Gaussian blob per class, centres evenly spaced on a circle.', 3, 0.5);

export const SYNTHETIC_OPTIONS = { spiral: spiralOptions, moons: moonsOptions, circles: circlesOptions, xor: xorOptions, blobs: blobsOptions };
export type SyntheticDataSpec = z.output<(typeof SYNTHETIC_OPTIONS)[keyof typeof SYNTHETIC_OPTIONS]>;

export function loadSynthetic(spec: SyntheticDataSpec): DataSplit {
  const data = generateSynthetic(spec);
  const { train, validation } = splitDataset(data, spec.validation_split, spec.seed);
  return { train, validation, description: describeSynthetic(spec, data.outputs) };
}

export function describeSynthetic(spec: SyntheticDataSpec, classes: number): string {
  return `${spec.type}: ${spec.samples} points, ${classes} classes, noise ${spec.noise}`;
}

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

const GENERATORS: Record<SyntheticDataSpec['type'], Generator> = { spiral, moons, circles, xor, blobs };
