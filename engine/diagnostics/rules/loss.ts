/**
 * Rules on the loss curve, from the course notes' "babysitting the learning process": NaN, the
 * 3× explosion rule, the ln(C) sanity check at initialization, and a loss that does not move.
 */
import type { ProbeRecord } from '../../probes/record';
import type { RunContext } from '../context';
import type { FindingDraft } from '../finding';
import { formatNumber, percent, scaleLearningRate, weightInitOf } from '../fixes';
import type { DiagnosticRule } from '../rule';
import type { DiagnosticThresholds } from '../thresholds';

const NAN_GUIDANCE = 'NaN almost always means the learning rate is too high (course notes, "babysitting the learning process")';

export const nanLoss: DiagnosticRule = {
  id: 'nan-loss',
  severity: 'error',
  title: 'Loss is NaN or infinite',
  description: 'A step loss, or an epoch\'s training or validation loss, is NaN or infinite. Stops the run.',
  on: ['step', 'epoch'],
  thresholds: [],
  check(obs) {
    let value: number | undefined;
    let where = '';
    if (obs.event === 'step' && obs.lastLoss !== undefined && !Number.isFinite(obs.lastLoss)) {
      value = obs.lastLoss;
      where = `at step ${obs.step}`;
    } else if (obs.event === 'epoch') {
      const last = obs.epochs[obs.epochs.length - 1];
      if (last !== undefined) {
        const broken = [last.train_loss, last.val_loss].find((loss) => loss !== undefined && !Number.isFinite(loss));
        if (broken !== undefined) {
          value = broken;
          where = `in the evaluation after epoch ${last.epoch}`;
        }
      }
    }
    if (value === undefined) return [];
    return [
      {
        headline: `the loss became ${value} ${where}`,
        observation: `The loss became ${value} ${where}; the run stops here.`,
        message:
          `The loss became ${value} ${where}. ${NAN_GUIDANCE}: the updates overshoot until the numbers overflow. ` +
          `The run stops here; lower the learning rate (now ${formatNumber(obs.context.optimizer.lr)}).`,
        path: [...obs.context.optimizer.lrPath],
        fix: scaleLearningRate(obs.context, 0.1),
      },
    ];
  },
};

export const nanParameters: DiagnosticRule = {
  id: 'nan-parameters',
  severity: 'error',
  title: 'Parameters or gradients are NaN or infinite',
  description: 'A probe finds NaN or infinite values in a parameter after the step, or in its gradient. Stops the run.',
  on: ['probe'],
  thresholds: [],
  check(obs) {
    const probe = obs.probes[obs.probes.length - 1];
    if (probe === undefined) return [];
    const broken = probe.params.filter((p) => p.nonfinite > 0 || p.grad_nonfinite > 0);
    if (broken.length === 0) return [];
    const values = broken.reduce((sum, p) => sum + p.nonfinite, 0);
    const grads = broken.reduce((sum, p) => sum + p.grad_nonfinite, 0);
    const what = [values > 0 ? `${values} weight values` : '', grads > 0 ? `${grads} gradient values` : ''].filter(Boolean).join(' and ');
    const seen = `At step ${probe.step}, ${what} of ${broken.map((p) => p.name).join(', ')} became NaN or infinite`;
    return [
      {
        headline: `${what} became NaN or infinite`,
        observation: `${seen}; the run stops here.`,
        message:
          `${seen}. ${NAN_GUIDANCE}. ` +
          `The run stops here; lower the learning rate (now ${formatNumber(obs.context.optimizer.lr)}).`,
        path: [...obs.context.optimizer.lrPath],
        fix: scaleLearningRate(obs.context, 0.1),
        evidence: { nonfinite: values, grad_nonfinite: grads },
      },
    ];
  },
};

/**
 * Steps the exploding-loss rule looks back over: the loss explodes when most of them are above the
 * threshold. One mini-batch of a small batch size can be ten or a hundred times the trend (a hard
 * batch); a learning rate too high keeps the loss up step after step.
 */
const EXPLODING_STEPS = 25;

