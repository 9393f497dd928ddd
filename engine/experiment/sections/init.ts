/**
 * `init` (the experiment's, and a linear or maxout layer's own): an initializer for the weights
 * and one for the biases. What a layer's `init` leaves out comes from the experiment's, then the
 * default (PyTorch's own nn.Linear initialization).
 */
import { DEFAULT_INITIALIZER, FAN_BASED_INITIALIZERS, INITIALIZER_KINDS } from '../defaults';
import { describe } from '../fields';
import type { Reporter } from '../problems';
import { SLOTS } from '../slots';
import { get, type SrcValue } from '../source';
import type { InitializerSpec, InitSpec } from '../spec';
import { didYouMean } from '../suggest';
import type { TypedReader } from '../typed';

/** Why a 2-D initializer cannot fill a bias, with torch's error. */
const BIAS_REFUSALS: Readonly<Record<string, string>> = {
  fan: 'it needs the fan-in and fan-out of a 2-D weight (torch raises "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions")',
  orthogonal: 'it needs a 2-D weight, and a bias is 1-D (torch raises "Only tensors with 2 or more dimensions are supported")',
  sparse: 'it needs a 2-D weight, and a bias is 1-D (torch raises "Only tensors with 2 dimensions are supported")',
};

function listOr(words: readonly string[]): string {
  return words.length === 1 ? words[0] : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** Initializers that work on a 1-D bias. */
const BIAS_INITIALIZERS = INITIALIZER_KINDS.filter(kind => !FAN_BASED_INITIALIZERS.includes(kind));

/** The weight and/or bias initializers written (shorthand already expanded); undefined on an error. */
export function validateInit(node: SrcValue, reader: TypedReader, report: Reporter): Partial<InitSpec> | undefined {
  if (node.kind !== 'object') {
    report.value(node, `'init' must be an initializer name (e.g. "xavier_uniform") or an object with "weight" and/or "bias", not ${describe(node)}`);
    return undefined;
  }
  const out: Partial<InitSpec> = {};
  let ok = true;
  for (const p of node.props) {
    if (p.key !== 'weight' && p.key !== 'bias') {
      report.key(p, node, `unknown key '${p.key}' in init; expected one of: weight, bias${didYouMean(p.key, ['weight', 'bias'], 'key')}`);
      ok = false;
      continue;
    }
    const initializer = validateInitializer(p.value, p.key, reader, report);
    if (initializer) out[p.key] = initializer;
    else ok = false;
  }
  return ok ? out : undefined;
}

function validateInitializer(node: SrcValue, role: 'weight' | 'bias', reader: TypedReader, report: Reporter): InitializerSpec | undefined {
  const read = reader.read(SLOTS.initializer, node, role);
  if (!read) return undefined;
  if (role === 'bias' && FAN_BASED_INITIALIZERS.includes(read.kind as InitializerSpec['type'])) {
    report.value(get(read.obj, 'type') ?? read.obj, `'${read.kind}' cannot initialize a bias: ${BIAS_REFUSALS[read.kind] ?? BIAS_REFUSALS.fan}; use ${listOr(BIAS_INITIALIZERS)}`);
    return undefined;
  }
  return read.spec as InitializerSpec | undefined;
}

/** Fills what a (layer's or the experiment's) init leaves out from `inherited`, else the default. */
export function resolveInit(partial: Partial<InitSpec> | undefined, inherited: InitSpec | undefined): InitSpec | undefined {
  if (!partial) return undefined;
  const fallback: InitializerSpec = { type: DEFAULT_INITIALIZER as 'default' };
  return {
    weight: partial.weight ?? inherited?.weight ?? fallback,
    bias: partial.bias ?? inherited?.bias ?? fallback,
  };
}
