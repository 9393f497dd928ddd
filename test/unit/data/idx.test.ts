import { describe, expect, it } from 'vitest';
import { SpecError } from '../../../engine/core/errors';
import { checkIdxLength, IdxFormatError, itemSize, readIdxHeader, valueReader, type IdxTypeCode } from '../../../engine/data/idx';
import { DATASETS, loadData, type DataSpec } from '../../../engine/data/kinds';
import { parseExperiment } from '../../../engine/experiment/parse';
import type { DataSplit } from '../../../engine/data/dataset';
import { idxBytes, imageFile, labelFile } from './idxFiles';

/** Every value type IDX defines, with values that use its range (sign, width, fractions). */
const TYPES: [IdxTypeCode, string, number[]][] = [
  [0x08, 'ubyte', [0, 1, 128, 255, 17, 200]],
  [0x09, 'byte', [-128, -1, 0, 1, 127, 42]],
  [0x0b, 'short', [-32768, -300, 0, 300, 32767, 1234]],
  [0x0c, 'int', [-2147483648, -70000, 0, 70000, 2147483647, 99]],
  [0x0d, 'float', [-1.5, 0, 0.25, 3.5, 1e10, -2.75]],
  [0x0e, 'double', [-1e-300, 0, Math.PI, 1 / 3, 1e300, -7.125]],
];

