/**
 * The course notes' reading of the train/validation curves: "big gap = overfitting ⇒ increase
 * regularization strength; no gap ⇒ increase model capacity". Judged on the end-of-epoch
 * evaluations (whole sets, so not noisy); needs a validation set.
 */
import { formatNumber, moreCapacity, moreRegularization, percent } from '../fixes';
import type { EpochObservation } from '../observations';
import type { DiagnosticRule } from '../rule';

/** The trailing epochs that all have a finite validation loss, at most n of them. */
function trailingValidated(epochs: readonly EpochObservation[], n: number): (EpochObservation & { val_loss: number })[] {
  const out: (EpochObservation & { val_loss: number })[] = [];
  for (let i = epochs.length - 1; i >= 0 && out.length < n; i--) {
    const e = epochs[i];
    if (e.val_loss === undefined || !Number.isFinite(e.val_loss) || !Number.isFinite(e.train_loss)) break;
    out.unshift(e as EpochObservation & { val_loss: number });
  }
  return out;
}

export const overfitting: DiagnosticRule = {
  id: 'overfitting',
  severity: 'warning',
  title: 'Overfitting',
  description:
    'The gap between validation and training loss grew in each of the last `overfitEpochs` (3) epochs, the validation loss is at least `overfitRelativeGap` (10 %) above the training loss, and the gap is at least `overfitMinGap` (5 %) of the initial loss.',
  on: ['epoch'],
  thresholds: ['overfitEpochs', 'overfitRelativeGap', 'overfitMinGap'],
  check(obs, t) {
    const recent = trailingValidated(obs.epochs, t.overfitEpochs + 1);
    if (recent.length < t.overfitEpochs + 1) return [];
    const gaps = recent.map((e) => e.val_loss - e.train_loss);
    for (let i = 1; i < gaps.length; i++) if (!(gaps[i] > gaps[i - 1])) return [];
    const last = recent[recent.length - 1];
    if (!(last.train_loss > 0)) return [];
    const relative = (last.val_loss - last.train_loss) / last.train_loss;
    if (!(relative >= t.overfitRelativeGap)) return [];
    const initial = obs.initialLoss;
    if (initial !== undefined && initial > 0 && !(gaps[gaps.length - 1] >= t.overfitMinGap * initial)) return [];
    const fix = moreRegularization(obs.context);
    return [
      {
        headline: `the validation loss pulls away from the training loss (${percent(relative)} higher)`,
        message:
          `The validation loss is pulling away from the training loss: their gap has grown for ${t.overfitEpochs} epochs in a row ` +
          `(now ${formatNumber(last.val_loss)} against ${formatNumber(last.train_loss)}, ${percent(relative)} higher). The model is ` +
          'overfitting; course notes: "big gap = overfitting ⇒ increase regularization strength".',
        path: [...fix.edits[0].path],
        fix,
        evidence: { gap: gaps[gaps.length - 1], relative_gap: relative, val_loss: last.val_loss, train_loss: last.train_loss },
      },
    ];
  },
};

export const underfitting: DiagnosticRule = {
  id: 'underfitting',
  severity: 'info',
  title: 'Underfitting',
  description:
    'From epoch `underfitMinEpochs` (3) on: the validation loss at most `underfitMaxGap` (5 %) above the training loss (or below it), the training loss improved by less than `underfitPlateau` (1 %) over the last epoch, and it is still above `underfitLossFraction` (50 %) of the initial loss — but below `flatNearInitial` (90 %) of it: a loss that has hardly left its start is not learning at all, which more capacity does not cure (the learning rate and the initialization are blamed for that).',
  on: ['epoch'],
  thresholds: ['underfitMinEpochs', 'underfitMaxGap', 'underfitPlateau', 'underfitLossFraction', 'flatNearInitial'],
  check(obs, t) {
    const initial = obs.initialLoss;
    if (obs.epochs.length < t.underfitMinEpochs || initial === undefined || !(initial > 0)) return [];
    const recent = trailingValidated(obs.epochs, 2);
    if (recent.length < 2) return [];
    const [previous, last] = recent;
    if (!(previous.train_loss > 0 && last.train_loss > 0)) return [];
    const improvement = (previous.train_loss - last.train_loss) / previous.train_loss;
    // Validation below training (dropout, regularization, an easy validation split) is no gap either.
    const gap = (last.val_loss - last.train_loss) / last.train_loss;
    const level = last.train_loss / initial;
    if (!(improvement < t.underfitPlateau && gap < t.underfitMaxGap && level > t.underfitLossFraction && level < t.flatNearInitial)) return [];
    return [
      {
        headline: `the loss stopped improving at ${percent(level)} of its initial value`,
        message:
          `Training and validation loss are close (${formatNumber(last.train_loss)} and ${formatNumber(last.val_loss)}) but still high — ` +
          `${percent(level)} of the initial loss — and no longer improving: the model is underfitting. Course notes: "no gap ⇒ ` +
          'increase model capacity".',
        path: ['model'],
        fix: moreCapacity(obs.context),
        evidence: { improvement, gap, loss_fraction: level },
      },
    ];
  },
};
