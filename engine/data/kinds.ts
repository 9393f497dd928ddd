/**
 * The `data` kinds: synthetic 2-D sets generated from a seed, and data files. Each kind is its
 * options, its rules across keys, what the other sections may know of it before it is loaded
 * (`info`), the files it reads (by the key that names each, with its path as the experiment writes
 * it) and how to load it.
 */
import type * as z from 'zod';
import { family } from '../core/options';
import { csv, csvInfo, csvRules, loadCsvFile, type CsvDataSpec } from './csvData';
import type { DataSplit } from './dataset';
import { idx, idxFiles, idxInfo, idxRules, loadIdxFiles } from './idxData';
import type { DataFiles, DataInfo } from './options';
import { loadSynthetic, SYNTHETIC_OPTIONS, syntheticInfo, syntheticRules, type SyntheticDataSpec } from './synthetic';

export type { DataFiles, DataInfo } from './options';
export type { CsvDataSpec } from './csvData';
export type { IdxDataSpec } from './idxData';
export type { SyntheticDataSpec } from './synthetic';

const syntheticKind = <S extends z.ZodObject>(options: S) => ({
  options,
  rules: syntheticRules,
  info: syntheticInfo,
  files: (): DataFile[] => [],
  load: (spec: SyntheticDataSpec): DataSplit => loadSynthetic(spec),
});

export const DATASETS = family(
  { name: 'data', noun: 'data set', label: 'data type', what: kind => `data '${kind}'`, description: 'The data set: a synthetic 2-D set, a CSV file, or images in IDX files (MNIST, Fashion-MNIST).' },
  {
    spiral: syntheticKind(SYNTHETIC_OPTIONS.spiral),
    moons: syntheticKind(SYNTHETIC_OPTIONS.moons),
    circles: syntheticKind(SYNTHETIC_OPTIONS.circles),
    xor: syntheticKind(SYNTHETIC_OPTIONS.xor),
    blobs: syntheticKind(SYNTHETIC_OPTIONS.blobs),
    csv: { options: csv, rules: csvRules, info: csvInfo, files: (spec: CsvDataSpec): DataFile[] => [{ key: 'path', path: spec.path }], load: loadCsvFile },
    idx: { options: idx, rules: idxRules, info: idxInfo, files: idxFiles, load: loadIdxFiles },
  },
);

export type DataSpec = z.output<typeof DATASETS.schema>;
export type DataKind = DataSpec['type'];

/**
 * What the other sections may know of the data `values` describe: the valid ones, defaults filled in for the keys left out.
 * A key written wrongly is absent from `values`, and what depends on it is unknown (left out of the info), never its default's.
 */
export function dataInfo(type: DataKind, values: Record<string, unknown>): DataInfo {
  return (DATASETS.kinds[type].info as (v: Record<string, unknown>) => DataInfo)(values);
}

/** The data `spec` describes, split into training and validation sets. */
export function loadData(spec: DataSpec, files: DataFiles): DataSplit {
  return (DATASETS.kinds[spec.type].load as (spec: DataSpec, files: DataFiles) => DataSplit)(spec, files);
}

/** A file the data reads: the key of `data` that names it, and the path as the experiment writes it. */
export interface DataFile {
  key: string;
  path: string;
}

/** The files the data of `spec` reads. */
export function dataFiles(spec: DataSpec): DataFile[] {
  return (DATASETS.kinds[spec.type].files as (spec: DataSpec) => DataFile[])(spec);
}
