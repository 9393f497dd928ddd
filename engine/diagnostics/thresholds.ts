/**
 * Every number the diagnostic rules compare against, with its default and meaning. Defaults come
 * from the course notes where they state one (3× the initial cost, update/weight ratio ~1e-3,
 * ln C) and otherwise are chosen to stay quiet on healthy runs.
 */
import * as z from 'zod';

export const thresholdOptions = z
  .strictObject({
    explodingLossFactor: z.number().min(1).default(3).describe(
      "Stop the run when the loss trend (most of the last 25 mini-batch losses, or an epoch's training loss) exceeds this many times the initial loss (course notes: \"if the cost is ever > 3 × original cost, break out early\").",
    ),
    initialLossTolerance: z.number().min(0).default(0.5).describe(
      "Classification: warn when the first loss is further than this (in nats) from ln(C), the loss of a network that predicts uniform probabilities over C classes. Logits of standard deviation s raise it by about s²/2, so 0.5 ≈ logits of std 1.",
    ),
    initialLossLayerGain: z.number().min(1).default(4).describe(
      "When the first loss is too high: a layer with weights whose output's standard deviation at initialization is more than this many times its input's is blamed (its own init, or the experiment's). Layers initialized for their fan-in keep it near 1–2.",
    ),
    flatWindow: z.int().min(4).default(200).describe("Steps over which \"the loss barely moves\" is judged."),
    flatRelativeChange: z.number().min(0).default(0.01).describe(
      "The loss counts as not moving when the mean of the second half of the window differs from the mean of the first half by less than this fraction.",
    ),
    flatNearInitial: z.number().min(0).default(0.9).describe(
      "Only report a flat loss while it is still above this fraction of the initial loss (a loss that went down and then levelled off has converged; that is not a learning rate too low).",
    ),
    updateRatioLow: z.number().min(0).default(0.0001).describe(
      "Update/weight ratio ‖Δθ‖/‖θ‖ of a weight tensor below this is too low (course notes: \"want ~1e-3\").",
    ),
    updateRatioLossFraction: z.number().min(0).max(1).default(0.5).describe(
      "Update ratios out of range are reported only while the recent training loss is above this fraction of the initial loss: a model that has learned takes small steps as it converges (SGD's steps shrink with its gradient) and its small output layer may move fast; neither is a learning rate to change.",
    ),
    updateRatioHigh: z.number().min(0).default(0.01).describe("Update/weight ratio above this is too high."),
    sustainProbes: z.int().min(1).default(3).describe(
      "Consecutive probes a per-layer condition (update ratio, dead units, saturation, gradient scale) must hold before it is reported; the initialization probe alone suffices for the conditions checked at initialization.",
    ),
    deadFraction: z.number().min(0).max(1).default(0.5).describe(
      "Report a ReLU layer when more than this fraction of its units output zero for the whole probe batch.",
    ),
    deadMinRows: z.int().min(1).default(8).describe(
      "Judge dead ReLUs only on probe batches of at least this many rows: a healthy unit is silent for about half the examples, so for r rows a fraction 0.5^r of healthy units looks dead (0.4 % at 8 rows).",
    ),
    saturatedFraction: z.number().min(0).max(1).default(0.5).describe(
      "Report a tanh or sigmoid layer when more than this fraction of its outputs are saturated.",
    ),
    activationRatioLow: z.number().min(0).default(0.75).describe(
      "At initialization, activations vanish when each activation layer keeps less than this fraction of the previous one's standard deviation, over `depthRun` layers in a row (course notes: 0.01·randn on tanh loses ~78 % per layer; Xavier on ReLU ~30 %, \"it breaks\").",
    ),
    activationRatioHigh: z.number().min(1).default(1.33).describe(
      "At initialization, activations explode when each activation layer's standard deviation exceeds the previous one's by this factor, over `depthRun` layers in a row.",
    ),
    gradientRatioLow: z.number().min(0).default(0.75).describe(
      "Gradients vanish when, going back one activation layer, the RMS of ∂loss/∂output keeps less than this fraction, over `depthRun` layers in a row.",
    ),
    gradientRatioHigh: z.number().min(1).default(2).describe(
      "Gradients explode when, going back one activation layer, their RMS grows by more than this factor, over `depthRun` layers in a row. Layers initialized for their nonlinearity (Xavier with tanh's gain, Kaiming for ReLU) grow it by up to ~1.5× per layer, which trains fine; weights too large multiply it by several times per layer.",
    ),
    depthRun: z.int().min(1).default(3).describe(
      "Consecutive layer-to-layer ratios that must all be out of range for the vanishing/exploding rules (3 = four activation layers).",
    ),
    overfitEpochs: z.int().min(1).default(3).describe("Overfitting: epochs in a row over which the gap between validation and training loss must have grown."),
    overfitRelativeGap: z.number().min(0).default(0.1).describe(
      "Overfitting: and the validation loss must exceed the training loss by at least this fraction.",
    ),
    overfitMinGap: z.number().min(0).default(0.05).describe(
      "Overfitting: and the gap must be at least this fraction of the initial loss. Near a loss of zero, noise between two small numbers is a large relative gap; this keeps a well-trained model from being called overfitted.",
    ),
    underfitMinEpochs: z.int().min(2).default(3).describe("Underfitting is judged from this epoch on."),
    underfitMaxGap: z.number().min(0).default(0.05).describe(
      "Underfitting: validation and training loss within this fraction of each other count as \"no gap\".",
    ),
    underfitPlateau: z.number().min(0).default(0.01).describe("Underfitting: the training loss improved by less than this fraction over the last epoch."),
    underfitLossFraction: z.number().min(0).default(0.5).describe("Underfitting: the training loss is still above this fraction of the initial loss."),
  })
  .describe('The numbers the rules compare against; a key left out keeps its default.');

export type DiagnosticThresholds = z.output<typeof thresholdOptions>;
export type ThresholdKey = keyof DiagnosticThresholds;

export const DEFAULT_THRESHOLDS: Readonly<DiagnosticThresholds> = thresholdOptions.parse({});
