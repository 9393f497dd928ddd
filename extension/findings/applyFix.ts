import { applyEdits, findNodeAtLocation, modify, parseTree, type FormattingOptions } from 'jsonc-parser';
import type { ExperimentEdit, QuickFix } from '../../engine/diagnostics/finding';
import type { JsonPath } from '../../engine/core/errors';

/** A text replacement in the experiment file: offset/length of the old text, and the new text. */
export interface TextChange {
  offset: number;
  length: number;
  content: string;
}

/**
 * Where an edit of the *resolved* experiment belongs in the file. A base run edits the base. A
 * variant run edits the variant: where the variant already sets that key (or holds that list), there;
 * otherwise a `set` adds an override to the variant — so fixing a variant's run never changes the
 * base or the other variants — and an `insert` goes into the list the variant inherits.
 */
export function filePathFor(text: string, edit: ExperimentEdit, variant: string | undefined): JsonPath {
  if (variant === undefined) {
    return edit.path;
  }
  const inVariant: JsonPath = ['variants', variant, ...edit.path];
  const root = parseTree(text);
  const container = edit.kind === 'insert' ? inVariant.slice(0, -1) : inVariant;
  if (root && findNodeAtLocation(root, container)) {
    return inVariant;
  }
  return edit.kind === 'set' ? inVariant : edit.path;
}

/**
 * The quick fix as one replacement of the whole changed region: the edits apply one after another
 * (each to the result of the previous one, as the rules wrote them), with jsonc-parser keeping the
 * file's comments and formatting.
 */
export function applyQuickFix(text: string, fix: QuickFix, variant: string | undefined, formatting: FormattingOptions): string {
  let result = text;
  for (const edit of fix.edits) {
    const path = filePathFor(result, edit, variant);
    const edits = modify(result, path, edit.value, { formattingOptions: formatting, isArrayInsertion: edit.kind === 'insert' });
    result = applyEdits(result, edits);
  }
  return result;
}

/** The smallest single replacement turning `before` into `after` (common prefix and suffix kept). */
export function minimalChange(before: string, after: string): TextChange {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) {
    start++;
  }
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  return { offset: start, length: endBefore - start, content: after.slice(start, endAfter) };
}
