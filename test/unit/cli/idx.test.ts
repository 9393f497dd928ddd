import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../cli/main';
import { imageFile, labelFile } from '../data/idxFiles';

/** A workspace with gzipped IDX files under data/ and an experiment that reads them with a test split. */
let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'trainscope-idx-'));
  fs.writeFileSync(path.join(root, 'package.json'), '{}');
  fs.mkdirSync(path.join(root, 'data'));
  const labels = Array.from({ length: 40 }, (_, i) => i % 4);
  fs.writeFileSync(path.join(root, 'data', 'img.gz'), zlib.gzipSync(imageFile(40, 4, 4)));
  fs.writeFileSync(path.join(root, 'data', 'lab.gz'), zlib.gzipSync(labelFile(labels)));
  fs.writeFileSync(path.join(root, 'data', 't-img'), imageFile(12, 4, 4));
  fs.writeFileSync(path.join(root, 'data', 't-lab'), labelFile(labels.slice(0, 12)));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const EXPERIMENT = `{
  "name": "idx cli",
  "data": {
    "type": "idx",
    "images": "data/img.gz",
    "labels": "data/lab.gz",
    "test_images": "data/t-img",
    "test_labels": "data/t-lab",
    "test_every_epoch": true
  },
  "model": [{ "type": "linear", "out_features": 8 }, "relu", { "type": "linear" }],
  "optimizer": { "type": "adam", "lr": 0.01 },
  "training": { "epochs": 3, "batch_size": 8 }
}
`;

async function run(experiment = EXPERIMENT): Promise<{ code: number; stdout: string; stderr: string }> {
  fs.writeFileSync(path.join(root, 'x.experiment.json'), experiment);
  let stdout = '';
  let stderr = '';
  const code = await main(['run', 'x.experiment.json'], { stdout: t => void (stdout += t), stderr: t => void (stderr += t), cwd: root });
  return { code, stdout, stderr };
}

describe('trainscope run with IDX data and a test split', () => {
  it('prints the test result apart from validation and writes it to summary.json', async () => {
    const r = await run();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('data:  img.gz: 40 images of 4 × 4, 4 classes; test t-img: 12 images; 4 KiB as float32 (32 train, 8 validation, 12 test)');
    expect(r.stderr).toMatch(/epoch 3\/3 .* val_acc [\d.]+% {2}test_loss [\d.]+ {2}test_acc [\d.]+%/);
    const line = /^test: loss ([\d.]+), acc ([\d.]+)% \(12 examples, weights of epoch 3\)$/m.exec(r.stdout);
    expect(line, r.stdout).not.toBeNull();
    const dir = /^run: (.+)$/m.exec(r.stdout)![1];
    const summary = JSON.parse(fs.readFileSync(path.join(root, dir, 'summary.json'), 'utf8'));
    expect(summary.test.examples).toBe(12);
    expect(summary.test.loss.toFixed(4)).toBe(line![1]);
    expect((100 * summary.test.accuracy).toFixed(1)).toBe(line![2]);
    expect(summary.test.confusion.flat().reduce((a: number, b: number) => a + b)).toBe(12);
    expect(summary.final.val_accuracy).toBeDefined();
  });

  it('a corrupt gzip file is an error at the key that names it, line and column', async () => {
    const gz = zlib.gzipSync(labelFile(Array.from({ length: 40 }, (_, i) => i % 4)));
    fs.writeFileSync(path.join(root, 'data', 'lab.gz'), gz.subarray(0, gz.length - 10));
    const r = await run();
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("x.experiment.json:6:5: error: labels 'data/lab.gz': the gzip data ends early (unexpected end of file): the file is cut short; copy or download it again\n");
  });

  it('test labels that do not match the test images: at test_labels', async () => {
    fs.writeFileSync(path.join(root, 'data', 't-lab'), labelFile([0, 1, 2]));
    const r = await run();
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("x.experiment.json:8:5: error: test_labels 'data/t-lab': has 3 labels but test_images 'data/t-img' has 12 images; each image needs exactly one label\n");
  });

  it("a last layer of another width than the classes: at its out_features, naming the labels' file", async () => {
    const r = await run(EXPERIMENT.replace('{ "type": "linear" }]', '{ "type": "linear", "out_features": 3 }]'));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("x.experiment.json:11:82: error: the last linear layer must output 4 values (one per class of lab.gz), not 3\n");
  });
});
