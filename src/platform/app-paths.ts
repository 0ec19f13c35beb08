import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The application's root directory: the nearest directory above this module that holds a
 * package.json. The same answer whether the code runs from `src/` (tsx) or bundled from `dist/`
 * (`dist/main.js`, `dist/cli/*.js`, `dist/chunks/*.js`), where a path relative to
 * `import.meta.url` would depend on which file esbuild put the code in (ADR 0026).
 */
function findRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No package.json above ${start}: the application root cannot be found`);
  }
}

const APP_ROOT: string = findRoot(path.dirname(fileURLToPath(import.meta.url)));

/** A path under the application root: `appPath('cities', 'halle.json')`, `appPath('public')`. */
export function appPath(...segments: string[]): string {
  return path.join(APP_ROOT, ...segments);
}
