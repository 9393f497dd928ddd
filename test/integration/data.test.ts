import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, workspaceUri } from './helpers';

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
});
