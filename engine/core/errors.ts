/** A path into an experiment's JSON, e.g. ["optimizer", "lr"] or ["model", 2, "out_features"]. */
export type JsonPath = (string | number)[];

/**
 * A problem with an experiment that is only found while building or running it (e.g. the last
 * layer's width does not match the number of classes in a CSV file). It carries the JSON path of the
 * key to blame, so the editor and the command line can point at the exact place in the file.
 */
export class SpecError extends Error {
  constructor(
    message: string,
    readonly path: JsonPath,
  ) {
    super(message);
    this.name = 'SpecError';
  }
}

/** A problem inside a data file, located at 1-based line and column of that file. */
export class DataFileError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'DataFileError';
  }
}
