import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isExportFormat, type ExportFormat } from '../../contract/compare';
import { isActiveState, isRunId } from '../../contract/messages';
import { RUN_FILE } from '../../engine/runs/runFiles';
import type { Run } from '../runs/run';
import type { RunStore, StoredRun } from '../runs/runStore';
import type { Comparisons } from './comparisons';
import { exportText } from './exportMetrics';
import type { RunsTablePanel } from './runsTablePanel';

export interface CompareCommandContext {
  store: RunStore;
  comparisons: Comparisons;
  table: () => RunsTablePanel;
  /** Closes what shows a run that is being deleted (its panel, the active view). */
  closeRun(runId: string): void;
  output: vscode.LogOutputChannel;
}

/** What the Runs view, the table and the palette pass: a run, the selected runs, or run ids. */
type RunsArgument = StoredRun | string | readonly (StoredRun | string)[] | undefined;

function idsOf(...args: RunsArgument[]): string[] {
  const ids: string[] = [];
  for (const a of args) {
    const list = a === undefined ? [] : Array.isArray(a) ? a : [a];
    for (const x of list as (StoredRun | string)[]) {
      const id = typeof x === 'string' ? x : x?.meta?.id;
      if (isRunId(id) && !ids.includes(id)) ids.push(id);
    }
  }
  return ids;
}

/** A name for a comparison of these runs: their experiment's when they share one. */
export function comparisonTitle(runs: readonly Run[]): string {
  const names = new Set(runs.map(r => r.identity.experiment));
  return names.size === 1 ? `Compare: ${runs[0].identity.experiment}` : `Compare ${runs.length} runs`;
}

export function registerCompareCommands(c: CompareCommandContext): vscode.Disposable[] {
  return [
    // From the Runs view: the clicked run and the selection; from the palette: a pick.
    vscode.commands.registerCommand('trainscope.compareRuns', (clicked?: RunsArgument, selected?: RunsArgument) => compareRuns(c, idsOf(selected ?? clicked))),
    vscode.commands.registerCommand('trainscope.openRunsTable', () => c.table().show()),
    vscode.commands.registerCommand('trainscope.exportMetrics', (clicked?: RunsArgument, selected?: RunsArgument, format?: unknown, target?: vscode.Uri) =>
      exportMetrics(c, idsOf(selected ?? clicked), isExportFormat(format) ? format : undefined, target),
    ),
    vscode.commands.registerCommand('trainscope.renameRun', (r?: StoredRun | string, name?: string) => renameRun(c, idsOf(r)[0], name)),
    vscode.commands.registerCommand('trainscope.deleteRuns', (clicked?: RunsArgument, selected?: RunsArgument) => deleteRuns(c, idsOf(selected ?? clicked))),
  ];
}

async function pickRuns(c: CompareCommandContext, title: string, minimum: number): Promise<string[]> {
  const stored = c.store.list();
  if (stored.length < minimum) {
    void vscode.window.showInformationMessage(minimum > 1 ? 'Train at least two runs to compare them.' : 'No runs yet: press ▶ Train above an experiment.');
    return [];
  }
  const picks = await vscode.window.showQuickPick(
    stored.map(s => ({
      label: s.meta.name ?? (s.meta.variant ? `${s.meta.experiment} · ${s.meta.variant}` : s.meta.experiment),
      description: `${s.state} · ${new Date(s.meta.started_at).toLocaleString()}`,
      id: s.meta.id,
    })),
    { title, placeHolder: 'Which runs?', canPickMany: true },
  );
  return picks?.map(p => p.id) ?? [];
}

export async function compareRuns(c: CompareCommandContext, ids: string[]): Promise<void> {
  if (ids.length < 2) ids = await pickRuns(c, 'Compare Runs', 2);
  const runs = ids.map(id => c.store.open(id)).filter((r): r is Run => r !== undefined);
  if (runs.length === 0) return;
  // Oldest first: the base of a Train all before its variants, as they were started.
  runs.sort((a, b) => a.identity.startedAt.localeCompare(b.identity.startedAt));
  c.comparisons.show(runs, comparisonTitle(runs));
}

