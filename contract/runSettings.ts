/**
 * What tells compared runs apart: the settings that differ between their resolved experiments, and
 * a short name per run made of its variant and its own values of those settings. Pure (the host
 * computes them from each run's run.json; the tests share fixtures with the runs table).
 */

export type SettingValue = string | number | boolean | null;

/** Keys that name or describe a run rather than configure it. */
const NOT_SETTINGS: ReadonlySet<string> = new Set(['name', 'description', 'variant', 'variants']);

/**
 * A resolved experiment as dotted paths to values ("optimizer.lr" → 0.01, "model.0.out_features" →
 * 32). A list of plain values (betas) is one value, written as JSON; a list of objects (layers) is
 * walked by index.
 */
export function flattenSettings(spec: unknown): Map<string, SettingValue> {
  const out = new Map<string, SettingValue>();
  const walk = (value: unknown, path: string): void => {
    if (value === undefined) return;
    if (value === null || typeof value !== 'object') {
      out.set(path, value as SettingValue);
      return;
    }
    if (Array.isArray(value)) {
      if (value.every(v => v === null || typeof v !== 'object')) {
        out.set(path, JSON.stringify(value));
        return;
      }
      value.forEach((v, i) => walk(v, `${path}.${i}`));
      return;
    }
    for (const [key, v] of Object.entries(value)) {
      if (path === '' && NOT_SETTINGS.has(key)) continue;
      walk(v, path ? `${path}.${key}` : key);
    }
  };
  walk(spec, '');
  return out;
}

/** A setting that is not the same in every run. */
export interface Difference {
  /** Dotted path in the resolved experiment: "optimizer.lr", "optimizer.type". */
  path: string;
  /** The shortest name that tells it from the other differences: "lr", "optimizer". */
  name: string;
  /** Each run's value (undefined: the run has no such setting). */
  values: (SettingValue | undefined)[];
  /**
   * Each run's value when it is worth naming in that run's label: when no value is held by more
   * than half of the runs that have the setting, every run's; otherwise only those that differ
   * from that majority (the base's lr is not repeated in every label, the one run that changed it
   * says so). undefined: not named.
   */
  shown: (SettingValue | undefined)[];
}

/**
 * The settings that differ between runs, in the order the first run that has them lists them. A
 * setting only some runs have because their parent's `type` differs (Adam's betas beside SGD's
 * momentum) is explained by that type and left out, unless the runs that do have it disagree.
 */
export function differingSettings(specs: readonly unknown[]): Difference[] {
  const flat = specs.map(flattenSettings);
  const paths: string[] = [];
  const seen = new Set<string>();
  for (const f of flat) {
    for (const p of f.keys()) {
      if (!seen.has(p)) {
        seen.add(p);
        paths.push(p);
      }
    }
  }
  const valuesOf = (p: string): (SettingValue | undefined)[] => flat.map(f => f.get(p));
  const varies = (values: readonly (SettingValue | undefined)[]): boolean => values.some(v => v !== values[0]);
  const typeVaries = new Map<string, boolean>();
  const parentTypeVaries = (p: string): boolean => {
    for (let at = p.lastIndexOf('.'); at > 0; at = p.lastIndexOf('.', at - 1)) {
      const typePath = `${p.slice(0, at)}.type`;
      if (typePath === p) continue;
      let v = typeVaries.get(typePath);
      if (v === undefined) {
        v = seen.has(typePath) && varies(valuesOf(typePath));
        typeVaries.set(typePath, v);
      }
      if (v) return true;
    }
    return false;
  };

  const kept: Omit<Difference, 'name'>[] = [];
  for (const path of paths) {
    const values = valuesOf(path);
    if (!varies(values)) continue;
    const defined = values.filter(v => v !== undefined);
    const presenceOnly = defined.length < values.length && !varies(defined);
    if (presenceOnly && parentTypeVaries(path)) continue;
    kept.push({ path, values, shown: shownValues(values) });
  }
  const names = shortNames(kept.map(d => d.path));
  return kept.map((d, i) => ({ ...d, name: names[i] }));
}

/** See Difference.shown. */
function shownValues(values: readonly (SettingValue | undefined)[]): (SettingValue | undefined)[] {
  const counts = new Map<SettingValue, number>();
  let defined = 0;
  for (const v of values) {
    if (v === undefined) continue;
    defined++;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  let majority: SettingValue | undefined;
  for (const [v, n] of counts) {
    if (n * 2 > defined) majority = v;
  }
  return values.map(v => (v === undefined || (majority !== undefined && v === majority) ? undefined : v));
}

/**
 * The shortest dotted suffix of each path that no other path ends with; "optimizer.type" is named
 * "optimizer", and a suffix never starts at a list index ("model.2.out_features", not "2.out_features").
 */
export function shortNames(paths: readonly string[]): string[] {
  const display = paths.map(p => (p.endsWith('.type') ? p.slice(0, -'.type'.length) : p));
  const parts = display.map(p => p.split('.'));
  return parts.map((segments, i) => {
    for (let n = 1; n <= segments.length; n++) {
      const start = segments.length - n;
      if (/^\d+$/.test(segments[start]) && start > 0) continue;
      const suffix = segments.slice(start).join('.');
      const clash = display.some((other, j) => j !== i && (other === suffix || other.endsWith(`.${suffix}`)));
      if (!clash) return suffix;
    }
    return display[i];
  });
}

/** A setting's value as a label writes it. */
export function formatSetting(v: SettingValue | undefined): string {
  if (v === undefined) return '–';
  if (typeof v === 'number') return Number.isInteger(v) || Math.abs(v) >= 1e-3 ? String(+v.toPrecision(6)) : v.toExponential();
  return String(v);
}

/** "optimizer adam, lr 0.01": the run's own values of the differences worth naming. */
export function settingsText(differences: readonly Difference[], run: number): string {
  return differences
    .filter(d => d.shown[run] !== undefined)
    .map(d => `${d.name} ${formatSetting(d.shown[run])}`)
    .join(', ');
}

export interface LabelledRun {
  variant?: string;
  /** A name the user gave the run (Rename), used instead of its variant. */
  name?: string;
}

/**
 * Each run's name in a comparison: "adam · optimizer adam, lr 0.01", "base · lr 0.1". Two runs
 * that would still read the same (the same variant trained twice) get their start time after it.
 */
export function runLabels(runs: readonly (LabelledRun & { startedAt?: string })[], differences: readonly Difference[]): string[] {
  const labels = runs.map((r, i) => {
    const head = r.name ?? r.variant ?? 'base';
    const text = settingsText(differences, i);
    return text ? `${head} · ${text}` : head;
  });
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  return labels.map((l, i) => {
    const at = runs[i].startedAt;
    return (counts.get(l) ?? 0) > 1 && at ? `${l} (${timeOfDay(at)})` : l;
  });
}

/** "14:25:01" of an ISO time, in the local time zone. */
export function timeOfDay(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** The differences whose values are numbers in every run that has them: what a scatter can put on an axis. */
export function numericDifferences(differences: readonly Difference[]): Difference[] {
  return differences.filter(d => d.values.some(v => typeof v === 'number') && d.values.every(v => v === undefined || typeof v === 'number'));
}
