import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readRun } from '../../engine/runs/runFiles';
import type { TrainscopeApi } from '../../extension/extension';
import type { Run } from '../../extension/runs/run';
import { activateExtension, recordingErrorMessages, trainscopeDiagnostics, waitFor, workspaceUri, writeWorkspaceFile } from './helpers';

async function train(uri: vscode.Uri, variant: string | null = null): Promise<Run> {
  const runs = await vscode.commands.executeCommand<Run[]>('trainscope.train', uri, variant);
  assert.strictEqual(runs.length, 1, 'one run started');
  return runs[0];
}

async function finished(run: Run, ms = 90000): Promise<Run> {
  await waitFor(() => !run.isActive, `run ${run.title} to finish`, ms);
  return run;
}

suite('training from the editor (extension host)', () => {
  let api: TrainscopeApi;

  suiteSetup(async () => {
    api = await activateExtension();
  });

  test('▶ Train runs the spiral in a worker; the loss falls; the run folder holds settings and metrics', async () => {
    const uri = workspaceUri('spiral.experiment.json');
    await vscode.window.showTextDocument(uri);
    const run = await finished(await train(uri));
    assert.strictEqual(run.state, 'completed', run.error);
    const epochs = readRun(run.identity.dir).records.filter(r => r.kind === 'epoch');
    assert.strictEqual(epochs.length, 60);
    assert.strictEqual(run.digest.counts.epochs, 60);
    const first = epochs[0];
    const last = epochs[epochs.length - 1];
    assert.deepStrictEqual(run.digest.lastEpoch, last);
    assert.ok(last.train_loss < first.train_loss * 0.5, `loss fell: ${first.train_loss} → ${last.train_loss}`);
    assert.ok((last.val_accuracy ?? 0) > 0.8, `validation accuracy ${last.val_accuracy}`);
    // Persisted where the README says.
    const dir = run.identity.dir;
    assert.ok(dir.startsWith(path.join(workspaceUri().fsPath, '.trainscope', 'runs')), dir);
    const meta = JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8'));
    assert.strictEqual(meta.status, 'completed');
    assert.strictEqual(meta.spec.optimizer.type, 'sgd');
    const counts = run.digest.counts;
    assert.strictEqual(readRun(dir).records.length, counts.steps + counts.epochs + counts.probes + counts.findings);
    assert.ok(fs.existsSync(path.join(dir, 'series.bin')), 'the digest is kept beside the records');
    // The worker in this extension host trained on the WebAssembly kernels (embedded in dist/worker.js).
    assert.match(run.header?.kernels ?? '', /^wasm-(simd|relaxed)/, `kernels: ${run.header?.kernels}`);
    assert.strictEqual(meta.header.kernels, run.header?.kernels, 'run.json records the kernels');
  });

  test('a variant trains with its override (Adam)', async () => {
    const run = await finished(await train(workspaceUri('spiral.experiment.json'), 'adam'));
    assert.strictEqual(run.state, 'completed', run.error);
    const meta = JSON.parse(fs.readFileSync(path.join(run.identity.dir, 'run.json'), 'utf8'));
    assert.strictEqual(meta.variant, 'adam');
    assert.strictEqual(meta.spec.optimizer.type, 'adam');
    assert.strictEqual(meta.spec.optimizer.lr, 0.01);
    // Once it is over, the variant's lenses offer to train again and show the outcome.
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', workspaceUri('spiral.experiment.json'));
    const titles = lenses.map(l => l.command?.title ?? '');
    assert.ok(titles.includes('▶ Train adam'), JSON.stringify(titles));
    assert.ok(!titles.some(t => t.startsWith('■ Stop')), JSON.stringify(titles));
    assert.ok(titles.some(t => t.startsWith('✓ completed')), JSON.stringify(titles));
  });

  test('the CSV experiment trains from examples/data/wine.csv', async () => {
    const run = await finished(await train(workspaceUri('wine.experiment.json')));
    assert.strictEqual(run.state, 'completed', run.error);
    assert.strictEqual(run.header?.data.features, 13);
    assert.strictEqual(run.header?.data.outputs, 3);
  });

  test('■ Stop ends a run as stopped and keeps what it did', async () => {
    const uri = await writeWorkspaceFile(
      'long.experiment.json',
      JSON.stringify({
        name: 'Long run',
        data: { type: 'spiral', samples: 3000 },
        model: [{ type: 'linear', out_features: 128 }, { type: 'relu' }, { type: 'linear' }],
        optimizer: { type: 'sgd', lr: 0.05 },
        training: { epochs: 5000, batch_size: 8 },
      }),
    );
    const run = await train(uri);
    await waitFor(() => run.digest.counts.epochs > 0, 'a first epoch');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    assert.ok(lenses.some(l => l.command?.title === '■ Stop'), 'a ■ Stop lens while it runs');
    assert.ok(lenses.some(l => /^epoch \d+\/5000 · loss \d/.test(l.command?.title ?? '')), `the lens shows the epoch and loss: ${JSON.stringify(lenses.map(l => l.command?.title))}`);
    const clicked = Date.now();
    await vscode.commands.executeCommand('trainscope.stop', run.id);
    assert.strictEqual(run.state, 'stopping', '"stopping" at once');
    await finished(run, 10000);
    assert.ok(Date.now() - clicked < 1000, `stopped ${Date.now() - clicked} ms after the click`);
    assert.strictEqual(run.state, 'stopped');
    const meta = JSON.parse(fs.readFileSync(path.join(run.identity.dir, 'run.json'), 'utf8'));
    assert.strictEqual(meta.status, 'stopped');
    assert.ok(run.digest.counts.steps > 0);
    // Everything recorded up to the stop is in the folder.
    assert.strictEqual(readRun(run.identity.dir).records.filter(r => r.kind === 'step').length, run.digest.counts.steps);
  });

  test('a kept run reopens from its folder (as after a window reload)', async () => {
    const stored = api.store.list().find(r => r.meta.experiment === 'Spiral MLP' && !r.meta.variant && r.state === 'completed');
    assert.ok(stored, 'the spiral run is listed');
    api.runs.forget(stored.meta.id);
    const reopened = await vscode.commands.executeCommand<Run>('trainscope.openRun', stored.meta.id);
    assert.ok(reopened);
    assert.strictEqual(reopened.state, 'completed');
    assert.strictEqual(reopened.digest.counts.epochs, 60);
  });

  test('an invalid key is flagged in the editor at that key', async () => {
    const text = '{\n  "name": "Typo",\n  "data": "spiral",\n  "optimizer": { "type": "adamm", "lr": 0.01 },\n  "model": [{ "type": "linear" }]\n}\n';
    const uri = await writeWorkspaceFile('typo.experiment.json', text);
    await vscode.window.showTextDocument(uri);
    const diagnostics = await trainscopeDiagnostics(uri);
    const d = diagnostics.find(x => x.message.includes('adamm'));
    assert.ok(d, JSON.stringify(diagnostics.map(x => x.message)));
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(d.range.start.line, 3);
    assert.strictEqual(d.range.start.character, text.split('\n')[3].indexOf('"adamm"'));
    assert.match(d.message, /adamm/);
    assert.match(d.message, /adam/);
  });

  test('a bad CSV cell is reported at its line and column in the CSV file', async () => {
    await writeWorkspaceFile('data/bad.csv', 'a,b,label\n1,2,x\n3,oops,y\n');
    const uri = await writeWorkspaceFile(
      'bad-csv.experiment.json',
      JSON.stringify({ data: { type: 'csv', path: 'data/bad.csv', target: 'label', validation_split: 0 }, model: [{ type: 'linear' }], optimizer: { type: 'sgd', lr: 0.1 } }),
    );
    const runs = await vscode.commands.executeCommand<Run[]>('trainscope.train', uri, null);
    if (runs[0]) {
      await finished(runs[0]);
      assert.strictEqual(runs[0].state, 'failed');
    }
    const [d] = await trainscopeDiagnostics(workspaceUri('data', 'bad.csv'));
    assert.strictEqual(d.range.start.line, 2);
    assert.strictEqual(d.range.start.character, 2);
    assert.match(d.message, /oops/);
  });

  test('a data path outside the workspace is refused at the path key', async () => {
    const text = JSON.stringify({ data: { type: 'csv', path: '../../etc/passwd', target: 'x' }, model: [{ type: 'linear' }], optimizer: { type: 'sgd', lr: 0.1 } }, null, 2);
    const uri = await writeWorkspaceFile('escape.experiment.json', text);
    const runs = await vscode.commands.executeCommand<Run[]>('trainscope.train', uri, null);
    assert.strictEqual(runs.length, 0, 'no run starts');
    const [d] = await trainscopeDiagnostics(uri);
    const line = text.split('\n').findIndex(l => l.includes('"path"'));
    assert.strictEqual(d.range.start.line, line);
    assert.match(d.message, /outside the workspace|does not exist/);
  });

  test('every bad file an experiment names gets its diagnostic at its key (variant-aware), under one notification', async () => {
    const text = JSON.stringify(
      {
        name: 'Two bad files',
        data: { type: 'idx', images: '../../outside/images.gz', labels: 'nowhere/labels.gz' },
        model: [{ type: 'linear' }],
        optimizer: { type: 'sgd', lr: 0.1 },
        variants: { relabelled: { data: { labels: 'elsewhere/labels.gz' } } },
      },
      null,
      2,
    );
    const uri = await writeWorkspaceFile('two-bad-files.experiment.json', text);
    const document = await vscode.workspace.openTextDocument(uri);
    // The range of a string value as written, quotes included (where a key's problem is underlined).
    const valueRange = (value: string): vscode.Range => {
      const offset = text.indexOf(JSON.stringify(value));
      return new vscode.Range(document.positionAt(offset), document.positionAt(offset + value.length + 2));
    };
    const trainShowing = async (variant: string | null): Promise<{ diagnostics: vscode.Diagnostic[]; shown: { message: string; items: string[] }[] }> => {
      let diagnostics: vscode.Diagnostic[] = [];
      const shown = await recordingErrorMessages(async () => {
        const runs = await vscode.commands.executeCommand<Run[]>('trainscope.train', uri, variant);
        assert.strictEqual(runs.length, 0, 'no run starts');
        diagnostics = await trainscopeDiagnostics(uri, 2);
      });
      return { diagnostics, shown };
    };

    const base = await trainShowing(null);
    assert.deepStrictEqual(
      base.diagnostics.map(d => [d.range, d.message.replace(/ \(looked for .*\)$/, '')]),
      [
        [valueRange('../../outside/images.gz'), `'../../outside/images.gz' is outside the workspace root ${workspaceUri().fsPath} (the workspace folder); data files must be inside it`],
        [valueRange('nowhere/labels.gz'), "data file 'nowhere/labels.gz' not found"],
      ],
    );
    assert.deepStrictEqual(base.shown, [{ message: `Two bad files cannot train: ${base.diagnostics[0].message} (and 1 more problem)`, items: ['Go to Problem'] }]);

    // Trained again, the variant's problems replace the base's: its own labels path, at its own key.
    const variant = await trainShowing('relabelled');
    assert.deepStrictEqual(
      variant.diagnostics.map(d => d.range),
      [valueRange('../../outside/images.gz'), valueRange('elsewhere/labels.gz')],
    );
    assert.match(variant.diagnostics[1].message, /^data file 'elsewhere\/labels\.gz' not found/);
    assert.deepStrictEqual(variant.shown.map(s => s.message), [`Two bad files (variant relabelled) cannot train: ${variant.diagnostics[0].message} (and 1 more problem)`]);

    // An edit clears them, as it clears every run failure.
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(0, 0), ' ');
    await vscode.workspace.applyEdit(edit);
    await waitFor(() => vscode.languages.getDiagnostics(uri).every(d => d.source !== 'Trainscope'), 'the run diagnostics to clear on edit');
    await document.save();
  });
});

