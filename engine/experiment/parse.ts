/**
 * Reads an `*.experiment.json` file (JSON with comments and trailing commas): syntax, the base
 * experiment and every variant, each validated and resolved into an `ExperimentSpec`, every problem
 * located in the file. The extension calls this on every (debounced) keystroke and the command
 * line once per file, so it does one pass over the text and no I/O.
 */
// The ES module build: bundlers resolving the package's `main` get its UMD build, whose internal
// `require('./impl/...')` calls esbuild cannot follow, and the bundle then fails at run time.
import { parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser/lib/esm/main.js';
import { VARIANT_KEYS, type ExperimentSpec } from './sections';
import { mergeObjects } from './merge';
import { Reporter, type Problem } from './problems';
import { expandShorthands } from './shorthand';
import { get, LineIndex, nearest, nearestKeyOffset, toSource, type DuplicateKey, type SrcObject, type SrcProp } from './source';

import type { JsonPath } from '../core/errors';
import { didYouMean } from './suggest';
import { validateExperiment } from './validate';

export type { Problem } from './problems';

export interface ResolvedExperiment {
  spec: ExperimentSpec;
}

export interface SourceLocation {
  offset: number;
  length: number;
  /** 1-based. */
  line: number;
  column: number;
}

export interface ParsedExperiment {
  readonly fileName: string;
  /** Syntax, base and every variant, deduplicated, in file order. */
  readonly problems: Problem[];
  readonly name: string;
  /** Where the base's code lens goes: the root object's opening brace. */
  readonly baseRange: { offset: number; length: number };
  readonly variants: { name: string; keyOffset: number; keyLength: number }[];
  /** The resolved spec of the base (variant undefined) or of a variant; undefined if it has errors. */
  resolve(variant?: string): ResolvedExperiment | undefined;
  /**
   * Source range of a JSON path of the resolved spec of that variant (or the nearest existing
   * ancestor), to place errors found later (SpecError.path).
   */
  locate(path: JsonPath, variant?: string): SourceLocation;
  /** Where the key of `path` is written (its nearest written ancestor's key): 1-based line and column. */
  locateKey(path: JsonPath, variant?: string): { line: number; column: number };
}

const SYNTAX_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: "expected a colon ':' after the property name",
  CommaExpected: 'expected a comma',
  CloseBraceExpected: "expected '}' to close the object",
  CloseBracketExpected: "expected ']' to close the list",
  EndOfFileExpected: 'expected the end of the file (an experiment file holds a single object)',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: "unterminated comment (missing '*/')",
  UnexpectedEndOfString: 'unterminated string (missing the closing quote)',
  UnexpectedEndOfNumber: 'unexpected end of number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character in string',
  InvalidCharacter: 'invalid character in string (control characters must be escaped)',
};

/** "runs/spiral.experiment.json" → "spiral". */
export function experimentNameFromFile(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return base.replace(/\.experiment\.jsonc?$/i, '').replace(/\.jsonc?$/i, '') || base;
}

