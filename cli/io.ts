/** What the command line talks to; tests pass fakes, so `main` runs in-process without spawning. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Directory that relative paths start from (and where `.trainscope/runs` goes by default). */
  cwd: string;
  /** stderr is a terminal: keep one live progress line instead of printing a line per update. */
  isTTY?: boolean;
  /** Where Debian's dataset-fashion-mnist is installed, to say how to copy its files when they are missing (none: not said). */
  fashionMnist?: string;
  /** Registers what to do on Ctrl+C (SIGINT); returns a function that unregisters it. */
  onInterrupt?(handler: () => void): () => void;
}

/** Exit codes of `trainscope`. */
export const EXIT = {
  ok: 0,
  /** The experiment, its data or a path is wrong. */
  badInput: 1,
  /** The command line itself is wrong. */
  usage: 2,
  /**
   * Training ran and failed: a run-stopping diagnostic (the loss or the weights became NaN or
   * infinite, or the loss exploded) or an error inside the engine.
   */
  trainingFailed: 3,
  /** Stopped with Ctrl+C (128 + SIGINT, as shells report it). */
  interrupted: 130,
} as const;
