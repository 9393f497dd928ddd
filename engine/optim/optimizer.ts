import type { OptimizerSpec } from './spec';
import { SpecError } from '../experiment/specError';
import type { Parameter } from '../nn/parameter';

/** Updates parameters from their gradients, as a `torch.optim` optimizer with one param group. */
export interface Optimizer {
  readonly spec: OptimizerSpec;
  /** Current learning rate; starts at spec.lr, a scheduler may change it between steps. */
  lr: number;
  /** Applies one update to every parameter from `param.grad`. */
  step(): void;
  /** Sets every parameter's gradient to zero. */
  zeroGrad(): void;
  readonly params: readonly Parameter[];
}

/**
 * The loop every optimizer shares (tinygrad-style): it owns the parameters, the learning rate and one
 * state object per parameter, created once here so that `step()` never allocates. A concrete
 * optimizer supplies only the state's shape and the update of one tensor — the body of torch's
 * `_single_tensor_<name>` loop (foreach=False).
 */
export abstract class BaseOptimizer<S extends OptimizerSpec, State> implements Optimizer {
  lr: number;
  protected readonly state: readonly State[];

  constructor(
    readonly spec: S,
    readonly params: readonly Parameter[],
    createState: (param: Parameter) => State,
  ) {
    if (!(spec.lr >= 0)) invalid(`Invalid learning rate: ${spec.lr}`, 'lr');
    if (new Set(params).size !== params.length) {
      throw new RangeError('some parameters appear more than once in the optimizer');
    }
    this.lr = spec.lr;
    this.state = params.map(createState);
  }

  step(): void {
    for (let i = 0; i < this.params.length; i++) this.updateParam(this.params[i], this.state[i]);
  }

  zeroGrad(): void {
    for (const param of this.params) param.zeroGrad();
  }

  /** Applies one update to `param.data` from `param.grad`, reading and writing `state`. */
  protected abstract updateParam(param: Parameter, state: State): void;
}

/**
 * Rejects a hyperparameter torch's constructor would reject, pointing at its key in the experiment
 * (the parser normally catches these first; this guards programmatic use).
 */
export function invalid(message: string, key: string): never {
  throw new SpecError(message, ['optimizer', key]);
}