describe('IDX reader', () => {
  it.each(TYPES)('reads type 0x%s (%s): big-endian header and values', (type, _name, values) => {
    const bytes = idxBytes(type, [3, 2], values);
    const header = readIdxHeader(bytes);
    expect(header).toEqual({ type, dims: [3, 2], offset: 12 });
    expect(itemSize(header)).toBe(2);
    expect(() => checkIdxLength(bytes, header)).not.toThrow();
    const read = valueReader(bytes, header);
    expect(values.map((_, i) => read(i))).toEqual(type === 0x0d ? values.map(v => Math.fround(v)) : values);
  });

  it('reads sizes as big-endian uint32 (a size above 65,535 and above 2^24)', () => {
    const header = readIdxHeader(idxBytes(0x08, [70_000, 1, 17_000_000], []));
    expect(header.dims).toEqual([70_000, 1, 17_000_000]);
  });

  it('refuses what is not IDX: a wrong magic number, an unknown type, no dimensions, a short header', () => {
    const good = imageFile(2, 2, 2);
    const withByte = (i: number, v: number): Uint8Array => Object.assign(good.slice(), { [i]: v });
    expect(() => readIdxHeader(withByte(0, 0x1f))).toThrow(/does not start like an IDX file \(magic number 1f 00 08 03/);
    expect(() => readIdxHeader(new TextEncoder().encode('label,x\n1,2\n'))).toThrow(IdxFormatError);
    expect(() => readIdxHeader(withByte(2, 0x0a))).toThrow(/value type 0x0a, which IDX does not define/);
    expect(() => readIdxHeader(withByte(3, 0))).toThrow(/says 0 dimensions/);
    expect(() => readIdxHeader(good.subarray(0, 10))).toThrow(/ends inside its header \(10 bytes; the header of 3 dimensions takes 16\)/);
    expect(() => readIdxHeader(new Uint8Array([0, 0]))).toThrow(/2 bytes long, too short/);
  });

  it('says when the values are cut short or run on past what the header announces', () => {
    const good = idxBytes(0x0b, [4], [1, 2, 3, 4]);
    const header = readIdxHeader(good);
    expect(() => checkIdxLength(good.subarray(0, 13), header)).toThrow(/is cut short: 13 bytes, but its header \(4 short \(int16\) values\) needs 16/);
    const longer = new Uint8Array(20);
    longer.set(good);
    expect(() => checkIdxLength(longer, header)).toThrow(/has 4 bytes too many: 20/);
  });
});

// ---- the idx data kind ---------------------------------------------------------------------------

type IdxInput = Omit<Extract<DataSpec, { type: 'idx' }>, 'type' | 'preprocess' | 'validation_split' | 'seed' | 'test_every_epoch'> &
  Partial<Pick<Extract<DataSpec, { type: 'idx' }>, 'preprocess' | 'validation_split' | 'seed' | 'test_every_epoch'>>;

function load(input: IdxInput, files: Record<string, Uint8Array>): DataSplit {
  const spec = DATASETS.resolve({ type: 'idx', ...input });
  return loadData(spec, {
    bytes: path => {
      if (!(path in files)) throw new Error(`test reads no file ${path}`);
      return files[path];
    },
  });
}

/** A SpecError's path and message from `run`. */
function specError(run: () => unknown): { path: (string | number)[]; message: string } {
  try {
    run();
  } catch (e) {
    if (e instanceof SpecError) return { path: e.path, message: e.message };
    throw e;
  }
  throw new Error('expected a SpecError');
}

const LABELS = [0, 1, 2, 1, 0, 2, 2, 1, 0, 1];
const FILES = {
  'a/img.idx': imageFile(10, 2, 3),
  'a/lab.idx': labelFile(LABELS),
  'a/t-img.idx': imageFile(4, 2, 3),
  'a/t-lab.idx': labelFile([2, 0, 1, 1]),
};
const PATHS = { images: 'a/img.idx', labels: 'a/lab.idx' };
const WITH_TEST = { ...PATHS, test_images: 'a/t-img.idx', test_labels: 'a/t-lab.idx' };

describe("data 'idx'", () => {
  it('scales unsigned bytes to [0, 1] (pixel / 255), keeps image shape, labels and every row once', () => {
    const split = load({ ...PATHS, validation_split: 0.3 }, FILES);
    expect(split.train.size + split.validation.size).toBe(10);
    expect(split.validation.size).toBe(3);
    expect(split.train.features).toBe(6);
    expect(split.train.shape).toEqual([2, 3]);
    expect(split.train.outputs).toBe(3);
    expect(split.train.featureNames[4]).toBe('pixel (1, 1)');
    // Image k starts at k·7: the first pixel tells which row it was, and its label must follow it.
    const seen: number[] = [];
    for (const set of [split.train, split.validation]) {
      for (let r = 0; r < set.size; r++) {
        const k = Math.round(set.x[r * 6] * 255) / 7;
        seen.push(k);
        expect(set.y[r]).toBe(LABELS[k]);
        for (let j = 0; j < 6; j++) expect(set.x[r * 6 + j]).toBeCloseTo(((k * 7 + j) % 256) / 255, 6);
      }
    }
    expect(seen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(split.description).toBe('img.idx: 10 images of 2 × 3, 3 classes; 1 KiB as float32');
    expect(split.source).toBe('lab.idx');
    expect(split.test).toBeUndefined();
  });

  it('splits as every data kind does: the same seed gives the same validation rows', () => {
    const a = load({ ...PATHS, validation_split: 0.3, seed: 4 }, FILES);
    expect(load({ ...PATHS, validation_split: 0.3, seed: 4 }, FILES).validation.x).toEqual(a.validation.x);
    expect(load({ ...PATHS, validation_split: 0.3, seed: 5 }, FILES).validation.x).not.toEqual(a.validation.x);
  });

  it.each(TYPES)('reads images of type 0x%s (%s), scaled to [0, 1]', (type, _name, values) => {
    // One value per image, so that the rows' shuffled order does not matter: compare them sorted.
    const images = idxBytes(type, [6, 1], values);
    const split = load({ images: 'i', labels: 'l', validation_split: 0 }, { i: images, l: labelFile([0, 1, 1, 0, 1, 0]) });
    const x = [...split.train.x].sort((a, b) => a - b);
    const sorted = [...values].sort((a, b) => a - b);
    expect(x[0]).toBeGreaterThanOrEqual(0);
    expect(x[5]).toBeLessThanOrEqual(1);
    if (type === 0x08) expect(x).toEqual(sorted.map(v => Math.fround(v / 255)));
    if (type === 0x09) expect(x).toEqual(sorted.map(v => Math.fround((v + 128) / 255)));
    if (type === 0x0b) expect(x).toEqual(sorted.map(v => Math.fround((v + 32768) / 65535)));
    if (type === 0x0c) expect(x).toEqual(sorted.map(v => Math.fround((v + 2147483648) / 4294967295)));
    if (type === 0x0d || type === 0x0e) {
      // Floats by the training rows' own min and max: the smallest becomes 0 and the largest 1.
      const min = sorted[0];
      const max = sorted[5];
      x.forEach((v, i) => expect(v).toBeCloseTo((sorted[i] - min) / (max - min), 6));
    }
  });

  it.each([0x08, 0x09, 0x0b, 0x0c] as IdxTypeCode[])('reads labels of integer type 0x%s', type => {
    const labels = [3, 0, 2, 1];
    const split = load({ images: 'i', labels: 'l', validation_split: 0 }, { i: imageFile(4, 1, 2), l: labelFile(labels, type) });
    // Image k's first pixel is k·7/255: its label must have come with it.
    for (let r = 0; r < 4; r++) expect(split.train.y[r]).toBe(labels[Math.round(split.train.x[2 * r] * 255) / 7]);
    expect(split.train.outputs).toBe(4);
  });

  it('standardize: every pixel to mean 0 and std 1 over the training rows; a constant pixel only centred', () => {
    const values = [0, 10, 50, 0, 20, 100, 0, 30, 150, 0, 40, 200];
    const split = load({ images: 'i', labels: 'l', preprocess: 'standardize', validation_split: 0 }, { i: idxBytes(0x08, [4, 3], values), l: labelFile([0, 1, 0, 1]) });
    const x = split.train.x;
    for (let j = 1; j < 3; j++) {
      const col = [0, 1, 2, 3].map(r => x[r * 3 + j]);
      const mean = col.reduce((a, b) => a + b) / 4;
      const std = Math.sqrt(col.reduce((a, b) => a + (b - mean) ** 2, 0) / 4);
      expect(mean).toBeCloseTo(0, 6);
      expect(std).toBeCloseTo(1, 5);
    }
    expect([0, 1, 2, 3].map(r => x[r * 3])).toEqual([0, 0, 0, 0]);
  });

  it("center subtracts the training rows' mean image, also from validation and test rows", () => {
    const split = load({ ...WITH_TEST, preprocess: 'center', validation_split: 0.2 }, FILES);
    const scaled = load({ ...WITH_TEST, validation_split: 0.2 }, FILES);
    const f = 6;
    const mean = Array.from({ length: f }, (_, j) => {
      let s = 0;
      for (let r = 0; r < scaled.train.size; r++) s += scaled.train.x[r * f + j];
      return s / scaled.train.size;
    });
    for (const [centred, raw] of [[split.train, scaled.train], [split.validation, scaled.validation], [split.test!, scaled.test!]] as const) {
      for (let i = 0; i < raw.x.length; i++) expect(centred.x[i]).toBeCloseTo(raw.x[i] - mean[i % f], 6);
    }
    for (let j = 0; j < f; j++) {
      let s = 0;
      for (let r = 0; r < split.train.size; r++) s += split.train.x[r * f + j];
      expect(s / split.train.size).toBeCloseTo(0, 6);
    }
  });

  it('limit takes the first N training images before the split; the test split stays whole and in order', () => {
    const split = load({ ...WITH_TEST, limit: 4, validation_split: 0.25 }, FILES);
    expect(split.train.size + split.validation.size).toBe(4);
    const firsts = [...split.train.x.filter((_, i) => i % 6 === 0), ...split.validation.x.filter((_, i) => i % 6 === 0)].map(v => Math.round(v * 255) / 7);
    expect(firsts.sort()).toEqual([0, 1, 2, 3]);
    expect(split.description).toBe('img.idx: 4 of 10 images of 2 × 3, 3 classes; test t-img.idx: 4 images; 1 KiB as float32');
    expect(split.test!.size).toBe(4);
    expect([...split.test!.y]).toEqual([2, 0, 1, 1]);
    expect(split.test!.x[6]).toBeCloseTo(7 / 255, 6);
    expect(split.testEveryEpoch).toBe(false);
    expect(load({ ...WITH_TEST, test_every_epoch: true }, FILES).testEveryEpoch).toBe(true);
  });

  it('class_names set the classes and their names', () => {
    const split = load({ ...PATHS, class_names: ['shirt', 'shoe', 'bag', 'coat'] }, FILES);
    expect(split.train.outputs).toBe(4);
    expect(split.train.classNames).toEqual(['shirt', 'shoe', 'bag', 'coat']);
  });
});

describe("data 'idx': bad input is a message at the key that names the file", () => {
  it('a file that is not IDX', () => {
    const e = specError(() => load(PATHS, { ...FILES, 'a/lab.idx': new TextEncoder().encode('0,1,2\n') }));
    expect(e.path).toEqual(['data', 'labels']);
    expect(e.message).toMatch(/^labels 'a\/lab.idx': not a valid IDX file: it does not start like an IDX file \(magic number 30 2c 31 2c/);
  });

  it('a file cut short', () => {
    const e = specError(() => load(PATHS, { ...FILES, 'a/img.idx': FILES['a/img.idx'].subarray(0, 50) }));
    expect(e).toEqual({ path: ['data', 'images'], message: "images 'a/img.idx': not a valid IDX file: it is cut short: 50 bytes, but its header (10 × 2 × 3 unsigned byte values) needs 76" });
  });

  it('images and labels that count differently', () => {
    const e = specError(() => load(PATHS, { ...FILES, 'a/lab.idx': labelFile([0, 1, 2]) }));
    expect(e).toEqual({ path: ['data', 'labels'], message: "labels 'a/lab.idx': has 3 labels but images 'a/img.idx' has 10 images; each image needs exactly one label" });
    const t = specError(() => load(WITH_TEST, { ...FILES, 'a/t-lab.idx': labelFile([0]) }));
    expect(t.path).toEqual(['data', 'test_labels']);
    expect(t.message).toContain('has 1 labels but test_images');
  });

  it('images and labels swapped', () => {
    const e = specError(() => load({ images: 'a/lab.idx', labels: 'a/img.idx' }, FILES));
    expect(e.path).toEqual(['data', 'images']);
    expect(e.message).toContain('images need count × rows × cols (is it a labels file?)');
  });

  it('labels that are not integers', () => {
    const e = specError(() => load(PATHS, { ...FILES, 'a/lab.idx': idxBytes(0x0d, [10], LABELS) }));
    expect(e).toEqual({ path: ['data', 'labels'], message: "labels 'a/lab.idx': holds float (float32) values; labels are integer class indices" });
  });

  it('a label outside the classes: negative, beyond class_names, or a test label the training labels never reach', () => {
    const negative = specError(() => load(PATHS, { ...FILES, 'a/lab.idx': labelFile([0, 1, -1, 1, 0, 2, 2, 1, 0, 1], 0x09) }));
    expect(negative).toEqual({ path: ['data', 'labels'], message: "labels 'a/lab.idx': label -1 of item 2 is outside the classes: labels are class indices from 0" });
    const named = specError(() => load({ ...PATHS, class_names: ['a', 'b'] }, FILES));
    expect(named).toEqual({ path: ['data', 'labels'], message: "labels 'a/lab.idx': label 2 of item 2 is outside the 2 classes of class_names (0 to 1)" });
    const test = specError(() => load(WITH_TEST, { ...FILES, 'a/t-lab.idx': labelFile([2, 0, 7, 1]) }));
    expect(test).toEqual({
      path: ['data', 'test_labels'],
      message: "test_labels 'a/t-lab.idx': label 7 of item 2 is outside the 3 classes of the training labels (0 to 2); name every class in class_names",
    });
  });

  it('test images of another size than the training images (the model input)', () => {
    const e = specError(() => load(WITH_TEST, { ...FILES, 'a/t-img.idx': imageFile(4, 3, 3) }));
    expect(e).toEqual({
      path: ['data', 'test_images'],
      message: "test_images 'a/t-img.idx': holds images of 3 × 3 values, but the training images 'a/img.idx' are 2 × 3: the model's input has 6 values",
    });
  });

  it('refuses a data set beyond the memory limit from its headers, before reading any value', () => {
    // A header promising 60,000 × 2,300 bytes (the values are not there: the header is all it takes).
    const huge = idxBytes(0x08, [60_000, 2300], []);
    const e = specError(() => load({ images: 'i', labels: 'l' }, { i: huge, l: idxBytes(0x08, [60_000], []) }));
    expect(e.path).toEqual(['data', 'images']);
    expect(e.message).toBe(
      "images 'i': 60,000 training images of 2,300 values take 527 MiB in memory as float32, more than the 512 MiB Trainscope holds for a data set; use 'limit' to train on the first N images",
    );
    // With limit it would be read (and then found cut short).
    expect(specError(() => load({ images: 'i', labels: 'l', limit: 1000 }, { i: huge, l: idxBytes(0x08, [60_000], []) })).message).toContain('is cut short');
  });

  it('a validation split that leaves nothing to train on', () => {
    const e = specError(() => load({ ...PATHS, limit: 1, validation_split: 0.6 }, FILES));
    expect(e).toEqual({ path: ['data', 'validation_split'], message: 'validation_split 0.6 of 1 images leaves none for training' });
  });

  it('non-finite float pixels', () => {
    const e = specError(() => load(PATHS, { ...FILES, 'a/img.idx': idxBytes(0x0d, [10, 1], [0, 1, NaN, 0, 0, 0, 0, 0, 0, 0]) }));
    expect(e).toEqual({ path: ['data', 'images'], message: "images 'a/img.idx': value NaN at image 2, position 0: inputs must be finite numbers" });
  });
});

describe("data 'idx' in an experiment file", () => {
  const problems = (data: Record<string, unknown>) =>
    parseExperiment(JSON.stringify({ name: 'x', data: { type: 'idx', images: 'i.gz', labels: 'l.gz', ...data }, model: [{ type: 'linear' }], optimizer: { type: 'adam' } }), 'x.experiment.json').problems.map(
      p => ({ severity: p.severity, path: p.path, message: p.message }),
    );

  it('is valid with images and labels alone', () => {
    expect(problems({})).toEqual([]);
  });

  it('needs test images and test labels together, relative paths, and a test split for test_every_epoch', () => {
    expect(problems({ test_images: 't.gz' })).toEqual([{ severity: 'error', path: ['data', 'test_images'], message: 'test_images needs test_labels: the labels of the test images' }]);
    expect(problems({ test_labels: 't.gz' })).toEqual([{ severity: 'error', path: ['data', 'test_labels'], message: 'test_labels needs test_images: the images the labels are for' }]);
    expect(problems({ labels: '/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz' })).toEqual([
      {
        severity: 'error',
        path: ['data', 'labels'],
        message: "'labels' must be relative to this experiment file's folder, not absolute ('/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz')",
      },
    ]);
    expect(problems({ test_every_epoch: true })).toEqual([
      { severity: 'warning', path: ['data', 'test_every_epoch'], message: 'test_every_epoch has no effect without a test split (test_images and test_labels)' },
    ]);
  });

  it('checks preprocess, limit and class_names like every option', () => {
    expect(problems({ preprocess: 'normalize' })[0]).toMatchObject({ path: ['data', 'preprocess'], message: expect.stringContaining('scale, standardize, center') });
    expect(problems({ limit: 0 })[0]).toMatchObject({ path: ['data', 'limit'] });
    expect(problems({ class_names: ['only one'] })[0]).toMatchObject({ path: ['data', 'class_names'] });
  });
});
