/** Rules across the keys of one schedule (the ones that need the run's length are in run.ts). */
import { blame, num, type KindRule } from './context';

/** base_momentum ≤ max_momentum: the momentum goes down while the lr goes up. */
const momentumOrder: KindRule = ({ obj, v, report }) => {
  const base = num(v, 'base_momentum');
  const max = num(v, 'max_momentum');
  if (v.cycle_momentum !== false && base !== undefined && max !== undefined && base > max) {
    blame(
      report,
      obj,
      ['base_momentum', 'max_momentum'],
      `base_momentum ${base} is above max_momentum ${max}: the momentum is meant to fall (to base_momentum) while the learning rate rises`,
      'warning',
    );
  }
};

export const SCHEDULE_RULES: Readonly<Record<string, KindRule>> = {
  one_cycle: c => {
    const { obj, v, report } = c;
    const hasTotal = v.total_steps !== undefined;
    const hasEpochs = v.epochs !== undefined;
    const hasPerEpoch = v.steps_per_epoch !== undefined;
    if (hasTotal && (hasEpochs || hasPerEpoch)) {
      blame(
        report,
        obj,
        ['epochs', 'steps_per_epoch'],
        "one_cycle's length is total_steps or epochs × steps_per_epoch, not both; leave out one (or all three: the run's length)",
      );
    } else if (hasEpochs !== hasPerEpoch) {
      blame(
        report,
        obj,
        [hasEpochs ? 'epochs' : 'steps_per_epoch'],
        `one_cycle needs both epochs and steps_per_epoch (their product is the cycle's length), or total_steps, or none (the run's length); ${hasEpochs ? 'steps_per_epoch' : 'epochs'} is missing`,
      );
    }
    momentumOrder(c);
  },
  cyclic: c => {
    const { obj, v, report } = c;
    const base = num(v, 'base_lr');
    const max = num(v, 'max_lr');
    if (base !== undefined && max !== undefined && base > max) {
      blame(report, obj, ['max_lr', 'base_lr'], `cyclic's base_lr ${base} is above its max_lr ${max}; the cycle runs from base_lr up to max_lr`, 'warning');
    }
    if (v.mode !== 'exp_range' && obj.props.some(p => p.key === 'gamma')) {
      blame(report, obj, ['gamma'], `'gamma' is only used with mode 'exp_range'; here it has no effect`, 'warning');
    }
    momentumOrder(c);
  },
  reduce_lr_on_plateau: ({ obj, v, report }) => {
    if (v.interval === 'step') {
      blame(
        report,
        obj,
        ['interval'],
        "reduce_lr_on_plateau steps once per epoch with the validation loss (the training loss without validation); interval must be 'epoch'",
      );
    }
  },
};