export async function exportMetrics(c: CompareCommandContext, ids: string[], format?: ExportFormat, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  if (ids.length === 0) ids = await pickRuns(c, 'Export Metrics', 1);
  const runs = ids.map(id => c.store.list().find(s => s.meta.id === id)).filter((s): s is StoredRun => s !== undefined);
  if (runs.length === 0) return undefined;
  if (!format) {
    const pick = await vscode.window.showQuickPick(
      [
        { label: 'CSV', description: 'one row per run and epoch', format: 'csv' as const },
        { label: 'JSON', description: 'each run with its settings, summary and epochs', format: 'json' as const },
      ],
      { title: 'Export Metrics', placeHolder: 'Which format?' },
    );
    if (!pick) return undefined;
    format = pick.format;
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const base = runs.length === 1 ? runs[0].meta.id : `${runs[0].meta.id}-and-${runs.length - 1}-more`;
  target ??= await vscode.window.showSaveDialog({
    title: 'Export Metrics',
    defaultUri: folder ? vscode.Uri.joinPath(folder, `${base}.${format}`) : undefined,
    filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
  });
  if (!target) return undefined;
  try {
    const text = exportText(runs.map(r => r.dir), format);
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    c.output.info(`exported the metrics of ${runs.length} run${runs.length > 1 ? 's' : ''} to ${target.fsPath}`);
    void vscode.window.showInformationMessage(`Metrics of ${runs.length} run${runs.length > 1 ? 's' : ''} written to ${vscode.workspace.asRelativePath(target)}.`);
    return target;
  } catch (e) {
    void vscode.window.showErrorMessage(`Trainscope could not export the metrics: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

/** Gives a finished run a name of its own, kept in its run.json (a live run's run.json is still being written). */
async function renameRun(c: CompareCommandContext, id: string | undefined, name?: string): Promise<void> {
  const r = id ? c.store.list().find(s => s.meta.id === id) : undefined;
  if (!r) return;
  if (isActiveState(r.state)) {
    void vscode.window.showWarningMessage('Rename the run once it has ended.');
    return;
  }
  name ??= await vscode.window.showInputBox({
    title: 'Rename Run',
    prompt: 'A name for this run (empty: its variant again)',
    value: r.meta.name ?? r.meta.variant ?? '',
    validateInput: v => (v.length > 100 ? 'At most 100 characters.' : undefined),
  });
  if (name === undefined) return;
  const file = path.join(r.dir, RUN_FILE);
  try {
    const meta = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    const trimmed = name.trim().slice(0, 100);
    if (trimmed) meta.name = trimmed;
    else delete meta.name;
    // Through a temporary file, as the run writer does: a reader never sees half of run.json.
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(meta, null, 2) + '\n');
    fs.renameSync(`${file}.tmp`, file);
    c.store.refresh();
  } catch (e) {
    void vscode.window.showErrorMessage(`Trainscope could not rename the run: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Deletes runs and their folders after one confirmation; runs still training are left alone. */
async function deleteRuns(c: CompareCommandContext, ids: string[]): Promise<void> {
  const runs = ids.map(id => c.store.list().find(s => s.meta.id === id)).filter((s): s is StoredRun => s !== undefined);
  const active = runs.filter(r => isActiveState(r.state));
  const doomed = runs.filter(r => !isActiveState(r.state));
  if (active.length > 0) void vscode.window.showWarningMessage(`${active.length === 1 ? 'A run is' : `${active.length} runs are`} still training: stop ${active.length === 1 ? 'it' : 'them'} before deleting.`);
  if (doomed.length === 0) return;
  const what =
    doomed.length === 1
      ? `the run '${doomed[0].meta.name ?? doomed[0].meta.experiment + (doomed[0].meta.variant ? ` · ${doomed[0].meta.variant}` : '')}' and its folder`
      : `${doomed.length} runs and their folders`;
  const answer = await vscode.window.showWarningMessage(`Delete ${what}?`, { modal: true }, 'Delete');
  if (answer !== 'Delete') return;
  for (const r of doomed) {
    c.closeRun(r.meta.id);
    c.comparisons.removeRun(r.meta.id);
    c.store.delete(r.meta.id);
  }
}
