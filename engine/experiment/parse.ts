/**
 * Reads an `*.experiment.json` file (JSON with comments and trailing commas): syntax, the base
 * experiment and every variant, each validated and resolved into an `ExperimentSpec`, every problem
 * located in the file. The extension calls this on every (debounced) keystroke and the command
 * line once per file, so it reads the text in two quick passes (nesting depth, then the tree) and does no I/O.
 */
// The ES module build: bundlers resolving the package's `main` get its UMD build, whose internal
// `require('./impl/...')` calls esbuild cannot follow, and the bundle then fails at run time.
import { parseTree, type ParseError } from 'jsonc-parser/lib/esm/main.js';
import type { JsonPath } from '../core/errors';
import { mergeObjects } from './merge';
import { Reporter, RunProblems, type Problem } from './problems';
import { VARIANT_KEYS, type ExperimentSpec } from './sections';
import { expandShorthands } from './shorthand';
import { get, LineIndex, nearest, toSource, walkTo, type SrcObject, type SrcProp } from './source';
import { didYouMean } from './suggest';
import { MAX_NESTING, syntaxErrors, tooDeep } from './syntax';
import { validateExperiment, type NamedFiles } from './validate';

export type { Problem } from './problems';

export function parseExperiment(source: string, fileName: string): ParsedExperiment {
  // A byte-order mark (Windows editors write one) is not JSON; a space keeps every offset.
  const text = source.replace(/^\uFEFF/, ' ');
  const lines = new LineIndex(text);
  const fileReport = new Reporter(lines);
  const parseErrors: ParseError[] = [];
  const deep = tooDeep(text);
  if (deep !== undefined) fileReport.at(deep, 1, [], `nested more than ${MAX_NESTING} levels deep; an experiment's settings are a few levels deep`);
  const tree = deep === undefined ? parseTree(text, parseErrors, { allowTrailingComma: true }) : undefined;
  const blank = !tree && deep === undefined && text.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, '').trim() === '';
  for (const e of blank ? [] : syntaxErrors(text, parseErrors, offset => lines.position(offset).line)) fileReport.at(e.offset, e.length, [], e.message);

  // "runs/spiral.experiment.json" → "spiral".
  const file = fileName.split(/[\\/]/).pop() ?? fileName;
  const fileTitle = file.replace(/\.experiment\.jsonc?$/i, '').replace(/\.jsonc?$/i, '') || file;
  if (tree?.type !== 'object') {
    if (deep === undefined && (blank || parseErrors.length === 0)) {
      const what = tree ? 'an experiment file must hold a JSON object' : 'the file is empty; an experiment is a JSON object';
      fileReport.at(tree?.offset ?? 0, tree?.length ?? 0, [], `${what} like { "data": ..., "model": [...], "optimizer": ... }`);
    }
    return new ParsedExperiment(fileName, fileReport.problems, fileTitle, { offset: tree?.offset ?? 0, length: tree ? 1 : 0 }, [], lines);
  }

  const duplicates: SrcProp[] = [];
  const root = toSource(tree, [], duplicates) as SrcObject;
  for (const d of duplicates) {
    const isVariant = d.value.path.length === 2 && d.value.path[0] === 'variants';
    const message = isVariant ? `duplicate variant name '${d.key}'; variant names must be unique` : `duplicate key '${d.key}'; the last one wins`;
    fileReport.at(d.keyOffset, d.keyLength, d.value.path, message, isVariant ? 'error' : 'warning');
  }

  const nameNode = get(root, 'name');
  const name = nameNode?.kind === 'string' && (nameNode.value as string).trim() !== '' ? (nameNode.value as string) : fileTitle;
  const base = expandShorthands(root);
  const variantsNode = get(root, 'variants');
  const variants: ParsedExperiment['variants'] = [];
  // The base, then each variant: one with a bad key is reported and validated, but never resolved.
  const runs: { variant?: string; node?: SrcObject; clean: boolean }[] = [{ clean: true }];
  if (variantsNode && variantsNode.kind !== 'object') {
    fileReport.value(variantsNode, `'variants' must be an object: variant name → overrides, e.g. { "adam": { "optimizer": "adam" } }`);
  }
  for (const p of variantsNode?.kind === 'object' ? variantsNode.props : []) {
    const [errorsBefore, problemsBefore] = [fileReport.errors, fileReport.problems.length];
    const node = checkVariant(p, variantsNode as SrcObject, fileReport);
    for (const problem of fileReport.problems.slice(problemsBefore)) problem.variant = p.key;
    variants.push({ name: p.key, keyOffset: p.keyOffset, keyLength: p.keyLength });
    if (node) runs.push({ variant: p.key, node, clean: fileReport.errors === errorsBefore });
  }
  const baseRange = { offset: tree.offset, length: 1 };
  const trees = new Map<string | undefined, SrcObject>([[undefined, base]]);
  if (parseErrors.length > 0) {
    // A half-parsed tree would only add a cascade of misleading "missing" problems.
    return new ParsedExperiment(fileName, sortProblems(fileReport.problems), name, baseRange, variants, lines, trees);
  }

  const problems = new RunProblems();
  problems.add(fileReport.problems);

  const specs = new Map<string | undefined, ExperimentSpec>();
  const files = new Map<string | undefined, NamedFiles>();
  for (const { variant, node, clean } of runs) {
    // A variant's merged root keeps the base's location, so a key missing from both is reported once.
    const tree = node ? { ...base, props: mergeObjects(base, expandShorthands(node)).props } : base;
    trees.set(variant, tree);
    const report = new Reporter(lines);
    const { spec, files: named } = validateExperiment(tree, { name, variant }, report);
    problems.add(report.problems, variant, node);
    if (spec && clean) specs.set(variant, spec);
    files.set(variant, named);
  }
  const report = new Reporter(lines);
  warnSharedCheckpoints(specs, trees, report);
  problems.add(report.problems);
  return new ParsedExperiment(fileName, sortProblems(problems.list), name, baseRange, variants, lines, trees, specs, files);
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
  for (const vp of value.props.filter(vp => !allowed.includes(vp.key))) {
    const why =
      vp.key === 'name' || vp.key === 'variants'
        ? `a variant cannot set '${vp.key}'`
        : `unknown key '${vp.key}' in variant '${name}'; a variant overrides: ${allowed.join(', ')}${didYouMean(vp.key, allowed, true)}`;
    report.key(vp, value, why);
  }
  return { ...value, props: value.props.filter(vp => allowed.includes(vp.key)) };
}

