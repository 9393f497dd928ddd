/** Rules across the keys of one layer (those needing the widths are in model.ts). */
import { blame, num, type KindRule } from './context';

export const LAYER_RULES: Readonly<Record<string, KindRule>> = {
  hardtanh: ({ obj, v, report }) => {
    const min = num(v, 'min_val');
    const max = num(v, 'max_val');
    if (min !== undefined && max !== undefined && !(min < max)) {
      blame(report, obj, ['max_val', 'min_val'], `hardtanh needs min_val < max_val (torch raises otherwise), but min_val = ${min} and max_val = ${max}`);
    }
  },
  celu: ({ obj, v, report }) => {
    if (v.alpha === 0) blame(report, obj, ['alpha'], "celu's alpha must not be 0 (CELU divides by it)");
  },
  leaky_relu: ({ obj, v, report }) => {
    const slope = num(v, 'negative_slope');
    if (slope !== undefined && slope >= 1) {
      blame(report, obj, ['negative_slope'], `negative_slope ${slope} ≥ 1 makes the negative side at least as steep as the positive one; typical values are 0.01 to 0.3`, 'warning');
    }
  },
};