export const explodingLoss: DiagnosticRule = {
  id: 'exploding-loss',
  severity: 'error',
  title: 'Loss exploding',
  description:
    'The trend of the loss exceeds `explodingLossFactor` (3) times the initial loss: most of the last 25 mini-batch losses, or an epoch\'s training loss, are above it. Stops the run.',
  on: ['step', 'epoch'],
  thresholds: ['explodingLossFactor'],
  check(obs, t) {
    const initial = obs.initialLoss;
    if (initial === undefined || !(initial > 0) || !Number.isFinite(initial)) return [];
    const limit = t.explodingLossFactor * initial;
    let loss: number;
    let what: string;
    if (obs.event === 'epoch') {
      const epoch = obs.epochs[obs.epochs.length - 1];
      if (epoch === undefined || !(Number.isFinite(epoch.train_loss) && epoch.train_loss > limit)) return [];
      loss = epoch.train_loss;
      what = `The training loss after epoch ${epoch.epoch} is ${formatNumber(loss)}`;
    } else {
      // Checked only when the latest loss is above the limit (a count over the window then).
      const last = obs.lastLoss;
      if (last === undefined || !(Number.isFinite(last) && last > limit)) return [];
      const window = obs.losses;
      const n = Math.min(window.size, EXPLODING_STEPS);
      if (n < 3) return [];
      const recent: number[] = [];
      for (let i = window.size - n; i < window.size; i++) recent.push(window.at(i));
      if (recent.filter((v) => v > limit).length * 2 <= n) return [];
      loss = recent.sort((a, b) => a - b)[Math.floor(n / 2)];
      what = `The loss has been above ${formatNumber(limit)} for most of the last ${n} steps (median ${formatNumber(loss)} at step ${obs.step})`;
    }
    const seen = `${what}, more than ${formatNumber(t.explodingLossFactor)}× the initial loss ${formatNumber(initial)}: training is exploding`;
    return [
      {
        headline: `the loss exploded to more than ${formatNumber(t.explodingLossFactor)}× its initial value`,
        observation: `${seen}; the run stops here.`,
        message:
          `${seen}. ` +
          `The course notes' rule: "if the cost is ever > 3 × original cost, break out early" — the learning rate ` +
          `(${formatNumber(obs.context.optimizer.lr)}) is too high.`,
        path: [...obs.context.optimizer.lrPath],
        fix: scaleLearningRate(obs.context, 0.1),
        evidence: { loss, initial_loss: initial, factor: loss / initial },
      },
    ];
  },
};

export const initialLoss: DiagnosticRule = {
  id: 'initial-loss',
  severity: 'warning',
  title: 'Initial loss far from ln(C)',
  description:
    'Classification with cross-entropy: the first step\'s loss is further than `initialLossTolerance` (0.5) from ln(C), the loss of a network that does not know the classes yet. ' +
    'Either way the logits start large: blames the layer whose weights scale the signal up by more than `initialLossLayerGain` (4×) at initialization (from the initialization probe), else large inputs, else the initialization — when that is scaled to the fan-in, only beyond twice the tolerance (a low loss with none of these is left alone).',
  // Judged on the initialization probe when there is one (it shows which layer scales the signal up); else one step later.
  on: ['step', 'probe'],
  thresholds: ['initialLossTolerance', 'initialLossLayerGain'],
  check(obs, t) {
    const expected = obs.context.expectedInitialLoss;
    const loss = obs.initialLoss;
    if (obs.context.task === 'regression' || expected === undefined || loss === undefined || !Number.isFinite(loss)) return [];
    const probe = obs.initialProbe;
    if (obs.event === 'probe' ? probe === undefined || obs.probes[obs.probes.length - 1] !== probe : probe !== undefined || obs.step < 2) return [];
    const high = loss > expected + t.initialLossTolerance;
    const low = loss < expected - t.initialLossTolerance;
    if (!high && !low) return [];
    const classes = Math.round(Math.exp(expected));
    const evidence = { initial_loss: loss, expected, classes };
    const reference =
      `ln(${classes}) = ${formatNumber(expected)}, the loss of a network that does not know the classes yet ` +
      `(course notes: "double check that the loss is reasonable" — 2.3 is "correct" for 10 classes)`;
    // Below ln(C) at initialization the logits are large too, and happen to point the right way: the
    // same miscalibration (random weights cannot know the classes), found the same way.
    const side = high ? 'high' : 'low';
    const found = largeLogits(obs.context, probe, loss, reference, evidence, t, side);
    return found ? [{ target: side, ...found }] : [];
  },
};

/** Inputs whose spread or size is beyond this are "on a large scale" (standardized features have std 1). */
const LARGE_INPUT_STD = 5;
const LARGE_INPUT_ABS = 50;

/**
 * The first loss is far from ln(C): the logits start large (confidently wrong when the loss is high,
 * right by chance when it is low). Which key to change: the layer whose weights scale the signal up
 * most (seen in the initialization probe) — its own init, or the experiment's; without such a layer,
 * inputs on a large scale; else the initialization (for a low loss, nothing: no cause to name).
 */
