import type { LossSpec, Task } from '../experiment/spec';
import { SpecError } from '../experiment/specError';
import { CrossEntropyLoss } from './crossEntropy';
import type { Loss } from './loss';
import { MseLoss } from './mse';

export type { Loss } from './loss';
export { CrossEntropyLoss } from './crossEntropy';
export { MseLoss } from './mse';
export { countCorrect } from './accuracy';

/**
 * The loss an experiment names, for a model with `outputs` outputs. `task` is the dataset's; it
 * defaults to the loss's natural task. Cross-entropy needs class labels, so it is refused for
 * regression data; MSE on classification data compares outputs with one-hot targets.
 */
export function createLoss(spec: LossSpec, outputs: number, maxRows: number, task?: Task): Loss {
  switch (spec.type) {
    case 'cross_entropy':
      if (task === 'regression') {
        throw new SpecError(
          'cross_entropy needs a classification dataset, but this data is regression (numeric targets); use "mse"',
          ['loss'],
        );
      }
      if (outputs < 2) {
        throw new SpecError(`cross_entropy needs at least 2 classes, but the model has ${outputs} output`, ['loss']);
      }
      return new CrossEntropyLoss(outputs, maxRows);
    case 'mse':
      return new MseLoss(outputs, maxRows, task ?? 'regression');
  }
}
