// The production build (ADR 0026): esbuild bundles the application's own code from src/ and
// migrations/ into dist/; every npm package stays an import (packages: 'external'), so the image
// installs them with `npm ci --omit=dev`. Code splitting shares modules between the entry points and
// keeps modules that are loaded with import() at first use (PDF, S3, Web Push, the development
// identity provider) in chunks of their own, read only when needed.
// Files read at run time (cities/, public/, node_modules assets, package.json) are found from the
// application root (src/platform/app-paths.ts), so dist/ sits beside them as src/ does.
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

await rm(new URL('../dist/', import.meta.url), { recursive: true, force: true });
const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: {
    main: 'src/main.ts',
    'cli/migrate': 'src/cli/migrate.ts',
    'cli/audit-verify': 'src/cli/audit-verify.ts',
    'cli/keys-rotate': 'src/cli/keys-rotate.ts',
    'cli/staff-create': 'src/cli/staff-create.ts',
    // The worker thread that runs pdf.js, away from the main thread's globals (src/efile/pdf-text.ts).
    'pdf-text.worker': 'src/efile/pdf-text.worker.ts',
  },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node24',
  packages: 'external',
  sourcemap: 'linked',
  // tsconfig.json: jsx react-jsx with preact as the import source.
  tsconfig: 'tsconfig.json',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
});

const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.js'));
const total = outputs.reduce((sum, [, o]) => sum + o.bytes, 0);
for (const [file, o] of outputs.filter(([file]) => !file.includes('/chunks/'))) console.log(`${file.padEnd(32)} ${(o.bytes / 1024).toFixed(0).padStart(6)} KiB`);
console.log(`${outputs.length} files (${outputs.filter(([file]) => file.includes('/chunks/')).length} shared chunks), ${(total / 1024).toFixed(0)} KiB of JavaScript in dist/`);
