import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadData } from '../../../engine/data/kinds';
import type { DataSplit } from '../../../engine/data/dataset';
import { parseExperiment } from '../../../engine/experiment/parse';
import { prepareRun } from '../../../engine/prepare/prepareRun';
import type { EpochRecord, ImagesRecord, MetricRecord } from '../../../engine/train/events';
import { predictedClass } from '../../../engine/train/confusion';
import { Linear } from '../../../engine/nn/linear';
import { TrainingSession } from '../../../engine/train/session';

/**
 * The image views' record, on the Fashion-MNIST slice: what the panel draws must be what the model
 * does — the samples' predictions are its argmax, the confusion matrix's diagonal is the epoch's
 * validation accuracy, the weight images are the first layer's weights on one symmetric scale.
 */
const ROOT = path.resolve(__dirname, '../../..');
const EXPERIMENT = path.join(ROOT, 'examples', 'images-test.experiment.json');

async function slice(extra: object = {}): Promise<{ spec: ReturnType<typeof resolve>; data: DataSplit }> {
  const spec = resolve(extra);
  const prepared = await prepareRun(spec, EXPERIMENT, { dir: ROOT, reason: 'the repository' });
  if (!prepared.ok) throw new Error(prepared.message);
  return { spec, data: loadData(spec.data, { bytes: p => prepared.run.files[p] }) };
}

function resolve(training: object) {
  const text = JSON.stringify({
    name: 'images test',
    data: {
      type: 'idx',
      images: 'data/fashion-mnist-slice/train-images-idx3-ubyte.gz',
      labels: 'data/fashion-mnist-slice/train-labels-idx1-ubyte.gz',
      class_names: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
      limit: 600,
      validation_split: 0.25,
    },
    model: [{ type: 'linear', out_features: 20 }, 'relu', { type: 'linear' }],
    optimizer: { type: 'adam', lr: 0.003 },
    training: { epochs: 3, batch_size: 50, seed: 1, ...training },
    probes: { every: 0, at_init: false },
  });
  return parseExperiment(text, EXPERIMENT).resolve(undefined)!.spec;
}

function train(spec: ReturnType<typeof resolve>, data: DataSplit, now?: () => number): { records: MetricRecord[]; session: TrainingSession } {
  const records: MetricRecord[] = [];
  const session = new TrainingSession(spec, data, { onEvent: e => void (e.type === 'records' && records.push(...e.records)), now });
  session.runToEnd();
  return { records, session };
}

describe('image views of a run', () => {
  it('match the model: predictions are its argmax, the diagonal its validation accuracy, the weights its first layer', async () => {
    const { spec, data } = await slice();
    const { records, session } = train(spec, data);
    const images = records.filter((r): r is ImagesRecord => r.kind === 'images');
    const last = images[images.length - 1];
    const epoch = records.filter((r): r is EpochRecord => r.kind === 'epoch').pop()!;
    expect(last.epoch).toBe(3);
    expect(last.step).toBe(epoch.step);
    expect(last.split).toBe('validation');
    expect([last.height, last.width]).toEqual([28, 28]);
    expect(last.classes[9]).toBe('Ankle boot');

    // The confusion matrix covers the validation set; its diagonal is the epoch's accuracy.
    const total = last.confusion.flat().reduce((a, b) => a + b, 0);
    const correct = last.confusion.reduce((sum, row, i) => sum + row[i], 0);
    expect(total).toBe(150);
    expect(correct / total).toBeCloseTo(epoch.val_accuracy!, 10);

    // The samples are the validation set's first rows, with the model's own predictions.
    const model = (session as unknown as { run: { model: import('../../../engine/nn/sequential').Sequential } }).run.model;
    const v = data.validation;
    expect(last.samples).toHaveLength(24);
    const scores = model.forward(v.x.subarray(0, 24 * v.features), 24, false);
    last.samples.forEach((s, r) => {
      expect(s.label).toBe(v.y[r]);
      expect(s.predicted).toBe(predictedClass(scores, r, 10));
      expect(Math.min(...s.pixels)).toBe(0);
      expect(Math.max(...s.pixels)).toBe(255);
    });

    // Weight images: the first 20 units (all of them), 128 + w·127/max|w|.
    const layer = model.layers[0] as Linear;
    const w = last.weights!;
    expect(w).toMatchObject({ layer: 0, units: 20 });
    expect(w.pixels).toHaveLength(20);
    let max = 0;
    for (const x of layer.weight.data) max = Math.max(max, Math.abs(x));
    expect(w.max).toBeCloseTo(max, 6);
    for (const j of [0, 100, 400, 783]) expect(w.pixels[3][j]).toBe(Math.round(128 + (layer.weight.data[3 * 784 + j] * 127) / max));
    expect(w.pixels.flat().some(p => p === 1 || p === 255)).toBe(true);
  }, 30_000);

  it('are made at most every couple of seconds, always after the last epoch, and only for image data', async () => {
    const { spec, data } = await slice({ epochs: 6 });
    // A clock that stands still: after the first epoch's record, none is due until the last.
    const { records } = train(spec, data, () => 0);
    const epochs = records.filter(r => r.kind === 'epoch').length;
    const images = records.filter((r): r is ImagesRecord => r.kind === 'images');
    expect(epochs).toBe(6);
    expect(images.map(r => r.epoch)).toEqual([1, 6]);
    // Each follows its epoch's record.
    for (const img of images) {
      const at = records.indexOf(img);
      expect(records[at - 1]).toMatchObject({ kind: 'epoch', epoch: img.epoch });
    }

    const spiral = parseExperiment(JSON.stringify({ name: 'spiral', data: 'spiral', model: [{ type: 'linear' }], optimizer: { type: 'sgd', lr: 0.1 }, training: { epochs: 2 } }), 'spiral.experiment.json').resolve(undefined)!.spec;
    const { records: plain } = train(spiral, loadData(spiral.data, { bytes: () => new Uint8Array() }));
    expect(plain.some(r => r.kind === 'images')).toBe(false);
  }, 30_000);
});
