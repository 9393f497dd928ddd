/**
 * Validates one experiment (the base, or the base merged with a variant) and resolves it into an
 * `ExperimentSpec`: each section is checked by its schema (types, ranges, choices, unknown and
 * missing keys; defaults filled in), every object's rules across its keys run on its valid values,
 * and then the rules across sections (rules/). Every problem is reported at the value to blame;
 * the spec is returned only when there was no error.
 */
import type * as z from 'zod';
import { aboutOf, core, familyOf, hasWrapper, kindOptions, validValues, type Rules } from '../core/options';
import { DATASETS, dataInfo, type DataInfo, type DataKind } from '../data/kinds';
import { resolveInit, type InitSpec } from '../init';
import { DEFAULT_LOSS, type LossSpec } from '../losses/kinds';
import { describe, reportIssues } from './messages';
import type { Reporter } from './problems';
import { checkLoss } from './rules/loss';
import { checkModel } from './rules/model';
import { checkRun, type Part } from './rules/run';
import { REQUIRED_HINTS, REQUIRED_SECTIONS, SECTIONS, TOP_LEVEL_KEYS, type ExperimentSpec, type SectionKey } from './sections';
import { get, type SrcObject, type SrcValue } from './source';
import { didYouMean, suggestionFix } from './suggest';
import { childSchema, objectSchema, typeOf } from './walk';

/** Sections that may be left out, or null (a variant turns off the base's this way). */
const OPTIONAL_SECTIONS: readonly string[] = ['schedule', 'momentum_schedule', 'checkpoint', 'probes', 'diagnostics'];

/** What one section resolved to: its spec when it had no error. */
interface Section {
  node: SrcValue;
  spec?: unknown;
}

/** `context.name` is the display name, already chosen: the file's `name` or its file name. */
export function validateExperiment(root: SrcObject, context: { name: string; variant?: string }, report: Reporter): ExperimentSpec | undefined {
  const errorsBefore = report.errors;
  checkTopLevel(root, report);
  const sections: Partial<Record<SectionKey, Section>> = {};
  for (const key of Object.keys(SECTIONS) as SectionKey[]) {
    if (key === '$schema' || key === 'name' || key === 'description') continue;
    const node = get(root, key);
    if (!node || (node.kind === 'null' && OPTIONAL_SECTIONS.includes(key))) continue;
    sections[key] = validateSection(key, node, report);
  }

  const info = infoOf(sections.data);
  const lossPart = sections.loss && partOf(SECTIONS.loss, sections.loss.node);
  const lossErrors = report.errors;
  if (lossPart) checkLoss(lossPart, info, report);
  if (sections.loss && report.errors > lossErrors) sections.loss.spec = undefined;
  const loss = sections.loss ? (sections.loss.spec as LossSpec | undefined) : DEFAULT_LOSS[info.task];
  const modelNode = sections.model?.node;
  const layers = modelNode?.kind === 'array' ? modelNode.items.map(item => partOf(SECTIONS.model.element, item, true)) : [];
  const modelValid = sections.model?.spec !== undefined;
  const parameters = modelNode ? checkModel(modelNode, layers, info, loss, modelValid, report) : undefined;
  checkRun({
    root,
    info,
    report,
    layers,
    parameters,
    optimizer: sections.optimizer && partOf(SECTIONS.optimizer, sections.optimizer.node),
    training: sections.training ? (sections.training.spec as ExperimentSpec['training'] | undefined) : SECTIONS.training.parse({}),
    schedule: sections.schedule && partOf(SECTIONS.schedule, sections.schedule.node),
    momentumSchedule: sections.momentum_schedule && partOf(SECTIONS.momentum_schedule, sections.momentum_schedule.node),
  });

  if (report.errors > errorsBefore) return undefined;
  const specOf = <T>(key: SectionKey): T | undefined => sections[key]?.spec as T | undefined;
  const init = resolveInit(specOf<Partial<InitSpec>>('init') ?? {});
  const spec: ExperimentSpec = {
    name: context.name,
    data: specOf('data')!,
    // A layer's own init inherits what it leaves out from the experiment's.
    model: (specOf<ExperimentSpec['model']>('model') ?? []).map(layer =>
      (layer.type === 'linear' || layer.type === 'maxout') && layer.init ? { ...layer, init: resolveInit(layer.init, init) } : layer,
    ),
    init,
    loss: loss!,
    optimizer: specOf('optimizer')!,
    training: specOf('training') ?? SECTIONS.training.parse({}),
  };
  for (const key of OPTIONAL_SECTIONS) {
    const value = specOf(key as SectionKey);
    if (value !== undefined) (spec as unknown as Record<string, unknown>)[key] = value;
  }
  if (context.variant !== undefined) spec.variant = context.variant;
  const description = get(root, 'description');
  if (description?.kind === 'string') spec.description = description.value as string;
  return spec;
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
      const option = (options.shape as Record<string, z.ZodType | undefined>)[prop.key];
      const note = option && aboutOf(option).noEffect;
      if (note) report.key(prop, obj, `'${prop.key}' ${note}`, 'info');
    }
    // Each report is at the first of its keys the object wrote.
    rules?.(validValues(options, written) as never, {
      error: (keys, message) => report.blame(obj, keys, message),
      warn: (keys, message) => report.blame(obj, keys, message, 'warning'),
      written: key => obj.props.some(p => p.key === key),
    }, written);
  }
  return report.errors === errorsBefore && parsed.success ? { node, spec: dropUndefined(parsed.data) } : { node };
}

/**
 * What the rules across sections know of one object: its kind and valid values, where it is.
 * Undefined when its kind is unknown, unless `anyKind` (a layer still counts by what it says it is).
 */
function partOf(schema: z.ZodType, node: SrcValue, anyKind = false): Part | undefined {
  if (node.kind !== 'object') return undefined;
  const kind = typeOf(node);
  const options = kind === undefined ? undefined : kindOptions(schema, kind);
  if (!options && !anyKind) return undefined;
  const values = options ? validValues(options, toValue(node, options) as Record<string, unknown>) : {};
  return { kind, node, values };
}

function infoOf(data: Section | undefined): DataInfo {
  const part = data && partOf(SECTIONS.data, data.node);
  if (!part?.kind || !(DATASETS.types as readonly string[]).includes(part.kind)) return { task: 'classification' };
  return dataInfo(part.kind as DataKind, part.values);
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
  const entry = options && ruled && { node, options, rules: family ? family.rules[typeOf(node) ?? ''] : aboutOf(schema).rules, written: {} };
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

/** zod's output keeps optional keys that were absent as undefined; the spec leaves them out. */
function dropUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(dropUndefined) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, dropUndefined(v)]),
  ) as T;
}

function checkTopLevel(root: SrcObject, report: Reporter): void {
  for (const p of root.props) {
    if (!(TOP_LEVEL_KEYS as readonly string[]).includes(p.key)) {
      const choices = TOP_LEVEL_KEYS.filter(k => k !== '$schema');
      report.key(p, root, `unknown key '${p.key}'; expected one of: ${choices.join(', ')}${didYouMean(p.key, choices, 'key')}`, 'error', suggestionFix(p.key, choices, 'key'));
    }
  }
  for (const key of REQUIRED_SECTIONS) {
    if (!get(root, key)) report.missing(root, `the experiment needs '${key}'${REQUIRED_HINTS[key] ?? ''}`);
  }
  for (const key of ['name', 'description']) {
    const node = get(root, key);
    if (node && node.kind !== 'string') report.value(node, `'${key}' must be a string, not ${describe(node)}`);
  }
}
