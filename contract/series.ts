/**
 * The series of a run as both sides of the contract hold them: the run's digest (every series in
 * bounded buckets, the latest records, the findings), its buckets' fields, and the pieces it travels
 * in (engine/series describes them). The webview reaches the engine's series only through here.
 */
export { RunDigest, isDigestDelta, type DigestDelta, type RecordCounts } from '../engine/series/digest';
export { TOTAL_GRAD_NORM, type ProbeSeriesPrefix } from '../engine/series/recordSeries';
export { SeriesSet, type PackedSeries } from '../engine/series/seriesSet';
export { F, FIELDS, NONFINITE_NAN, NONFINITE_NEG, NONFINITE_POS, SeriesSummary } from '../engine/series/summary';
export { SeriesWindow, windowFromPieces } from '../engine/series/window';
export type { ImagesRecord } from '../engine/train/events';
