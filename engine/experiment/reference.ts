/**
 * Builds docs/experiment-format.md, the reference of every section, kind and key of the experiment
 * format, from the same schemas the validator reads, plus the prose around them here. Run by
 * scripts/generate.mjs; a test checks that the committed file is current and that every kind and
 * key appears.
 */
import * as z from 'zod';
import { aboutOf, core, familyOf, kindOptions, type FamilyInfo } from '../core/options';
import { RULES as DIAGNOSTIC_RULES } from '../diagnostics/catalogue';
import { CAUSES } from '../diagnostics/causes';
import { KEY_ALIASES, TYPE_ALIASES } from './aliases';
import { isRequired, keysOf, requiredKeys, zodJson } from './jsonSchema';
import { SECTIONS } from './sections';

type Json = Record<string, unknown>;

/** Text for a table cell (| escaped), as `code`. */
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text: string): string => `\`${cell(text)}\``;

function formatNumber(v: number): string {
  if (v === Infinity) return '"inf"';
  // Round powers of ten as torch's docs write them (1e4, 1e-8); other integers in full (2³² − 1).
  const power = Math.log10(Math.abs(v));
  if (v !== 0 && Number.isInteger(power) && Math.abs(power) >= 4) return v.toExponential().replace('e+', 'e');
  if (Number.isInteger(v)) return String(v);
  if (Math.abs(v) < 1e-3) return v.toExponential().replace('e+', 'e');
  return String(Number(v.toPrecision(6)));
}

/** "number in (0, 1]", "integer ≥ 1", ... from a number's JSON Schema. */
function numberType(json: Json): string {
  const t = json.type === 'integer' || Number.isInteger(json.const) ? 'integer' : 'number';
  if (json.const !== undefined) return `${t} = ${json.const as number}`;
  const [lo, hi] = [json.exclusiveMinimum ?? json.minimum, json.exclusiveMaximum ?? json.maximum] as (number | undefined)[];
  const [loOpen, hiOpen] = [json.exclusiveMinimum !== undefined, json.exclusiveMaximum !== undefined];
  const shown = (v: number | undefined): v is number => v !== undefined && Math.abs(v) < Number.MAX_SAFE_INTEGER;
  if (shown(lo) && shown(hi)) return `${t} in ${loOpen ? '(' : '['}${formatNumber(lo)}, ${formatNumber(hi)}${hiOpen ? ')' : ']'}`;
  if (shown(lo)) return `${t} ${loOpen ? '>' : '≥'} ${formatNumber(lo)}`;
  return shown(hi) ? `${t} ${hiOpen ? '<' : '≤'} ${formatNumber(hi)}` : t;
}

/** "true / false", "one of `a`, `b`", "list of numbers ≥ 0", "number > 0, or "inf"", ... from a JSON Schema. */
function jsonType(json: Json, itemNoun = 'item', order = ''): string {
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
  if (items.enum) return `list of ${itemNoun}s: ${(items.enum as string[]).map(code).join(', ')}`;
  const min = items.minimum !== undefined ? ` ≥ ${formatNumber(items.minimum as number)}` : '';
  return `list of ${items.type === 'integer' ? order : ''}${items.type as string}s${min}`;
}

/** What a file may write for an option: "number in (0, 1]", "optimizer (see [optimizer](#optimizer))", ... */
function typeOf(schema: z.ZodType): string {
  const about = aboutOf(schema);
  const { type, element } = core(schema)._zod.def as { type: string; element?: z.ZodType };
  const listOf = element && familyOf(element);
  if (about.family) return `${about.family.noun} (see ${anchorLink(about.family)})`;
  if (about.initPair) return 'initializer name or { weight, bias } (see [init](#init))';
  if (listOf) return `list of ${listOf.noun}s (see ${anchorLink(listOf)})`;
  if (type !== 'object') {
    // The order an ordered list's items keep (core/lists.ts) is in its description.
    const order = /increasing/.test(about.description ?? '') ? 'increasing ' : /in order/.test(about.description ?? '') ? 'non-decreasing ' : '';
    return jsonType(zodJson(schema), about.itemNoun, order);
  }
  const shorthands = [about.numberShorthand && `a number (its ${code(about.numberShorthand)})`, about.trueShorthand && '`true`'];
  return ['object', ...shorthands, '`null`'].filter(Boolean).join(', ');
}

