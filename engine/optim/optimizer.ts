import type { Parameter } from '../core/parameter';

/** One value of an optimizer's per-parameter state: a tensor (flattened) or a number (torch's `step`). */
export type StateValue = Float32Array | number;
/** One parameter's state, under torch's key names (`step`, `exp_avg`, `momentum_buffer`, ...). */
export type ParamState = Record<string, StateValue>;
/**
 * A read-only look at one parameter's live state, under torch's key names: the optimizer's own
 * tensors (never copies), so read it before the next step and never write it. Tensors that are
 * empty stand for state torch does not have (amsgrad's max_exp_avg_sq without amsgrad, ...).
 */
export type ParamStateView = Readonly<Record<string, unknown>>;

/** The state of a parameter torch has none for (yet). */
export const NO_STATE: ParamStateView = Object.freeze({});

/**
 * An optimizer's checkpointable state in the shape of torch's `optimizer.state_dict()`: `state` by
 * parameter index (absent until the first step, as torch creates state lazily), and the single
 * param group's hyperparameters with `params: [0, 1, ...]`. Tensors are flat Float32Arrays; lists
 * of tensors (L-BFGS's history) are stored concatenated (see lbfgs.ts).
 */
export interface OptimizerStateDict {
  state: Record<number, ParamState>;
  param_groups: Record<string, unknown>[];
}

/** An optimizer's resolved settings (each optimizer's own type says which others it has). */
export interface OptimizerSettings {
  readonly type: string;
}

/** Updates parameters from their gradients, as a `torch.optim` optimizer with one param group. */
export interface Optimizer {
  readonly spec: OptimizerSettings;
  /** Current learning rate; starts at spec.lr, a scheduler may change it between steps. */
  lr: number;
  /**
   * The momentum-like coefficient schedulers may cycle: SGD/RMSprop `momentum`, the Adam family's
   * `betas[0]`; undefined when the optimizer has none (setting it then throws).
   */
  momentum: number | undefined;
  /** true for L-BFGS: step must be given a closure that re-evaluates the full-batch loss and grads. */
  readonly requiresClosure: boolean;
  /**
   * Applies one update from `param.grad`. `closure()` zeroes grads, recomputes loss and grads and
   * returns the loss; optimizers other than L-BFGS call it once first (as torch does) if given.
   */
  step(closure?: () => number): void;
  /** Sets every parameter's gradient to zero. */
  zeroGrad(): void;
  readonly params: readonly Parameter[];
  /** Values to evaluate with instead of the parameters (ASGD's averages `ax`), or undefined. */
  evaluationValues(): ReadonlyMap<Parameter, Float32Array> | undefined;
  /** Function evaluations so far (L-BFGS counts closure calls; others count steps). */
  readonly functionEvaluations: number;
  /**
   * The live per-parameter state, aligned with `params`, for looking at (probes): no copies, unlike
   * `stateDict()`. Each entry is NO_STATE until the optimizer has state for that parameter.
   */
  states(): readonly ParamStateView[];
  /** The state for checkpoints, in torch's `state_dict()` shape (values are copies). */
  stateDict(): OptimizerStateDict;
  /** Restores a `stateDict()`: the state, `lr` and `momentum`; other hyperparameters stay the spec's. */
  loadStateDict(sd: OptimizerStateDict): void;
}

/** Where an optimizer keeps the coefficient a scheduler cycles as `momentum`. */
export type MomentumKey = 'momentum' | 'betas';

/**
 * The loop every per-tensor optimizer shares (tinygrad-style): it owns the parameters, the learning
 * rate, the momentum coefficient and one state object per parameter, created once here so that
 * `step()` never allocates. A concrete optimizer supplies only the state's shape (its keys named as
 * torch's state keys, so `stateDict()` comes for free) and the update of one tensor — the body of
 * torch's `_single_tensor_<name>` loop (foreach=False).
 */
export abstract class BaseOptimizer<S extends OptimizerSettings & { readonly lr: number }, State extends object> implements Optimizer {
  lr: number;
  readonly requiresClosure: boolean = false;
  /** One per parameter; the objects and their buffers live as long as the optimizer. */
  protected readonly state: readonly State[];
  private momentumValue: number | undefined;
  /** Whether the state exists yet (torch creates it lazily at the first step). */
  private initialized = false;
  private steps = 0;

  /**
   * @param createState a parameter's fresh state (called again when a state dict lacks its entry).
   * @param momentumKey which hyperparameter `momentum` reads and writes: `momentum`, or `betas[0]`.
   */
  constructor(
    readonly spec: S,
    readonly params: readonly Parameter[],
    private readonly createState: (param: Parameter) => State,
    private readonly momentumKey?: MomentumKey,
  ) {
    checkDistinct(params);
    this.lr = spec.lr;
    this.momentumValue = momentumOf(spec, momentumKey);
    this.state = params.map(createState);
  }

  get momentum(): number | undefined {
    return this.momentumValue;
  }

  set momentum(value: number | undefined) {
    if (this.momentumKey === undefined) throw new TypeError(`optimizer '${this.spec.type}' has no momentum to set`);
    if (typeof value !== 'number') throw new TypeError(`momentum must be a number, not ${value}`);
    this.momentumValue = value;
  }

  get functionEvaluations(): number {
    return this.steps;
  }