suite('checkpoints from the editor (extension host)', () => {
  test('a run saves its checkpoint inside the workspace, and another run resumes from it', async () => {
    const base = {
      name: 'Checkpointed',
      data: { type: 'spiral', samples: 300 },
      model: [{ type: 'linear', out_features: 16 }, 'relu', { type: 'linear' }],
      optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9 },
    };
    const first = await writeWorkspaceFile(
      'ckpt-save.experiment.json',
      JSON.stringify({ ...base, training: { epochs: 3 }, checkpoint: { save: 'checkpoints/spiral.safetensors' } }, null, 2),
    );
    const saved = await finished(await train(first));
    assert.strictEqual(saved.state, 'completed', saved.error);
    const file = workspaceUri('checkpoints', 'spiral.safetensors').fsPath;
    assert.ok(fs.existsSync(file), 'the checkpoint file was written');
    const header = fs.readFileSync(file);
    const headerSize = Number(header.readBigUInt64LE(0));
    const tensors = JSON.parse(header.subarray(8, 8 + headerSize).toString('utf8'));
    assert.ok(tensors['0.weight'] && tensors['2.bias'], `state_dict names: ${Object.keys(tensors).slice(0, 6).join(', ')}`);

    const second = await writeWorkspaceFile(
      'ckpt-resume.experiment.json',
      JSON.stringify({ ...base, training: { epochs: 5 }, checkpoint: { load: 'checkpoints/spiral.safetensors', load_mode: 'resume' } }, null, 2),
    );
    const resumed = await finished(await train(second));
    assert.strictEqual(resumed.state, 'completed', resumed.error);
    const epochs = readRun(resumed.identity.dir).records.flatMap(r => (r.kind === 'epoch' ? [r.epoch] : []));
    assert.deepStrictEqual(epochs, [4, 5], 'it went on from epoch 3');
  });
});
