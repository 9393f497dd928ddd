/**
 * The decision boundary of a 2-D classifier, as TensorFlow Playground draws it: the plane around
 * the training points cut into a grid of cells, each coloured by the class the model predicts at
 * its centre, with the training points on top. The grid is evaluated with the model's own forward
 * pass in evaluation mode (dropout off, batch norm on its running statistics), in chunks that fit
 * the model's buffers; all memory is taken once, so a grid allocates only its record.
 */
import { hasClasses } from '../core/task';
import type { Dataset } from '../data/dataset';
import { likeliestClass } from '../losses/targets';
import type { Sequential } from '../nn/sequential';

/** Cells per side of the grid: 48² = 2,304 forward rows, a few milliseconds for the course's models. */
export const BOUNDARY_RESOLUTION = 48;
/**
 * A live run's grids at most this often (the worker's cadence; each is one forward pass over 48²
 * points, on a probe step): four redraws a second follow training closely enough to watch.
 */
export const BOUNDARY_INTERVAL_MS = 250;
/** Training points carried with each grid (an even stride through the set beyond this). */
export const MAX_BOUNDARY_POINTS = 1000;
/** The plane extends this fraction of the points' range beyond them on each side. */
const MARGIN = 0.1;

/**
 * One grid. Cell (row r, column c), r = 0 at the top, has its centre at
 * x = x0 + (c + ½)·(x1 − x0)/resolution, y = y1 − (r + ½)·(y1 − y0)/resolution
 * (x is the first input feature, y the second), and its prediction at predicted[r·resolution + c].
 */
export interface BoundaryRecord {
  kind: 'boundary';
  /** The step whose weights were evaluated (after its update). */
  step: number;
  epoch: number;
  resolution: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  /** Classes of the data set (a one-logit binary model still has 2). */
  classes: number;
  /** The predicted class of every cell, row-major. */
  predicted: number[];
  /** The probability the model gives its predicted class there (softmax, or sigmoid for one logit), to 3 decimals. */
  confidence: number[];
  /** The training points drawn on top: x, y, class of each, flattened. */
  points: number[];
  /** The classes' names, when the data names them (a CSV's labels or probability columns). */
  names?: string[];
}

/** Whether a data set can be drawn as a plane: classes (labels or probabilities) and exactly two input features. */
export function hasDecisionBoundary(data: Dataset): boolean {
  return hasClasses(data.task) && data.features === 2 && data.size > 0;
}

export class DecisionBoundary {
  readonly resolution: number;
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
  private readonly inputs: Float32Array;
  private readonly points: number[];
  private readonly classes: number;
  private readonly names: readonly string[] | undefined;

  /** `chunkRows`: the most rows one forward pass may take (the model's buffers). */
  constructor(
    private readonly model: Sequential,
    train: Dataset,
    private readonly chunkRows: number,
    resolution = BOUNDARY_RESOLUTION,
  ) {
    if (!hasDecisionBoundary(train)) throw new RangeError('a decision boundary needs classes and two features');
    this.resolution = resolution;
    this.classes = train.outputs;
    this.names = train.classNames;
    const { x0, x1, y0, y1 } = extent(train);
    this.x0 = x0;
    this.x1 = x1;
    this.y0 = y0;
    this.y1 = y1;
    this.inputs = cellCentres(this);
    this.points = pointsOf(train);
  }

  /** The centres of the cells, row-major, as the model's input rows (x, y). */
  get cellInputs(): Float32Array {
    return this.inputs;
  }

  /** Evaluates the grid with the model's weights as they are now. */
  evaluate(step: number, epoch: number): BoundaryRecord {
    const cells = this.resolution * this.resolution;
    const predicted = new Array<number>(cells);
    const confidence = new Array<number>(cells);
    for (let start = 0; start < cells; start += this.chunkRows) {
      const rows = Math.min(this.chunkRows, cells - start);
      const out = this.model.forward(this.inputs.subarray(start * 2, (start + rows) * 2), rows, false);
      classify(out, rows, this.model.outputs, start, predicted, confidence);
    }
    return {
      kind: 'boundary',
      step,
      epoch,
      resolution: this.resolution,
      x0: this.x0,
      x1: this.x1,
      y0: this.y0,
      y1: this.y1,
      classes: this.classes,
      predicted,
      confidence,
      points: this.points,
      ...(this.names ? { names: [...this.names] } : {}),
    };
  }
}

/**
 * The class of each of `rows` output rows (width `outputs`) and its probability, written from
 * index `at`: the largest output (the first of equal ones, as torch.argmax), or for a single logit
 * class 1 when it is positive. A row with a NaN predicts class 0 with confidence 0.
 */
export function classify(out: Float32Array, rows: number, outputs: number, at: number, predicted: number[], confidence: number[]): void {
  for (let r = 0; r < rows; r++) {
    const o = r * outputs;
    if (outputs === 1) {
      const logit = out[o];
      const p = 1 / (1 + Math.exp(-logit));
      predicted[at + r] = logit > 0 ? 1 : 0;
      confidence[at + r] = Number.isNaN(logit) ? 0 : round3(logit > 0 ? p : 1 - p);
      continue;
    }
    let best = 0;
    let max = out[o];
    let nan = Number.isNaN(max);
    for (let k = 1; k < outputs; k++) {
      const v = out[o + k];
      if (Number.isNaN(v)) nan = true;
      if (v > max) {
        max = v;
        best = k;
      }
    }
    if (nan) {
      predicted[at + r] = 0;
      confidence[at + r] = 0;
      continue;
    }
    // Softmax of the best class, shifted by the maximum (no overflow).
    let sum = 0;
    for (let k = 0; k < outputs; k++) sum += Math.exp(out[o + k] - max);
    predicted[at + r] = best;
    confidence[at + r] = round3(1 / sum);
  }
}

function round3(p: number): number {
  return Math.round(p * 1000) / 1000;
}

/** The points' bounding box with a margin (a unit box around a single value). */
function extent(train: Dataset): { x0: number; x1: number; y0: number; y1: number } {
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < train.size; i++) {
    const x = train.x[2 * i];
    const y = train.x[2 * i + 1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  if (x0 > x1) return { x0: -1, x1: 1, y0: -1, y1: 1 };
  const padX = (x1 - x0) * MARGIN || 1;
  const padY = (y1 - y0) * MARGIN || 1;
  return { x0: x0 - padX, x1: x1 + padX, y0: y0 - padY, y1: y1 + padY };
}

function cellCentres(grid: { resolution: number; x0: number; x1: number; y0: number; y1: number }): Float32Array {
  const n = grid.resolution;
  const inputs = new Float32Array(n * n * 2);
  const dx = (grid.x1 - grid.x0) / n;
  const dy = (grid.y1 - grid.y0) / n;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const i = (r * n + c) * 2;
      inputs[i] = grid.x0 + (c + 0.5) * dx;
      inputs[i + 1] = grid.y1 - (r + 0.5) * dy;
    }
  }
  return inputs;
}

function pointsOf(train: Dataset): number[] {
  const stride = Math.max(1, Math.ceil(train.size / MAX_BOUNDARY_POINTS));
  const points: number[] = [];
  const soft = train.task === 'probabilities';
  for (let i = 0; i < train.size; i += stride) {
    // A point with probability targets is drawn as its likeliest class.
    const label = soft ? likeliestClass(train.y, i * train.outputs, train.outputs) : train.y[i];
    points.push(train.x[2 * i], train.x[2 * i + 1], label);
  }
  return points;
}
