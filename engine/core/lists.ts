/** Lists whose items must come in order (MultiStepLR's and SequentialLR's milestones). */
import * as z from 'zod';

export type ListOrder = 'nondecreasing' | 'increasing';

/** What an out-of-order item's issue carries, for the message (which names the list's key). */
export type OrderIssueParams = { order: ListOrder; value: number; previous: number };

/** A list of whole numbers ≥ min, in order ('nondecreasing': a repeated item counts twice). */
export function orderedIntegers(min: number, order: ListOrder) {
  return z.array(z.int().min(min)).superRefine((items, ctx) => {
    const i = items.findIndex((value, j) => j > 0 && (order === 'increasing' ? value <= items[j - 1] : value < items[j - 1]));
    const params: OrderIssueParams = { order, value: items[i], previous: items[i - 1] };
    if (i > 0) ctx.addIssue({ code: 'custom', path: [i], params, input: items[i], message: 'out of order' });
  });
}
