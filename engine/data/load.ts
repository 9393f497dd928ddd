/**
 * Loads the data an experiment describes: generates a synthetic set or reads a CSV file, then
 * splits it (and standardizes CSV features). File access is the caller's: the extension reads
 * through VS Code, the command line through node:fs, the worker from the text it was sent; each has
 * already resolved the path and checked it stays inside the workspace.
 */
import type { CsvDataSpec, DataSpec, SyntheticDataSpec } from './spec';
import { SpecError } from '../experiment/specError';
import type { DataSplit } from './dataset';
import { splitDataset, standardize, validationCount } from './split';
import { generateSynthetic } from './synthetic';
import { readTable } from './table';

/** Reads a data file's text, given the path exactly as the spec writes it. */
export type ReadText = (path: string) => string;

export function loadData(spec: DataSpec, readText: ReadText): DataSplit {
  return spec.type === 'csv' ? loadCsv(spec, readText) : loadSynthetic(spec);
}

function loadSynthetic(spec: SyntheticDataSpec): DataSplit {
  const data = generateSynthetic(spec);
  const { train, validation } = splitDataset(data, spec.validation_split, spec.seed);
  return { train, validation, description: describeSynthetic(spec, data.outputs) };
}

export function describeSynthetic(spec: SyntheticDataSpec, classes: number): string {
  return `${spec.type}: ${spec.samples} points, ${classes} classes, noise ${spec.noise}`;
}

function loadCsv(spec: CsvDataSpec, readText: ReadText): DataSplit {
  const data = readTable(readText(spec.path), spec.path, { target: spec.target, task: spec.task });
  if (data.size - validationCount(data.size, spec.validation_split) < 1) {
    throw new SpecError(
      `validation_split ${spec.validation_split} of ${data.size} rows leaves no rows for training`,
      ['data', 'validation_split'],
    );
  }
  const split = splitDataset(data, spec.validation_split, spec.seed);
  const { train, validation } = spec.standardize ? standardize(split) : split;
  const file = spec.path.split(/[\\/]/).pop() ?? spec.path;
  const what =
    data.task === 'classification' ? `${data.outputs} classes of '${spec.target}'` : `regression on '${spec.target}'`;
  return {
    train,
    validation,
    description: `${file}: ${data.size} rows, ${data.features} feature${data.features === 1 ? '' : 's'}, ${what}`,
  };
}