/**
 * Runs of the base and of variants that write the same checkpoint file overwrite each other: said
 * once, at the `save` they share (the base's when it is the base's).
 */
function warnSharedCheckpoints(specs: Map<string | undefined, ExperimentSpec>, trees: Map<string | undefined, SrcObject>, report: Reporter): void {
  const bySave = new Map<string, (string | undefined)[]>();
  for (const [variant, spec] of specs) {
    const save = spec.checkpoint?.save;
    if (save !== undefined) bySave.set(save, [...(bySave.get(save) ?? []), variant]);
  }
  for (const [save, runs] of bySave) {
    if (runs.length < 2) continue;
    const names = runs.map(r => (r === undefined ? 'the base experiment' : `variant '${r}'`));
    report.value(
      nearest(trees.get(runs[0])!, ['checkpoint', 'save']),
      `${names.slice(0, -1).join(', ')} and ${names.at(-1)} all save their checkpoint to '${save}', so each run overwrites the last; ` +
        'give each variant its own "checkpoint": { "save": ... }',
      'warning',
    );
  }
}

/** In file order; the sort is stable, so problems at one place keep the order they were found in. */
const sortProblems = (problems: Problem[]): Problem[] => [...problems].sort((a, b) => a.offset - b.offset);

/** A parsed file: its problems, and the resolved spec and source tree of the base and of each variant. */
export class ParsedExperiment {
  constructor(
    readonly fileName: string,
    /** Syntax, base and every variant, deduplicated, in file order. */
    readonly problems: Problem[],
    readonly name: string,
    /** Where the base's code lens goes: the root object's opening brace. */
    readonly baseRange: { offset: number; length: number },
    readonly variants: { name: string; keyOffset: number; keyLength: number }[],
    private readonly lines: LineIndex,
    private readonly trees = new Map<string | undefined, SrcObject>(),
    private readonly specs = new Map<string | undefined, ExperimentSpec>(),
    private readonly files = new Map<string | undefined, NamedFiles>(),
  ) {}

  /**
   * The files the base or a variant names, as far as the sections naming them are valid, even when
   * the run has errors elsewhere (to check them all at once); undefined for a file that did not parse.
   */
  namedFiles(variant?: string): NamedFiles | undefined {
    const files = this.files.get(variant);
    return files ? structuredClone(files) : undefined;
  }

  /** The resolved spec of the base (variant undefined) or of a variant; undefined if it has errors. */
  resolve(variant?: string): { spec: ExperimentSpec } | undefined {
    const spec = this.specs.get(variant);
    // A copy: callers may keep or send it; later parses must not see their changes.
    return spec ? { spec: structuredClone(spec) } : undefined;
  }

  /**
   * Source range of a JSON path of the resolved spec of that variant (or the nearest existing
   * ancestor), to place errors found later (SpecError.path). Line and column are 1-based.
   */
  locate(path: JsonPath, variant?: string): { offset: number; length: number; line: number; column: number } {
    const tree = this.trees.get(variant) ?? this.trees.get(undefined);
    if (!tree) return { offset: 0, length: 0, line: 1, column: 1 };
    const node = nearest(tree, path);
    // Nothing closer than the whole file: point at its opening brace, not at every line.
    return { offset: node.offset, length: node === tree ? 1 : node.length, ...this.lines.position(node.offset) };
  }

  /** Where the value of `path` is written in the file: a variant's own value is under "variants" (Problem.path). */
  writtenPath(path: JsonPath, variant?: string): JsonPath {
    const tree = this.trees.get(variant) ?? this.trees.get(undefined);
    return tree ? nearest(tree, path).path : path;
  }

  /** Where the key of `path` is written (its nearest written ancestor's key). */
  locateKey(path: JsonPath, variant?: string): { line: number; column: number } {
    const tree = this.trees.get(variant) ?? this.trees.get(undefined);
    return tree ? this.lines.position(walkTo(tree, path).keyOffset) : { line: 1, column: 1 };
  }

  /**
   * Where the key a problem concerns is written: the editor underlines the value itself, a command
   * line names the key. A syntax error, or a value a later duplicate key replaced (its path leads
   * elsewhere now), is where it is.
   */
  problemKey(p: Problem): { line: number; column: number } {
    const tree = this.trees.get(undefined);
    const at = tree && p.path.length > 0 ? walkTo(tree, p.path) : undefined;
    const holds = at !== undefined && (at.keyOffset === p.offset || (p.offset >= at.node.offset && p.offset < at.node.offset + at.node.length));
    return holds ? this.lines.position(at.keyOffset) : { line: p.line, column: p.column };
  }
}
