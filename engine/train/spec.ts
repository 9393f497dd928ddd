/**
 * The resolved spec types of the training loop's optional parts: what the experiment's `training`
 * section (and the top-level `checkpoint` section) resolve to once validated and defaulted. Key
 * tables with the defaults: engine/train/fields.ts. Every part is optional: absent = not used, so an
 * experiment without them trains exactly as before.
 */

/** `training.clip_grad_norm`: torch.nn.utils.clip_grad_norm_ after every backward. */
export interface ClipGradNormSpec {
  max_norm: number;
  /** p of the p-norm; Infinity for the max norm (written "inf" in the experiment file). */
  norm_type: number;
  /** Fail the run on a non-finite gradient norm instead of scaling by it (torch's flag). */
  error_if_nonfinite: boolean;
}

/** `training.clip_grad_value`: torch.nn.utils.clip_grad_value_ after every backward. */
export interface ClipGradValueSpec {
  clip_value: number;
}

/**
 * `training.regularization`: penalties added to the loss (engine/train/penalties.ts):
 * l1·Σ|w| + (l2/2)·Σw² over the weights (`apply_to: 'weights'`, default) or every parameter.
 */
export interface RegularizationSpec {
  l1: number;
  l2: number;
  apply_to: 'weights' | 'all';
}

export type MonitoredMetric = 'val_loss' | 'val_accuracy' | 'train_loss' | 'train_accuracy';

/** `training.early_stopping` (Keras' / Lightning's EarlyStopping semantics; torch has none). */
export interface EarlyStoppingSpec {
  monitor: MonitoredMetric;
  /** 'min' for losses, 'max' for accuracies; 'auto' picks by the metric's name. */
  mode: 'min' | 'max' | 'auto';
  /** Epochs without improvement before stopping (0 = stop at the first epoch that does not improve). */
  patience: number;
  /** An epoch improves only if it beats the best by more than this. */
  min_delta: number;
  /** At the end (stopped early or not), put back the weights of the best epoch. */
  restore_best_weights: boolean;
}

/**
 * `training.ema`: an exponential moving average of the weights (Polyak averaging, course notes 003:
 * "x_test = 0.995*x_test + 0.005*x, use for test set") that evaluation uses; training continues on
 * the raw weights. torch's reference: swa_utils.AveragedModel with
 * avg_fn = lambda avg, p, n: decay * avg + (1 - decay) * p (the first update copies).
 */
export interface EmaSpec {
  decay: number;
  /** Ramp the decay up as min(decay, (1 + n) / (10 + n)) after n updates (TF / timm warm-up). */
  warmup: boolean;
  /**
   * Also average the float buffers (BatchNorm running statistics), as AveragedModel(use_buffers=True).
   * Off: evaluation uses the raw model's current buffers with the averaged parameters.
   */
  use_buffers: boolean;
}

/** The optional parts of `training` that the loop reads beside epochs, batch_size, seed and shuffle. */
export interface TrainingExtrasSpec {
  clip_grad_norm?: ClipGradNormSpec;
  clip_grad_value?: ClipGradValueSpec;
  regularization?: RegularizationSpec;
  early_stopping?: EarlyStoppingSpec;
  ema?: EmaSpec;
}

/**
 * The top-level `checkpoint` section. The engine is given the bytes (it reads no files): the
 * caller reads `load` and hands them to the session, and writes what `onCheckpoint` delivers to
 * `save` (engine/checkpoint/checkpoint.ts describes the file).
 */
export interface CheckpointSpec {
  /** A .safetensors file to start from, relative to the experiment file. */
  load?: string;
  /**
   * 'weights': only the model's parameters and buffers (e.g. a torch `save_file(model.state_dict())`);
   * 'resume': the whole run state saved by this engine (optimizer, scheduler, epoch, step, RNG).
   */
  load_mode: 'weights' | 'resume';
  /** Where to write checkpoints, relative to the run's folder; absent = no checkpoints written. */
  save?: string;
  /** Save every this many epochs (0 = only at the end of the run). */
  save_every: number;
  /** Include the optimizer and scheduler state (needed to resume; weights-only files are smaller). */
  save_optimizer: boolean;
}
