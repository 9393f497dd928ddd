import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../../../engine/diagnostics/thresholds';
import { DEFAULT_PROBE_SETTINGS } from '../../../engine/probes/settings';
import { brief, errors, parse, positionOf } from './helpers';

const BASE = `{
  "data": { "type": "spiral" },
  "model": [{ "type": "linear", "out_features": 16 }, "relu", { "type": "linear" }],
  "optimizer": { "type": "sgd", "lr": 0.1 },
`;

/** An experiment with `tail` as its last top-level keys. */
const withSections = (tail: string): string => `${BASE}${tail}\n}\n`;

describe('probes section', () => {
  it('is absent by default and filled with the defaults when written', () => {
    expect(parse(withSections('"training": {}')).resolve()!.spec.probes).toBeUndefined();
    const spec = parse(withSections('"probes": { "every": 10 }')).resolve()!.spec;
    expect(spec.probes).toEqual({ ...DEFAULT_PROBE_SETTINGS, every: 10 });
  });

  it('accepts every = 0 with at_init false (probes off)', () => {
    const p = parse(withSections('"probes": { "every": 0, "at_init": false }'));
    expect(errors(p)).toEqual([]);
    expect(p.resolve()!.spec.probes).toMatchObject({ every: 0, at_init: false });
  });

  it.each([
    ['-1', "'every' must be at least 0, not -1"],
    ['1.5', "'every' must be a whole number, not 1.5"],
  ])('reports every = %s at the value', (value, message) => {
    const text = withSections(`"probes": { "every": ${value} }`);
    const at = positionOf(text, value, 0);
    const p = parse(text);
    expect(brief(p)).toEqual([`${at.line}:${at.column} error: ${message}`]);
    expect(p.resolve()).toBeUndefined();
  });

  it('a variant overrides the base key by key', () => {
    const p = parse(withSections('"probes": { "every": 10, "bins": 20 },\n  "variants": { "rare": { "probes": { "every": 100 } } }'));
    expect(p.resolve('rare')!.spec.probes).toMatchObject({ every: 100, bins: 20 });
    expect(p.resolve()!.spec.probes).toMatchObject({ every: 10, bins: 20 });
  });
});

describe('diagnostics section', () => {
  it('carries disabled rules and thresholds (the rest at their defaults)', () => {
    const spec = parse(withSections('"diagnostics": { "disabled": ["loss-flat"], "thresholds": { "flatWindow": 100 } }')).resolve()!.spec;
    expect(spec.diagnostics).toEqual({ disabled: ['loss-flat'], thresholds: { ...DEFAULT_THRESHOLDS, flatWindow: 100 } });
  });

  it('reports an unknown rule id at the item, with a suggestion', () => {
    const text = withSections('"diagnostics": { "disabled": ["loss-flat", "dead-relus"] }');
    const at = positionOf(text, '"dead-relus"');
    const p = parse(text);
    const problems = brief(p);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${at.line}:${at.column} error: unknown diagnostic rule 'dead-relus'; expected one of: .*nan-loss.*\\(did you mean 'dead-relu'\\?\\)$`));
    expect(p.resolve()).toBeUndefined();
  });

  it('reports a threshold out of range at its value', () => {
    const text = withSections('"diagnostics": { "thresholds": { "deadFraction": 1.5 } }');
    const at = positionOf(text, '1.5');
    expect(brief(parse(text))).toEqual([`${at.line}:${at.column} error: 'deadFraction' must be at most 1, not 1.5`]);
  });

  it('reports an unknown threshold key with a suggestion', () => {
    const text = withSections('"diagnostics": { "thresholds": { "flatWindw": 10 } }');
    const at = positionOf(text, '"flatWindw"');
    const [problem] = brief(parse(text));
    expect(problem).toMatch(new RegExp(`^${at.line}:${at.column} error: unknown key 'flatWindw' in thresholds; .*did you mean 'flatWindow'`));
  });

  it('a variant may disable rules of its own', () => {
    const p = parse(withSections('"variants": { "quiet": { "diagnostics": { "disabled": ["overfitting"] } } }'));
    expect(p.resolve()!.spec.diagnostics).toBeUndefined();
    expect(p.resolve('quiet')!.spec.diagnostics).toEqual({ disabled: ['overfitting'] });
  });
});
