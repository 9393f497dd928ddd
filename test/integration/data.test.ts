import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, recordingErrorMessages, trainscopeDiagnostics, workspaceUri, writeWorkspaceFile } from './helpers';

suite('data sets from the machine (extension host)', () => {
  suiteSetup(async () => {
    await activateExtension();
  });

  test('"Copy Fashion-MNIST into the Workspace" copies the IDX files into data/fashion-mnist/', async () => {
    // A stand-in for /usr/share/datasets/fashion-mnist with the Debian file names.
    const source = fs.mkdtempSync(path.join(os.tmpdir(), 'trainscope-fmnist-'));
    const files = { 'train-images-idx3-ubyte.gz': 'images', 'train-labels-idx1-ubyte.gz': 'labels', 'README.md': 'not data' };
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(source, name), text);
    try {
      const target = await vscode.commands.executeCommand<vscode.Uri | undefined>('trainscope.getFashionMnist', source);
      assert.ok(target, 'it copied');
      assert.strictEqual(target.fsPath, workspaceUri('data', 'fashion-mnist').fsPath);
      assert.deepStrictEqual(fs.readdirSync(target.fsPath).sort(), ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz']);
      assert.strictEqual(fs.readFileSync(path.join(target.fsPath, 'train-labels-idx1-ubyte.gz'), 'utf8'), 'labels');
    } finally {
      fs.rmSync(source, { recursive: true, force: true });
      fs.rmSync(workspaceUri('data', 'fashion-mnist').fsPath, { recursive: true, force: true });
    }
  });

  test('"Open the Babysitting Recipe" copies the recipe and its data into the workspace, opens it, and never overwrites the copy', async () => {
    const folder = workspaceUri('trainscope-recipe').fsPath;
    try {
      const opened = await vscode.commands.executeCommand<vscode.Uri | undefined>('trainscope.openRecipe');
      assert.ok(opened, 'it copied and opened the recipe');
      assert.strictEqual(opened.fsPath, path.join(folder, 'babysitting.experiment.json'));
      assert.strictEqual(vscode.window.activeTextEditor?.document.uri.fsPath, opened.fsPath, 'the recipe is the active editor');
      const shipped = path.join(vscode.extensions.getExtension('trainscope.trainscope')!.extensionPath, 'examples');
      assert.strictEqual(fs.readFileSync(opened.fsPath, 'utf8'), fs.readFileSync(path.join(shipped, 'babysitting.experiment.json'), 'utf8'));
      assert.deepStrictEqual(
        fs.readdirSync(path.join(folder, 'data', 'fashion-mnist-slice')).sort(),
        fs.readdirSync(path.join(shipped, 'data', 'fashion-mnist-slice')).sort(),
        'the data slice (and its licence) is beside it',
      );
      // The student's edits survive opening the recipe again.
      fs.writeFileSync(opened.fsPath, '// mine\n{}');
      await vscode.commands.executeCommand('trainscope.openRecipe');
      assert.strictEqual(fs.readFileSync(opened.fsPath, 'utf8'), '// mine\n{}');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  test('a missing Fashion-MNIST file the machine has (Debian\'s package) gets a quick fix that copies the data where the experiment looks', async () => {
    const debian = '/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz';
    const text = JSON.stringify(
      {
        data: { type: 'idx', images: 'mnist-here/train-images-idx3-ubyte.gz', labels: 'mnist-here/train-labels-idx1-ubyte.gz' },
        model: [{ type: 'linear' }],
        optimizer: { type: 'sgd', lr: 0.1 },
      },
      null,
      2,
    );
    const uri = await writeWorkspaceFile('fmnist-missing/missing.experiment.json', text);
    let diagnostics: vscode.Diagnostic[] = [];
    const shown = await recordingErrorMessages(async () => {
      const runs = await vscode.commands.executeCommand<unknown[]>('trainscope.train', uri, null);
      assert.strictEqual(runs.length, 0, 'no run starts');
      diagnostics = await trainscopeDiagnostics(uri, 2);
    });
    const [d, labels] = diagnostics;
    assert.match(d.message, /data file 'mnist-here\/train-images-idx3-ubyte\.gz' not found/);
    assert.match(labels.message, /data file 'mnist-here\/train-labels-idx1-ubyte\.gz' not found/);
    const copyFixes = async (at: vscode.Diagnostic): Promise<vscode.CodeAction[]> => {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, at.range);
      return actions.filter(a => /^Copy Fashion-MNIST here/.test(a.title));
    };
    const copy = await copyFixes(d);
    const installed = fs.existsSync(debian);
    // One notification for both files, offering the copy only when there is something to copy.
    assert.deepStrictEqual(shown, [
      {
        message: `missing cannot train: ${d.message} (and 1 more problem)`,
        items: installed ? ['Copy Fashion-MNIST Here', 'Go to Problem'] : ['Go to Problem'],
      },
    ]);
    if (!installed) {
      // Without the package there is nothing to copy: no such fix is offered.
      assert.strictEqual(copy.length, 0);
      return;
    }
    assert.strictEqual(copy.length, 1, 'the images file has its fix');
    assert.strictEqual((await copyFixes(labels)).length, 1, 'the labels file has its own fix');
    const target = workspaceUri('fmnist-missing', 'mnist-here');
    try {
      await vscode.commands.executeCommand(copy[0].command!.command, ...(copy[0].command!.arguments ?? []));
      assert.ok(fs.existsSync(path.join(target.fsPath, 'train-images-idx3-ubyte.gz')), 'copied where the experiment looks');
      assert.strictEqual(fs.statSync(path.join(target.fsPath, 'train-labels-idx1-ubyte.gz')).size, fs.statSync(debian.replace('images-idx3', 'labels-idx1')).size);
    } finally {
      fs.rmSync(workspaceUri('fmnist-missing').fsPath, { recursive: true, force: true });
    }
  });
});
