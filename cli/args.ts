/** Parses `trainscope <command> [file] [options]`. */
export type Command = 'run' | 'validate' | 'variants';
export const COMMANDS: readonly Command[] = ['run', 'validate', 'variants'];

export type ParsedArgs =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'usage-error'; message: string }
  | { kind: 'command'; command: Command; file: string; variant?: string; out?: string; quiet: boolean; json: boolean };

/** Options each command accepts; value options take the next argument (or `--name=value`). */
const OPTIONS: Record<Command, { flags: string[]; values: string[] }> = {
  run: { flags: ['--quiet', '--json'], values: ['--variant', '--out'] },
  validate: { flags: ['--json'], values: [] },
  variants: { flags: ['--json'], values: [] },
};

export function parseArgs(argv: readonly string[]): ParsedArgs {
  if (argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') return { kind: 'help' };
  if (argv.includes('--version') || argv.includes('-v')) return { kind: 'version' };
  const [command, ...rest] = argv;
  if (command === undefined) return { kind: 'usage-error', message: 'no command given' };
  if (!(COMMANDS as readonly string[]).includes(command)) {
    return { kind: 'usage-error', message: `unknown command '${command}'; expected one of: ${COMMANDS.join(', ')}` };
  }
  const allowed = OPTIONS[command as Command];
  const values: Record<string, string> = {};
  const flags = new Set<string>();
  const files: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (!arg.startsWith('--') || arg === '--') {
      if (arg !== '--') files.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    if (allowed.values.includes(name)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : rest[++i];
      if (value === undefined || value === '') return { kind: 'usage-error', message: `${name} needs a value` };
      values[name] = value;
    } else if (allowed.flags.includes(name) && eq < 0) {
      flags.add(name);
    } else {
      return { kind: 'usage-error', message: `unknown option '${arg}' for '${command}'` };
    }
  }
  if (files.length !== 1) {
    return {
      kind: 'usage-error',
      message: files.length === 0 ? `'${command}' needs an experiment file` : `'${command}' takes one experiment file, got ${files.length}`,
    };
  }
  return {
    kind: 'command',
    command: command as Command,
    file: files[0],
    variant: values['--variant'],
    out: values['--out'],
    quiet: flags.has('--quiet'),
    json: flags.has('--json'),
  };
}

export const USAGE = `Usage: trainscope <command> <file.experiment.json> [options]

Commands:
  run <file>        Train the experiment (or one variant) and save the run
    --variant NAME    run this variant instead of the base experiment
    --out DIR         where run folders go (default: the workspace's .trainscope/runs)
    --quiet           no progress on stderr (the findings and the summary still print)
    --json            print the summary and the findings as JSON on stdout
  validate <file>   Check the file, and the files it names as run would (inside the workspace,
                    present, within the size limits; not read); print every problem as
                    file:line:column
    --json            print the problems as JSON
  variants <file>   List the file's variants
    --json            as a JSON array

Options:
  --help, -h        Show this help
  --version, -v     Show the version

Output: progress on stderr; the run's findings (file:line:column at the key they blame, with
notes at the other keys they concern) and the summary on stdout, in a stable order.

Exit codes: 0 done (findings of any severity but error), 1 bad experiment or data, 2 bad command line,
            3 training failed (a diagnostic stopped it: NaN/Inf loss or weights, an exploding loss;
            or an engine error), 130 interrupted (Ctrl+C).
`;
