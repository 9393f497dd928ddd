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
});