export function parseExperiment(text: string, fileName: string): ParsedExperiment {
  const lines = new LineIndex(text);
  const fileReport = new Reporter(lines);
  const parseErrors: ParseError[] = [];
  const tree = parseTree(text, parseErrors, { allowTrailingComma: true, disallowComments: false });
  const blank = !tree && text.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, '').trim() === '';
  for (const e of blank ? [] : parseErrors) {
    const name = printParseErrorCode(e.error);
    fileReport.at(e.offset, Math.max(e.length, 1), [], SYNTAX_MESSAGES[name] ?? name);
  }

  const fallbackName = experimentNameFromFile(fileName);
  if (!tree || tree.type !== 'object') {
    if (blank || parseErrors.length === 0) {
      const at = tree ? tree.offset : 0;
      fileReport.at(
        at,
        tree ? tree.length : 0,
        [],
        tree
          ? 'an experiment file must hold a JSON object like { "data": ..., "model": [...], "optimizer": ... }'
          : 'the file is empty; an experiment is a JSON object like { "data": ..., "model": [...], "optimizer": ... }',
      );
    }
    return new Parsed(fileName, fileReport.problems, fallbackName, { offset: tree?.offset ?? 0, length: tree ? 1 : 0 }, [], lines, undefined);
  }

  const duplicates: DuplicateKey[] = [];
  const root = toSource(tree, [], duplicates) as SrcObject;
  for (const d of duplicates) {
    const isVariant = d.path.length === 2 && d.path[0] === 'variants';
    fileReport.at(
      d.keyOffset,
      d.keyLength,
      d.path,
      isVariant ? `duplicate variant name '${d.key}'; variant names must be unique` : `duplicate key '${d.key}'; the last one wins`,
      isVariant ? 'error' : 'warning',
    );
  }

  const nameNode = get(root, 'name');
  const name = nameNode?.kind === 'string' && (nameNode.value as string).trim() !== '' ? (nameNode.value as string) : fallbackName;
  const base = expandShorthands(root);
  const variantsNode = get(root, 'variants');
  const variantEntries: { name: string; keyOffset: number; keyLength: number; node: SrcObject | undefined; clean: boolean }[] = [];
  if (variantsNode) {
    if (variantsNode.kind !== 'object') {
      fileReport.value(variantsNode, `'variants' must be an object: variant name → overrides, e.g. { "adam": { "optimizer": "adam" } }`);
    } else {
      for (const p of variantsNode.props) {
        const errorsBefore = fileReport.errors;
        const problemsBefore = fileReport.problems.length;
        const node = checkVariant(p, variantsNode, fileReport);
        for (const problem of fileReport.problems.slice(problemsBefore)) problem.variant = p.key;
        // A variant with a bad key is reported and validated, but never resolved.
        const clean = fileReport.errors === errorsBefore;
        variantEntries.push({ name: p.key, keyOffset: p.keyOffset, keyLength: p.keyLength, node, clean });
      }
    }
  }
  const variants = variantEntries.map(({ name: n, keyOffset, keyLength }) => ({ name: n, keyOffset, keyLength }));
  const baseRange = { offset: tree.offset, length: 1 };

  if (parseErrors.length > 0) {
    // A half-parsed tree would only add a cascade of misleading "missing" problems.
    return new Parsed(fileName, sortProblems(fileReport.problems), name, baseRange, variants, lines, { base, merged: new Map() });
  }

  const seen = new Set<string>();
  const problems: Problem[] = [];
  const add = (list: Problem[], variant?: { name: string; node: SrcObject }): void => {
    for (const p of list) {
      // The base's problems come back in every variant: keep one.
      if (seen.has(problemKey(p))) continue;
      let located = p;
      if (variant) {
        // A variant's own problem outside the variant (in a base value) says which variant it is.
        const { offset, length } = variant.node;
        const outside = !(p.offset >= offset && p.offset < offset + length);
        located = { ...p, variant: variant.name, message: outside ? `in variant '${variant.name}': ${p.message}` : p.message };
      }
      const key = problemKey(located);
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push(located);
    }
  };
  add(fileReport.problems);

  const specs = new Map<string | undefined, ExperimentSpec>();
  const baseReport = new Reporter(lines);
  const baseSpec = validateExperiment(base, { name }, baseReport);
  add(baseReport.problems);
  if (baseSpec) specs.set(undefined, baseSpec);

  const merged = new Map<string, SrcObject>();
  for (const entry of variantEntries) {
    if (!entry.node || merged.has(entry.name)) continue;
    // The merged root keeps the base's location, so a key missing from both is reported once.
    const resolved: SrcObject = { ...mergeObjects(base, expandShorthands(entry.node)), offset: base.offset, length: base.length, path: [] };
    delete resolved.keyOffset;
    delete resolved.keyLength;
    merged.set(entry.name, resolved);
    const report = new Reporter(lines);
    const spec = validateExperiment(resolved, { name, variant: entry.name }, report);
    add(report.problems, { name: entry.name, node: entry.node });
    if (spec && entry.clean) specs.set(entry.name, spec);
  }
  warnSharedCheckpoints(specs, { base, merged }, lines, add);
  return new Parsed(fileName, sortProblems(problems), name, baseRange, variants, lines, { base, merged }, specs);
}

