import * as vscode from 'vscode';
import { isActiveState } from '../contract/messages';
import type { Comparisons } from './compare/comparisons';
import { comparisonTitle } from './compare/compareCommands';
import type { ExperimentDocuments } from './experiments/experimentDocuments';
import { EXPERIMENT_GLOB, isExperimentDocument } from './experiments/experimentDocuments';
import type { Run } from './runs/run';
import type { RunManager } from './runs/runManager';
import type { RunStore, StoredRun } from './runs/runStore';
import type { ActiveRunView } from './webview/activeRunView';
import type { RunPanels } from './webview/runPanels';

export interface CommandContext {
  experiments: ExperimentDocuments;
  runs: RunManager;
  store: RunStore;
  panels: RunPanels;
  activeView: ActiveRunView;
  comparisons: Comparisons;
  output: vscode.LogOutputChannel;
}

const ALL_VARIANTS = Symbol('all variants');

/** Registers the commands of package.json's `contributes.commands`. */
export function registerCommands(c: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('trainscope.train', (uri?: vscode.Uri, variant?: string | null) => train(c, uri, variant)),
    vscode.commands.registerCommand('trainscope.trainAll', (uri?: vscode.Uri) => train(c, uri, ALL_VARIANTS)),
    vscode.commands.registerCommand('trainscope.stop', (runId?: string) => stop(c, runId)),
    vscode.commands.registerCommand('trainscope.openRun', (runId?: string) => openRun(c, runId)),
    vscode.commands.registerCommand('trainscope.showOutput', () => c.output.show()),
    vscode.commands.registerCommand('trainscope.refreshRuns', () => c.store.refresh()),
    vscode.commands.registerCommand('trainscope.revealRunFolder', (r: StoredRun) =>
      vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(`${r.dir}/run.json`)),
    ),
    vscode.commands.registerCommand('trainscope.deleteRun', (r: StoredRun) => deleteRun(c, r)),
  ];
}

/**
 * Train Experiment. From a code lens: `uri` and `variant` (null = the base) are given. From the
 * palette: the active experiment editor, else a pick among the workspace's experiments; and a pick
 * of the variant when the experiment has any. All variants = the base and every variant, side by
 * side, followed in one comparison (not a panel each).
 */
async function train(c: CommandContext, uri?: vscode.Uri, variant?: string | null | typeof ALL_VARIANTS): Promise<Run[]> {
  const document = await pickExperiment(uri);
  if (!document) {
    return [];
  }
  const parsed = c.experiments.get(document);
  let variants: (string | undefined)[];
  let all = false;
  if (variant === ALL_VARIANTS) {
    all = true;
    variants = [undefined, ...parsed.variants.map(v => v.name)];
  } else if (variant === null) {
    variants = [undefined];
  } else if (variant !== undefined) {
    variants = [variant];
  } else {
    const picked = await pickVariant(parsed.name, parsed.variants.map(v => v.name));
    if (picked === undefined) {
      return [];
    }
    all = picked === ALL_VARIANTS;
    variants = all ? [undefined, ...parsed.variants.map(v => v.name)] : [picked === ALL_VARIANTS ? undefined : picked.name];
  }
  const started: Run[] = [];
  const compared: Run[] = [];
  let comparison: ReturnType<Comparisons['show']> | undefined;
  const follow = (run: Run): void => {
    compared.push(run);
    if (comparison) comparison.add([run]);
    else comparison = c.comparisons.show([run], comparisonTitle([run]));
  };
  for (const v of variants) {
    const running = c.runs.findLive(document.uri, v);
    if (running) {
      if (all) {
        follow(running);
      } else {
        void vscode.window.showInformationMessage(`${running.title} is already training.`);
        c.panels.show(running);
      }
      continue;
    }
    const run = await c.runs.start({ document, parsed, variant: v });
    if (!run) {
      break;
    }
    started.push(run);
    c.activeView.setActiveRun(run);
    if (all) {
      follow(run);
    } else if (vscode.workspace.getConfiguration('trainscope').get<boolean>('openPanelOnTrain', true)) {
      c.panels.show(run);
    }
  }
  c.store.refresh();
  return started;
}

