// Console output of the harness: one prefix per tool, elapsed seconds, PASS/FAIL lines that
// scripts/test.mjs and a person can both read.

const started = Date.now();

export function seconds(sinceMs) {
  return ((Date.now() - sinceMs) / 1000).toFixed(1);
}

/** A logger that prefixes every line with `[name +elapsed s]`. */
export function logger(name) {
  const line = (msg) => `[${name} +${seconds(started)}s] ${msg}`;
  return {
    info: (msg) => console.log(line(msg)),
    warn: (msg) => console.warn(line(`WARNING: ${msg}`)),
    error: (msg) => console.error(line(`ERROR: ${msg}`)),
    /** Runs `fn`, logging its start and how long it took. */
    async step(title, fn) {
      const t = Date.now();
      console.log(line(`${title} ...`));
      const result = await fn();
      console.log(line(`${title}: done in ${seconds(t)}s`));
      return result;
    },
  };
}

/**
 * Collects named checks. Each prints `  PASS what` or `  FAIL what (detail)` as it happens, so a
 * failing check never hides the ones after it.
 */
export function checklist() {
  const results = [];
  return {
    results,
    check(ok, what, detail) {
      results.push({ ok: Boolean(ok), what, detail });
      console.log(ok ? `  PASS ${what}` : `  FAIL ${what}${detail ? ` (${detail})` : ''}`);
      return Boolean(ok);
    },
    get passed() { return results.filter(r => r.ok).length; },
    get failed() { return results.filter(r => !r.ok).length; },
  };
}
