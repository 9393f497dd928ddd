import path from 'node:path';

/**
 * A path for messages: relative to the cwd when inside it (as compilers print them, so terminals
 * and editors can jump to `file:line:column`), else absolute.
 */
export function displayPath(cwd: string, absolute: string): string {
  const rel = path.relative(cwd, absolute);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : absolute;
}
