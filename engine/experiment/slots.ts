/**
 * The typed slots of the experiment format: every place where an object's `type` picks its keys
 * (data, layer, initializer, loss, optimizer, schedule, ...), each with its kinds, their key tables
 * and their descriptions, gathered from the parts' fields.ts. The validator (typed.ts) and the
 * schema generator (schema.ts) are generic over these, so a new kind is an entry in its part's
 * tables and nothing here.
 *
 * The schedules' list-valued keys are declared apart (SCHEDULE_LIST_FIELDS, written before this
 * vocabulary had lists); `complete()` adds them to their kinds' tables here.
 */
import {
  DATA_DOCS,
  DATA_FIELDS,
  DATA_KINDS,
  INITIALIZER_DOCS,
  INITIALIZER_FIELDS,
  INITIALIZER_KINDS,
  LAYER_DOCS,
  LAYER_FIELDS,
  LAYER_KINDS,
  LOSS_DOCS,
  LOSS_FIELDS,
  LOSS_KINDS,
  MOMENTUM_SCHEDULE_DOCS,
  MOMENTUM_SCHEDULE_FIELDS,
  MOMENTUM_SCHEDULE_KINDS,
  OPTIMIZER_DOCS,
  OPTIMIZER_FIELDS,
  OPTIMIZER_KINDS,
  SCHEDULE_DOCS,
  SCHEDULE_FIELDS,
  SCHEDULE_KINDS,
  SCHEDULE_LIST_FIELDS,
  SEQUENTIAL_CHILD_FIELDS,
  SEQUENTIAL_CHILD_KINDS,
  type Field,
  type FieldTable,
} from './defaults';

export interface Slot {
  /** Its name under the schema's definitions and in SLOTS. */
  name: string;
  /** What one of them is called in a sentence: "optimizer", "data set". */
  noun: string;
  /** How an unknown kind is announced: "unknown <label> 'x'". */
  label: string;
  /** One kind in a message: "optimizer 'sgd'", "a 'relu' layer". */
  what(kind: string): string;
  /** The slot's own description (schema, reference). */
  description: string;
  kinds: readonly string[];
  tables: Readonly<Record<string, FieldTable>>;
  kindDocs: Readonly<Record<string, string>>;
  /** The schema shares each kind's keys with this slot's (by its name) instead of defining its own. */
  keysFrom?: string;
  /**
   * Keys a kind may be given that its table does not list, with a message saying why not (e.g.
   * `interval` inside a sequential schedule): reported instead of "unknown key".
   */
  refused?: Readonly<Record<string, string>>;
  /** Kinds of a related slot that this one cannot take, with the reason (lookahead inside lookahead). */
  refusedKinds?: Readonly<Record<string, string>>;
}

/** Layers whose `init` is an initializer spec like the experiment's (prelu's `init` is a number: its slope). */
export const LAYERS_WITH_INIT: ReadonlySet<string> = new Set(LAYER_KINDS.filter(kind => LAYER_FIELDS[kind].init?.kind === 'init'));

/** `tables` with `add(kind)`'s keys added where the kind's table lacks them. */
function complete<K extends string>(
  tables: Readonly<Record<K, FieldTable>>,
  add: (kind: K) => FieldTable,
): Readonly<Record<K, FieldTable>> {
  const out = {} as Record<K, FieldTable>;
  for (const kind of Object.keys(tables) as K[]) {
    const table = tables[kind];
    const extra: Record<string, Field> = {};
    for (const [key, field] of Object.entries(add(kind))) {
      const own = table[key];
      // The part's own entry wins once it has the right kind of field.
      if (!own || own.kind !== field.kind) extra[key] = field;
    }
    out[kind] = Object.keys(extra).length === 0 ? table : { ...table, ...extra };
  }
  return out;
}

/** The schedules' list-valued keys (SCHEDULE_LIST_FIELDS) as fields of this vocabulary. */
function scheduleLists(kind: string): FieldTable {
  const lists = SCHEDULE_LIST_FIELDS[kind as keyof typeof SCHEDULE_LIST_FIELDS] ?? {};
  const out: Record<string, Field> = {};
  for (const [key, list] of Object.entries(lists)) {
    if (list.kind === 'integer_list') {
      out[key] = { ...list };
    } else {
      out[key] = { kind: 'typed_list', slot: 'sequential_child', required: list.required, minItems: list.minItems, doc: list.doc };
    }
  }
  return out;
}

const INNER_OPTIMIZER_KINDS = OPTIMIZER_KINDS.filter(kind => kind !== 'lookahead');

