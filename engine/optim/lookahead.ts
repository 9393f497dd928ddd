import type * as z from 'zod';
import { kind } from '../core/options';
import type { Parameter } from '../core/parameter';
import { PLAIN_OPTIMIZERS } from './plain';
import { positiveInteger, unitInterval } from './options';
import { checkedTensor, type Optimizer, type OptimizerStateDict, type ParamState, type ParamStateView } from './optimizer';

/**
 * Lookahead (Zhang et al. 2019) around `optimizer`: every k inner steps the slow weights move
 * alpha of the way to the fast weights, and the fast weights restart from them. Not in torch.optim.
 */
export const lookaheadOptions = kind(
  'lookahead',
  'Lookahead (Zhang et al., 2019): every `k` steps of the inner `optimizer`, the slow weights move `alpha` of the way to the fast ones.',
  {
    k: positiveInteger(5, 'Inner steps between two synchronizations of the slow weights.'),
    alpha: unitInterval(0.5, 'How far the slow weights move toward the fast weights at each synchronization, in [0, 1].'),
    optimizer: PLAIN_OPTIMIZERS.option(
      'The optimizer Lookahead wraps (that of the "fast" weights), e.g. { "type": "adam", "lr": 0.001 } or "sgd".',
      { missingHint: '(the optimizer it wraps, e.g. "optimizer": { "type": "adam", "lr": 0.001 })' },
    ),
  },
);
export type LookaheadSpec = z.output<typeof lookaheadOptions>;

/**
 * Lookahead (Zhang, Lucas, Hinton & Ba, "Lookahead Optimizer: k steps forward, 1 step back", 2019,
 * Algorithm 1) around any optimizer. Slow weights φ start as the parameters; the inner optimizer
 * moves the parameters (the fast weights θ) for k steps, then
 *   φ ← φ + α·(θ − φ);   θ ← φ
 * and the next k steps start from the new slow weights. The inner optimizer's state (momenta,
 * second moments) carries on across the synchronisations, as in the paper's experiments and in
 * common implementations (timm). torch.optim has no Lookahead; the checkpoint keys follow timm's
 * (`lookahead_slow_buff` per parameter; `lookahead_k`, `lookahead_alpha`, `lookahead_step` in the
 * param group).
 */
export class Lookahead implements Optimizer {
  readonly requiresClosure: boolean;
  private readonly slow: Float32Array[];
  /** Inner steps since the start (a synchronisation follows every k-th). */
  private steps = 0;

  constructor(
    readonly spec: LookaheadSpec,
    readonly inner: Optimizer,
  ) {
    this.requiresClosure = inner.requiresClosure;
    this.slow = inner.params.map((p) => p.data.slice());
  }

  get params(): readonly Parameter[] {
    return this.inner.params;
  }

  get lr(): number {
    return this.inner.lr;
  }

  set lr(value: number) {
    this.inner.lr = value;
  }

  get momentum(): number | undefined {
    return this.inner.momentum;
  }

  set momentum(value: number | undefined) {
    this.inner.momentum = value;
  }

  get functionEvaluations(): number {
    return this.inner.functionEvaluations;
  }

  step(closure?: () => number): void {
    this.inner.step(closure);
    this.steps++;
    if (this.steps % this.spec.k === 0) this.synchronise();
  }

  zeroGrad(): void {
    this.inner.zeroGrad();
  }

  evaluationValues(): ReadonlyMap<Parameter, Float32Array> | undefined {
    return this.inner.evaluationValues();
  }

  /** φ ← φ + α·(θ − φ), then θ ← φ. */
  private synchronise(): void {
    const alpha = this.spec.alpha;
    this.inner.params.forEach((param, i) => {
      const fast = param.data;
      const slow = this.slow[i];
      for (let j = 0; j < fast.length; j++) {
        slow[j] += alpha * (fast[j] - slow[j]);
        fast[j] = slow[j];
      }
    });
  }

  /** The inner optimizer's live state with the slow weights added (as in stateDict, uncopied). */
  states(): readonly ParamStateView[] {
    return this.inner.states().map((state, i) => ({ ...state, lookahead_slow_buff: this.slow[i] }));
  }

  stateDict(): OptimizerStateDict {
    const inner = this.inner.stateDict();
    const state: Record<number, ParamState> = {};
    this.slow.forEach((slow, i) => (state[i] = { ...(inner.state[i] ?? {}), lookahead_slow_buff: slow.slice() }));
    const group = {
      ...inner.param_groups[0],
      lookahead_k: this.spec.k,
      lookahead_alpha: this.spec.alpha,
      lookahead_step: this.steps,
    };
    return { state, param_groups: [group] };
  }

  loadStateDict(sd: OptimizerStateDict): void {
    const innerState: Record<number, ParamState> = {};
    for (const [key, saved] of Object.entries(sd.state)) {
      const { lookahead_slow_buff: _slow, ...rest } = saved;
      // The inner optimizer's state exists only once it has stepped (an entry of just the slow
      // weights means it had not).
      if (Object.keys(rest).length > 0) innerState[Number(key)] = rest;
    }
    const groups = sd.param_groups.map(({ lookahead_k: _k, lookahead_alpha: _a, lookahead_step: _s, ...rest }) => rest);
    this.inner.loadStateDict({ state: innerState, param_groups: groups });
    this.inner.params.forEach((param, i) => {
      const saved = sd.state[i]?.lookahead_slow_buff;
      if (saved !== undefined) this.slow[i].set(checkedTensor(saved, param.size, `${param.name}.lookahead_slow_buff`));
    });
    const step = sd.param_groups[0]?.lookahead_step;
    this.steps = typeof step === 'number' ? step : 0;
  }
}
