/**
 * Which findings explain which. A run that goes wrong for one reason shows it in many ways: weights
 * too small at initialization make the activations vanish, then the gradients, then the update
 * ratios, then the loss stays flat and the model underfits. Reporting each as its own problem —
 * most of them blaming the learning rate — buries the cause. So a finding whose cause has already
 * been found is folded into that cause as a consequence, and a run-stopping error that follows
 * from it is blamed on the cause's key.
 *
 * Keys are `rule` (any target) or `rule:target`. Causes are listed most fundamental first: the
 * first one found is the one a symptom is folded into.
 */
export const CAUSES: Readonly<Record<string, readonly string[]>> = {
  // What was so at initialization and is still so later is the same finding.
  'saturated-units:training': ['saturated-units:init'],
  // Steps too large knock ReLUs into the dead state (course notes: "with too high a learning rate").
  'dead-relu:training': ['dead-relu:init', 'update-ratio:high'],
  // Layers that blow the signal up make large logits: the first loss is a consequence.
  'initial-loss:high': ['exploding-activations', 'saturated-units:init'],
  // At initialization the gradients vanish or blow up with the signal that carries them.
  'vanishing-gradients': ['vanishing-activations', 'saturated-units:init', 'dead-relu:init'],
  'exploding-gradients': ['exploding-activations', 'saturated-units:init'],
  // Units that pass no signal or no gradient learn nothing, whatever the learning rate.
  'update-ratio:low': ['vanishing-activations', 'saturated-units', 'dead-relu', 'vanishing-gradients', 'loss-flat'],
  'loss-flat': ['vanishing-activations', 'saturated-units', 'dead-relu', 'vanishing-gradients', 'update-ratio:low'],
  underfitting: ['vanishing-activations', 'saturated-units', 'dead-relu', 'vanishing-gradients', 'loss-flat', 'update-ratio:low'],
  // Weights too large at initialization: saturated or exploding layers make huge logits and steps.
  'update-ratio:high': ['exploding-activations', 'saturated-units:init', 'exploding-gradients'],
  'exploding-loss': ['saturated-units:init', 'exploding-activations', 'exploding-gradients'],
  'nan-loss': ['saturated-units:init', 'exploding-activations', 'exploding-gradients'],
  'nan-parameters': ['saturated-units:init', 'exploding-activations', 'exploding-gradients'],
};

/** Whether a finding of `rule` about `target` is what `causeKey` names. */
export function matches(causeKey: string, rule: string, target: string | undefined): boolean {
  const [causeRule, causeTarget] = causeKey.split(':');
  return causeRule === rule && (causeTarget === undefined || causeTarget === target);
}

/** The causes that would explain a finding of `rule` about `target`, most fundamental first. */
export function causesOf(rule: string, target: string | undefined): readonly string[] {
  return (target !== undefined ? CAUSES[`${rule}:${target}`] : undefined) ?? CAUSES[rule] ?? [];
}
