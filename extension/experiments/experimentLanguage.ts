/**
 * The editor side of the experiment language: completion, hovers, outline, folding, smart selection
 * and formatting, from the generated JSON Schema through VS Code's own JSON language service (the
 * library behind the built-in JSON support). Experiment files have their own language id so that the
 * built-in JSON support does not also validate them: Trainscope's validator (ValidationDiagnostics)
 * is the one that reports problems, once each, at the exact key.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import * as json from 'vscode-json-languageservice';
import { EXPERIMENT_SELECTOR } from './experimentDocuments';

const SCHEMA_URI = 'trainscope://schemas/experiment.schema.json';

export function registerExperimentLanguage(schemaPath: string): vscode.Disposable[] {
  // The schema (a few hundred kB) is read when first needed — a completion or a hover — not at activation.
  const service = json.getLanguageService({
    clientCapabilities: json.ClientCapabilities.LATEST,
    schemaRequestService: async uri => (uri === SCHEMA_URI ? fs.promises.readFile(schemaPath, 'utf8') : Promise.reject(new Error(`no schema ${uri}`))),
  });
  // validate: false — the schema drives completion and hovers only; problems come from Trainscope.
  service.configure({ validate: false, allowComments: true, schemas: [{ uri: SCHEMA_URI, fileMatch: ['*'] }] });
  const documents = new JsonDocuments(service);
  const format = (doc: vscode.TextDocument, range: vscode.Range | undefined, options: vscode.FormattingOptions): vscode.TextEdit[] =>
    service
      .format(documents.get(doc).text, range && toLspRange(range), { tabSize: options.tabSize, insertSpaces: options.insertSpaces, keepLines: true })
      .map(e => vscode.TextEdit.replace(toRange(e.range), e.newText));

  return [
    vscode.languages.registerCompletionItemProvider(
      EXPERIMENT_SELECTOR,
      {
        async provideCompletionItems(doc, position) {
          const { text, parsed } = documents.get(doc);
          const list = await service.doComplete(text, toPosition(position), parsed);
          return list ? new vscode.CompletionList(list.items.map(toCompletionItem), list.isIncomplete) : undefined;
        },
      },
      '"',
      ':',
    ),
    vscode.languages.registerHoverProvider(EXPERIMENT_SELECTOR, {
      async provideHover(doc, position) {
        const { text, parsed } = documents.get(doc);
        const hover = await service.doHover(text, toPosition(position), parsed);
        return hover ? new vscode.Hover(toMarkdown(hover.contents), hover.range && toRange(hover.range)) : undefined;
      },
    }),
    vscode.languages.registerDocumentSymbolProvider(
      EXPERIMENT_SELECTOR,
      {
        provideDocumentSymbols(doc) {
          const { text, parsed } = documents.get(doc);
          return service.findDocumentSymbols2(text, parsed, { resultLimit: 5000 }).map(toDocumentSymbol);
        },
      },
      { label: 'Experiment' },
    ),
    vscode.languages.registerFoldingRangeProvider(EXPERIMENT_SELECTOR, {
      provideFoldingRanges(doc) {
        return service.getFoldingRanges(documents.get(doc).text).map(
          r => new vscode.FoldingRange(r.startLine, r.endLine, r.kind === 'comment' ? vscode.FoldingRangeKind.Comment : undefined),
        );
      },
    }),
    vscode.languages.registerSelectionRangeProvider(EXPERIMENT_SELECTOR, {
      provideSelectionRanges(doc, positions) {
        const { text, parsed } = documents.get(doc);
        return service.getSelectionRanges(text, positions.map(toPosition), parsed).map(toSelectionRange);
      },
    }),
    vscode.languages.registerDocumentFormattingEditProvider(EXPERIMENT_SELECTOR, {
      provideDocumentFormattingEdits(doc, options) {
        return format(doc, undefined, options);
      },
    }),
    vscode.languages.registerDocumentRangeFormattingEditProvider(EXPERIMENT_SELECTOR, {
      provideDocumentRangeFormattingEdits(doc, range, options) {
        return format(doc, range, options);
      },
    }),
    documents,
  ];
}

/** The language service's view of each open experiment document, parsed once per version. */
class JsonDocuments implements vscode.Disposable {
  private readonly cache = new Map<string, { version: number; text: json.TextDocument; parsed: json.JSONDocument }>();
  private readonly closing: vscode.Disposable;

  constructor(private readonly service: json.LanguageService) {
    this.closing = vscode.workspace.onDidCloseTextDocument(doc => this.cache.delete(doc.uri.toString()));
  }

  get(doc: vscode.TextDocument): { text: json.TextDocument; parsed: json.JSONDocument } {
    const key = doc.uri.toString();
    const hit = this.cache.get(key);
    if (hit?.version === doc.version) {
      return hit;
    }
    const text = json.TextDocument.create(key, 'jsonc', doc.version, doc.getText());
    const entry = { version: doc.version, text, parsed: this.service.parseJSONDocument(text) };
    this.cache.set(key, entry);
    return entry;
  }

  dispose(): void {
    this.closing.dispose();
    this.cache.clear();
  }
}

const toPosition = (p: vscode.Position): json.Position => ({ line: p.line, character: p.character });
const toRange = (r: json.Range): vscode.Range => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
const toLspRange = (r: vscode.Range): json.Range => ({ start: toPosition(r.start), end: toPosition(r.end) });

function toMarkdown(contents: json.MarkupContent | json.MarkedString | json.MarkedString[]): vscode.MarkdownString[] {
  const parts = Array.isArray(contents) ? contents : [contents];
  return parts.map(part =>
    typeof part === 'string' ? new vscode.MarkdownString(part) : 'kind' in part ? new vscode.MarkdownString(part.value) : new vscode.MarkdownString().appendCodeblock(part.value, part.language),
  );
}

function toCompletionItem(item: json.CompletionItem): vscode.CompletionItem {
  const out = new vscode.CompletionItem(item.label);
  // LSP kinds count from 1, VS Code's from 0.
  if (item.kind !== undefined) out.kind = (item.kind - 1) as vscode.CompletionItemKind;
  out.detail = item.detail;
  if (item.documentation !== undefined) {
    out.documentation = typeof item.documentation === 'string' ? item.documentation : new vscode.MarkdownString(item.documentation.value);
  }
  out.filterText = item.filterText;
  out.sortText = item.sortText;
  const snippet = item.insertTextFormat === json.InsertTextFormat.Snippet;
  const edit = item.textEdit;
  const newText = edit ? edit.newText : (item.insertText ?? item.label);
  out.insertText = snippet ? new vscode.SnippetString(newText) : newText;
  if (edit) {
    out.range = 'range' in edit ? toRange(edit.range) : { inserting: toRange(edit.insert), replacing: toRange(edit.replace) };
  }
  if (item.command) out.command = { title: item.command.title, command: item.command.command, arguments: item.command.arguments };
  if (item.tags?.includes(json.CompletionItemTag.Deprecated)) out.tags = [vscode.CompletionItemTag.Deprecated];
  return out;
}

function toDocumentSymbol(s: json.DocumentSymbol): vscode.DocumentSymbol {
  const out = new vscode.DocumentSymbol(s.name, s.detail ?? '', (s.kind - 1) as vscode.SymbolKind, toRange(s.range), toRange(s.selectionRange));
  out.children = (s.children ?? []).map(toDocumentSymbol);
  return out;
}

function toSelectionRange(r: json.SelectionRange): vscode.SelectionRange {
  return new vscode.SelectionRange(toRange(r.range), r.parent && toSelectionRange(r.parent));
}
