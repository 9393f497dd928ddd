/** Whether a path from an experiment file is absolute (or home- or URL-based) rather than relative to it. */
export function isAbsolutePath(p: string): boolean {
  return /^([a-zA-Z]:)?[\\/]/.test(p) || p.startsWith('~') || /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(p);
}
