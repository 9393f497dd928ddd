import { defineConfig } from 'vitest/config';

// Unit tests, and the pure logic of the real-VS-Code harness (test/e2e/*.test.mjs). The
// integration suites (test/integration) need the `vscode` API: they run inside a real VS Code.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/e2e/**/*.test.mjs'],
    environment: 'node',
  },
});
