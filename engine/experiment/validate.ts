/**
 * Validates one experiment (the base, or the base merged with a variant) and resolves it into an
 * `ExperimentSpec`: each section by its schema (defaults filled in), every object's rules across its
 * keys on its valid values, then the rules across sections (rules/). The spec only when there was no error.
 */
import type * as z from 'zod';
import { aboutOf, core, familyOf, hasWrapper, own, validValues, type RuleReport, type Rules } from '../core/options';
import type { CheckpointSpec } from '../checkpoint/options';
import { dataFiles, dataInfo, type DataInfo, type DataKind, type DataSpec } from '../data/kinds';
import { resolveInit, type InitSpec } from '../init';
import { DEFAULT_LOSS, type LossSpec } from '../losses/kinds';
import { describe, reportIssues } from './messages';
import type { Reporter } from './problems';
import { checkLoss } from './rules/loss';
import { checkModel, type LossType } from './rules/model';
import { checkRun, type Part } from './rules/run';
import { REQUIRED_SECTIONS, SECTIONS, TOP_LEVEL_KEYS, type ExperimentSpec, type SectionKey } from './sections';
import { get, type SrcObject, type SrcValue } from './source';
import { didYouMean, suggestionFix } from './suggest';
import { childSchema, objectSchema, typeOf } from './walk';

/** Sections that may be left out, or null (a variant turns off the base's this way). */
const OPTIONAL_SECTIONS: readonly string[] = ['schedule', 'momentum_schedule', 'checkpoint', 'probes', 'diagnostics'];

/** What one section resolved to: its spec when it had no error, and its objects whose schema is known. */
interface Section {
  node: SrcValue;
  spec?: unknown;
  ruled: Ruled[];
}

/** The sections that name files (the data's, the checkpoints), each as far as its own values are valid. */
export type NamedFiles = Pick<Partial<ExperimentSpec>, 'data' | 'checkpoint'>;

/**
 * `context.name` is the display name, already chosen: the file's `name` or its file name. The spec
 * only when there was no error; the files named in any case (their own problems are not the others').
 */
export function validateExperiment(root: SrcObject, context: { name: string; variant?: string }, report: Reporter): { spec?: ExperimentSpec; files: NamedFiles } {
  const errorsBefore = report.errors;
  checkTopLevel(root, report);
  const sections: Partial<Record<SectionKey, Section>> = {};
  for (const key of Object.keys(SECTIONS) as SectionKey[]) {
    if (key === '$schema' || key === 'name' || key === 'description') continue;
    const node = get(root, key);
    if (!node || (node.kind === 'null' && OPTIONAL_SECTIONS.includes(key))) continue;
    sections[key] = validateSection(key, node, report);
  }

  const data = partOf(sections.data);
  // Of data of no known kind (a misspelt "csv" may be a regression), nothing is known, not even the task.
  const info: DataInfo = data ? dataInfo(data.kind as DataKind, data.values) : {};
  const lossPart = partOf(sections.loss);
  let lossFits = false;
  if (lossPart) {
    const lossErrors = report.errors;
    checkLoss(lossPart, info, report);
    lossFits = report.errors === lossErrors;
    if (!lossFits) sections.loss!.spec = undefined;
  }
  // The default loss is the data's task's: unknown when the task is (no known data kind, or a task written wrongly).
  const loss = sections.loss ? (sections.loss.spec as LossSpec | undefined) : info.task ? DEFAULT_LOSS[info.task] : undefined;
  // The model's rules read the loss's type alone: known when the loss names one that fits the data, whatever its other keys.
  const lossType: LossType | undefined = loss ?? (lossPart && lossFits ? { type: lossPart.kind as LossType['type'] } : undefined);
  const model = sections.model;
  const layers = model?.node.kind === 'array' ? model.node.items.map(item => partOf(model, item, true)) : [];
  const parameters = model ? checkModel(model.node, layers, info, lossType, model.spec !== undefined, report) : undefined;
  const optimizer = partOf(sections.optimizer);
  // Training's valid values (none of an object of no known form): a key written wrongly hides only what depends on it.
  const training: Partial<ExperimentSpec['training']> = sections.training ? (partOf(sections.training)?.values ?? {}) : SECTIONS.training.parse({});
  const [schedule, momentumSchedule] = [partOf(sections.schedule), partOf(sections.momentum_schedule)];
  checkRun({ root, info, report, layers, parameters, optimizer, training, schedule, momentumSchedule });

  const files = namedFiles(sections, data);
  if (report.errors > errorsBefore) return { files };
  const specOf = <T>(key: string): T | undefined => sections[key as SectionKey]?.spec as T | undefined;
  const init = resolveInit(specOf<Partial<InitSpec>>('init') ?? {});
  const description = get(root, 'description');
  const spec = {
    name: context.name,
    data: specOf('data'),
    // A layer's own init inherits what it leaves out from the experiment's.
    model: (specOf<ExperimentSpec['model']>('model') ?? []).map(layer =>
      (layer.type === 'linear' || layer.type === 'maxout') && layer.init ? { ...layer, init: resolveInit(layer.init, init) } : layer,
    ),
    init,
    loss,
    optimizer: specOf('optimizer'),
    training: specOf('training') ?? SECTIONS.training.parse({}),
    ...Object.fromEntries(OPTIONAL_SECTIONS.map(key => [key, specOf(key)])),
    variant: context.variant,
    description: description?.kind === 'string' ? description.value : undefined,
  };
  return { spec: Object.fromEntries(Object.entries(spec).filter(([, value]) => value !== undefined)) as unknown as ExperimentSpec, files };
}

