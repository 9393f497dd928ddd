/** Number formatting shared by the host (lenses, status bar, Runs view) and the dashboards. */

/** Short number formatting for headline values (losses, accuracies, learning rates). */
export function formatMetric(v: number | undefined, kind: 'loss' | 'accuracy' | 'lr' = 'loss'): string {
  if (v === undefined) {
    return '–';
  }
  if (!Number.isFinite(v)) {
    return String(v);
  }
  if (kind === 'accuracy') {
    return `${(v * 100).toFixed(1)}%`;
  }
  if (kind === 'lr') {
    return v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e4) ? v.toExponential(1) : String(+v.toPrecision(3));
  }
  return Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : v.toFixed(4);
}

/** Short number for captions and axis labels: 3 significant digits, exponent when very small or large. */
export function shortNumber(v: number): string {
  if (!Number.isFinite(v)) {
    return String(v);
  }
  if (v === 0) {
    return '0';
  }
  const a = Math.abs(v);
  return a < 1e-3 || a >= 1e4 ? v.toExponential(1) : String(+v.toPrecision(3));
}

/** "1,234,567" (the step counts). */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
