/**
 * The safetensors file format (huggingface/safetensors), read and written without dependencies:
 *
 *   8 bytes      N, the header's length, unsigned 64-bit little-endian
 *   N bytes      a UTF-8 JSON object: { "<tensor name>": { "dtype": "F32", "shape": [64, 2],
 *                "data_offsets": [begin, end] }, ..., "__metadata__": { "<key>": "<string>" } }
 *                (writers pad it with spaces so the data starts 8-byte aligned)
 *   the rest     the tensors' bytes, little-endian, row-major; offsets are relative to this part,
 *                and the tensors must tile it exactly (no gaps, no overlap)
 *
 * `safetensors.torch.save_file(model.state_dict(), path)` writes such a file; so does
 * `encodeSafetensors` here, which torch's `load_file` reads back.
 */

export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

/** A tensor's values as the reader hands them out (F16 / BF16 widened to float32, I64 to float64). */
export type TensorValues = Float32Array | Float64Array | Int32Array | Int16Array | Int8Array | Uint8Array;

export interface SafeTensor {
  /** The dtype stored in the file. */
  dtype: SafetensorsDtype;
  shape: number[];
  /**
   * F32 → Float32Array, F64 → Float64Array, F16/BF16 → Float32Array (exact widening),
   * I64 → Float64Array (exact up to 2^53; larger magnitudes are rejected), I32/I16/I8/U8 → their
   * typed arrays, BOOL → Uint8Array of 0/1.
   */
  data: TensorValues;
}

/** A tensor to write: dtype is what the file will say; `data` is converted to it. */
export interface TensorToWrite {
  dtype: 'F32' | 'F64' | 'I64' | 'I32';
  shape: readonly number[];
  data: ArrayLike<number>;
}

export interface SafetensorsFile {
  /** In the file's order of data offsets. */
  tensors: Map<string, SafeTensor>;
  metadata: Record<string, string>;
}

/** A file that is not valid safetensors; the message says what is wrong. */
export class SafetensorsFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SafetensorsFormatError';
  }
}

const BYTES: Record<SafetensorsDtype, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };
/** The reference implementation's limit; a bigger "header" means a file of another kind. */
const MAX_HEADER_BYTES = 100_000_000;
const METADATA_KEY = '__metadata__';

// Typed arrays use the platform's byte order; safetensors is little-endian. Every platform Node
// and VS Code run on is little-endian, but say so loudly rather than misread a file.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Writes tensors (in the given order) and string metadata as safetensors bytes. */
export function encodeSafetensors(
  tensors: Iterable<[string, TensorToWrite]> | ReadonlyMap<string, TensorToWrite>,
  metadata: Record<string, string> = {},
): Uint8Array {
  assertLittleEndian();
  const entries = [...tensors];
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header[METADATA_KEY] = metadata;
  let offset = 0;
  const names = new Set<string>();
  for (const [name, tensor] of entries) {
    if (name === METADATA_KEY) throw new Error(`a tensor cannot be named ${METADATA_KEY}`);
    if (names.has(name)) throw new Error(`tensor ${name} appears twice`);
    names.add(name);
    const count = elementCount(tensor.shape);
    if (count !== tensor.data.length) {
      throw new Error(`tensor ${name} has ${tensor.data.length} values but shape [${tensor.shape.join(', ')}]`);
    }
    const size = count * BYTES[tensor.dtype];
    header[name] = { dtype: tensor.dtype, shape: [...tensor.shape], data_offsets: [offset, offset + size] };
    offset += size;
  }
  let json = JSON.stringify(header);
  const encoder = new TextEncoder();
  let headerBytes = encoder.encode(json);
  // Pad with spaces (valid JSON whitespace) so the data starts at an 8-byte boundary, as the
  // reference writer does; readers can then view tensors in place.
  const padding = (8 - (headerBytes.length % 8)) % 8;
  if (padding > 0) {
    json += ' '.repeat(padding);
    headerBytes = encoder.encode(json);
  }
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const [, tensor] of entries) {
    const bytes = tensorBytes(tensor);
    out.set(bytes, at);
    at += bytes.length;
  }
  return out;
}

