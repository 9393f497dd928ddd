/**
 * A data set of IDX files (MNIST, Fashion-MNIST, a user's own): images and labels for training,
 * optionally a test split, preprocessed as the course does — scaled to [0, 1], standardized per
 * feature, or centred on the mean image, always with statistics of the training rows only. The
 * files arrive decompressed (engine/prepare gunzips them). How much memory the examples will take
 * is worked out from the headers before any value is read, and a set beyond the limit is refused.
 */
import * as z from 'zod';
import { SpecError } from '../core/errors';
import { LIMITS } from '../core/limits';
import { about, kind, type Rules } from '../core/options';
import { isAbsolutePath } from '../core/paths';
import type { Dataset, DataSplit } from './dataset';
import { checkIdxLength, describeHeader, IDX_TYPES, IdxFormatError, itemSize, readIdxHeader, valueReader, type IdxHeader } from './idx';
import { seed, validationSplit, type DataFiles, type DataInfo } from './options';
import { splitRows, validationCount } from './split';

const PREPROCESS = ['scale', 'standardize', 'center'] as const;

const idxPath = (what: string) =>
  z
    .string()
    .regex(/\S/)
    .describe(`The IDX file of the ${what}, relative to this experiment file (gzipped or not). It must stay inside the workspace.`);

export const idx = kind(
  'idx',
  'Images and labels in IDX files, the format of MNIST and Fashion-MNIST (`*-idx3-ubyte.gz`, `*-idx1-ubyte.gz`), gzipped or not. ' +
    'The images are held in memory as float32: the 70,000 images of 28 × 28 pixels of Fashion-MNIST take 210 MiB. ' +
    'A set that would take more than 512 MiB (training and test images together) is refused before it is read; `limit` takes fewer.',
  {
    images: idxPath('training images (count × rows × cols)').register(about, { missingHint: '(e.g. "data/train-images-idx3-ubyte.gz")' }),
    labels: idxPath('training labels (one integer class per image)').register(about, { missingHint: '(e.g. "data/train-labels-idx1-ubyte.gz")' }),
    test_images: idxPath('test images').optional(),
    test_labels: idxPath('test labels').optional(),
    class_names: z
      .array(z.string().regex(/\S/))
      .min(2)
      .max(LIMITS.classes)
      .optional()
      .describe('Names of the classes, label 0 first. Their number is the number of classes; without them it is the largest training label + 1.'),
    preprocess: z
      .enum(PREPROCESS)
      .default('scale')
      .describe(
        'How the values become inputs: `scale` to [0, 1] (integer values by their type\'s range, so pixels 0 to 255 become 0 to 1; float values by the training rows\' min and max), ' +
          '`standardize` every feature (pixel) to mean 0 and std 1, `center` subtract the mean image. Mean and std come from the **training** rows only.',
      ),
    limit: z
      .int()
      .min(1)
      .max(LIMITS.samples)
      .optional()
      .describe('Use only the first N training images (before the validation split): overfit a tiny subset, or train faster on a part of the data.'),
    validation_split: validationSplit,
    seed: seed('Seed of the train/validation split (separate from `training.seed`, so every variant sees the same split).'),
    test_every_epoch: z
      .boolean()
      .default(false)
      .describe('Also evaluate the test split at the end of every epoch (one more pass over it each epoch). By default it is evaluated once, when the run ends — the test set is for the final verdict, the validation set for choosing.'),
  },
);
export type IdxDataSpec = z.output<typeof idx>;

type FileKey = 'images' | 'labels' | 'test_images' | 'test_labels';

export const idxRules: Rules<IdxDataSpec> = (v, report) => {
  for (const key of ['images', 'labels', 'test_images', 'test_labels'] as const) {
    const path = v[key];
    if (path !== undefined && isAbsolutePath(path)) report.error([key], `'${key}' must be relative to this experiment file's folder, not absolute ('${path}')`);
  }
  if (v.test_images !== undefined && v.test_labels === undefined) report.error(['test_images'], "test_images needs test_labels: the labels of the test images");
  if (v.test_labels !== undefined && v.test_images === undefined) report.error(['test_labels'], 'test_labels needs test_images: the images the labels are for');
  if (v.test_every_epoch && v.test_images === undefined && v.test_labels === undefined) {
    report.warn(['test_every_epoch'], 'test_every_epoch has no effect without a test split (test_images and test_labels)');
  }
};

