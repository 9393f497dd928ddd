// Writes the files generated from the experiment format's schemas: the JSON Schema the editor
// completes from (schemas/experiment.schema.json) and the format reference (docs/experiment-format.md,
// the prose of docs/experiment-format.template.md with the tables filled in).
// Called by the build; `node scripts/generate.mjs --check` fails when a committed copy is stale.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The generated files and their contents, from the engine's own schemas. */
export async function generatedFiles() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trainscope-generate-'));
  const outfile = path.join(dir, 'generate.mjs');
  try {
    await esbuild.build({
      stdin: {
        contents:
          "export { buildExperimentSchema } from './engine/experiment/jsonSchema';\nexport { buildReference } from './engine/experiment/reference';\n",
        resolveDir: root,
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      mainFields: ['module', 'main'],
      outfile,
      logLevel: 'warning',
    });
    const { buildExperimentSchema, buildReference } = await import(pathToFileURL(outfile).href);
    return {
      'schemas/experiment.schema.json': `${JSON.stringify(buildExperimentSchema(), null, 2)}\n`,
      'docs/experiment-format.md': buildReference(fs.readFileSync(path.join(root, 'docs/experiment-format.template.md'), 'utf8')),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const check = process.argv.includes('--check');
  const stale = [];
  for (const [file, contents] of Object.entries(await generatedFiles())) {
    const target = path.join(root, file);
    const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
    if (current === contents) continue;
    if (check) stale.push(file);
    else fs.writeFileSync(target, contents);
  }
  if (stale.length > 0) {
    console.error(`out of date: ${stale.join(', ')} — run \`npm run build\` and commit them`);
    process.exit(1);
  }
}
