// Smoke test inside a real VS Code: the extension is there, activates, registers its commands and
// offers the "▶ Train" code lens on an experiment file of the workspace.
import * as assert from 'assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'trainscope.trainscope';
const EXPERIMENT_FILE = 'spiral.experiment.json';

/** Polls `probe` until it returns something truthy; code lenses appear once the provider has run. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) { return value; }
    if (Date.now() > deadline) { throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`); }
    await new Promise(r => setTimeout(r, 200));
  }
}

function experimentUri(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, EXPERIMENT_FILE);
}

suite('smoke: Trainscope in a real VS Code', () => {
  test('the extension is installed and activates', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is known to VS Code`);
    await extension.activate();
    assert.strictEqual(extension.isActive, true);
    console.log(`[smoke] VS Code ${vscode.version}, uiKind=${vscode.UIKind[vscode.env.uiKind]}, remote=${vscode.env.remoteName ?? 'none'}`);
  });

  test('its commands are registered', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['trainscope.train', 'trainscope.stop']) {
      assert.ok(commands.includes(id), `command ${id} is registered`);
    }
  });

  test('the experiment file gets a "▶ Train" code lens running trainscope.train', async () => {
    const uri = experimentUri();
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const train = await eventually('the Train code lens', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      return lenses?.find(l => l.command?.title === '\u25B6 Train');
    });
    assert.strictEqual(train.command?.command, 'trainscope.train');
  });
});
