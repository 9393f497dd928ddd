import type { ProblemFix } from './problems';
import { KEY_ALIASES, TYPE_ALIASES } from './aliases';

/** Edit distance where inserting, deleting, substituting or swapping two neighbours is 1 edit ("nmae" → "name"): optimal string alignment. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length][b.length];
}

/** Which alias table applies: `true` or 'key' for keys ("learning_rate" → "lr"), 'type' for kind names, none for other closed sets. */
export type AliasMode = boolean | 'key' | 'type';

/** Letters and digits only, lower case: "CosineAnnealingLR" and "cosine_annealing_lr" agree. */
const letters = (word: string): string => word.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Python's spelling of a name reduced to the name: "torch.nn.ReLU" and "nn.ReLU()" → "ReLU". */
function pythonName(word: string): string {
  const name = word.trim().replace(/\s*\([^()]*\)$/, '').replace(/^([A-Za-z_]\w*\.)+(?=[A-Za-z_])/, '');
  return name === '' ? word : name;
}

/**
 * The choice the user most likely meant: a known alias ("learning_rate" → "lr"), a case or separator slip ("Adam", "batch-size"),
 * torch's class name ("StepLR", also as Python writes it: "torch.optim.SGD", "nn.ReLU()"), an abbreviation of exactly one choice
 * ("val_acc"), or the nearest by edit distance when it is close enough (at most a third of the word) to be a typo rather than a
 * different word.
 */
export function suggest(written: string, choices: readonly string[], mode: AliasMode = false): string | undefined {
  const word = pythonName(written);
  const lower = word.toLowerCase();
  const normalized = lower.replace(/[-\s]/g, '_');
  const table: Readonly<Record<string, string | readonly string[]>> = mode === false ? {} : mode === 'type' ? TYPE_ALIASES : KEY_ALIASES;
  const aliased = [table[lower] ?? table[normalized] ?? []].flat().find(c => c !== lower && choices.includes(c));
  // torch's class name: the kind's letters, maybe followed by torch's suffix (CosineAnnealingLR, BatchNorm1d, CrossEntropyLoss, ReLU).
  const squashed = letters(word);
  const stems = ['', 'lr', '1d', 'loss', 'scheduler'].filter(s => squashed.endsWith(s)).map(s => squashed.slice(0, squashed.length - s.length));
  const torchName = squashed === '' ? undefined : stems.map(stem => choices.find(c => letters(c) === stem)).find(c => c !== undefined);
  const longer = normalized.length >= 3 ? choices.filter(c => c.toLowerCase().startsWith(normalized)) : [];
  const distances = choices.map(c => editDistance(normalized, c.toLowerCase()));
  const best = Math.min(...distances);
  const close = best <= Math.max(1, Math.floor(Math.max(word.length, 3) / 3)) ? choices[distances.indexOf(best)] : undefined;
  return aliased ?? choices.find(c => c.toLowerCase() === normalized) ?? torchName ?? (longer.length === 1 ? longer[0] : close);
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