async function pickExperiment(uri: vscode.Uri | undefined): Promise<vscode.TextDocument | undefined> {
  if (uri) {
    return vscode.workspace.openTextDocument(uri);
  }
  const active = vscode.window.activeTextEditor?.document;
  if (active && isExperimentDocument(active)) {
    return active;
  }
  const files = await vscode.workspace.findFiles(EXPERIMENT_GLOB, '**/node_modules/**', 200);
  if (files.length === 0) {
    void vscode.window.showWarningMessage('No experiment files (*.experiment.json) in this workspace. Create one to train it.');
    return undefined;
  }
  if (files.length === 1) {
    return vscode.workspace.openTextDocument(files[0]);
  }
  const pick = await vscode.window.showQuickPick(
    files
      .map(f => ({ label: vscode.workspace.asRelativePath(f), uri: f }))
      .sort((a, b) => a.label.localeCompare(b.label)),
    { title: 'Train Experiment', placeHolder: 'Which experiment?' },
  );
  return pick && vscode.workspace.openTextDocument(pick.uri);
}

async function pickVariant(
  name: string,
  variants: string[],
): Promise<{ name: string | undefined } | typeof ALL_VARIANTS | undefined> {
  if (variants.length === 0) {
    return { name: undefined };
  }
  type Item = vscode.QuickPickItem & { value: { name: string | undefined } | typeof ALL_VARIANTS };
  const items: Item[] = [
    { label: name, description: 'the base experiment', value: { name: undefined } },
    ...variants.map(v => ({ label: v, description: 'variant', value: { name: v } })),
    { label: 'All variants', description: `train the base and ${variants.length} variants side by side, in one comparison`, value: ALL_VARIANTS },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: `Train ${name}`, placeHolder: 'Which variant?' });
  return pick?.value;
}

async function stop(c: CommandContext, runId?: string): Promise<void> {
  if (runId) {
    c.runs.stop(runId);
    return;
  }
  const live = c.runs.liveRuns;
  if (live.length <= 1) {
    if (live[0]) {
      c.runs.stop(live[0].id);
    }
    return;
  }
  const pick = await vscode.window.showQuickPick(
    live.map(r => ({ label: r.title, run: r })),
    { title: 'Stop Training', placeHolder: 'Which run?' },
  );
  if (pick) {
    c.runs.stop(pick.run.id);
  }
}

async function openRun(c: CommandContext, runId?: string): Promise<Run | undefined> {
  if (!runId) {
    const stored = c.store.list();
    if (stored.length === 0) {
      void vscode.window.showInformationMessage('No runs yet: press ▶ Train above an experiment.');
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      stored.map(s => ({
        label: s.meta.variant ? `${s.meta.experiment} · ${s.meta.variant}` : s.meta.experiment,
        description: `${s.state} · ${new Date(s.meta.started_at).toLocaleString()}`,
        detail: s.meta.file,
        id: s.meta.id,
      })),
      { title: 'Open Run', placeHolder: 'Which run?', matchOnDetail: true },
    );
    runId = pick?.id;
  }
  const run = runId ? c.store.open(runId) : undefined;
  if (runId && !run) {
    void vscode.window.showWarningMessage('That run no longer exists (its folder was deleted).');
  }
  if (run) {
    // The side panel's dashboard exists already and draws in a fraction of a second; the editor
    // panel needs a new webview, which takes VS Code longer.
    c.activeView.setActiveRun(run);
    c.panels.show(run, false);
  }
  return run;
}

async function deleteRun(c: CommandContext, r: StoredRun): Promise<void> {
  if (isActiveState(r.state)) {
    void vscode.window.showWarningMessage('Stop the run before deleting it.');
    return;
  }
  const answer = await vscode.window.showWarningMessage(
    `Delete the run '${r.meta.experiment}${r.meta.variant ? ` · ${r.meta.variant}` : ''}' and its folder?`,
    { modal: true },
    'Delete',
  );
  if (answer === 'Delete') {
    c.panels.close(r.meta.id);
    c.comparisons.removeRun(r.meta.id);
    if (c.activeView.activeRun?.id === r.meta.id) {
      c.activeView.setActiveRun(undefined);
    }
    c.store.delete(r.meta.id);
  }
}