function largeLogits(
  context: RunContext,
  probe: ProbeRecord | undefined,
  loss: number,
  reference: string,
  evidence: Record<string, number>,
  t: Pick<DiagnosticThresholds, 'initialLossLayerGain' | 'initialLossTolerance'>,
  side: 'high' | 'low',
): FindingDraft | undefined {
  const start =
    side === 'high'
      ? `The first loss is ${formatNumber(loss)}, well above ${reference}: the network starts out confidently wrong.`
      : `The first loss is ${formatNumber(loss)}, well below ${reference}: the network starts out confident before it has learned anything (its random guesses happen to point the right way).`;
  const headline = `the first loss is ${formatNumber(loss)}, well ${side === 'high' ? 'above' : 'below'} ln(${evidence.classes})`;
  const culprit = probe ? loudestLayer(context, probe) : undefined;
  if (culprit !== undefined && culprit.gain > t.initialLossLayerGain) {
    const layer = context.layers[culprit.index];
    const where = weightInitOf(context, layer);
    const own = layer.ownInit?.weight !== undefined ? `its own init ('${layer.ownInit.weight}')` : `the experiment's init ('${context.initWeight}')`;
    return {
      headline,
      message:
        `${start} At initialization model[${culprit.index}] multiplies the spread of its input by ${formatNumber(culprit.gain)} ` +
        `(standard deviation ${formatNumber(culprit.inStd)} → ${formatNumber(culprit.outStd)}): the weights of ${own} are too large for it.`,
      path: where.path,
      ...(where.fix ? { fix: where.fix } : {}),
      evidence: { ...evidence, layer_gain: culprit.gain },
    };
  }
  const scale = context.inputScale;
  if (scale !== undefined && (scale.std > LARGE_INPUT_STD || scale.maxAbs > LARGE_INPUT_ABS)) {
    const draft: FindingDraft = {
      headline,
      message: `${start} The inputs are on a large scale (a feature's standard deviation is ${formatNumber(scale.std)}, values up to ${formatNumber(scale.maxAbs)}): standardize them.`,
      path: ['data'],
      evidence: { ...evidence, input_std: scale.std },
    };
    if (context.data.type === 'csv' && context.data.standardize === false) {
      draft.path = ['data', 'standardize'];
      draft.fix = { title: 'Standardize the features', edits: [{ kind: 'set', path: ['data', 'standardize'], value: true }] };
    }
    return draft;
  }
  // Without a probe: a layer's own initializer that is not calibrated to its fan-in is the likeliest cause.
  const own = probe ? undefined : [...context.layers].reverse().find((l) => l.ownInit?.weight !== undefined && !CALIBRATED_INITS.has(l.ownInit.weight));
  const calibrated = own === undefined && CALIBRATED_INITS.has(context.initWeight);
  // Inits scaled to the fan-in give logits of standard deviation up to about 1 on inputs of a normal
  // scale (a loss up to ~0.5 nats above ln(C), more with few outputs): only a loss much further off,
  // and only above, is worth a word when nothing else explains it.
  if (calibrated && (side === 'low' || loss - evidence.expected <= 2 * t.initialLossTolerance)) return undefined;
  const where = weightInitOf(context, own);
  const why = calibrated
    ? " The initialization is scaled to each layer's fan-in and the inputs are on a normal scale: look at the layers' own `init` and at the loss's settings."
    : ' The initial weights are too large.';
  return { headline, message: `${start}${why}`, path: where.path, ...(where.fix ? { fix: where.fix } : {}), evidence };
}

/** Initializers scaled to the layer's fan-in (or fan-in and fan-out): they do not blow up the signal. */
const CALIBRATED_INITS = new Set(['default', 'xavier_uniform', 'xavier_normal', 'kaiming_uniform', 'kaiming_normal', 'orthogonal']);

/** The layer with weights that scales the spread of its input up most at initialization. */
function loudestLayer(context: RunContext, probe: ProbeRecord): { index: number; gain: number; inStd: number; outStd: number } | undefined {
  let best: { index: number; gain: number; inStd: number; outStd: number } | undefined;
  let inStd = context.inputScale?.std;
  for (const layer of probe.layers) {
    const kind = context.layers[layer.index]?.kind;
    if ((kind === 'linear' || kind === 'maxout') && inStd !== undefined && inStd > 0) {
      const gain = layer.std / inStd;
      if (best === undefined || gain > best.gain) best = { index: layer.index, gain, inStd, outStd: layer.std };
    }
    inStd = layer.std;
  }
  return best;
}

export const lossFlat: DiagnosticRule = {
  id: 'loss-flat',
  severity: 'warning',
  title: 'Loss barely moving',
  description:
    'Over the last `flatWindow` (200) steps the mean loss changed by less than `flatRelativeChange` (1 %) and is still above `flatNearInitial` (90 %) of the initial loss.',
  on: ['step'],
  thresholds: ['flatWindow', 'flatRelativeChange', 'flatNearInitial'],
  check(obs, t) {
    const window = obs.losses;
    const initial = obs.initialLoss;
    if (window.size < t.flatWindow || initial === undefined || !(initial > 0) || !Number.isFinite(initial)) return [];
    const from = window.size - t.flatWindow;
    const half = from + Math.floor(t.flatWindow / 2);
    const first = window.mean(from, half);
    const second = window.mean(half, window.size);
    if (!Number.isFinite(first) || !Number.isFinite(second) || first === 0) return [];
    const change = Math.abs(second - first) / Math.abs(first);
    if (!(change < t.flatRelativeChange && second > t.flatNearInitial * initial)) return [];
    return [
      {
        headline: `the loss has barely moved for ${t.flatWindow} steps (${percent(change)} change)`,
        message:
          `The loss has barely moved over the last ${t.flatWindow} steps (mean ${formatNumber(first)} → ${formatNumber(second)}, ` +
          `${percent(change)} change) and is still ${percent(second / initial)} of the initial loss. Course notes: "loss barely ` +
          `changing: learning rate is probably too low" (now ${formatNumber(obs.context.optimizer.lr)}).`,
        path: [...obs.context.optimizer.lrPath],
        fix: scaleLearningRate(obs.context, 10),
        evidence: { change, first_half_mean: first, second_half_mean: second, initial_loss: initial },
      },
    ];
  },
};
