import type { DataFiles } from '../../engine/data/kinds';

/** Data files given as text by a function of the path the experiment writes. */
export function textFiles(read: (path: string) => string): DataFiles {
  return { bytes: path => new TextEncoder().encode(read(path)) };
}
