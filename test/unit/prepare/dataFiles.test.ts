import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LIMITS } from '../../../engine/core/limits';
import { DATASETS, loadData } from '../../../engine/data/kinds';
import type { ExperimentSpec } from '../../../engine/experiment/sections';
import { checkRunFiles } from '../../../engine/prepare/checkFiles';
import { decompressed } from '../../../engine/prepare/decompress';
import { prepareRun, type Preparation } from '../../../engine/prepare/prepareRun';
import { imageFile, labelFile } from '../data/idxFiles';

/** A workspace in a temp folder with an experiment file in exp/ and IDX files in exp/data/. */
let root: string;
let experiment: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'trainscope-prepare-'));
  fs.mkdirSync(path.join(root, 'exp', 'data'), { recursive: true });
  experiment = path.join(root, 'exp', 'x.experiment.json');
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const write = (name: string, bytes: Uint8Array): void => fs.writeFileSync(path.join(root, 'exp', 'data', name), bytes);
const IMAGES = imageFile(12, 3, 4);
const LABELS = labelFile([0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3]);

function prepare(data: Record<string, unknown>): Promise<Preparation> {
  const spec = { data: DATASETS.resolve({ type: 'idx', images: 'data/img', labels: 'data/lab', ...data } as never) } as ExperimentSpec;
  return prepareRun(spec, experiment, { dir: root, reason: 'the test workspace' });
}

async function failure(data: Record<string, unknown> = {}): Promise<{ message: string; path: (string | number)[] }> {
  const p = await prepare(data);
  if (p.ok) throw new Error('expected the preparation to fail');
  return { message: p.message, path: p.path };
}

describe('run preparation of IDX files', () => {
  it('reads gzipped and raw files alike: the reader gets the same bytes, the data the same values', async () => {
    write('img', IMAGES);
    write('lab', zlib.gzipSync(LABELS));
    write('img.gz', zlib.gzipSync(IMAGES));
    write('lab.raw', LABELS);
    const raw = await prepare({});
    const gz = await prepare({ images: 'data/img.gz', labels: 'data/lab.raw' });
    if (!raw.ok || !gz.ok) throw new Error('preparation failed');
    expect(raw.run.files['data/img']).toEqual(IMAGES);
    expect(raw.run.files['data/lab']).toEqual(LABELS);
    expect(gz.run.files['data/img.gz']).toEqual(IMAGES);
    const spec = DATASETS.resolve({ type: 'idx', images: 'data/img.gz', labels: 'data/lab.raw' });
    const a = loadData(spec, { bytes: p => gz.run.files[p] });
    const b = loadData(DATASETS.resolve({ type: 'idx', images: 'data/img', labels: 'data/lab' }), { bytes: p => raw.run.files[p] });
    expect(a.train.x).toEqual(b.train.x);
    expect(a.train.y).toEqual(b.train.y);
  });

  it('a missing file is reported at the key that names it', async () => {
    write('img', IMAGES);
    write('lab', LABELS);
    expect(await failure({ test_images: 'data/t-img', test_labels: 'data/lab' })).toEqual({
      path: ['data', 'test_images'],
      message: `data file 'data/t-img' not found (looked for ${path.join(root, 'exp', 'data', 't-img')})`,
    });
    expect(await failure({ labels: '../../outside' })).toMatchObject({ path: ['data', 'labels'], message: expect.stringContaining('outside the workspace root') });
  });

  it('a truncated gzip file: at its key, saying it is cut short', async () => {
    write('img', IMAGES);
    const gz = zlib.gzipSync(LABELS);
    write('lab', gz.subarray(0, gz.length - 12));
    expect(await failure()).toEqual({
      path: ['data', 'labels'],
      message: "labels 'data/lab': the gzip data ends early (unexpected end of file): the file is cut short; copy or download it again",
    });
  });

  it('a corrupt gzip file: at its key, with zlib\'s reason', async () => {
    write('lab', LABELS);
    const gz = zlib.gzipSync(IMAGES);
    const bad = Uint8Array.from(gz);
    for (let i = 12; i < 20; i++) bad[i] ^= 0xff;
    write('img', bad);
    const f = await failure();
    expect(f.path).toEqual(['data', 'images']);
    expect(f.message).toMatch(/^images 'data\/img': the gzip data is corrupt \(.+\); copy or download the file again$/);
  });

  it('a gzip file that decompresses beyond the limit is refused while decompressing', async () => {
    const bomb = zlib.gzipSync(new Uint8Array(3 * 2 ** 20));
    expect(bomb.length).toBeLessThan(10_000);
    expect(await decompressed('data/bomb.gz', bomb, 2 ** 20)).toEqual({
      error: "'data/bomb.gz': decompresses to more than 1 MiB, more than Trainscope reads for a data file",
    });
    expect(await decompressed('plain', LABELS)).toEqual({ bytes: LABELS });
  });
});

