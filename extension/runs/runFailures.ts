import * as path from 'node:path';
import * as vscode from 'vscode';
import type { JsonPath } from '../../engine/core/errors';
import type { WorkerFailure } from '../../engine/worker/protocol';
import { copyFashionMnist, fashionMnistTargetFor } from '../data/fashionMnist';
import type { TrainTarget } from './trainTarget';

/** The diagnostic code of a missing data file that Debian's dataset-fashion-mnist can supply. */
const COPY_FASHION_MNIST = 'missing-fashion-mnist';
const COPY_TITLE = 'Copy Fashion-MNIST here from /usr/share/datasets/fashion-mnist';

/** A problem at an experiment key (a SpecError's JSON path). */
export interface KeyProblem {
  message: string;
  path: JsonPath;
}

/**
 * Shows why a run could not start (or broke) at the place it came from: an experiment key (a
 * SpecError's JSON path, located through the parsed document, variant-aware) or a cell of a data
 * file. A run whose files fail to prepare shows every problem, each at its key, under one
 * notification. These diagnostics clear when the experiment changes or it is trained again. A
 * missing Fashion-MNIST file that the machine has (Debian's package) comes with a quick fix copying
 * it in.
 */
export class RunFailures implements vscode.Disposable, vscode.CodeActionProvider {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];
  private readonly collection = vscode.languages.createDiagnosticCollection('trainscope-run');
  /** Data-file diagnostics are cleared together with the experiment that read the file. */
  private readonly dataFilesOf = new Map<string, vscode.Uri[]>();
  /** Where each missing-Fashion-MNIST diagnostic's quick fix copies to, by document and range. */
  private readonly copyTargets = new Map<string, vscode.Uri>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly output: vscode.LogOutputChannel) {
    this.subscription = vscode.workspace.onDidChangeTextDocument(e => {
      if (e.contentChanges.length > 0) {
        this.clear(e.document.uri);
      }
    });
  }

  clear(experiment: vscode.Uri): void {
    this.collection.delete(experiment);
    for (const key of this.copyTargets.keys()) if (key.startsWith(`${experiment.toString()}#`)) this.copyTargets.delete(key);
    for (const f of this.dataFilesOf.get(experiment.toString()) ?? []) {
      this.collection.delete(f);
    }
    this.dataFilesOf.delete(experiment.toString());
  }

  report(target: TrainTarget, failure: WorkerFailure): void {
    const { document, parsed, variant } = target;
    const where = variant ? `${parsed.name} (variant ${variant})` : parsed.name;
    switch (failure.kind) {
      case 'spec':
        this.reportAtKeys(target, [failure]);
        break;
      case 'data-file': {
        const file = vscode.Uri.file(path.resolve(path.dirname(document.uri.fsPath), failure.file));
        const pos = new vscode.Position(Math.max(failure.line - 1, 0), Math.max(failure.column - 1, 0));
        const range = new vscode.Range(pos, pos.translate(0, 1));
        this.set(file, range, failure.message);
        const list = this.dataFilesOf.get(document.uri.toString()) ?? [];
        list.push(file);
        this.dataFilesOf.set(document.uri.toString(), list);
        this.notify(`${where} cannot train: ${failure.file}:${failure.line}:${failure.column}: ${failure.message}`, file, range);
        break;
      }
      case 'internal':
        void vscode.window
          .showErrorMessage(`${where}: Trainscope hit an internal error: ${failure.message}`, 'Show Output')
          .then(choice => choice && this.output.show());
        break;
    }
  }

  /**
   * Problems at experiment keys (a failed run preparation names every file to fix): a diagnostic
   * at each key, each missing Fashion-MNIST file with its own quick fix, and one notification that
   * says the first problem and how many more there are.
   */
  reportAtKeys(target: TrainTarget, problems: readonly KeyProblem[]): void {
    if (problems.length === 0) return;
    const { document, parsed, variant } = target;
    const placed = problems.map(problem => {
      const at = parsed.locate(problem.path, variant);
      const range = new vscode.Range(document.positionAt(at.offset), document.positionAt(at.offset + Math.max(at.length, 1)));
      // The key's own value (a data file's path), read from the resolved settings.
      const value = valueAt(parsed.resolve(variant)?.spec, problem.path);
      const copyInto = typeof value === 'string' ? fashionMnistTargetFor(value, document.uri) : undefined;
      this.set(document.uri, range, problem.message, copyInto && COPY_FASHION_MNIST);
      if (copyInto) this.copyTargets.set(rangeKey(document.uri, range), copyInto);
      return { range, copyInto };
    });
    const where = variant ? `${parsed.name} (variant ${variant})` : parsed.name;
    const more = problems.length - 1;
    const message = `${where} cannot train: ${problems[0].message}${more > 0 ? ` (and ${more} more problem${more > 1 ? 's' : ''})` : ''}`;
    // Each folder to copy into once: a missing images file and its labels file share one.
    const copyInto = [...new Map(placed.flatMap(p => (p.copyInto ? [[p.copyInto.toString(), p.copyInto] as const] : []))).values()];
    const choices = copyInto.length > 0 ? ['Copy Fashion-MNIST Here', 'Go to Problem'] : ['Go to Problem'];
    void vscode.window.showErrorMessage(message, ...choices).then(async choice => {
      if (choice === 'Copy Fashion-MNIST Here') for (const into of copyInto) await copyFashionMnist(undefined, into);
      else if (choice) void vscode.window.showTextDocument(document.uri, { selection: placed[0].range });
    });
  }

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    return context.diagnostics.flatMap(d => {
      const into = d.code === COPY_FASHION_MNIST ? this.copyTargets.get(rangeKey(document.uri, d.range)) : undefined;
      if (!into) return [];
      const action = new vscode.CodeAction(COPY_TITLE, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [d];
      action.isPreferred = true;
      action.command = { command: 'trainscope.getFashionMnist', title: COPY_TITLE, arguments: [undefined, into.toString()] };
      return [action];
    });
  }

  private set(uri: vscode.Uri, range: vscode.Range, message: string, code?: string): void {
    const d = new vscode.Diagnostic(range, message, vscode.DiagnosticSeverity.Error);
    d.source = 'Trainscope';
    if (code) d.code = code;
    this.collection.set(uri, [...(this.collection.get(uri) ?? []), d]);
  }

  private notify(message: string, uri: vscode.Uri, range: vscode.Range): void {
    void vscode.window.showErrorMessage(message, 'Go to Problem').then(choice => {
      if (choice) {
        void vscode.window.showTextDocument(uri, { selection: range });
      }
    });
  }

  dispose(): void {
    this.collection.dispose();
    this.subscription.dispose();
  }
}

function rangeKey(uri: vscode.Uri, range: vscode.Range): string {
  return `${uri.toString()}#${range.start.line}:${range.start.character}`;
}

/** The value at `path` in a resolved spec, or undefined where there is none. */
function valueAt(spec: unknown, path: readonly (string | number)[]): unknown {
  let at = spec;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string | number, unknown>)[key];
  }
  return at;
}
