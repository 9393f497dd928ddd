// Cuts the small slice of Fashion-MNIST the examples and tests use, from Debian's
// dataset-fashion-mnist package: the first TRAIN training images and the first TEST test images,
// with their labels, written as gzipped IDX files like the originals. Run it again to remake the
// slice (the output is the same for the same input: gzip without a timestamp).
//
//   node scripts/cut-fashion-mnist-slice.mjs [SOURCE_DIR] [TRAIN] [TEST]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const source = process.argv[2] ?? '/usr/share/datasets/fashion-mnist';
const train = Number(process.argv[3] ?? 2000);
const test = Number(process.argv[4] ?? 500);
const out = path.resolve(import.meta.dirname, '../examples/data/fashion-mnist-slice');

/** The first `count` items of an IDX file: its header with the count changed, and their bytes. */
function firstItems(bytes, count) {
  if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== 0x08) throw new Error('expected an unsigned-byte IDX file');
  const ndims = bytes[3];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: ndims }, (_, i) => view.getUint32(4 + 4 * i, false));
  if (count > dims[0]) throw new Error(`the file has only ${dims[0]} items`);
  const itemBytes = dims.slice(1).reduce((a, b) => a * b, 1);
  const offset = 4 + 4 * ndims;
  const result = Buffer.from(bytes.subarray(0, offset + count * itemBytes));
  result.writeUInt32BE(count, 4);
  return result;
}

fs.mkdirSync(out, { recursive: true });
for (const [name, count] of [
  ['train-images-idx3-ubyte', train],
  ['train-labels-idx1-ubyte', train],
  ['t10k-images-idx3-ubyte', test],
  ['t10k-labels-idx1-ubyte', test],
]) {
  const original = zlib.gunzipSync(fs.readFileSync(path.join(source, `${name}.gz`)));
  const slice = firstItems(original, count);
  fs.writeFileSync(path.join(out, `${name}.gz`), zlib.gzipSync(slice, { level: 9 }));
  console.log(`${name}.gz: ${count} items, ${slice.length} bytes`);
}
