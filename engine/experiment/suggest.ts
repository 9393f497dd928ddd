import { KEY_ALIASES } from './defaults';

/**
 * Edit distance with adjacent transpositions (optimal string alignment): insert, delete,
 * substitute or swap two neighbours, each 1 — so "nmae" is one edit from "name".
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length][b.length];
}

/**
 * The choice the user most likely meant: a known alias ("learning_rate" → "lr"), a case or
 * separator slip ("Adam", "batch-size"), or the nearest by edit distance when it is close enough
 * (at most a third of the word) to be a typo rather than a different word.
 */
export function suggest(word: string, choices: readonly string[], useAliases = false): string | undefined {
  const lower = word.toLowerCase();
  if (useAliases) {
    const alias = KEY_ALIASES[lower];
    if (alias !== undefined && choices.includes(alias)) return alias;
  }
  const normalized = lower.replace(/[-\s]/g, '_');
  const exact = choices.find(c => c.toLowerCase() === normalized);
  if (exact !== undefined) return exact;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const choice of choices) {
    const d = editDistance(normalized, choice.toLowerCase());
    if (d < bestDistance) {
      best = choice;
      bestDistance = d;
    }
  }
  const allowed = Math.max(1, Math.floor(Math.max(word.length, 3) / 3));
  return bestDistance <= allowed ? best : undefined;
}

/** " (did you mean 'adam'?)" or "". */
export function didYouMean(word: string, choices: readonly string[], useAliases = false): string {
  const s = suggest(word, choices, useAliases);
  return s === undefined ? '' : ` (did you mean '${s}'?)`;
}
