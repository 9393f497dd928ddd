/**
 * The IDX format of MNIST-like data (yann.lecun.com/exdb/mnist): a 4-byte magic number — two zero
 * bytes, the type of the values, the number of dimensions — then each dimension's size as a
 * big-endian uint32, then the values, big-endian, in row-major order. Images are count × rows ×
 * cols (or any count × ...), labels are count. This module reads the header and the values of one
 * file (already decompressed); it knows nothing of what the values mean.
 */

/** The value types the format defines, by their code in the magic number. */
export const IDX_TYPES = {
  0x08: { name: 'unsigned byte', bytes: 1, integer: true, min: 0, max: 255 },
  0x09: { name: 'signed byte', bytes: 1, integer: true, min: -128, max: 127 },
  0x0b: { name: 'short (int16)', bytes: 2, integer: true, min: -32768, max: 32767 },
  0x0c: { name: 'int (int32)', bytes: 4, integer: true, min: -2147483648, max: 2147483647 },
  0x0d: { name: 'float (float32)', bytes: 4, integer: false, min: -Infinity, max: Infinity },
  0x0e: { name: 'double (float64)', bytes: 8, integer: false, min: -Infinity, max: Infinity },
} as const;
export type IdxTypeCode = keyof typeof IDX_TYPES;

export interface IdxHeader {
  type: IdxTypeCode;
  /** Sizes of the dimensions; dims[0] is the number of items. */
  dims: number[];
  /** Where the values start (4 + 4 · dims). */
  offset: number;
}

/** A file that is not a well-formed IDX file: the reason, in words a user can act on. */
export class IdxFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdxFormatError';
  }
}

const MAX_DIMS = 8;

/** The header of an IDX file: its magic number and dimensions. Throws IdxFormatError. */
export function readIdxHeader(bytes: Uint8Array): IdxHeader {
  if (bytes.length < 4) throw new IdxFormatError(`it is ${bytes.length} bytes long, too short for an IDX header`);
  const magic = Array.from(bytes.subarray(0, 4), b => b.toString(16).padStart(2, '0')).join(' ');
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new IdxFormatError(`it does not start like an IDX file (magic number ${magic}; IDX files start with 00 00, a value type and the number of dimensions)`);
  }
  const code = bytes[2];
  if (!(code in IDX_TYPES)) {
    throw new IdxFormatError(`its magic number ${magic} names value type 0x${code.toString(16).padStart(2, '0')}, which IDX does not define (0x08 ubyte, 0x09 byte, 0x0B short, 0x0C int, 0x0D float, 0x0E double)`);
  }
  const ndims = bytes[3];
  if (ndims < 1 || ndims > MAX_DIMS) throw new IdxFormatError(`its magic number ${magic} says ${ndims} dimensions; expected 1 to ${MAX_DIMS}`);
  const offset = 4 + 4 * ndims;
  if (bytes.length < offset) throw new IdxFormatError(`it ends inside its header (${bytes.length} bytes; the header of ${ndims} dimensions takes ${offset})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < ndims; i++) dims.push(view.getUint32(4 + 4 * i, false));
  return { type: code as IdxTypeCode, dims, offset };
}

/**
 * Checks that the file holds exactly the values its header announces (a cut-short copy, or a
 * different file glued on). Separate from reading the header, so that what the header promises
 * can be weighed before the values are looked at.
 */
export function checkIdxLength(bytes: Uint8Array, header: IdxHeader): void {
  const expected = header.offset + header.dims.reduce((a, b) => a * b, 1) * IDX_TYPES[header.type].bytes;
  if (bytes.length === expected) return;
  const n = (v: number): string => v.toLocaleString('en-US');
  const diff = bytes.length < expected ? `is cut short: ${n(bytes.length)} bytes` : `has ${n(bytes.length - expected)} bytes too many: ${n(bytes.length)}`;
  throw new IdxFormatError(`it ${diff}, but its header (${describeHeader(header)} values) needs ${n(expected)}`);
}

/** Values per item: the product of every dimension but the first. */
export function itemSize(header: IdxHeader): number {
  return header.dims.slice(1).reduce((a, b) => a * b, 1);
}

/**
 * Reads value `index` (0-based over all values) of a file whose header is `header`. One function
 * per type, chosen once: the loops that call it stay monomorphic.
 */
export function valueReader(bytes: Uint8Array, header: IdxHeader): (index: number) => number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = header.offset;
  switch (header.type) {
    case 0x08:
      return i => bytes[at + i];
    case 0x09:
      return i => view.getInt8(at + i);
    case 0x0b:
      return i => view.getInt16(at + 2 * i, false);
    case 0x0c:
      return i => view.getInt32(at + 4 * i, false);
    case 0x0d:
      return i => view.getFloat32(at + 4 * i, false);
    case 0x0e:
      return i => view.getFloat64(at + 8 * i, false);
  }
}

/** "60,000 × 28 × 28 unsigned byte" */
export function describeHeader(header: IdxHeader): string {
  return `${header.dims.map(d => d.toLocaleString('en-US')).join(' × ')} ${IDX_TYPES[header.type].name}`;
}