  step(closure?: () => number): void {
    if (closure) closure();
    for (let i = 0; i < this.params.length; i++) this.updateParam(this.params[i], this.state[i]);
    this.initialized = true;
    this.steps++;
  }

  zeroGrad(): void {
    for (const param of this.params) param.zeroGrad();
  }

  evaluationValues(): ReadonlyMap<Parameter, Float32Array> | undefined {
    return undefined;
  }

  states(): readonly ParamStateView[] {
    return this.state.map((s) => (this.initialized ? this.viewState(s) : NO_STATE));
  }

  /**
   * One parameter's state as `states()` shows it: by default the state object itself (its keys are
   * torch's); an optimizer whose state object holds more than torch's state narrows it.
   */
  protected viewState(state: State): ParamStateView {
    return state as ParamStateView;
  }

  stateDict(): OptimizerStateDict {
    const state: Record<number, ParamState> = {};
    if (this.initialized) this.state.forEach((s, i) => (state[i] = this.exportState(s)));
    const { type: _type, ...hyper } = this.spec;
    const group: Record<string, unknown> = { ...hyper, lr: this.lr };
    if (Array.isArray(group.betas)) group.betas = [...group.betas];
    if (this.momentumKey === 'momentum') group.momentum = this.momentumValue;
    if (this.momentumKey === 'betas') group.betas = [this.momentumValue, (this.spec as unknown as { betas: number[] }).betas[1]];
    group.params = this.params.map((_, i) => i);
    return { state, param_groups: [group] };
  }

  loadStateDict(sd: OptimizerStateDict): void {
    const group = singleGroup(sd, this.params.length);
    this.params.forEach((param, i) => {
      const fresh = this.createState(param);
      const saved = sd.state[i];
      if (saved) this.importState(fresh, saved, param);
      // In place, so that buffers handed out (ASGD's averages) stay the live ones.
      assignState(this.state[i], fresh);
    });
    this.initialized = Object.keys(sd.state).length > 0;
    const step = sd.state[0]?.step;
    this.steps = typeof step === 'number' ? step : 0;
    if (typeof group.lr === 'number') this.lr = group.lr;
    if (this.momentumKey === 'momentum' && typeof group.momentum === 'number') this.momentumValue = group.momentum;
    if (this.momentumKey === 'betas' && Array.isArray(group.betas)) this.momentumValue = group.betas[0] as number;
  }

  /** A copy of one parameter's state under torch's keys; empty tensors (unused buffers) are left out. */
  protected exportState(state: State): ParamState {
    const out: ParamState = {};
    for (const [key, value] of Object.entries(state)) {
      if (value instanceof Float32Array) {
        if (value.length > 0) out[key] = value.slice();
      } else if (typeof value === 'number') {
        out[key] = value;
      }
    }
    return out;
  }

  /** Copies a saved state into a fresh one, key by key (what the saved state lacks stays fresh). */
  protected importState(fresh: State, saved: ParamState, param: Parameter): void {
    const target = fresh as Record<string, unknown>;
    for (const [key, value] of Object.entries(target)) {
      const from = saved[key];
      if (from === undefined) continue;
      if (value instanceof Float32Array) value.set(checkedTensor(from, value.length, `${param.name}.${key}`));
      else if (typeof value === 'number' && typeof from === 'number') target[key] = from;
    }
  }

  /** Applies one update to `param.data` from `param.grad`, reading and writing `state`. */
  protected abstract updateParam(param: Parameter, state: State): void;
}

/** Copies `source`'s values into `target` (same shape), keeping target's buffers. */
function assignState(target: object, source: object): void {
  const t = target as Record<string, unknown>;
  for (const [key, value] of Object.entries(source)) {
    if (value instanceof Float32Array) (t[key] as Float32Array).set(value);
    else t[key] = value;
  }
}

function momentumOf(spec: OptimizerSettings, key: MomentumKey | undefined): number | undefined {
  if (key === 'momentum') return (spec as unknown as { momentum: number }).momentum;
  if (key === 'betas') return (spec as unknown as { betas: [number, number] }).betas[0];
  return undefined;
}

/** torch.optim rejects a parameter listed twice (its update would be applied twice). */
export function checkDistinct(params: readonly Parameter[]): void {
  if (new Set(params).size !== params.length) {
    throw new RangeError('some parameters appear more than once in the optimizer');
  }
}

/** The state dict's only param group, checked against the optimizer's parameter count (as torch does). */
export function singleGroup(sd: OptimizerStateDict, paramCount: number): Record<string, unknown> {
  if (sd.param_groups.length !== 1) {
    throw new RangeError(`loaded state dict has ${sd.param_groups.length} parameter groups; this optimizer has 1`);
  }
  const group = sd.param_groups[0];
  const ids = group.params;
  if (Array.isArray(ids) && ids.length !== paramCount) {
    throw new RangeError(`loaded state dict has a parameter group of ${ids.length} parameters; this optimizer has ${paramCount}`);
  }
  return group;
}

/** A saved tensor of the expected length (a checkpoint from another model must not load silently). */
export function checkedTensor(value: StateValue, length: number, what: string): Float32Array {
  if (!(value instanceof Float32Array) || value.length !== length) {
    const got = value instanceof Float32Array ? `${value.length} values` : `the number ${value}`;
    throw new RangeError(`optimizer state '${what}' has ${got}; expected ${length} values`);
  }
  return value;
}
