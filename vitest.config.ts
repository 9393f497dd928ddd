import { defineConfig } from 'vitest/config';

// Unit tests only: the integration suites (test/integration) run inside a real VS Code.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
  },
});
