/** IDX files made by hand for tests: the header and values written big-endian, as the format says. */
import type { IdxTypeCode } from '../../../engine/data/idx';

const WIDTH: Record<IdxTypeCode, number> = { 0x08: 1, 0x09: 1, 0x0b: 2, 0x0c: 4, 0x0d: 4, 0x0e: 8 };

export function idxBytes(type: IdxTypeCode, dims: number[], values: ArrayLike<number>): Uint8Array {
  const offset = 4 + 4 * dims.length;
  const bytes = new Uint8Array(offset + values.length * WIDTH[type]);
  const view = new DataView(bytes.buffer);
  bytes[2] = type;
  bytes[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const at = offset + i * WIDTH[type];
    if (type === 0x08) view.setUint8(at, v);
    else if (type === 0x09) view.setInt8(at, v);
    else if (type === 0x0b) view.setInt16(at, v, false);
    else if (type === 0x0c) view.setInt32(at, v, false);
    else if (type === 0x0d) view.setFloat32(at, v, false);
    else view.setFloat64(at, v, false);
  }
  return bytes;
}

/** `n` images of rows × cols unsigned bytes: pixel (i, j) of image k is (k·7 + i·cols + j) mod 256. */
export function imageFile(n: number, rows: number, cols: number): Uint8Array {
  const values = Array.from({ length: n * rows * cols }, (_, i) => (Math.floor(i / (rows * cols)) * 7 + (i % (rows * cols))) % 256);
  return idxBytes(0x08, [n, rows, cols], values);
}

export function labelFile(labels: number[], type: IdxTypeCode = 0x08): Uint8Array {
  return idxBytes(type, [labels.length], labels);
}
