import type { ProbeRecord } from '../probes/record';
import type { RunContext } from './context';

/** The most recent step losses, oldest first, in a fixed ring (no allocation per step). */
export class LossWindow {
  private readonly values: Float64Array;
  private start = 0;
  private length = 0;
  /** Step of the newest loss. */
  lastStep = 0;

  constructor(readonly capacity: number) {
    this.values = new Float64Array(capacity);
  }

  get size(): number {
    return this.length;
  }

  get full(): boolean {
    return this.length === this.capacity;
  }

  push(step: number, loss: number): void {
    if (this.length < this.capacity) {
      this.values[(this.start + this.length) % this.capacity] = loss;
      this.length++;
    } else {
      this.values[this.start] = loss;
      this.start = (this.start + 1) % this.capacity;
    }
    this.lastStep = step;
  }

  /** The i-th loss, 0 = oldest kept. */
  at(i: number): number {
    return this.values[(this.start + i) % this.capacity];
  }

  /** Mean of the losses [from, to) (indices as in `at`). */
  mean(from: number, to: number): number {
    let sum = 0;
    for (let i = from; i < to; i++) sum += this.at(i);
    return to > from ? sum / (to - from) : NaN;
  }

  /** Step of the oldest kept loss. */
  get firstStep(): number {
    return this.lastStep - this.length + 1;
  }
}

/** The event a rule is being checked for. */
export type ObservationEvent = 'step' | 'epoch' | 'probe';

/** The epoch fields the rules read (the training loop's EpochRecord fits). */
export interface EpochObservation {
  epoch: number;
  step: number;
  train_loss: number;
  /** Absent when there is no validation set. */
  val_loss?: number;
}

/**
 * Everything the rules may look at, kept up to date by the Diagnostician. Rules only read it.
 */
export interface RunObservations {
  readonly context: RunContext;
  /** What just arrived (rules run for the events they declare). */
  readonly event: ObservationEvent;
  /** Latest step seen (0 before the first). */
  readonly step: number;
  readonly epoch: number;
  /** The first step's loss: the loss at initialization. */
  readonly initialLoss: number | undefined;
  /** The latest step's loss. */
  readonly lastLoss: number | undefined;
  readonly losses: LossWindow;
  /** Every epoch record so far, in order. */
  readonly epochs: readonly EpochObservation[];
  /** The latest probe records, oldest first (at most a few: what the sustained checks need). */
  readonly probes: readonly ProbeRecord[];
  /** The initialization probe (step 1), once seen. */
  readonly initialProbe: ProbeRecord | undefined;
}
