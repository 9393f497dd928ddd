import * as assert from 'node:assert';
import * as vscode from 'vscode';
import type { Run } from '../../extension/runs/run';
import { activateExtension, waitFor, writeWorkspaceFile } from './helpers';

/** A learning rate of 1e6: the classic way to make training explode. */
const EXPLODING = `{
  "name": "Exploding",
  "data": { "type": "spiral", "samples": 300 },
  "model": [{ "type": "linear", "out_features": 32 }, "relu", { "type": "linear" }],
  "optimizer": { "type": "sgd", "lr": 1000000 },
  "training": { "epochs": 20, "batch_size": 32 }
}
`;

/** Eight tanh layers with W = 0.01·randn: the course's vanishing-activations case (examples/initialization). */
const DEEP_TANH = `{
  "name": "Deep tanh",
  "data": { "type": "spiral", "samples": 600, "noise": 0.2 },
  "model": [
${Array.from({ length: 8 }, () => '    { "type": "linear", "out_features": 64 }, "tanh",').join('\n')}
    "linear"
  ],
  "init": { "weight": { "type": "normal", "std": 0.01 }, "bias": "zeros" },
  "optimizer": { "type": "sgd", "lr": 0.02, "momentum": 0.9 },
  "training": { "epochs": 20, "batch_size": 32, "seed": 0 }
}
`;

suite('diagnostics on the line that caused the trouble (extension host)', () => {
  suiteSetup(async () => {
    await activateExtension();
  });

  test('lr = 1e6: the run stops, the lr key is flagged with the step, and the quick fix divides it by 10', async () => {
    const uri = await writeWorkspaceFile('exploding.experiment.json', EXPLODING);
    const editor = await vscode.window.showTextDocument(uri);
    const [run] = await vscode.commands.executeCommand<Run[]>('trainscope.train', uri, null);
    assert.ok(run, 'a run started');
    await waitFor(() => !run.isActive, 'the run to end', 60000);
    assert.strictEqual(run.state, 'failed', 'diagnostics stopped the run');
    const steps = run.digest.counts.steps;
    assert.ok(steps < 20 * 8, `stopped early, after ${steps} steps`);

    const flagged = await waitFor(
      () => vscode.languages.getDiagnostics(uri).find(d => d.source === 'Trainscope' && d.severity === vscode.DiagnosticSeverity.Error),
      'an error diagnostic from the run',
    );
    const lrLine = EXPLODING.split('\n').findIndex(l => l.includes('"lr"'));
    assert.strictEqual(flagged.range.start.line, lrLine, `on the lr line: ${flagged.message}`);
    assert.match(flagged.message, /learning rate/i);
    assert.match(flagged.message, /step \d+/);

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, flagged.range);
    const fix = actions.find(a => /learning rate/i.test(a.title) && a.edit);
    assert.ok(fix, `a quick fix: ${JSON.stringify(actions.map(a => a.title))}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    const text = editor.document.getText();
    assert.match(text, /"lr": 100000\b/, text);
    // Editing the experiment clears the run's diagnostics: they belonged to the old settings.
    await waitFor(() => !vscode.languages.getDiagnostics(uri).some(d => d.source === 'Trainscope' && d.code !== undefined), 'the findings to clear');
  });

  test('one cause, one problem: a too-small init is one warning on init.weight, its consequences inside it', async () => {
    const uri = await writeWorkspaceFile('deep-tanh.experiment.json', DEEP_TANH);
    await vscode.window.showTextDocument(uri);
    const [run] = await vscode.commands.executeCommand<Run[]>('trainscope.train', uri, null);
    await waitFor(() => !run.isActive, 'the run to end', 60000);
    assert.strictEqual(run.state, 'completed');
    // Let the last deltas reach the Problems panel.
    await waitFor(() => vscode.languages.getDiagnostics(uri).some(d => d.source === 'Trainscope'), 'a diagnostic from the run');
    const ours = vscode.languages.getDiagnostics(uri).filter(d => d.source === 'Trainscope');
    const warnings = ours.filter(d => d.severity <= vscode.DiagnosticSeverity.Warning);
    assert.strictEqual(warnings.length, 1, JSON.stringify(ours.map(d => `${d.code}: ${d.message}`)));
    const [cause] = warnings;
    assert.strictEqual(cause.code, 'vanishing-activations');
    const weightLine = DEEP_TANH.split('\n').findIndex(l => l.includes('"init"'));
    assert.strictEqual(cause.range.start.line, weightLine, 'on the init line');
    assert.strictEqual(DEEP_TANH.split('\n')[weightLine].slice(cause.range.start.character).startsWith('{ "type": "normal"'), true, 'on the value of init.weight');
    // The consequences are its related information, not problems of their own; none blames lr.
    const related = cause.relatedInformation ?? [];
    assert.ok(related.some(r => /^Then, at step \d+: /.test(r.message)), JSON.stringify(related.map(r => r.message)));
    assert.ok(!ours.some(d => /"lr"|learning rate is (probably )?too low/.test(d.message)), 'nothing tells to raise the learning rate');
  });
});
