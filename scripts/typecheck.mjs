// Type-checks every layer with its own tsconfig, so that each is checked against only what it can
// use: the engine without the DOM or vscode, the webview without Node, the host without the DOM.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PROJECTS = ['engine', 'webview', 'extension', 'cli', '.'];
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');

function check(project) {
  return new Promise(resolve => {
    const child = spawn(process.execPath, [tsc, '--noEmit', '--pretty', '-p', project], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', d => (out += d));
    child.stderr.on('data', d => (out += d));
    child.on('close', code => resolve({ project, code, out }));
  });
}

// Two at a time: as many as this kind of machine has cores.
const results = [];
for (let i = 0; i < PROJECTS.length; i += 2) results.push(...(await Promise.all(PROJECTS.slice(i, i + 2).map(check))));
let failed = false;
for (const { project, code, out } of results) {
  if (code !== 0) {
    failed = true;
    process.stdout.write(`tsc -p ${project}:\n${out}\n`);
  }
}
console.log(failed ? 'typecheck: errors' : `typecheck: ${PROJECTS.length} projects clean`);
process.exit(failed ? 1 : 0);
