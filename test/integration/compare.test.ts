import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { Run } from '../../extension/runs/run';
import { activateExtension, waitFor, workspaceUri, writeWorkspaceFile } from './helpers';

const EXPERIMENT = `{
  "name": "Export me",
  "data": { "type": "spiral", "samples": 200, "validation_split": 0.2 },
  "model": [{ "type": "linear", "out_features": 16 }, "relu", "linear"],
  "optimizer": { "type": "sgd", "lr": 0.1 },
  "training": { "epochs": 5, "batch_size": 32, "seed": 0 },
  "variants": { "adam": { "optimizer": { "type": "adam", "lr": 0.01 } }, "tiny": { "optimizer": { "lr": 0.001 } } }
}
`;

suite('comparing and exporting runs (extension host)', () => {
  suiteSetup(async () => {
    await activateExtension();
  });

  test('Train all trains the base and every variant; their metrics export as CSV and JSON', async () => {
    const uri = await writeWorkspaceFile('export-me.experiment.json', EXPERIMENT);
    const runs = await vscode.commands.executeCommand<Run[]>('trainscope.trainAll', uri);
    assert.deepStrictEqual(runs.map(r => r.identity.variant), [undefined, 'adam', 'tiny'], 'the base first, then each variant');
    await waitFor(() => runs.every(r => !r.isActive), 'the three runs to finish', 120_000);
    assert.ok(runs.every(r => r.state === 'completed'), runs.map(r => `${r.title}: ${r.state} ${r.error ?? ''}`).join('; '));
    await vscode.commands.executeCommand('trainscope.refreshRuns');

    const ids = runs.map(r => r.id);
    const csvUri = workspaceUri('export-me.csv');
    const written = await vscode.commands.executeCommand<vscode.Uri | undefined>('trainscope.exportMetrics', ids, undefined, 'csv', csvUri);
    assert.strictEqual(written?.fsPath, csvUri.fsPath);
    const lines = fs.readFileSync(csvUri.fsPath, 'utf8').trimEnd().split('\r\n');
    assert.strictEqual(lines[0], 'run_id,experiment,variant,label,optimizer.type,optimizer.lr,epoch,step,train_loss,train_accuracy,val_loss,val_accuracy,lr,elapsed_ms');
    assert.strictEqual(lines.length, 1 + 3 * 5, 'a row per run and epoch');
    assert.ok(lines.some(l => l.includes(',adam,"adam · optimizer adam, lr 0.01",adam,0.01,5,')), lines.join('\n'));

    const jsonUri = workspaceUri('export-me.json');
    await vscode.commands.executeCommand('trainscope.exportMetrics', ids.slice(0, 1), undefined, 'json', jsonUri);
    const json = JSON.parse(fs.readFileSync(jsonUri.fsPath, 'utf8'));
    assert.strictEqual(json.runs.length, 1);
    assert.strictEqual(json.runs[0].epochs.length, 5);
    assert.strictEqual(json.runs[0].settings['optimizer.lr'], 0.1);
  });

  test('Rename gives a kept run a name that the Runs view and exports use', async () => {
    const runs = await vscode.commands.executeCommand<Run[]>('trainscope.train', workspaceUri('export-me.experiment.json'), 'tiny');
    await waitFor(() => !runs[0].isActive, 'the run to finish', 60_000);
    await vscode.commands.executeCommand('trainscope.refreshRuns');
    await vscode.commands.executeCommand('trainscope.renameRun', runs[0].id, 'slowest');
    const meta = JSON.parse(fs.readFileSync(`${runs[0].identity.dir}/run.json`, 'utf8'));
    assert.strictEqual(meta.name, 'slowest');
    assert.strictEqual(meta.status, 'completed', 'the rest of run.json is kept');
  });
});
