/**
 * The `data` kinds: synthetic 2-D sets generated from a seed, and data files. Each kind is its
 * options, its rules across keys, what the other sections may know of it before it is loaded
 * (`info`), the files it reads (paths as the experiment writes them) and how to load it.
 */
import type * as z from 'zod';
import { family } from '../core/options';
import { csv, csvInfo, csvRules, loadCsvFile, type CsvDataSpec } from './csvData';
import type { DataSplit } from './dataset';
import type { DataFiles, DataInfo } from './options';
import { loadSynthetic, SYNTHETIC_OPTIONS, syntheticInfo, syntheticRules, type SyntheticDataSpec } from './synthetic';

export type { DataFiles, DataInfo } from './options';
export type { CsvDataSpec } from './csvData';
export type { SyntheticDataSpec } from './synthetic';

const syntheticKind = <S extends z.ZodObject>(options: S) => ({
  options,
  rules: syntheticRules,
  info: syntheticInfo,
  files: (): string[] => [],
  load: (spec: SyntheticDataSpec): DataSplit => loadSynthetic(spec),
});

export const DATASETS = family(
  { name: 'data', noun: 'data set', label: 'data type', what: kind => `data '${kind}'`, description: 'The data set: a synthetic 2-D set or a CSV file.' },
  {
    spiral: syntheticKind(SYNTHETIC_OPTIONS.spiral),
    moons: syntheticKind(SYNTHETIC_OPTIONS.moons),
    circles: syntheticKind(SYNTHETIC_OPTIONS.circles),
    xor: syntheticKind(SYNTHETIC_OPTIONS.xor),
    blobs: syntheticKind(SYNTHETIC_OPTIONS.blobs),
    csv: { options: csv, rules: csvRules, info: csvInfo, files: (spec: CsvDataSpec): string[] => [spec.path], load: loadCsvFile },
  },
);

export type DataSpec = z.output<typeof DATASETS.schema>;
export type DataKind = DataSpec['type'];

/** What the other sections may know of the data `values` describe (the valid ones, defaults filled in). */
export function dataInfo(type: DataKind, values: Record<string, unknown>): DataInfo {
  return (DATASETS.kinds[type].info as (v: Record<string, unknown>) => DataInfo)(values);
}

/** The data `spec` describes, split into training and validation sets. */
export function loadData(spec: DataSpec, files: DataFiles): DataSplit {
  return (DATASETS.kinds[spec.type].load as (spec: DataSpec, files: DataFiles) => DataSplit)(spec, files);
}

/** The files the data of `spec` reads (paths as the experiment writes them). */
export function dataFiles(spec: DataSpec): string[] {
  return (DATASETS.kinds[spec.type].files as (spec: DataSpec) => string[])(spec);
}
