#!/usr/bin/env node
// The `trainscope` command: a thin launcher for the bundled CLI (dist/cli.js, built from cli/main.ts).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const bundle = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(bundle)) {
  process.stderr.write(
    `trainscope: ${bundle} is missing — build it first with \`npm run build\` in ${path.join(__dirname, '..')}\n`,
  );
  process.exit(2);
}
require(bundle).runFromProcess();
