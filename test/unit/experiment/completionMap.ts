/**
 * The completion labels VS Code's JSON language service offers from a JSON Schema at every object
 * (its keys) and every value of a set of documents — what a user sees when typing an experiment.
 */
import { parseTree, type Node } from 'jsonc-parser';
import { getLanguageService, TextDocument } from 'vscode-json-languageservice';

type JsonPath = (string | number)[];

export async function completionMap(schema: object, docs: Record<string, string>): Promise<Record<string, string[]>> {
  const service = getLanguageService({ schemaRequestService: async () => JSON.stringify(schema) });
  service.configure({ allowComments: true, validate: false, schemas: [{ uri: 'inmemory://schema.json', fileMatch: ['*.experiment.json'], schema }] });
  const out: Record<string, string[]> = {};
  for (const [name, text] of Object.entries(docs)) {
    for (const spot of spots(text)) {
      const doc = TextDocument.create('file:///x/a.experiment.json', 'jsonc', 1, spot.text);
      const list = await service.doComplete(doc, doc.positionAt(spot.at), service.parseJSONDocument(doc));
      out[`${name} ${spot.kind} ${JSON.stringify(spot.path)}`] = [...new Set((list?.items ?? []).map(i => i.label))].sort();
    }
  }
  return out;
}

/** Where to ask: inside every object (its keys) and at every property's value, with the value removed. */
function spots(text: string): { kind: 'keys' | 'value'; path: JsonPath; text: string; at: number }[] {
  const out: { kind: 'keys' | 'value'; path: JsonPath; text: string; at: number }[] = [];
  const walk = (node: Node, path: JsonPath): void => {
    if (node.type === 'object') {
      out.push({ kind: 'keys', path, text: `${text.slice(0, node.offset + 1)}\n${text.slice(node.offset + 1)}`, at: node.offset + 1 });
      for (const prop of node.children ?? []) {
        const [key, value] = prop.children ?? [];
        if (!key || !value) continue;
        out.push({ kind: 'value', path: [...path, key.value], text: `${text.slice(0, value.offset)} ${text.slice(value.offset + value.length)}`, at: value.offset });
        walk(value, [...path, key.value]);
      }
    } else if (node.type === 'array') {
      (node.children ?? []).forEach((child, i) => walk(child, [...path, i]));
    }
  };
  const tree = parseTree(text, [], { allowTrailingComma: true });
  if (tree) walk(tree, []);
  return out;
}
