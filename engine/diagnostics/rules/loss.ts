/**
 * Rules on the loss curve, from the course notes' "babysitting the learning process": NaN, the
 * 3× explosion rule, the ln(C) sanity check at initialization, and a loss that does not move.
 */
import type { FindingDraft } from '../finding';
import { formatNumber, initializationFix, percent, scaleLearningRate } from '../fixes';
import type { DiagnosticRule } from '../rule';

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
    return [
      {
        message:
          `At step ${probe.step}, ${what} of ${broken.map((p) => p.name).join(', ')} became NaN or infinite. ${NAN_GUIDANCE}. ` +
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
    return [
      {
        message:
          `${what}, more than ${formatNumber(t.explodingLossFactor)}× the initial loss ${formatNumber(initial)}: training is exploding. ` +
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
    'Classification with cross-entropy: the first step\'s loss is further than `initialLossTolerance` (0.5) from ln(C), the loss of a network that does not know the classes yet.',
  on: ['step'],
  thresholds: ['initialLossTolerance'],
  check(obs, t) {
    const expected = obs.context.expectedInitialLoss;
    const loss = obs.initialLoss;
    if (obs.context.task !== 'classification' || expected === undefined || loss === undefined || !Number.isFinite(loss)) return [];
    const high = loss > expected + t.initialLossTolerance;
    const low = loss < expected - t.initialLossTolerance;
    // Checked every step until it fires: words only when it does.
    if (!high && !low) return [];
    const classes = Math.round(Math.exp(expected));
    const evidence = { initial_loss: loss, expected, classes };
    const reference =
      `ln(${classes}) = ${formatNumber(expected)}, the loss of a network that does not know the classes yet ` +
      `(course notes: "double check that the loss is reasonable" — 2.3 is "correct" for 10 classes)`;
    if (high) return [tooHigh(obs.context, loss, reference, evidence)];
    return [
      {
        message:
          `The first loss is ${formatNumber(loss)}, well below ${reference}. A freshly initialized network should not ` +
          'predict the classes yet: check that no feature gives the target away.',
        path: ['data'],
        evidence,
      },
    ];
  },
};

/** Weights of a calibrated initializer give logits near zero; then large inputs are the likelier cause. */
const CALIBRATED_INITS = new Set(['default', 'xavier_uniform', 'xavier_normal', 'kaiming_uniform', 'kaiming_normal']);

function tooHigh(
  context: Parameters<typeof initializationFix>[0],
  loss: number,
  reference: string,
  evidence: Record<string, number>,
): FindingDraft {
  const start = `The first loss is ${formatNumber(loss)}, well above ${reference}: the network starts out confidently wrong.`;
  if (CALIBRATED_INITS.has(context.initWeight)) {
    const draft: FindingDraft = {
      message: `${start} The initialization is calibrated, so the inputs are probably on a large scale: standardize them.`,
      path: ['data'],
      evidence,
    };
    if (context.data.type === 'csv' && context.data.standardize === false) {
      draft.path = ['data', 'standardize'];
      draft.fix = { title: 'Standardize the features', edits: [{ kind: 'set', path: ['data', 'standardize'], value: true }] };
    }
    return draft;
  }
  const draft: FindingDraft = { message: `${start} The initial weights are too large.`, path: ['init', 'weight'], evidence };
  const fix = initializationFix(context);
  if (fix) draft.fix = fix;
  return draft;
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