/**
 * The data of a known kind and the checkpoint's valid values: what the run's file checks can read.
 * A file key that holds no path (a number) is left out; a path a rule refuses (an absolute one) is
 * still a path.
 */
function namedFiles(sections: Partial<Record<SectionKey, Section>>, data: Part | undefined): NamedFiles {
  const spec = data && ({ ...data.values, type: data.kind } as DataSpec);
  for (const f of spec ? dataFiles(spec) : []) if (typeof f.path !== 'string') delete (spec as Record<string, unknown>)[f.key];
  const checkpoint = partOf(sections.checkpoint)?.values as CheckpointSpec | undefined;
  return { ...(spec ? { data: spec } : {}), ...(checkpoint ? { checkpoint } : {}) };
}

/** A section: its schema's issues, its objects' rules, and its spec when all is well. */
function validateSection(key: SectionKey, node: SrcValue, report: Reporter): Section {
  const schema: z.ZodType = SECTIONS[key];
  const errorsBefore = report.errors;
  const ruled: Ruled[] = [];
  const parsed = schema.safeParse(toValue(node, schema, ruled), { reportInput: true });
  if (!parsed.success) reportIssues(parsed.error.issues, schema, node, key, report);
  for (const { node: obj, options, rules, written } of ruled) {
    for (const prop of obj.props) {
      const option = own(options.shape as Record<string, z.ZodType>, prop.key);
      const note = option && aboutOf(option).noEffect;
      if (note) report.key(prop, obj, `'${prop.key}' ${note}`, 'info');
    }
    // Each report is at the first of its keys the object wrote.
    const ruleReport: RuleReport = {
      error: (keys, message) => report.blame(obj, keys, message),
      warn: (keys, message) => report.blame(obj, keys, message, 'warning'),
      written: k => obj.props.some(p => p.key === k),
    };
    rules?.(validValues(options, written) as never, ruleReport, written);
  }
  return { node, ruled, spec: report.errors === errorsBefore && parsed.success ? parsed.data : undefined };
}

/**
 * What the rules across sections know of one of a section's objects (the section itself by
 * default): its kind and valid values, where it is. Undefined when its kind is unknown, unless
 * `anyKind` (a layer keeps the kind it names, which the model's rules take for no layer when unknown).
 */
function partOf(section: Section | undefined, node = section?.node, anyKind = false): Part | undefined {
  if (node?.kind !== 'object') return undefined;
  const known = section?.ruled.find(r => r.node === node);
  if (!known && !anyKind) return undefined;
  return { kind: typeOf(node), node, values: known ? validValues(known.options, known.written) : {} };
}

/** An object whose schema is known, with its kind's or schema's rules across its keys and its value as written. */
interface Ruled {
  node: SrcObject;
  options: z.ZodObject;
  rules?: Rules<never>;
  written: Record<string, unknown>;
}

/**
 * The plain value of a source node under `schema`. A `null` for an optional group of keys
 * (clipping, early stopping, thresholds, ...) means "none": the key is left out, as if absent.
 * Objects whose schema is known (below ones that are) are added to `ruled`.
 */
function toValue(node: SrcValue, schema: z.ZodType | undefined, ruled?: Ruled[]): unknown {
  if (node.kind === 'array') return node.items.map((item, i) => toValue(item, schema && childSchema(schema, node, i), ruled));
  if (node.kind !== 'object') return node.value;
  const options = schema && objectSchema(schema, node);
  const family = schema && familyOf(schema);
  const entry = options && ruled && { node, options, rules: family ? own(family.rules, typeOf(node) ?? '') : aboutOf(schema).rules, written: {} };
  if (entry) ruled?.push(entry);
  const value = Object.fromEntries(
    node.props
      .map(p => ({ p, child: schema && childSchema(schema, node, p.key) }))
      .filter(({ p, child }) => !(p.value.kind === 'null' && child && isOptionalGroup(child)))
      .map(({ p, child }) => [p.key, toValue(p.value, child, entry ? ruled : undefined)]),
  );
  if (entry) entry.written = value;
  return value;
}

/** An optional object of keys (not a family's, not an initializer pair): null turns it off. */
function isOptionalGroup(schema: z.ZodType): boolean {
  return hasWrapper(schema, 'optional') && core(schema)._zod.def.type === 'object' && !aboutOf(schema).initPair;
}

function checkTopLevel(root: SrcObject, report: Reporter): void {
  const choices = TOP_LEVEL_KEYS.filter(k => k !== '$schema');
  for (const p of root.props.filter(p => !(TOP_LEVEL_KEYS as readonly string[]).includes(p.key))) {
    const message = `unknown key '${p.key}'; expected one of: ${choices.join(', ')}${didYouMean(p.key, choices, 'key')}`;
    report.key(p, root, message, 'error', suggestionFix(p.key, choices, 'key'));
  }
  for (const [key, hint] of Object.entries(REQUIRED_SECTIONS)) {
    if (!get(root, key)) report.missing(root, `the experiment needs '${key}'${hint}`);
  }
  for (const key of ['name', 'description']) {
    const node = get(root, key);
    if (node && node.kind !== 'string') report.value(node, `'${key}' must be a string, not ${describe(node)}`);
  }
}
