/**
 * When a live run reports its decision boundary: at the first step, after a probe once `intervalMs`
 * of the clock have passed since the last grid, and at the end. A wall-clock rate keeps the grid's
 * cost bounded at any training speed.
 */
import type { BoundaryRecord, DecisionBoundary } from './decisionBoundary';

export class BoundaryCadence {
  private lastTime = -Infinity;
  private lastStep = 0;

  constructor(
    private readonly boundary: DecisionBoundary,
    private readonly intervalMs: number,
    private readonly now: () => number,
  ) {}

  /** Call after the step's probe has read the layers' buffers: the grid's forward pass overwrites them. */
  afterStep(step: number, epoch: number, probed: boolean): BoundaryRecord | undefined {
    const due = step === 1 || (probed && this.now() - this.lastTime >= this.intervalMs);
    return due ? this.take(step, epoch) : undefined;
  }

  /** The grid the run ends with, unless the last one is of this very step. */
  atEnd(step: number, epoch: number): BoundaryRecord | undefined {
    if (step === 0 || step === this.lastStep) return undefined;
    try {
      return this.take(step, epoch);
    } catch {
      // A run that ends because its model failed keeps its last grid.
      return undefined;
    }
  }

  private take(step: number, epoch: number): BoundaryRecord {
    const record = this.boundary.evaluate(step, epoch);
    this.lastTime = this.now();
    this.lastStep = step;
    return record;
  }
}
