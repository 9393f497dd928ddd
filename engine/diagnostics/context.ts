import type { ExperimentSpec } from '../experiment/spec';
import type { JsonPath } from '../experiment/specError';

/** One layer of the experiment's model, as the rules need it. */
export interface ContextLayer {
  /** Position in `model`: the path ["model", index]. */
  index: number;
  /** The layer's `type` ('linear', 'relu', ...). */
  kind: string;
  /** Linear / maxout width as written (undefined on the last one, which gets the output count). */
  outFeatures?: number;
}

/** What the rules know about the run besides what it reports: the experiment, resolved. */
export interface RunContext {
  task: 'classification' | 'regression';
  /** ln C for cross-entropy over C classes (RunHeader.expectedInitialLoss); absent otherwise. */
  expectedInitialLoss?: number;
  layers: readonly ContextLayer[];
  optimizer: {
    type: string;
    /** The learning rate as written in the experiment. */
    lr: number;
    /** Where it is: ["optimizer", "lr"], or ["optimizer", "optimizer", "lr"] inside lookahead. */
    lrPath: JsonPath;
    /** The optimizer's L2 weight decay, when it has that key. */
    weightDecay?: number;
    weightDecayPath?: JsonPath;
  };
  /** The data's `type`, and for CSV files whether features are standardized. */
  data: { type: string; standardize?: boolean };
  /** The experiment's `init.weight.type`. */
  initWeight: string;
  /** Whether gradient clipping (training.clip_grad_norm / clip_grad_value) is on. */
  clipping: boolean;
}

/**
 * The context of a run of `spec`. `header` is the RunHeader's task and expected initial loss (the
 * loss module knows ln C; the spec alone does not know the class count of a CSV file).
 */
export function runContextFromSpec(
  spec: ExperimentSpec,
  header: { task: 'classification' | 'regression'; expectedInitialLoss?: number },
): RunContext {
  const outer = spec.optimizer;
  const inner = outer.type === 'lookahead' ? outer.optimizer : outer;
  const base: JsonPath = outer.type === 'lookahead' ? ['optimizer', 'optimizer'] : ['optimizer'];
  const optimizer: RunContext['optimizer'] = { type: inner.type, lr: inner.lr, lrPath: [...base, 'lr'] };
  if ('weight_decay' in inner && typeof inner.weight_decay === 'number') {
    optimizer.weightDecay = inner.weight_decay;
    optimizer.weightDecayPath = [...base, 'weight_decay'];
  }
  const training = spec.training as unknown as Record<string, unknown>;
  const context: RunContext = {
    task: header.task,
    layers: spec.model.map((layer, index): ContextLayer => {
      const entry: ContextLayer = { index, kind: layer.type };
      if ((layer.type === 'linear' || layer.type === 'maxout') && layer.out_features !== undefined) entry.outFeatures = layer.out_features;
      return entry;
    }),
    optimizer,
    data: spec.data.type === 'csv' ? { type: 'csv', standardize: spec.data.standardize } : { type: spec.data.type },
    initWeight: spec.init.weight.type,
    clipping: training.clip_grad_norm != null || training.clip_grad_value != null,
  };
  if (header.expectedInitialLoss !== undefined) context.expectedInitialLoss = header.expectedInitialLoss;
  return context;
}
