// Lint: TypeScript's recommended rules, and the architecture — which layer may import which, no
// import cycles, and no `vscode`, Node or DOM code where it cannot run. Part of `npm test`.
import boundaries from 'eslint-plugin-boundaries';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import tseslint from 'typescript-eslint';

/**
 * The layers, lowest first: each may import only itself and the layers it lists, so no two folders
 * import each other. The engine's parts are layered among themselves too.
 */
const LAYERS = [
  { type: 'core', pattern: 'engine/core', may: [] },
  { type: 'data', pattern: 'engine/data', may: ['core'] },
  { type: 'init', pattern: 'engine/init', may: ['core'] },
  { type: 'schedule', pattern: 'engine/schedule', may: ['core'] },
  { type: 'losses', pattern: 'engine/losses', may: ['core', 'data'] },
  { type: 'nn', pattern: 'engine/nn', may: ['core', 'data', 'init'] },
  { type: 'optim', pattern: 'engine/optim', may: ['core', 'nn'] },
  { type: 'probes', pattern: 'engine/probes', may: ['core', 'nn'] },
  { type: 'diagnostics', pattern: 'engine/diagnostics', may: ['core', 'probes'] },
  { type: 'checkpoint', pattern: 'engine/checkpoint', may: ['core', 'nn', 'optim'] },
  { type: 'loop', pattern: 'engine/loop', may: ['core', 'data', 'nn', 'checkpoint'] },
  { type: 'experiment', pattern: 'engine/experiment', may: ['core', 'parts'] },
  { type: 'prepare', pattern: 'engine/prepare', may: ['core', 'parts', 'experiment'] },
  { type: 'train', pattern: ['engine/train', 'engine/runs', 'engine/series'], may: ['core', 'parts', 'experiment'] },
  { type: 'worker', pattern: 'engine/worker', may: ['core', 'parts', 'experiment', 'train'] },
  { type: 'cli', pattern: 'cli', may: ['core', 'parts', 'experiment', 'prepare', 'train'] },
  // The one vocabulary the extension and the webview share (it names the engine's records).
  { type: 'contract', pattern: 'contract', may: ['parts', 'train'] },
  { type: 'extension', pattern: 'extension', may: ['core', 'parts', 'experiment', 'prepare', 'train', 'worker', 'contract'] },
  { type: 'webview', pattern: 'webview', may: ['contract'] },
];
const PARTS = ['data', 'init', 'schedule', 'losses', 'nn', 'optim', 'probes', 'diagnostics', 'checkpoint', 'loop'];
const allowed = may => may.flatMap(m => (m === 'parts' ? PARTS : [m]));

const NODE = ['node:*', 'fs', 'path', 'os', 'worker_threads', 'child_process', 'zlib', 'crypto'];
const restricted = (paths, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: paths, message }] }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test-results/**', 'media/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { boundaries, 'import-x': importX },
    settings: {
      'boundaries/elements': LAYERS.map(({ type, pattern }) => ({ type, pattern, partialMatch: false })),
      // Both plugins resolve `../engine/...` to files the way TypeScript does.
      'import/resolver': { typescript: { alwaysTryTypes: true } },
      'import-x/resolver-next': [createTypeScriptImportResolver()],
      // no-cycle reads the imported files too: with the TypeScript parser.
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/extensions': ['.ts'],
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'allow',
          policies: LAYERS.map(({ type, may }) => ({
            from: { element: { type } },
            disallow: { to: { element: { types: { noneOf: [type, ...allowed(may)] } } } },
          })),
        },
      ],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  // The engine runs in a worker thread and on the command line: no editor, no browser.
  { files: ['engine/**/*.ts'], rules: restricted(['vscode'], 'the engine runs outside VS Code (a worker, the command line)') },
  // Only the run preparation, the run files and the worker touch the file system or threads.
  {
    files: ['engine/core/**/*.ts', 'engine/data/**/*.ts', 'engine/nn/**/*.ts', 'engine/init/**/*.ts', 'engine/losses/**/*.ts', 'engine/optim/**/*.ts', 'engine/schedule/**/*.ts', 'engine/probes/**/*.ts', 'engine/diagnostics/**/*.ts', 'engine/checkpoint/**/*.ts', 'engine/loop/**/*.ts', 'engine/experiment/**/*.ts', 'engine/train/**/*.ts', 'engine/series/**/*.ts'],
    rules: restricted(['vscode', ...NODE], 'this part of the engine is pure computation: files are read by engine/prepare, written by engine/runs'),
  },
  // The kernels' helper thread computes on the run's shared memory (no I/O), sized to the cores there are.
  {
    files: ['engine/core/wasm/helperThread.ts', 'engine/core/selectKernels.ts'],
    rules: restricted(['vscode', ...NODE, '!node:worker_threads', '!node:os'], 'the kernels may start their helper thread and count cores, nothing else of Node'),
  },
  { files: ['webview/**/*.ts', 'contract/**/*.ts'], rules: restricted(['vscode', ...NODE], 'the webview runs in a browser sandbox') },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