function defaultOf(schema: z.ZodType): string {
  if (isRequired(schema)) return '**required**';
  const d = zodJson(schema).default;
  if (d === undefined) return core(schema)._zod.def.type === 'object' && !aboutOf(schema).initPair ? 'off' : '—';
  if (typeof d === 'number') return code(formatNumber(d));
  return code(Array.isArray(d) ? `[${(d as number[]).map(formatNumber).join(', ')}]` : JSON.stringify(d));
}

/** A table of keys; groups of keys get their own table after it. */
function keysTable(options: z.ZodObject, heading: (key: string) => string): string {
  const keys = keysOf(options);
  if (keys.length === 0) return '_No options._\n';
  let out = '| key | type | default | meaning |\n|---|---|---|---|\n';
  for (const [key, s] of keys) {
    const about = aboutOf(s);
    out += `| ${code(key)} | ${cell(typeOf(s))} | ${defaultOf(s)} | ${cell(about.markdown ?? about.description ?? '')} |\n`;
  }
  for (const [key, s] of keys) {
    const group = core(s);
    if (group._zod.def.type === 'object' && !aboutOf(s).initPair && !familyOf(s)) out += `\n${heading(key)}\n\n${keysTable(group as z.ZodObject, heading)}`;
  }
  return out;
}

/** The section that lists a family's kinds, where it is not the family's name. */
const LISTED_IN: Record<string, string> = {
  layer: 'model', initializer: 'init', innerOptimizer: 'optimizer', sequentialSchedule: 'schedule', momentumSchedule: 'momentum_schedule',
};
const anchorLink = ({ name }: FamilyInfo): string => `[${LISTED_IN[name] ?? name}](#${LISTED_IN[name] ?? name})`;

/** Every kind of a family: a line of what it is, then its keys. */
function kindsSection(schema: z.ZodType): string {
  const family = familyOf(schema)!;
  let out = `Kinds: ${family.kinds.map(code).join(', ')}.\n\n`;
  for (const kind of family.kinds) {
    const options = kindOptions(schema, kind)!;
    const required = requiredKeys(options).map(code);
    const init = options.shape.init as z.ZodType | undefined;
    out += `### \`${kind}\`\n\n${options.description}${init && aboutOf(init).initPair ? " Its own `init` overrides the experiment's, key by key." : ''}`;
    out += required.length > 0 ? ` Needs ${required.join(' and ')}.\n\n` : ` By its name alone (${code(`"${kind}"`)}): with these defaults.\n\n`;
    out += keysTable(options, key => `#### \`${kind}.${key}\``) + '\n';
  }
  return out;
}

const INTRO = `# The experiment format

An experiment is a file named \`*.experiment.json\`: JSON with comments (\`//\`, \`/* */\`) and trailing
commas. It says what to train (data, model), how (initialization, loss, optimizer, schedules,
training loop), where to keep it (checkpoints), and which variants to compare. Names and defaults
are PyTorch's (1.13) wherever PyTorch has the thing, so settings carry across unchanged: \`lr\`,
\`betas\`, \`weight_decay\`, \`out_features\`, \`T_max\`, \`max_norm\`...

\`\`\`jsonc
{
  "name": "Spiral MLP",
  "data": { "type": "spiral", "samples": 600 },
  "model": [{ "type": "linear", "out_features": 64 }, "relu", "batch_norm", { "type": "linear" }],
  "init": { "weight": { "type": "kaiming_normal", "nonlinearity": "relu" }, "bias": "zeros" },
  "optimizer": { "type": "sgd", "lr": 0.1, "momentum": 0.9 },
  "schedule": "cosine_annealing",
  "training": { "epochs": 60, "batch_size": 32, "clip_grad_norm": 1.0 },
  "checkpoint": { "save": "checkpoints/spiral.safetensors" },
  "variants": { "adam": { "optimizer": { "type": "adam", "lr": 0.01 } } }
}
\`\`\`

Every problem is reported at the exact key or value to change, with the valid choices and a
suggestion for a misspelt name ("did you mean 'cosine_annealing'?" for \`"cosine"\`, also for
torch's class names such as \`"CosineAnnealingLR"\` or \`"BatchNorm1d"\`). The editor's completion
and hovers come from \`schemas/experiment.schema.json\`, generated from the same tables as this page
(each part's own options, next to its code).
`;