describe('every file problem at once', () => {
  it('checkRunFiles: each failing file at its key, in the order of the keys, from stat alone (no file opened)', () => {
    write('img', IMAGES);
    fs.truncateSync(path.join(root, 'exp', 'data', 'img'), LIMITS.fileBytes + 1);
    const opened = [vi.spyOn(fs, 'openSync'), vi.spyOn(fs, 'readFileSync'), vi.spyOn(fs.promises, 'open'), vi.spyOn(fs.promises, 'readFile')];
    const spec = {
      data: DATASETS.resolve({ type: 'idx', images: 'data/img', labels: 'data/lab', test_images: '../../t-img', test_labels: 'data/lab' }),
      checkpoint: { load: '/abs.safetensors', save: 'out/w.safetensors' },
    } as ExperimentSpec;
    const checked = checkRunFiles(spec, experiment, { dir: root, reason: 'the test workspace' });
    for (const spy of opened) expect(spy).not.toHaveBeenCalled();
    vi.restoreAllMocks();
    const lab = `data file 'data/lab' not found (looked for ${path.join(root, 'exp', 'data', 'lab')})`;
    expect(checked).toEqual({
      inputs: [],
      checkpointPath: path.join(root, 'exp', 'out', 'w.safetensors'),
      problems: [
        { path: ['data', 'images'], message: "'data/img' is 50.0 MB, more than the 50 MB Trainscope reads for a data file" },
        { path: ['data', 'labels'], message: lab },
        { path: ['data', 'test_images'], message: `'../../t-img' is outside the workspace root ${root} (the test workspace); data files must be inside it` },
        { path: ['data', 'test_labels'], message: lab },
        { path: ['checkpoint', 'load'], message: "'load' must be relative to the experiment file's folder, not absolute ('/abs.safetensors')" },
      ],
    });
  });

  it('prepareRun: all of them, the first also as message and path; files that fail only when read, all too', async () => {
    expect(await prepare({ images: 'data/none', labels: 'data/neither' })).toEqual({
      ok: false,
      path: ['data', 'images'],
      message: `data file 'data/none' not found (looked for ${path.join(root, 'exp', 'data', 'none')})`,
      problems: [
        { path: ['data', 'images'], message: `data file 'data/none' not found (looked for ${path.join(root, 'exp', 'data', 'none')})` },
        { path: ['data', 'labels'], message: `data file 'data/neither' not found (looked for ${path.join(root, 'exp', 'data', 'neither')})` },
      ],
    });
    const images = zlib.gzipSync(IMAGES);
    const labels = zlib.gzipSync(LABELS);
    write('img', images.subarray(0, images.length - 12));
    write('lab', labels.subarray(0, labels.length - 12));
    const cut = 'the gzip data ends early (unexpected end of file): the file is cut short; copy or download it again';
    const p = await prepare({});
    expect(p.ok ? [] : p.problems).toEqual([
      { path: ['data', 'images'], message: `images 'data/img': ${cut}` },
      { path: ['data', 'labels'], message: `labels 'data/lab': ${cut}` },
    ]);
  });
});

describe('paths that are no file', () => {
  const check = (data: Record<string, unknown>, checkpoint?: ExperimentSpec['checkpoint']) =>
    checkRunFiles(
      { data: DATASETS.resolve({ type: 'idx', images: 'data/img', labels: 'data/lab', ...data } as never), checkpoint } as ExperimentSpec,
      experiment,
      { dir: root, reason: 'the test workspace' },
    ).problems;

  it('a folder, a path below a file, a NUL character: each said, none thrown', () => {
    write('img', IMAGES);
    write('lab', LABELS);
    expect(check({ images: 'data', labels: 'data/lab/x' }, { save: 'data/img/w.safetensors', load: 'data/\0w' } as never)).toEqual([
      { path: ['data', 'images'], message: "data file 'data' is a folder, not a file; name a file in it" },
      { path: ['data', 'labels'], message: `data file 'data/lab/x' not found (looked for ${path.join(root, 'exp', 'data', 'lab', 'x')})` },
      { path: ['checkpoint', 'load'], message: "checkpoint 'data/\\u0000w' contains a NUL character (\\u0000), which no file name can hold; remove it" },
      { path: ['checkpoint', 'save'], message: `'data/img/w.safetensors' cannot be created: ${path.join(fs.realpathSync(root), 'exp', 'data', 'img')} is not a folder` },
    ]);
    expect(check({}, { save: 'data' } as never)).toEqual([{ path: ['checkpoint', 'save'], message: "checkpoint 'data' is a folder, not a file; name a file in it" }]);
  });
});
