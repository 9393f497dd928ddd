/** Rules across the keys of one optimizer (torch.optim's constructor checks, and a few warnings). */
import { blame, num, pair, type KindRule } from './context';

/** momentum ≥ 1 lets the velocity grow without bound (torch accepts it). */
const momentumBelowOne: KindRule = ({ obj, v, report }) => {
  const momentum = num(v, 'momentum');
  if (momentum !== undefined && momentum >= 1) {
    blame(report, obj, ['momentum'], `momentum ${momentum} ≥ 1 lets the velocity grow without bound; typical values are 0.9 or 0.99`, 'warning');
  }
};

export const OPTIMIZER_RULES: Readonly<Record<string, KindRule>> = {
  sgd: c => {
    const { obj, v, report } = c;
    const momentum = num(v, 'momentum');
    const dampening = num(v, 'dampening');
    if (v.nesterov === true && momentum !== undefined && dampening !== undefined && (momentum <= 0 || dampening !== 0)) {
      const why = momentum <= 0 ? `momentum is ${momentum}` : `dampening is ${dampening}`;
      blame(report, obj, ['nesterov'], `nesterov requires momentum > 0 and dampening = 0 (torch.optim.SGD raises otherwise); ${why}`);
    }
    momentumBelowOne(c);
  },
  rmsprop: momentumBelowOne,
  rprop: ({ obj, v, report }) => {
    const etas = pair(v, 'etas');
    if (etas && !(etas[0] > 0 && etas[0] < 1 && etas[1] > 1)) {
      blame(
        report,
        obj,
        ['etas'],
        `etas must be (etaminus, etaplus) with 0 < etaminus < 1 < etaplus (torch.optim.Rprop raises "Invalid eta values"), not [${etas.join(', ')}]: ` +
          'the step shrinks by etaminus when the gradient changes sign and grows by etaplus when it keeps it',
      );
    }
    const sizes = pair(v, 'step_sizes');
    if (sizes && !(sizes[0] <= sizes[1])) {
      blame(report, obj, ['step_sizes'], `step_sizes must be (minimal, maximal) with minimal ≤ maximal, not [${sizes.join(', ')}]`);
    }
  },
  lbfgs: ({ obj, v, report }) => {
    const maxIter = num(v, 'max_iter');
    const maxEval = num(v, 'max_eval');
    if (maxIter !== undefined && maxEval !== undefined && maxEval < maxIter) {
      blame(
        report,
        obj,
        ['max_eval'],
        `max_eval ${maxEval} is below max_iter ${maxIter}: every iteration evaluates the function at least once, so a step stops after ${maxEval} iterations`,
        'warning',
      );
    }
  },
};