export function idxInfo(v: Partial<IdxDataSpec>): DataInfo {
  return {
    task: 'classification',
    ...(v.class_names ? { outputs: v.class_names.length } : {}),
    ...(v.validation_split === 0 ? { hasValidation: false } : {}),
  };
}

export function idxFiles(spec: IdxDataSpec): { key: FileKey; path: string }[] {
  const out: { key: FileKey; path: string }[] = [
    { key: 'images', path: spec.images },
    { key: 'labels', path: spec.labels },
  ];
  if (spec.test_images !== undefined) out.push({ key: 'test_images', path: spec.test_images });
  if (spec.test_labels !== undefined) out.push({ key: 'test_labels', path: spec.test_labels });
  return out;
}

/** One file of the set: its bytes, its header, and what messages call it. */
interface IdxFile {
  key: FileKey;
  path: string;
  bytes: Uint8Array;
  header: IdxHeader;
}

const fileName = (path: string): string => path.split(/[\\/]/).pop() ?? path;
const count = (n: number): string => n.toLocaleString('en-US');
/** "188 MiB", "1.5 MiB", "12 KiB". */
function mib(bytes: number): string {
  if (bytes < 2 ** 20) return `${Math.ceil(bytes / 1024)} KiB`;
  const m = bytes / 2 ** 20;
  return `${m < 10 ? m.toFixed(1) : Math.round(m).toLocaleString('en-US')} MiB`;
}

/** The problem `message` about the file at `key`, at that key. */
function fileError(file: { key: FileKey; path: string }, message: string): SpecError {
  return new SpecError(`${file.key} '${file.path}': ${message}`, ['data', file.key]);
}

function openFile(spec: IdxDataSpec, files: DataFiles, key: FileKey): IdxFile {
  const path = spec[key]!;
  const bytes = files.bytes(path);
  try {
    return { key, path, bytes, header: readIdxHeader(bytes) };
  } catch (e) {
    if (e instanceof IdxFormatError) throw fileError({ key, path }, `not a valid IDX file: ${e.message}`);
    throw e;
  }
}

/** Images and their labels: images have 2 or more dimensions, labels 1, and they count the same items. */
function checkPair(images: IdxFile, labels: IdxFile): void {
  if (images.header.dims.length < 2) {
    throw fileError(images, `holds ${describeHeader(images.header)} values, one number per item; images need count × rows × cols (is it a labels file?)`);
  }
  if (labels.header.dims.length !== 1) {
    throw fileError(labels, `holds ${describeHeader(labels.header)} values; labels need one dimension, one class per image (is it an images file?)`);
  }
  if (!IDX_TYPES[labels.header.type].integer) {
    throw fileError(labels, `holds ${IDX_TYPES[labels.header.type].name} values; labels are integer class indices`);
  }
  const [nImages] = images.header.dims;
  const [nLabels] = labels.header.dims;
  if (nImages !== nLabels) {
    throw fileError(labels, `has ${count(nLabels)} labels but ${images.key} '${images.path}' has ${count(nImages)} images; each image needs exactly one label`);
  }
}

/**
 * Bytes the examples will take in memory as float32 (inputs and targets of every split): what the
 * headers promise, before any value is read.
 */
export function idxMemoryBytes(trainRows: number, testRows: number, features: number): number {
  return (trainRows + testRows) * (features + 1) * Float32Array.BYTES_PER_ELEMENT;
}

