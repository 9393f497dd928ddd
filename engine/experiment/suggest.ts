import type { ProblemFix } from './problems';
import { KEY_ALIASES, TYPE_ALIASES } from './aliases';

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
 * Which alias table applies: `true` or 'key' for keys ("learning_rate" → "lr"), 'type' for kind
 * names ("cosine" → "cosine_annealing"), none for other closed sets.
 */
export type AliasMode = boolean | 'key' | 'type';

/** Letters and digits only, lower case: "CosineAnnealingLR" and "cosine_annealing_lr" agree. */
function letters(word: string): string {
  return word.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * torch's class name for a kind: the kind's letters, maybe followed by torch's suffix
 * (CosineAnnealingLR, BatchNorm1d, CrossEntropyLoss, ChainedScheduler, ReLU).
 */
function torchClassName(word: string, choices: readonly string[]): string | undefined {
  const squashed = letters(word);
  if (squashed === '') return undefined;
  for (const suffix of ['', 'lr', '1d', 'loss', 'scheduler']) {
    if (!squashed.endsWith(suffix)) continue;
    const stem = squashed.slice(0, squashed.length - suffix.length);
    const found = choices.find(c => letters(c) === stem);
    if (found !== undefined) return found;
  }
  return undefined;
}

function alias(lower: string, choices: readonly string[], mode: AliasMode): string | undefined {
  if (mode === false) return undefined;
  const table = mode === 'type' ? TYPE_ALIASES : KEY_ALIASES;
  const entry: string | readonly string[] | undefined = table[lower] ?? table[lower.replace(/[-\s]/g, '_')];
  if (entry === undefined) return undefined;
  const candidates = typeof entry === 'string' ? [entry] : entry;
  return candidates.find(c => c !== lower && choices.includes(c));
}

/**
 * The choice the user most likely meant: a known alias ("learning_rate" → "lr"), a case or
 * separator slip ("Adam", "batch-size"), torch's class name ("StepLR"), an abbreviation ("val_acc"),
 * or the nearest by edit
 * distance when it is close enough (at most a third of the word) to be a typo rather than a
 * different word.
 */
export function suggest(word: string, choices: readonly string[], mode: AliasMode = false): string | undefined {
  const lower = word.toLowerCase();
  const aliased = alias(lower, choices, mode);
  if (aliased !== undefined) return aliased;
  const normalized = lower.replace(/[-\s]/g, '_');
  const exact = choices.find(c => c.toLowerCase() === normalized);
  if (exact !== undefined) return exact;
  const className = torchClassName(word, choices);
  if (className !== undefined) return className;
  // An abbreviation of exactly one choice ("val_acc" → "val_accuracy").
  if (normalized.length >= 3) {
    const longer = choices.filter(c => c.toLowerCase().startsWith(normalized));
    if (longer.length === 1) return longer[0];
  }
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

/** The quick fix that writes the suggested name in place of a misspelt key or string value. */
export function suggestionFix(word: string, choices: readonly string[], mode: AliasMode = false): ProblemFix | undefined {
  const s = suggest(word, choices, mode);
  return s === undefined ? undefined : { title: `Change to '${s}'`, text: JSON.stringify(s) };
}

/** " (did you mean 'adam'?)" or "". */
export function didYouMean(word: string, choices: readonly string[], mode: AliasMode = false): string {
  const s = suggest(word, choices, mode);
  return s === undefined ? '' : ` (did you mean '${s}'?)`;
}
