/**
 * Trainscope's extension host side: wires the experiment documents, the run manager (worker
 * threads, run folders) and the views together. Heavy work never happens here: parsing is per
 * document version, training is in workers, drawing is in webviews.
 */
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { registerCompareCommands, compareRuns, exportMetrics, type CompareCommandContext } from './compare/compareCommands';
import { Comparisons } from './compare/comparisons';
import { RunRowsBuilder } from './compare/runRowsBuilder';
import { RunSpecs } from './compare/runSpecs';
import { RunsTablePanel } from './compare/runsTablePanel';
import { copyFashionMnist } from './data/fashionMnist';
import { openRecipe } from './data/recipe';
import { EXPERIMENT_SELECTOR, ExperimentDocuments } from './experiments/experimentDocuments';
import { registerExperimentLanguage } from './experiments/experimentLanguage';
import { TrainCodeLens } from './experiments/trainCodeLens';
import { RunFindings } from './findings/runFindings';
import { ValidationDiagnostics } from './experiments/validationDiagnostics';
import { RunFailures } from './runs/runFailures';
import { RunManager } from './runs/runManager';
import { RunStore } from './runs/runStore';
import { RunsTree } from './runs/runsTree';
import { RunProgress } from './ui/runProgress';
import { ACTIVE_RUN_VIEW_ID, ActiveRunView } from './webview/activeRunView';
import { RunPanels } from './webview/runPanels';
import { saveExportedImage } from './webview/exportImage';
import type { RunWebviewActions } from './webview/runWebview';

/** Returned from activate() for the integration tests and for other extensions. */
export interface TrainscopeApi {
  readonly runs: RunManager;
  readonly store: RunStore;
  readonly experiments: ExperimentDocuments;
  readonly panels: RunPanels;
  readonly activeView: ActiveRunView;
}

export function activate(context: vscode.ExtensionContext): TrainscopeApi {
  const output = vscode.window.createOutputChannel('Trainscope', { log: true });
  const experiments = new ExperimentDocuments();
  const failures = new RunFailures(output);
  const runs = new RunManager(context.extensionUri, output, failures);
  const store = new RunStore(runs, output);

  const actions: RunWebviewActions = {
    stop: runId => runs.stop(runId),
    trainAgain: runId => {
      const run = store.open(runId);
      if (run?.identity.experimentUri) {
        void vscode.commands.executeCommand('trainscope.train', run.identity.experimentUri, run.identity.variant ?? null);
      }
    },
    openExperiment: runId => {
      const uri = store.open(runId)?.identity.experimentUri;
      if (uri) {
        void vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.One });
      }
    },
    exportImage: m => {
      const experiment = store.open(m.runId)?.identity.experimentUri;
      const folder = (experiment && vscode.workspace.getWorkspaceFolder(experiment)?.uri) ?? vscode.workspace.workspaceFolders?.[0]?.uri;
      void saveExportedImage(m, folder);
    },
  };
  const panels = new RunPanels(context.extensionUri, store, actions);
  const activeView = new ActiveRunView(context.extensionUri, actions, () => {
    const newest = store.list()[0];
    return newest && store.open(newest.meta.id);
  });
  const specs = new RunSpecs();
  const compareContext: CompareCommandContext = {
    store,
    comparisons: new Comparisons(
      {
        extensionUri: context.extensionUri,
        specOf: run => specs.spec(run.id, run.identity.dir),
        nameOf: run => store.list().find(s => s.meta.id === run.id)?.meta.name,
        openRun: runId => void vscode.commands.executeCommand('trainscope.openRun', runId),
        exportRuns: (runIds, format) => void exportMetrics(compareContext, runIds, format),
        exportImage: m => actions.exportImage(m),
      },
      store,
    ),
    table: () => table,
    closeRun: runId => {
      panels.close(runId);
      if (activeView.activeRun?.id === runId) {
        activeView.setActiveRun(undefined);
      }
      specs.forget(runId);
      rows.forget(runId);
    },
    output,
  };
  const rows = new RunRowsBuilder(runs, (id, dir) => specs.spec(id, dir));
  const table = new RunsTablePanel(context.extensionUri, store, rows, {
    open: runId => void vscode.commands.executeCommand('trainscope.openRun', runId),
    compare: runIds => void compareRuns(compareContext, runIds),
    delete: runIds => void vscode.commands.executeCommand('trainscope.deleteRuns', runIds),
    rename: runId => void vscode.commands.executeCommand('trainscope.renameRun', runId),
    export: (runIds, format) => void exportMetrics(compareContext, runIds, format),
  });
  const runsTree = new RunsTree(store);
  const lenses = new TrainCodeLens(experiments, runs, store);
  const findings = new RunFindings(experiments, runs);
  const validation = new ValidationDiagnostics(experiments);

  context.subscriptions.push(
    output,
    failures,
    // Disposed before the panels and views below, so live runs are recorded as stopped first.
    runs,
    store,
    validation,
    vscode.languages.registerCodeActionsProvider(EXPERIMENT_SELECTOR, validation, {
      providedCodeActionKinds: ValidationDiagnostics.providedCodeActionKinds,
    }),
    ...registerExperimentLanguage(context.asAbsolutePath('schemas/experiment.schema.json')),
    lenses,
    vscode.languages.registerCodeLensProvider(EXPERIMENT_SELECTOR, lenses),
    findings,
    vscode.languages.registerCodeActionsProvider(EXPERIMENT_SELECTOR, findings, {
      providedCodeActionKinds: RunFindings.providedCodeActionKinds,
    }),
    panels,
    activeView,
    vscode.window.registerWebviewViewProvider(ACTIVE_RUN_VIEW_ID, activeView),
    runsTree,
    vscode.window.createTreeView('trainscope.runs', { treeDataProvider: runsTree, canSelectMany: true }),
    compareContext.comparisons,
    table,
    new RunProgress(runs),
    ...registerCommands({ experiments, runs, store, panels, activeView, comparisons: compareContext.comparisons, output }),
    ...registerCompareCommands(compareContext),
    vscode.languages.registerCodeActionsProvider(EXPERIMENT_SELECTOR, failures, { providedCodeActionKinds: RunFailures.providedCodeActionKinds }),
    // Arguments (from the quick fix, or tests): the folder to copy from, the folder URI to copy into.
    vscode.commands.registerCommand('trainscope.getFashionMnist', (source?: unknown, into?: unknown) =>
      copyFashionMnist(typeof source === 'string' ? source : undefined, typeof into === 'string' ? vscode.Uri.parse(into) : undefined),
    ),
    vscode.commands.registerCommand('trainscope.openRecipe', () => openRecipe(context.extensionUri)),
  );
  void vscode.commands.executeCommand('setContext', 'trainscope.running', false);
  // Findings of the runs kept from before a reload go back into the Problems panel.
  findings.restore(store).catch(e => output.warn(`could not restore the findings of kept runs: ${e instanceof Error ? e.message : String(e)}`));
  return { runs, store, experiments, panels, activeView };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
