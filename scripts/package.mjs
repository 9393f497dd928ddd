// `npm run package`: a clean production build (package.json's `vscode:prepublish`, which vsce
// runs), then `vsce package` → trainscope-<version>.vsix in the repository root. Prints what ships (the .vsix's own file list, read back from the zip) and
// fails if anything ships that must not (sources, tests, source maps, node_modules, ...).
// Everything the extension runs is bundled into dist/, hence --no-dependencies.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runVisible } from '../test/e2e/processes.mjs';
import { isMain } from '../test/e2e/isMain.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Paths that must never be inside the .vsix (relative to its extension/ folder). */
const FORBIDDEN = [
  /\.map$/,
  /\.ts$/,
  /^node_modules\//,
  /^(engine|extension|webview|contract|cli|test|bench|scripts|out|\.vscode-test|test-results|\.ci)\//,
  // Of the examples, only the walkthrough's recipe and its data ship ("Open the Babysitting Recipe" copies them).
  /^examples\/(?!babysitting\.experiment\.json$|data\/fashion-mnist-slice\/)/,
];
/** Files an installed extension cannot work without. */
const REQUIRED = ['package.json', 'dist/extension.js', 'examples/babysitting.experiment.json', 'examples/data/fashion-mnist-slice/train-images-idx3-ubyte.gz'];

/**
 * Builds and packages the extension. Resolves to { vsixPath, bytes, files } where `files` are the
 * zip entries ({ name, bytes }). Throws when the build or vsce fails, or the content is wrong.
 */
export async function packageExtension() {
  const { version, name, scripts = {} } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const vsixPath = path.join(root, `${name}-${version}.vsix`);

  // A clean dist/: stale bundles of an earlier build must not ship.
  fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  // vsce itself runs the `vscode:prepublish` script (the production build) before packaging;
  // build here only when that script is missing, so the build runs exactly once.
  if (!scripts['vscode:prepublish']) {
    await mustSucceed('production build', process.execPath, [path.join(root, 'scripts/build.mjs'), '--production']);
  }

  // --no-rewrite-relative-links: vsce would turn the README's relative links and images into URLs
  // of the public repository (and refuses without one); the .vsix is used offline, where VS Code
  // shows the README from the installed extension, so relative paths (shipped docs/*.png) work.
  const vsceArgs = ['package', '--no-dependencies', '--no-rewrite-relative-links', '--out', vsixPath];
  if (!fs.existsSync(path.join(root, 'LICENSE'))) {
    // vsce would stop and ask on stdin, which CI does not have.
    console.warn('[package] WARNING: no LICENSE file; packaging with --skip-license');
    vsceArgs.push('--skip-license');
  }
  fs.rmSync(vsixPath, { force: true });
  await mustSucceed('vsce package', path.join(root, 'node_modules/.bin/vsce'), vsceArgs);

  const files = listZip(fs.readFileSync(vsixPath));
  const bytes = fs.statSync(vsixPath).size;
  checkContents(files);
  return { vsixPath, bytes, files };
}

async function mustSucceed(what, cmd, args) {
  console.log(`[package] ${what}: ${path.basename(cmd)} ${args.join(' ')}`);
  const code = await runVisible(cmd, args, { cwd: root });
  if (code !== 0) { throw new Error(`${what} failed (exit code ${code})`); }
}

function checkContents(files) {
  const shipped = files.map(f => f.name).filter(n => n.startsWith('extension/')).map(n => n.slice('extension/'.length));
  const bad = shipped.filter(n => FORBIDDEN.some(re => re.test(n)));
  const missing = REQUIRED.filter(r => !shipped.includes(r));
  if (bad.length > 0) { throw new Error(`the .vsix contains files it must not (fix .vscodeignore):\n  ${bad.join('\n  ')}`); }
  if (missing.length > 0) { throw new Error(`the .vsix lacks ${missing.join(', ')}`); }
}

/**
 * The entries of a zip file, from its central directory: [{ name, bytes }] (bytes uncompressed).
 * A .vsix is a zip; reading it back shows exactly what shipped, with no unzip on the machine.
 */
export function listZip(buffer) {
  const EOCD = 0x06054b50;
  const CENTRAL = 0x02014b50;
  let eocd = -1;
  for (let i = buffer.length - 22; i >= Math.max(0, buffer.length - 22 - 0xffff); i--) {
    if (buffer.readUInt32LE(i) === EOCD) { eocd = i; break; }
  }
  if (eocd < 0) { throw new Error('not a zip file (no end-of-central-directory record)'); }
  const count = buffer.readUInt16LE(eocd + 10);
  let at = buffer.readUInt32LE(eocd + 16);
  const entries = [];
  for (let n = 0; n < count; n++) {
    if (buffer.readUInt32LE(at) !== CENTRAL) { throw new Error(`corrupt zip central directory at byte ${at}`); }
    const bytes = buffer.readUInt32LE(at + 24);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extraLength = buffer.readUInt16LE(at + 30);
    const commentLength = buffer.readUInt16LE(at + 32);
    entries.push({ name: buffer.toString('utf8', at + 46, at + 46 + nameLength), bytes });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function formatBytes(n) {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(2)} MB` : `${(n / 1024).toFixed(1)} KB`;
}

if (isMain(import.meta.url)) {
  try {
    const { vsixPath, bytes, files } = await packageExtension();
    // vsce has printed the file tree above; this confirms it from the written zip.
    const shipped = files.filter(f => f.name.startsWith('extension/'));
    console.log(`[package] checked the .vsix: ${shipped.length} files (${shipped.map(f => f.name.slice('extension/'.length)).join(', ')}); no sources, tests or source maps`);
    console.log(`[package] ${vsixPath} (${formatBytes(bytes)})`);
  } catch (e) {
    console.error(`[package] FAILED: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
