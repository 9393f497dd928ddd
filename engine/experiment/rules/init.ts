/** Rules across the keys of one initializer (the bias/weight role is checked where the role is known). */
import { blame, num, type KindRule } from './context';

const kaimingSlope: KindRule = ({ obj, v, report }) => {
  const a = num(v, 'a');
  if (a !== undefined && a !== 0 && v.nonlinearity !== 'leaky_relu') {
    blame(report, obj, ['a'], `'a' (the negative slope) is only used with nonlinearity 'leaky_relu'; here it has no effect`, 'warning');
  }
};

export const INITIALIZER_RULES: Readonly<Record<string, KindRule>> = {
  uniform: ({ obj, v, report }) => {
    const a = num(v, 'a');
    const b = num(v, 'b');
    if (a !== undefined && b !== undefined && a > b) blame(report, obj, ['b', 'a'], `uniform needs a ≤ b, but a = ${a} and b = ${b}`);
  },
  trunc_normal: ({ obj, v, report }) => {
    const a = num(v, 'a');
    const b = num(v, 'b');
    const mean = num(v, 'mean');
    const std = num(v, 'std');
    if (a !== undefined && b !== undefined && !(a < b)) {
      blame(report, obj, ['b', 'a'], `trunc_normal needs a < b (the cut-offs), but a = ${a} and b = ${b}`);
      return;
    }
    // torch warns "mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The distribution of values may be incorrect."
    if (a !== undefined && b !== undefined && mean !== undefined && std !== undefined && (mean < a - 2 * std || mean > b + 2 * std)) {
      blame(
        report,
        obj,
        ['mean'],
        `mean ${mean} is more than 2 std from [a, b] = [${a}, ${b}] (torch warns: the distribution of values may be incorrect); a and b are absolute bounds, not multiples of std`,
        'warning',
      );
    }
  },
  kaiming_uniform: kaimingSlope,
  kaiming_normal: kaimingSlope,
};
