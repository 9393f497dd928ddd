/**
 * Builds docs/experiment-format.md, the reference of every section, kind and key of the experiment format: the prose
 * of docs/experiment-format.template.md with the tables filled in from the schemas the validator reads.
 */
import * as z from 'zod';
import { aboutOf, core, familyOf, kindOptions, type FamilyInfo } from '../core/options';
import { RULES as DIAGNOSTIC_RULES } from '../diagnostics/catalogue';
import { CAUSES } from '../diagnostics/causes';
import { INITIALIZERS } from '../init';
import { KEY_ALIASES, TYPE_ALIASES } from './aliases';
import { isRequired, keysOf, requiredKeys, zodJson, type Json } from './jsonSchema';
import { SECTIONS, VARIANT_KEYS, type SectionKey } from './sections';

/** Text for a table cell (| escaped), as `code`. */
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text: string): string => `\`${cell(text)}\``;

function formatNumber(v: number): string {
  if (v === Infinity) return '"inf"';
  // Round powers of ten as torch's docs write them (1e4, 1e-8); other integers in full (2³² − 1).
  const power = Math.log10(Math.abs(v)); // -Infinity for 0: not an integer
  if ((Number.isInteger(power) && Math.abs(power) >= 4) || (!Number.isInteger(v) && Math.abs(v) < 1e-3)) return v.toExponential().replace('e+', 'e');
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

/** "number in (0, 1]", "integer ≥ 1", ... from a number's JSON Schema (zod's ±(2⁵³ − 1) of an unbounded integer is no bound to show). */
function numberType(json: Json): string {
  const t = json.type === 'integer' || Number.isInteger(json.const) ? 'integer' : 'number';
  if (json.const !== undefined) return `${t} = ${json.const as number}`;
  const bound = (v: unknown): string | undefined => (Math.abs(v as number) < Number.MAX_SAFE_INTEGER ? formatNumber(v as number) : undefined);
  const [lo, hi] = [bound(json.exclusiveMinimum ?? json.minimum), bound(json.exclusiveMaximum ?? json.maximum)];
  const [loOpen, hiOpen] = [json.exclusiveMinimum !== undefined, json.exclusiveMaximum !== undefined];
  if (lo && hi) return `${t} in ${loOpen ? '(' : '['}${lo}, ${hi}${hiOpen ? ')' : ']'}`;
  if (lo) return `${t} ${loOpen ? '>' : '≥'} ${lo}`;
  return hi ? `${t} ${hiOpen ? '<' : '≤'} ${hi}` : t;
}

/** "true / false", "one of `a`, `b`", "list of numbers ≥ 0", "number > 0, or "inf"", ... from a JSON Schema. */
function jsonType(json: Json, about: { itemNoun?: string; description?: string } = {}): string {
  if (json.anyOf) return (json.anyOf as Json[]).map(branch => jsonType(branch)).join(', or ');
  if (typeof json.const === 'string') return `"${json.const}"`;
  if (json.type === 'number' || json.type === 'integer') return numberType(json);
  if (json.type === 'string') return json.enum ? `one of ${(json.enum as string[]).map(code).join(', ')}` : 'string';
  if (json.type !== 'array') return json.type === 'boolean' ? 'true / false' : json.type === 'null' ? 'null' : 'value';
  const items = json.items as Json | Json[];
  if (Array.isArray(items)) {
    const { minimum, exclusiveMaximum } = items[0] as { minimum: number; exclusiveMaximum?: number };
    return `[number, number], each in [${formatNumber(minimum)}, ${exclusiveMaximum === undefined ? '∞' : formatNumber(exclusiveMaximum)})`;
  }
  if (items.enum) return `list of ${about.itemNoun ?? 'item'}s: ${(items.enum as string[]).map(code).join(', ')}`;
  const min = items.minimum !== undefined ? ` ≥ ${formatNumber(items.minimum as number)}` : '';
  // An ordered list of integers (core/lists.ts) says its order in its description.
  const text = items.type === 'integer' ? (about.description ?? '') : '';
  const order = /increasing/.test(text) ? 'increasing ' : /in order/.test(text) ? 'non-decreasing ' : '';
  return `list of ${order}${items.type as string}s${min}`;
}

/** What a file may write for an option: "number in (0, 1]", "optimizer (see [optimizer](#optimizer))", ... */
function typeOf(schema: z.ZodType): string {
  const about = aboutOf(schema);
  const { type, element } = core(schema)._zod.def as { type: string; element?: z.ZodType };
  const listOf = element && familyOf(element);
  if (about.family) return `${about.family.noun} (see ${anchorLink(about.family)})`;
  if (about.initPair) return 'initializer name or { weight, bias } (see [init](#init))';
  if (listOf) return `list of ${listOf.noun}s (see ${anchorLink(listOf)})`;
  if (type !== 'object') return jsonType(zodJson(schema), about);
  const shorthands = [about.numberShorthand && `a number (its ${code(about.numberShorthand)})`, about.trueShorthand && '`true`'];
  return ['object', ...shorthands, '`null`'].filter(Boolean).join(', ');
}

function defaultOf(schema: z.ZodType): string {
  if (isRequired(schema)) return '**required**';
  const d = zodJson(schema).default;
  if (d === undefined) return core(schema)._zod.def.type === 'object' && !aboutOf(schema).initPair ? 'off' : '—';
  return code(typeof d === 'number' ? formatNumber(d) : Array.isArray(d) ? `[${(d as number[]).map(formatNumber).join(', ')}]` : JSON.stringify(d));
}

/** A table of keys; groups of keys get their own table after it. */
function keysTable(options: z.ZodObject, heading: (key: string) => string): string {
  const keys = keysOf(options);
  if (keys.length === 0) return '_No options._\n';
  const doc = (s: z.ZodType): string => cell(aboutOf(s).markdown ?? aboutOf(s).description ?? '');
  const rows = keys.map(([key, s]) => `| ${code(key)} | ${cell(typeOf(s))} | ${defaultOf(s)} | ${doc(s)} |\n`);
  const groups = keys.filter(([, s]) => core(s)._zod.def.type === 'object' && !aboutOf(s).initPair);
  const tables = groups.map(([key, s]) => `\n${heading(key)}\n\n${keysTable(core(s) as z.ZodObject, heading)}`);
  return `| key | type | default | meaning |\n|---|---|---|---|\n${rows.join('')}${tables.join('')}`;
}

/** The section that lists a family's kinds, where it is not the family's name. */
const LISTED_IN: Record<string, string> = {
  layer: 'model', initializer: 'init', innerOptimizer: 'optimizer', sequentialSchedule: 'schedule', momentumSchedule: 'momentum_schedule',
};
const anchorLink = ({ name }: FamilyInfo): string => `[${LISTED_IN[name] ?? name}](#${LISTED_IN[name] ?? name})`;

/** Every kind of a family: a line of what it is, then its keys. */
function kindsSection(schema: z.ZodType): string {
  const { kinds } = familyOf(schema)!;
  const sections = kinds.map(kind => {
    const options = kindOptions(schema, kind)!;
    const required = requiredKeys(options).map(code);
    const ownInit = options.shape.init && aboutOf(options.shape.init).initPair ? " Its own `init` overrides the experiment's, key by key." : '';
    const byName = required.length > 0 ? ` Needs ${required.join(' and ')}.` : ` By its name alone (${code(`"${kind}"`)}): with these defaults.`;
    return `### \`${kind}\`\n\n${options.description}${ownInit}${byName}\n\n${keysTable(options, key => `#### \`${kind}.${key}\``)}\n`;
  });
  return `Kinds: ${kinds.map(code).join(', ')}.\n\n${sections.join('')}`;
}

/** What each `{{part section}}` of the template stands for. */
const PARTS: Record<string, (key: SectionKey) => string> = {
  about: key => aboutOf(SECTIONS[key]).description!,
  kinds: key => kindsSection(key === 'model' ? SECTIONS.model.element : key === 'init' ? INITIALIZERS.schema : SECTIONS[key]),
  keys: key => keysTable(core(SECTIONS[key]) as z.ZodObject, k => `### \`${key}.${k}\``),
  // The diagnostic rules in the order they are checked, and the findings each takes in as consequences (diagnostics/causes.ts).
  rules: () =>
    DIAGNOSTIC_RULES.map(r => {
      const thresholds = r.thresholds.map(t => `[${code(t)}](#diagnosticsthresholds)`).join(', ') || '—';
      const takesIn = Object.keys(CAUSES).filter(symptom => CAUSES[symptom].some(c => c.split(':')[0] === r.id));
      return `| ${code(r.id)} | ${r.severity} | ${cell(r.description)} | ${thresholds} | ${takesIn.map(code).join(', ') || '—'} |`;
    }).join('\n'),
  'variant-keys': () => VARIANT_KEYS.map(code).join(', '),
  'kind-aliases': () => Object.entries(TYPE_ALIASES).map(([alias, kind]) => `${code(alias)} → ${code(kind)}`).join(', '),
  'key-aliases': () => Object.entries(KEY_ALIASES).map(([alias, keys]) => `${code(alias)} → ${[keys].flat().map(code).join(' or ')}`).join(', '),
};

/** The reference: its prose (docs/experiment-format.template.md, without its opening comment) with every `{{part section}}` filled in. */
export function buildReference(template: string): string {
  const filled = template.replace(/^<!--.*-->\n/, '').replace(/\{\{([\w-]+) ?(\w*)\}\}/g, (placeholder, part: string, key: string) => {
    if (!(part in PARTS) || (key !== '' && !(key in SECTIONS))) throw new Error(`experiment-format.template.md: unknown ${placeholder}`);
    return PARTS[part](key as SectionKey);
  });
  return filled.replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}