/** Checks a variant's name and keys; returns its overrides with unknown keys left out. */
function checkVariant(entry: SrcProp, parent: SrcObject, report: Reporter): SrcObject | undefined {
  const { key: name, value } = entry;
  if (name.trim() === '') report.key(entry, parent, 'a variant needs a non-empty name');
  if (value.kind !== 'object') {
    report.value(value, `variant '${name}' must be an object of overrides, e.g. { "optimizer": { "type": "adam", "lr": 0.01 } }`);
    return undefined;
  }
  const allowed: readonly string[] = VARIANT_KEYS;
  const props = value.props.filter(vp => {
    if (allowed.includes(vp.key)) return true;
    const why =
      vp.key === 'name' || vp.key === 'variants'
        ? `a variant cannot set '${vp.key}'`
        : `unknown key '${vp.key}' in variant '${name}'; a variant overrides: ${allowed.join(', ')}${didYouMean(vp.key, allowed, true)}`;
    report.key(vp, value, why);
    return false;
  });
  return props.length === value.props.length ? value : { ...value, props };
}

/**
 * Runs of the base and of variants that write the same checkpoint file overwrite each other: said
 * once, at the `save` they share (the base's when it is the base's).
 */
function warnSharedCheckpoints(
  specs: Map<string | undefined, ExperimentSpec>,
  trees: { base: SrcObject; merged: Map<string, SrcObject> },
  lines: LineIndex,
  add: (list: Problem[]) => void,
): void {
  const bySave = new Map<string, (string | undefined)[]>();
  for (const [variant, spec] of specs) {
    const save = spec.checkpoint?.save;
    if (save !== undefined) bySave.set(save, [...(bySave.get(save) ?? []), variant]);
  }
  const report = new Reporter(lines);
  for (const [save, runs] of bySave) {
    if (runs.length < 2) continue;
    const first = runs[0];
    const tree = first === undefined ? trees.base : (trees.merged.get(first) ?? trees.base);
    const node = nearest(tree, ['checkpoint', 'save']);
    const names = runs.map(r => (r === undefined ? 'the base experiment' : `variant '${r}'`));
    report.value(
      node,
      `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} all save their checkpoint to '${save}', so each run overwrites the last; ` +
        'give each variant its own "checkpoint": { "save": ... }',
      'warning',
    );
  }
  add(report.problems);
}

function problemKey(p: Problem): string {
  return `${p.offset}:${p.length}:${p.severity}:${p.message}`;
}

function sortProblems(problems: Problem[]): Problem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => a.p.offset - b.p.offset || a.i - b.i)
    .map(x => x.p);
}

class Parsed implements ParsedExperiment {
  constructor(
    readonly fileName: string,
    readonly problems: Problem[],
    readonly name: string,
    readonly baseRange: { offset: number; length: number },
    readonly variants: { name: string; keyOffset: number; keyLength: number }[],
    private readonly lines: LineIndex,
    private readonly trees: { base: SrcObject; merged: Map<string, SrcObject> } | undefined,
    private readonly specs: Map<string | undefined, ExperimentSpec> = new Map(),
  ) {}

  resolve(variant?: string): ResolvedExperiment | undefined {
    const spec = this.specs.get(variant);
    // A copy: callers may keep or send it; later parses must not see their changes.
    return spec ? { spec: structuredClone(spec) } : undefined;
  }

  locate(path: JsonPath, variant?: string): SourceLocation {
    const tree = (variant !== undefined ? this.trees?.merged.get(variant) : undefined) ?? this.trees?.base;
    if (!tree) return { offset: 0, length: 0, line: 1, column: 1 };
    const node = nearest(tree, path);
    const { line, column } = this.lines.position(node.offset);
    // Nothing closer than the whole file: point at its opening brace, not at every line.
    return { offset: node.offset, length: node === tree ? 1 : node.length, line, column };
  }

  locateKey(path: JsonPath, variant?: string): { line: number; column: number } {
    const tree = (variant !== undefined ? this.trees?.merged.get(variant) : undefined) ?? this.trees?.base;
    if (!tree) return { line: 1, column: 1 };
    return this.lines.position(nearestKeyOffset(tree, path));
  }
}