const SHORTHANDS = `## Shorthands

- Where an object with a \`type\` is expected, the type alone may be written: \`"loss": "mse"\`,
  \`"optimizer": "adam"\`, a layer \`"relu"\` or \`"dropout"\`, \`"schedule": "cosine_annealing"\`,
  lookahead's \`"optimizer": "sgd"\`, a schedule inside \`sequential\`. It means that kind with its
  defaults (a kind with required keys cannot be written this way in the base experiment).
- \`"init": "xavier_uniform"\` sets the weights' initializer; the biases keep theirs.
- In \`training\`: \`"clip_grad_norm": 1.0\` is \`{ "max_norm": 1.0 }\`, \`"clip_grad_value": 0.5\` is
  \`{ "clip_value": 0.5 }\`, \`"ema": true\` and \`"early_stopping": true\` turn them on with their defaults.
- \`null\` (and \`false\` for \`ema\` and \`early_stopping\`) means "none" for every optional part.
`;

const VARIANTS = `## Variants

\`variants\` maps names to overrides of the experiment; each variant runs and is compared separately.
A variant may override every section but \`name\` and \`variants\`: ${['description', 'data', 'model', 'init', 'loss', 'optimizer', 'schedule', 'momentum_schedule', 'training', 'checkpoint', 'probes', 'diagnostics'].map(code).join(', ')}.

- Objects merge key by key: \`{ "optimizer": { "lr": 0.01 } }\` keeps the base's optimizer and its other settings.
- Lists and values replace: a variant's \`model\` is the whole model.
- An object with a different \`type\` replaces the base's wholesale (\`sgd\` → \`adam\` inherits no
  \`momentum\`); a shorthand counts as its type.
- \`null\` removes an optional part: \`{ "schedule": null }\`, \`{ "training": { "ema": null } }\`.

A problem that exists only in a variant is reported with the variant's name, at the value to blame
(in the variant, or in the base when a base value breaks a rule only in that variant).
`;

const RULES = `## Rules across keys

Besides each key's type and range, the validator checks what only several keys decide together.
Errors stop the experiment (or variant) from running; warnings do not.

**Model.** Only the last \`linear\` or \`maxout\` layer may omit \`out_features\`; it must output one
value per class (one for \`bce_with_logits\`), twice that per \`glu\` after it. \`glu\` needs an even
width; \`prelu\`'s \`num_parameters\` is 1 or its input's width; \`hardtanh\` needs
\`min_val < max_val\`; \`celu\`'s \`alpha\` is not 0; \`dropout\`'s \`p\` is below 1; \`maxout\`'s
\`out_features × pieces\` and the whole model's parameters are bounded. Warnings: layers after the
last linear layer that bend the scores a loss on logits expects (\`cross_entropy\`,
\`bce_with_logits\`), and an \`nll_loss\` model that does not end with \`log_softmax\`.

**Loss.** Classification losses need classification data; \`bce_with_logits\` needs 2 classes;
class \`weight\` has one entry per class, not all 0.

**Initializers.** Initializers that need a 2-D weight (${['xavier_*', 'kaiming_*', 'lecun_*', 'orthogonal', 'sparse'].map(code).join(', ')}) cannot
initialize a bias; \`uniform\` needs \`a ≤ b\`, \`trunc_normal\` \`a < b\` (warning when \`mean\` is more
than 2 std outside \`[a, b]\`); kaiming's \`a\` only matters with \`leaky_relu\` (warning).

**Optimizers.** \`sgd\`: \`nesterov\` needs \`momentum > 0\` and \`dampening = 0\`; momentum ≥ 1 is a
warning (also for \`rmsprop\`). \`rprop\`: \`0 < etas[0] < 1 < etas[1]\`, \`step_sizes[0] ≤ step_sizes[1]\`.
\`lbfgs\`: \`max_eval\` below \`max_iter\` (warning); it takes one full-batch step per epoch, so
\`batch_size\` and \`shuffle\` are not used (warning when written), dropout confuses its line search
(warning), a large \`history_size\` × parameters uses a lot of memory (warning). \`lookahead\` cannot
wrap itself; problems in its inner \`optimizer\` are reported inside it. \`sgd_lr_decay\` with a
\`schedule\` (warning: both set the lr).

**Schedules.** \`reduce_lr_on_plateau\` steps per epoch (\`interval: "epoch"\`). Inside
\`sequential\`: no \`interval\`, no \`sequential\` or \`reduce_lr_on_plateau\`; \`milestones\` are
increasing, one fewer than \`schedulers\`; a milestone at or after the run's end is a warning, and
an error when the schedule after it would take its length from its (empty) segment. \`one_cycle\`:
\`total_steps\` or \`epochs\` with \`steps_per_epoch\`, not both; the cycle must cover the run; no phase
of zero length (\`pct_start\`); \`base_momentum ≤ max_momentum\` (warning, also \`cyclic\`).
\`cycle_momentum\` (on by default for \`one_cycle\` and \`cyclic\`) and \`momentum_schedule\` need an
optimizer with a momentum or beta1 (\`sgd\`, \`rmsprop\`, the Adam family), and only one of them may set
it. Warnings: a \`linear\`, \`constant\` or \`polynomial\` schedule longer than the run, a \`step_size\` or
milestone that never comes.

**Training.** \`batch_norm\` needs at least 2 rows in every training batch (\`batch_size\` 1, or a
last batch of 1 row, is an error). Early stopping on \`val_*\` needs a validation set, on
\`*_accuracy\` a classification; a \`patience\` not below \`epochs\` is a warning. Warnings: both
clippings, \`regularization.l2\` together with the optimizer's \`weight_decay\` (not AdamW's), an EMA
\`decay\` of 1, a run that will take minutes (an error when it would take hours).

**Checkpoints.** \`load_mode: "resume"\` needs \`load\`; \`save_every\` needs \`save\`; paths are relative
to the experiment file and stay inside the workspace; several runs of one file saving to the same
file is a warning. When the run starts, a file that does not fit the model (or, to resume, the
optimizer, schedules and training set) is reported at \`checkpoint.load\`.
`;

