/**
 * The `trainscope` command line (bundled to dist/cli.js; bin/trainscope.js calls
 * `runFromProcess`). `main` takes its arguments and I/O as parameters, so tests run it in-process.
 */
import { version } from '../package.json';
import { parseArgs, USAGE } from './args';
import { validateCommand, variantsCommand } from './check';
import { EXIT, type CliIO } from './io';
import { DEBIAN_FASHION_MNIST } from '../engine/prepare/debianFashionMnist';
import { runCommand } from './run';

export type { CliIO } from './io';
export { EXIT } from './io';

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv);
  switch (args.kind) {
    case 'help':
      io.stdout(USAGE);
      return EXIT.ok;
    case 'version':
      io.stdout(`trainscope ${version}\n`);
      return EXIT.ok;
    case 'usage-error':
      io.stderr(`trainscope: ${args.message}\n\n${USAGE}`);
      return EXIT.usage;
    case 'command':
      switch (args.command) {
        case 'run':
          return runCommand(io, args);
        case 'validate':
          return validateCommand(io, args.file, args.json);
        case 'variants':
          return variantsCommand(io, args.file, args.json);
      }
  }
}

/**
 * Runs with the real process: arguments, streams, and Ctrl+C — the first stops training cleanly
 * (the run is kept as 'stopped'); a second one quits at once.
 */
export function runFromProcess(): void {
  const handlers = new Set<() => void>();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts > 1 || handlers.size === 0) process.exit(EXIT.interrupted);
    process.stderr.write('\nstopping after the current step (Ctrl+C again to quit now)…\n');
    for (const h of handlers) h();
  };
  process.on('SIGINT', onSigint);
  const io: CliIO = {
    stdout: text => void process.stdout.write(text),
    stderr: text => void process.stderr.write(text),
    cwd: process.cwd(),
    isTTY: process.stderr.isTTY === true,
    fashionMnist: DEBIAN_FASHION_MNIST,
    onInterrupt(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
  };
  main(process.argv.slice(2), io).then(
    code => {
      process.off('SIGINT', onSigint);
      process.exitCode = code;
    },
    (e: unknown) => {
      process.off('SIGINT', onSigint);
      process.stderr.write(`trainscope: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 70;
    },
  );
}