export function loadIdxFiles(spec: IdxDataSpec, files: DataFiles): DataSplit {
  const images = openFile(spec, files, 'images');
  const labels = openFile(spec, files, 'labels');
  checkPair(images, labels);
  const test = spec.test_images !== undefined && spec.test_labels !== undefined ? { images: openFile(spec, files, 'test_images'), labels: openFile(spec, files, 'test_labels') } : undefined;
  const features = itemSize(images.header);
  const shape = images.header.dims.slice(1);
  if (test) {
    checkPair(test.images, test.labels);
    const testShape = test.images.header.dims.slice(1);
    if (testShape.join('×') !== shape.join('×')) {
      throw fileError(test.images, `holds images of ${testShape.join(' × ')} values, but the training images '${images.path}' are ${shape.join(' × ')}: the model's input has ${count(features)} values`);
    }
  }
  const available = images.header.dims[0];
  const rows = Math.min(spec.limit ?? available, available);
  const testRows = test ? test.images.header.dims[0] : 0;

  const bytes = idxMemoryBytes(rows, testRows, features);
  if (bytes > LIMITS.dataBytes) {
    const what = `${count(rows)} training${test ? ` and ${count(testRows)} test` : ''} images of ${count(features)} values`;
    throw fileError(
      images,
      `${what} take ${mib(bytes)} in memory as float32, more than the ${mib(LIMITS.dataBytes)} Trainscope holds for a data set; use 'limit' to train on the first N images`,
    );
  }
  for (const file of [images, labels, ...(test ? [test.images, test.labels] : [])]) checkLength(file);
  if (rows < 1) throw fileError(images, 'holds no images');
  if (rows - validationCount(rows, spec.validation_split) < 1) {
    throw new SpecError(`validation_split ${spec.validation_split} of ${count(rows)} images leaves none for training`, ['data', 'validation_split']);
  }

  const trainLabels = readLabels(labels, rows);
  const classes = classCount(spec, labels, trainLabels);
  checkLabels(labels, trainLabels, classes, spec);
  const testLabels = test ? readLabels(test.labels, testRows) : undefined;
  if (test) checkLabels(test.labels, testLabels!, classes, spec);

  const split = splitRows(rows, spec.validation_split, spec.seed);
  const base = {
    task: 'classification' as const,
    features,
    outputs: classes,
    featureNames: featureNames(shape),
    ...(spec.class_names ? { classNames: spec.class_names } : {}),
    shape,
  };
  const scale = valueScale(images, rows, features);
  const train = gather(base, images, trainLabels, split.train, scale);
  const validation = gather(base, images, trainLabels, split.validation, scale);
  const testSet = test ? gather(base, test.images, testLabels!, identityRows(testRows), scale) : undefined;
  if (spec.preprocess !== 'scale') normalize(train, [train, validation, ...(testSet ? [testSet] : [])], spec.preprocess);

  const description =
    `${fileName(images.path)}: ${count(rows)}${rows < available ? ` of ${count(available)}` : ''} images of ${shape.join(' × ')}, ${classes} classes` +
    (testSet ? `; test ${fileName(test!.images.path)}: ${count(testRows)} images` : '') +
    `; ${mib(bytes)} as float32`;
  return {
    train,
    validation,
    description,
    source: fileName(labels.path),
    ...(testSet ? { test: testSet, testEveryEpoch: spec.test_every_epoch } : {}),
  };
}

function checkLength(file: IdxFile): void {
  try {
    checkIdxLength(file.bytes, file.header);
  } catch (e) {
    if (e instanceof IdxFormatError) throw fileError(file, `not a valid IDX file: ${e.message}`);
    throw e;
  }
}

function readLabels(file: IdxFile, rows: number): Int32Array {
  const read = valueReader(file.bytes, file.header);
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) out[i] = read(i);
  return out;
}

function classCount(spec: IdxDataSpec, file: IdxFile, labels: Int32Array): number {
  if (spec.class_names) return spec.class_names.length;
  let max = -1;
  for (const l of labels) if (l > max) max = l;
  if (max >= LIMITS.classes) {
    throw fileError(file, `has label ${max}; Trainscope trains up to ${LIMITS.classes} classes (labels 0 to ${LIMITS.classes - 1})`);
  }
  return max + 1;
}

