/** The probes of a run: what they read of the model and the optimizer, set up once. */
import type { Sequential } from '../nn/sequential';
import { Lookahead } from '../optim/lookahead';
import type { Optimizer } from '../optim/optimizer';
import { ModelProbeTarget } from '../probes/modelTarget';
import type { ProbeOptimizer } from '../probes/optimizerState';
import { Prober } from '../probes/prober';
import { DEFAULT_PROBE_SETTINGS, type ProbeSettings } from '../probes/settings';
import type { LayerSpec } from '../nn/kinds';

export interface SessionProbing {
  prober: Prober;
  target: ModelProbeTarget;
  optimizer: ProbeOptimizer;
}

/**
 * The probes of a run, or undefined when `settings` turn them off (every 0 and no initialization
 * probe: then no scratch memory is taken either).
 */
export function createProbing(
  partial: Partial<ProbeSettings> = {},
  layers: readonly LayerSpec[],
  model: Sequential,
  optimizer: Optimizer,
  /** The rows of a training batch (the model may be sized for larger evaluation chunks). */
  batchRows: number,
): SessionProbing | undefined {
  const settings: ProbeSettings = { ...DEFAULT_PROBE_SETTINGS, ...partial };
  if (settings.every === 0 && !settings.at_init) return undefined;
  const target = new ModelProbeTarget(model, layers.map(layer => layer.type));
  return { prober: new Prober(target.layout(), settings, batchRows), target, optimizer: probeOptimizerOf(optimizer) };
}

/**
 * What the probe reads of the optimizer. Lookahead's own spec says nothing of the moments it
 * keeps, so the probe reads it as the inner optimizer (whose type and betas describe its state),
 * with the slow weights among the state.
 */
function probeOptimizerOf(optimizer: Optimizer): ProbeOptimizer {
  if (!(optimizer instanceof Lookahead)) return optimizer as unknown as ProbeOptimizer;
  return {
    get lr() {
      return optimizer.lr;
    },
    get momentum() {
      return optimizer.momentum;
    },
    spec: optimizer.inner.spec,
    states: () => optimizer.states(),
  } as ProbeOptimizer;
}