export const SLOTS = {
  data: {
    name: 'data',
    what: kind => `data '${kind}'`,
    noun: 'data set',
    label: 'data type',
    description: 'The data set: a synthetic 2-D set or a CSV file.',
    kinds: DATA_KINDS,
    tables: DATA_FIELDS,
    kindDocs: DATA_DOCS,
  },
  layer: {
    name: 'layer',
    what: kind => (kind === 'linear' ? 'a linear layer' : `a '${kind}' layer`),
    noun: 'layer',
    label: 'layer type',
    description: 'A layer, as in torch.nn.Sequential.',
    kinds: LAYER_KINDS,
    tables: LAYER_FIELDS,
    kindDocs: LAYER_DOCS,
  },
  initializer: {
    name: 'initializer',
    what: kind => `initializer '${kind}'`,
    noun: 'initializer',
    label: 'initializer',
    description: 'An initializer (torch.nn.init).',
    kinds: INITIALIZER_KINDS,
    tables: INITIALIZER_FIELDS,
    kindDocs: INITIALIZER_DOCS,
  },
  loss: {
    name: 'loss',
    what: kind => `loss '${kind}'`,
    noun: 'loss',
    label: 'loss',
    description: 'The loss. Default: cross_entropy for classification, mse for regression.',
    kinds: LOSS_KINDS,
    tables: LOSS_FIELDS,
    kindDocs: LOSS_DOCS,
  },
  optimizer: {
    name: 'optimizer',
    what: kind => `optimizer '${kind}'`,
    noun: 'optimizer',
    label: 'optimizer',
    description: 'The optimizer, with torch.optim names and defaults.',
    kinds: OPTIMIZER_KINDS,
    tables: OPTIMIZER_FIELDS,
    kindDocs: OPTIMIZER_DOCS,
  },
  inner_optimizer: {
    name: 'innerOptimizer',
    what: kind => `optimizer '${kind}'`,
    noun: 'optimizer',
    label: 'optimizer',
    description: 'The optimizer inside lookahead (any optimizer but lookahead itself).',
    kinds: INNER_OPTIMIZER_KINDS,
    tables: OPTIMIZER_FIELDS,
    keysFrom: 'optimizer',
    refusedKinds: { lookahead: 'lookahead cannot wrap another lookahead; name the optimizer it should wrap, e.g. "adam"' },
    kindDocs: OPTIMIZER_DOCS,
  },
  schedule: {
    name: 'schedule',
    what: kind => `schedule '${kind}'`,
    noun: 'schedule',
    label: 'schedule',
    description: 'A learning-rate schedule (torch.optim.lr_scheduler), or null for none.',
    kinds: SCHEDULE_KINDS,
    tables: complete(SCHEDULE_FIELDS, scheduleLists),
    kindDocs: SCHEDULE_DOCS,
  },
  sequential_child: {
    name: 'sequentialSchedule',
    what: kind => `schedule '${kind}'`,
    noun: 'schedule',
    label: 'schedule',
    description: 'A schedule inside sequential (any but sequential and reduce_lr_on_plateau; without interval).',
    kinds: SEQUENTIAL_CHILD_KINDS,
    tables: complete(SEQUENTIAL_CHILD_FIELDS, scheduleLists),
    kindDocs: SCHEDULE_DOCS,
    refusedKinds: {
      sequential: "a sequential schedule cannot contain another sequential one (torch's SequentialLR cannot); list its schedules here instead",
      reduce_lr_on_plateau:
        "reduce_lr_on_plateau cannot run inside sequential (torch's SequentialLR cannot chain it: it steps with a metric); use it as the schedule itself",
    },
    refused: {
      interval: "a schedule inside 'sequential' has no 'interval': the sequence steps it; set 'interval' on the sequential schedule",
    },
  },
  momentum_schedule: {
    name: 'momentumSchedule',
    what: kind => `momentum schedule '${kind}'`,
    noun: 'momentum schedule',
    label: 'momentum schedule',
    description: "A schedule of the optimizer's momentum (SGD's momentum, Adam's beta1), or null for none.",
    kinds: MOMENTUM_SCHEDULE_KINDS,
    tables: MOMENTUM_SCHEDULE_FIELDS,
    kindDocs: MOMENTUM_SCHEDULE_DOCS,
  },
} satisfies Record<string, Slot>;

export type SlotName = keyof typeof SLOTS;

export function slotNamed(name: string): Slot {
  const slot = (SLOTS as Record<string, Slot>)[name];
  if (!slot) throw new Error(`internal: no slot '${name}'`);
  return slot;
}