function checkLabels(file: IdxFile, labels: Int32Array, classes: number, spec: IdxDataSpec): void {
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l >= 0 && l < classes) continue;
    const range = spec.class_names ? `the ${classes} classes of class_names (0 to ${classes - 1})` : `the ${classes} classes of the training labels (0 to ${classes - 1}); name every class in class_names`;
    throw fileError(file, `label ${l} of item ${count(i)} is outside ${l < 0 ? 'the classes: labels are class indices from 0' : range}`);
  }
}

/** x ↦ (x − offset) · factor: to [0, 1] by the type's range, or by the training rows' min and max for floats. */
interface Scale {
  offset: number;
  factor: number;
}

function valueScale(images: IdxFile, rows: number, features: number): Scale {
  const type = IDX_TYPES[images.header.type];
  if (type.integer) return { offset: type.min, factor: 1 / (type.max - type.min) };
  const read = valueReader(images.bytes, images.header);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < rows * features; i++) {
    const v = read(i);
    if (!Number.isFinite(v)) {
      throw fileError(images, `value ${v} at image ${count(Math.floor(i / features))}, position ${i % features}: inputs must be finite numbers`);
    }
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { offset: min, factor: max > min ? 1 / (max - min) : 1 };
}

type Base = Omit<Dataset, 'size' | 'x' | 'y'>;

/** The given rows of a file as a data set, scaled: read straight from the file's bytes (no full copy first). */
function gather(base: Base, images: IdxFile, labels: Int32Array, rows: Int32Array, { offset, factor }: Scale): Dataset {
  const f = base.features;
  const read = valueReader(images.bytes, images.header);
  const x = new Float32Array(rows.length * f);
  const y = new Float32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const from = row * f;
    const to = i * f;
    for (let j = 0; j < f; j++) x[to + j] = (read(from + j) - offset) * factor;
    y[i] = labels[row];
  }
  return { ...base, size: rows.length, x, y };
}

function identityRows(n: number): Int32Array {
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}

/**
 * Standardize (mean 0, std 1 per feature) or center (mean 0 per feature) every set in place, with
 * the mean and std of the training rows. A feature that is constant in training (a corner pixel
 * that is always 0) is only centred: dividing by its zero std would make NaN.
 */
function normalize(train: Dataset, sets: Dataset[], how: 'standardize' | 'center'): void {
  const f = train.features;
  const mean = new Float64Array(f);
  const sq = new Float64Array(f);
  for (let r = 0; r < train.size; r++) {
    for (let j = 0; j < f; j++) mean[j] += train.x[r * f + j];
  }
  for (let j = 0; j < f; j++) mean[j] /= train.size;
  const scale = new Float64Array(f).fill(1);
  if (how === 'standardize') {
    for (let r = 0; r < train.size; r++) {
      for (let j = 0; j < f; j++) {
        const d = train.x[r * f + j] - mean[j];
        sq[j] += d * d;
      }
    }
    for (let j = 0; j < f; j++) {
      const std = Math.sqrt(sq[j] / train.size);
      scale[j] = std > 1e-12 * Math.max(1, Math.abs(mean[j])) ? 1 / std : 1;
    }
  }
  for (const set of sets) {
    const x = set.x as Float32Array;
    for (let r = 0; r < set.size; r++) {
      for (let j = 0; j < f; j++) x[r * f + j] = (x[r * f + j] - mean[j]) * scale[j];
    }
  }
}

/** "pixel (r, c)" for images, "value i" for any other item shape. */
function featureNames(shape: readonly number[]): string[] {
  const total = shape.reduce((a, b) => a * b, 1);
  if (shape.length === 2) return Array.from({ length: total }, (_, i) => `pixel (${Math.floor(i / shape[1])}, ${i % shape[1]})`);
  return Array.from({ length: total }, (_, i) => `value ${i}`);
}