/** Reads safetensors bytes; throws SafetensorsFormatError saying what is wrong with a bad file. */
export function decodeSafetensors(file: Uint8Array): SafetensorsFile {
  assertLittleEndian();
  if (file.length < 8) throw new SafetensorsFormatError(`the file is ${file.length} bytes, too short for a safetensors header`);
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const headerSize = view.getBigUint64(0, true);
  if (headerSize > BigInt(MAX_HEADER_BYTES)) {
    throw new SafetensorsFormatError(`the header claims ${headerSize} bytes: this is not a safetensors file`);
  }
  const headerEnd = 8 + Number(headerSize);
  if (headerEnd > file.length) {
    throw new SafetensorsFormatError(
      `the header claims ${headerSize} bytes but the file has only ${file.length - 8} after the size field (truncated?)`,
    );
  }
  let parsed: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(file.subarray(8, headerEnd));
    if (!text.startsWith('{')) throw new Error('it does not start with {');
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SafetensorsFormatError(`the header is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isRecord(parsed)) throw new SafetensorsFormatError('the header is not a JSON object');

  const dataLength = file.length - headerEnd;
  const metadata = readMetadata(parsed[METADATA_KEY]);
  const described: { name: string; dtype: SafetensorsDtype; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, entry] of Object.entries(parsed)) {
    if (name === METADATA_KEY) continue;
    described.push({ name, ...readEntry(name, entry, dataLength) });
  }
  // The tensors must tile the data exactly, as the reference reader checks.
  described.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const t of described) {
    if (t.begin !== expected) {
      throw new SafetensorsFormatError(
        `tensor ${t.name} starts at byte ${t.begin} of the data, expected ${expected} (gap or overlap between tensors)`,
      );
    }
    expected = t.end;
  }
  if (expected !== dataLength) {
    throw new SafetensorsFormatError(`the tensors cover ${expected} bytes but the data part has ${dataLength} (truncated or extra bytes)`);
  }

  const tensors = new Map<string, SafeTensor>();
  for (const t of described) {
    // slice() copies into a fresh, aligned buffer: offsets in a foreign file need not be aligned.
    const bytes = file.slice(headerEnd + t.begin, headerEnd + t.end);
    tensors.set(t.name, { dtype: t.dtype, shape: t.shape, data: typedValues(t.name, t.dtype, bytes) });
  }
  return { tensors, metadata };
}

function readMetadata(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw new SafetensorsFormatError(`${METADATA_KEY} must be an object of strings`);
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new SafetensorsFormatError(`${METADATA_KEY}.${key} must be a string`);
    out[key] = v;
  }
  return out;
}

function readEntry(
  name: string,
  entry: unknown,
  dataLength: number,
): { dtype: SafetensorsDtype; shape: number[]; begin: number; end: number } {
  if (!isRecord(entry)) throw new SafetensorsFormatError(`tensor ${name}: its header entry is not an object`);
  const { dtype, shape, data_offsets: offsets } = entry;
  if (typeof dtype !== 'string' || !(dtype in BYTES)) {
    throw new SafetensorsFormatError(`tensor ${name}: unsupported dtype ${JSON.stringify(dtype)} (supported: ${Object.keys(BYTES).join(', ')})`);
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new SafetensorsFormatError(`tensor ${name}: shape must be a list of non-negative integers`);
  }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
    offsets[0] > offsets[1]
  ) {
    throw new SafetensorsFormatError(`tensor ${name}: data_offsets must be [begin, end] with 0 ≤ begin ≤ end`);
  }
  const [begin, end] = offsets as [number, number];
  const type = dtype as SafetensorsDtype;
  const expectedBytes = elementCount(shape as number[]) * BYTES[type];
  if (end - begin !== expectedBytes) {
    throw new SafetensorsFormatError(
      `tensor ${name}: ${type} with shape [${shape.join(', ')}] needs ${expectedBytes} bytes but data_offsets span ${end - begin}`,
    );
  }
  if (end > dataLength) {
    throw new SafetensorsFormatError(`tensor ${name}: data_offsets end at byte ${end} but the data part has ${dataLength} (truncated?)`);
  }
  return { dtype: type, shape: shape as number[], begin, end };
}

function typedValues(name: string, dtype: SafetensorsDtype, bytes: Uint8Array): TensorValues {
  const buffer = bytes.buffer as ArrayBuffer;
  switch (dtype) {
    case 'F32':
      return new Float32Array(buffer);
    case 'F64':
      return new Float64Array(buffer);
    case 'F16':
      return Float32Array.from(new Uint16Array(buffer), halfToFloat);
    case 'BF16':
      return Float32Array.from(new Uint16Array(buffer), (h) => bfloat16ToFloat(h));
    case 'I64': {
      const wide = new BigInt64Array(buffer);
      const out = new Float64Array(wide.length);
      for (let i = 0; i < wide.length; i++) {
        const v = wide[i];
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
          throw new SafetensorsFormatError(`tensor ${name}: int64 value ${v} is too large to represent exactly`);
        }
        out[i] = Number(v);
      }
      return out;
    }
    case 'I32':
      return new Int32Array(buffer);
    case 'I16':
      return new Int16Array(buffer);
    case 'I8':
      return new Int8Array(buffer);
    case 'U8':
    case 'BOOL':
      return new Uint8Array(buffer);
  }
}

function tensorBytes(tensor: TensorToWrite): Uint8Array {
  const { data } = tensor;
  switch (tensor.dtype) {
    case 'F32':
      return asBytes(data instanceof Float32Array ? data : Float32Array.from(data));
    case 'F64':
      return asBytes(data instanceof Float64Array ? data : Float64Array.from(data));
    case 'I32':
      return asBytes(Int32Array.from(data, (v) => checkedInteger(v, 'int32')));
    case 'I64':
      return asBytes(BigInt64Array.from(Array.from(data), (v) => BigInt(checkedInteger(v, 'int64'))));
  }
}

function checkedInteger(value: number, what: string): number {
  if (!Number.isSafeInteger(value)) throw new Error(`${value} cannot be stored as ${what}`);
  return value;
}

function asBytes(array: Float32Array | Float64Array | Int32Array | BigInt64Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** IEEE 754 half precision → number (exact). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

const bfloatScratch = new Float32Array(1);
const bfloatBits = new Uint32Array(bfloatScratch.buffer);

/** bfloat16 (the top half of a float32) → number (exact). */
function bfloat16ToFloat(h: number): number {
  bfloatBits[0] = h << 16;
  return bfloatScratch[0];
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function assertLittleEndian(): void {
  if (!LITTLE_ENDIAN) throw new Error('safetensors support needs a little-endian platform');
}