export function buildReference(): string {
  const S = SECTIONS;
  const F = (schema: z.ZodType): FamilyInfo => familyOf(schema)!;
  const doc = (schema: z.ZodType): string => cell(aboutOf(schema).description ?? '');
  const layer = S.model.element;
  const initializer = (core(S.init) as z.ZodObject).shape.weight as z.ZodType;
  const top = `## Top level

| key | meaning |
|---|---|
| \`$schema\` | The JSON Schema of this file (optional; editors use it). |
| \`name\` | Display name (default: the file name). |
| \`description\` | What the experiment is about. |
| [\`data\`](#data) | **Required.** ${F(S.data).description} |
| [\`model\`](#model) | **Required.** The layers in order, as in torch.nn.Sequential. |
| [\`init\`](#init) | Initialization of the linear and maxout layers. Default: PyTorch's own. |
| [\`loss\`](#loss) | ${F(S.loss).description} |
| [\`optimizer\`](#optimizer) | **Required.** ${F(S.optimizer).description} |
| [\`schedule\`](#schedule) | ${F(S.schedule).description} |
| [\`momentum_schedule\`](#momentum_schedule) | ${F(S.momentum_schedule).description} |
| [\`training\`](#training) | The training loop: epochs, batches, seed, and its optional parts. |
| [\`checkpoint\`](#checkpoint) | ${doc(S.checkpoint)} |
| [\`probes\`](#probes) | ${doc(S.probes)} |
| [\`diagnostics\`](#diagnostics) | ${doc(S.diagnostics)} |
| [\`variants\`](#variants) | Named variants to compare. |
`;
  const sections = [
    `## data\n\n${F(S.data).description}\n\n${kindsSection(S.data)}`,
    `## model\n\nA list of layers, in order (torch.nn.Sequential). The first layer's input width is the number of features. ` +
      `A layer is an object with a \`type\` or just the type's name. Parameter names follow torch's \`state_dict\` ("0.weight", "2.bias").\n\n` +
      kindsSection(layer),
    `## init\n\nThe initialization of every \`linear\` and \`maxout\` layer that does not set its own: an initializer name (for the weights), ` +
      `or \`{ "weight": <initializer>, "bias": <initializer> }\` (either may be left out: PyTorch's default). ` +
      `An initializer is an object with a \`type\` or just its name.\n\n${kindsSection(initializer)}`,
    `## loss\n\n${F(S.loss).description} Mean reduction, as torch's default.\n\n${kindsSection(S.loss)}`,
    `## optimizer\n\n${F(S.optimizer).description} \`lookahead\`'s inner \`optimizer\` takes every kind but \`lookahead\`.\n\n${kindsSection(S.optimizer)}`,
    `## schedule\n\n${F(S.schedule).description} Kind names are torch's class names without "LR", in snake_case; keys are the class's arguments. ` +
      `A schedule steps after every optimizer step or every epoch (\`interval\`); its counts are in those units. ` +
      `Inside \`sequential\`, schedules have no \`interval\` (the sequence steps them) and an omitted \`T_max\` or \`total_steps\` is their segment's length. ` +
      `A variant removes the base's schedule with \`"schedule": null\`.\n\n${kindsSection(S.schedule)}`,
    `## momentum_schedule\n\n${F(S.momentum_schedule).description} The value is absolute: it replaces SGD's \`momentum\` or Adam's \`betas[0]\`.\n\n${kindsSection(S.momentum_schedule)}`,
    `## training\n\nThe training loop. Each optional part is off unless written (and \`null\` turns it off in a variant).\n\n` +
      keysTable(core(S.training) as z.ZodObject, key => `### \`training.${key}\``),
    `## checkpoint\n\n${aboutOf(S.checkpoint).description} Checkpoints are [safetensors](https://huggingface.co/docs/safetensors) files: the model's ` +
      `\`state_dict\` under torch's names, plus (when \`save_optimizer\`) the optimizer, schedules, epoch and random state needed to resume exactly. ` +
      `A weights-only file written by torch (\`safetensors.torch.save_file(model.state_dict(), path)\`) loads with \`"load_mode": "weights"\`.\n\n` +
      keysTable(core(S.checkpoint) as z.ZodObject, key => `### \`checkpoint.${key}\``),
    `## probes\n\n${aboutOf(S.probes).description} A probe runs on step 1 (when \`at_init\`) and on every step divisible by \`every\`; ` +
      `\`"every": 0\` keeps only the probe at initialization.\n\n` +
      keysTable(core(S.probes) as z.ZodObject, key => `### \`probes.${key}\``),
    `## diagnostics\n\n${aboutOf(S.diagnostics).description} A finding of severity error (a NaN loss, an exploding loss) stops the run.\n\n` +
      keysTable(core(S.diagnostics) as z.ZodObject, key => `### \`diagnostics.${key}\``) +
      rulesTable(),
  ];
  const aliases =
    `## Other names\n\nThese names are not accepted, but an error suggests the right one:\n\n` +
    `- kinds: ${Object.entries(TYPE_ALIASES).map(([a, k]) => `${code(a)} → ${code(k)}`).join(', ')};\n` +
    `- keys: ${Object.entries(KEY_ALIASES)
      .map(([a, k]) => `${code(a)} → ${(typeof k === 'string' ? [k] : k).map(code).join(' or ')}`)
      .join(', ')}.\n`;
  return [INTRO, top, SHORTHANDS, ...sections, VARIANTS, RULES, aliases].join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

/**
 * The diagnostic rules in the order they are checked, what each reads and which findings it takes in
 * as consequences (engine/diagnostics/causes.ts): one finding per cause.
 */
function rulesTable(): string {
  const foldedInto = (id: string): string[] =>
    Object.entries(CAUSES)
      .filter(([, causes]) => causes.some(c => c.split(':')[0] === id))
      .map(([symptom]) => code(symptom));
  const rows = DIAGNOSTIC_RULES.map(
    r =>
      `| ${code(r.id)} | ${r.severity} | ${r.description.replace(/\|/g, '\\|')} | ${r.thresholds.map(t => `[${code(t)}](#diagnosticsthresholds)`).join(', ') || '—'} | ${foldedInto(r.id).join(', ') || '—'} |`,
  );
  return (
    `\n### The rules\n\nChecked in this order when several could fire at once: the run-stopping errors, then the causes (what the ` +
    `initialization does to the signal and the units), then their usual consequences. A finding whose cause was already found is ` +
    `folded into it as a note (\`rule\` or \`rule:target\` in the last column) instead of being raised again, and an error that follows ` +
    `from a cause is blamed on the cause's key. Each rule has an experiment where it must fire and a near-miss where it must stay quiet ` +
    `(test/fixtures/experiments/diagnostics/), and the cases where symptoms used to pile up are tested as such (…/diagnostics/causes/).\n\n` +
    `| rule | severity | fires when | thresholds | takes in as consequences |\n|---|---|---|---|---|\n${rows.join('\n')}\n`
  );
}
