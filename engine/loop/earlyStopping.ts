import type { EarlyStoppingSpec, MonitoredMetric } from './options';

/** What an early-stopping monitor decided about one epoch. */
export interface EarlyStoppingDecision {
  /** The epoch beat the best so far (by more than min_delta): its weights are the ones to keep. */
  improved: boolean;
  /** Patience ran out: training should stop after this epoch. */
  stop: boolean;
}

/** Everything the monitor carries from epoch to epoch (checkpoints save and restore it). */
export interface EarlyStoppingState {
  /** Best value seen (±Infinity before the first epoch). */
  best: number;
  /** Epoch of `best` (0 before the first epoch). */
  bestEpoch: number;
  /** Epochs since the last improvement. */
  wait: number;
  /** Epoch after which training stopped (0 while running). */
  stoppedEpoch: number;
}

/**
 * Early stopping with the semantics of Keras' EarlyStopping callback (PyTorch Lightning's is the
 * same): after every epoch the monitored metric improves when, in 'min' mode,
 * value < best − min_delta ('max': value > best + min_delta); otherwise a counter grows, and once it
 * reaches `patience` training stops. So patience 0 stops at the first epoch that does not improve,
 * patience 3 allows three such epochs in a row and stops after the third.
 * Keeping and restoring the best weights is the session's job; this class only decides.
 */
export class EarlyStopping {
  readonly monitor: MonitoredMetric;
  readonly mode: 'min' | 'max';
  private readonly patience: number;
  private readonly minDelta: number;
  private state: EarlyStoppingState;

  constructor(spec: EarlyStoppingSpec) {
    this.monitor = spec.monitor;
    this.mode = spec.mode === 'auto' ? autoMode(spec.monitor) : spec.mode;
    this.patience = spec.patience;
    this.minDelta = spec.min_delta;
    this.state = { best: this.mode === 'min' ? Infinity : -Infinity, bestEpoch: 0, wait: 0, stoppedEpoch: 0 };
  }

  get best(): number {
    return this.state.best;
  }

  get bestEpoch(): number {
    return this.state.bestEpoch;
  }

  get stoppedEpoch(): number {
    return this.state.stoppedEpoch;
  }

  /** Records the monitored value of `epoch` and decides. A NaN value never improves. */
  update(epoch: number, value: number): EarlyStoppingDecision {
    const s = this.state;
    const improved =
      this.mode === 'min' ? value < s.best - this.minDelta : value > s.best + this.minDelta;
    if (improved) {
      s.best = value;
      s.bestEpoch = epoch;
      s.wait = 0;
      return { improved, stop: false };
    }
    s.wait++;
    const stop = s.wait >= this.patience;
    if (stop) s.stoppedEpoch = epoch;
    return { improved, stop };
  }

  stateDict(): EarlyStoppingState {
    return { ...this.state };
  }

  loadStateDict(state: EarlyStoppingState): void {
    this.state = { ...state };
  }
}

/** Accuracies are maximized, losses minimized (Keras' 'auto'). */
export function autoMode(metric: MonitoredMetric): 'min' | 'max' {
  return metric.endsWith('accuracy') ? 'max' : 'min';
}
