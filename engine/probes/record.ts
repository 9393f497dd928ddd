/**
 * What a probe records: a look inside the network at one training step. Probe records
 * travel with the metric records (worker → host → run files as JSON lines → charts), so they are
 * plain JSON: finite numbers only (statistics are over the finite values; non-finite ones are
 * counted, never stored), fixed-size histograms, percentiles as arrays aligned with
 * PROBE_PERCENTILES. A record of the 784-256-256-10 MLP is about 4 KB.
 */

/** Percentile levels (in %) of every activation summary, in the order of `percentiles`. */
export const PROBE_PERCENTILES: readonly number[] = [1, 5, 25, 50, 75, 95, 99];

/**
 * Percentile levels (in %) of the distributions drawn over time (activations, gradients, weights):
 * TensorBoard's — the minimum, the points ±1.5σ, ±1σ, ±0.5σ from the median of a normal
 * distribution, the median and the maximum — so nested bands read as 87 %, 68 % and 38 % of the
 * values. The first and last are the exact minimum and maximum.
 */
export const DISTRIBUTION_PERCENTILES: readonly number[] = [0, 6.68, 15.87, 30.85, 50, 69.15, 84.13, 93.32, 100];

/** Percentile levels (in %) of an Adam-family optimizer's per-element effective learning rate. */
export const EFFECTIVE_LR_PERCENTILES: readonly number[] = [5, 50, 95];

/**
 * Fixed bins over [lo, hi]: bin i counts values in [lo + i·w, lo + (i+1)·w), w = (hi − lo)/bins,
 * the last bin including hi. Values below lo / above hi are counted in `under` / `over`.
 * Activations are binned over their 1st–99th percentiles (one outlier cannot squash the picture;
 * about 2 % of the values land in under/over), weights over their min–max (under = over = 0).
 * When lo = hi every value equal to it is in bin 0. Non-finite values are in no bin.
 */
export interface Histogram {
  lo: number;
  hi: number;
  counts: number[];
  under: number;
  over: number;
}

/** Mean, population standard deviation (as numpy's std) and range of the finite values. */
export interface ValueStats {
  /** Finite values summarized. */
  count: number;
  /** NaN or ±Infinity values (excluded from every statistic). */
  nonfinite: number;
  mean: number;
  std: number;
  min: number;
  max: number;
}

/**
 * Where a layer's output sits around the nonlinearities: the output of an activation layer is
 * 'activation' (post-activation); the output of the layer just before an activation (a linear,
 * batch norm, ...) is 'pre-activation'; the model's last layer is 'output'; anything else 'other'.
 */
export type LayerRole = 'pre-activation' | 'activation' | 'output' | 'other';

/** One layer's output over the probe batch (rows × features values). */
export interface LayerProbe extends ValueStats {
  /** Position in the model: the experiment's ["model", index]. */
  index: number;
  /** The layer's short description, e.g. "Linear(2 → 64)", "ReLU". */
  name: string;
  /** The experiment's layer type: 'linear', 'relu', 'tanh', ... */
  kind: string;
  role: LayerRole;
  features: number;
  /** At PROBE_PERCENTILES (numpy's default 'linear' interpolation) over the finite values: exact, or over a uniform sample from SAMPLE_FROM values up (stats.ts). */
  percentiles: number[];
  histogram: Histogram;
  /** ReLU layers: units that output exactly zero for every row of the probe batch. */
  dead?: number;
  dead_fraction?: number;
  /**
   * tanh / sigmoid layers: fraction of the output values that are saturated (tanh: |y| > level;
   * sigmoid: y > level or y < 1 − level; level = probes.saturation, default 0.97).
   */
  saturated_fraction?: number;
  /** At DISTRIBUTION_PERCENTILES over the finite output values (as `percentiles`). */
  distribution?: number[];
  /** Root mean square of ∂loss/∂output over the batch, when the loop hands the layer gradients in. */
  grad_rms?: number;
  /** ∂loss/∂output over the batch at DISTRIBUTION_PERCENTILES (as `percentiles`), when the loop hands gradients in. */
  grad_distribution?: number[];
}

/** One parameter tensor around one optimizer step. */
export interface ParamProbe {
  /** torch state_dict key, e.g. "0.weight". */
  name: string;
  shape: number[];
  /** ‖θ‖₂ before the step (the weights that produced this step's activations and gradient). */
  norm: number;
  /** ‖∇θ‖₂ of the gradient the optimizer used. */
  grad_norm: number;
  /** ‖θ_after − θ_before‖₂ of the actual step (absent when no snapshot was taken before it). */
  update_norm?: number;
  /** update_norm / norm, the course's update/weight ratio ("want ~1e-3"); absent when norm = 0. */
  update_ratio?: number;
  /** Of the values before the step, over their min–max. */
  histogram: Histogram;
  /** The values before the step at DISTRIBUTION_PERCENTILES, as `percentiles` (weight matrices only: shape of 2+ dimensions). */
  distribution?: number[];
  /** Non-finite values in the parameter after the step (a NaN/Inf that the step produced). */
  nonfinite: number;
  /** Non-finite values in the gradient. */
  grad_nonfinite: number;
}

export interface OptimizerParamState {
  name: string;
  /** Root mean square of each state tensor, under torch's state keys (exp_avg, momentum_buffer, ...). */
  rms: Record<string, number>;
  /**
   * Adam / AdamW: the per-element step lr/(1 − β1ᵗ) / (√(v/(1 − β2ᵗ)) + eps) that multiplies the
   * first moment, at EFFECTIVE_LR_PERCENTILES.
   */
  effective_lr?: number[];
}

export interface OptimizerProbe {
  /** The optimizer's experiment type ('sgd', 'adam', ...). */
  type: string;
  /** torch's per-parameter `step` count, when the state has one. */
  step?: number;
  /** Per parameter, in the order of ProbeRecord.params; absent when the loop gives no state access. */
  state?: OptimizerParamState[];
}

export interface RangeStats {
  mean: number;
  min: number;
  max: number;
}

/** A batch norm layer's running statistics (what evaluation normalizes with). */
export interface BatchNormProbe {
  /** The layer's state_dict prefix (its index in the model), e.g. "1". */
  name: string;
  features: number;
  running_mean: RangeStats;
  running_var: RangeStats;
  batches_tracked?: number;
}

/**
 * One probe. Step N's record describes step N as StepRecord N does: activations and gradients of
 * its forward/backward, weights before its update, and the update it made. The first step's record
 * is the initialization probe (`initial: true`): weights, activations and gradients at init.
 */
export interface ProbeRecord {
  kind: 'probe';
  /** 1-based global step. */
  step: number;
  /** 1-based epoch. */
  epoch: number;
  initial?: true;
  /** Rows of the probe batch (the step's mini-batch). */
  rows: number;
  /** Learning rate the step used. */
  lr: number;
  /** Momentum coefficient the step used (SGD/RMSprop momentum, Adam family β1), when there is one. */
  momentum?: number;
  /** ‖(‖g₁‖, ‖g₂‖, …)‖₂ over all parameters: torch's clip_grad_norm_ total norm. */
  total_grad_norm: number;
  layers: LayerProbe[];
  params: ParamProbe[];
  optimizer?: OptimizerProbe;
  batchnorm?: BatchNormProbe[];
}
