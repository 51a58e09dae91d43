// The server as one JavaScript file (esbuild), so a long-running `serve` or `worker` does not
// carry tsx's on-the-fly TypeScript compiler and its caches: about 75 MB less memory per
// process and a faster start. Built from src/ when missing or stale (a hash of every source
// file), into dist/server/; the TypeScript sources stay the one truth, and tsx runs everything
// else (short commands, tests in-process).
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const src = join(root, 'src');
const outDir = join(root, 'dist', 'server');
const bundle = join(outDir, 'truthdesk.mjs');
const stamp = join(outDir, 'stamp.json');

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Every file under src/ (code, SQL, widget scripts), this file and the lockfile, by content. */
function sourceHash() {
  const hash = createHash('sha256');
  for (const file of [...files(src), fileURLToPath(import.meta.url), join(root, 'package-lock.json')].sort()) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/**
 * Each module's `import.meta.url` becomes its own source file's URL, so the files it reads next
 * to itself (migrations, widget scripts, web/dist) are found as when run from source.
 */
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
      loader: 'ts',
    }));
  },
};

async function build(hash) {
  const { build: esbuild } = await import('esbuild');
  mkdirSync(outDir, { recursive: true });
  // Written beside, then renamed: processes starting at once never load half a file.
  const temp = `${bundle}.${process.pid}.tmp`;
  await esbuild({
    entryPoints: [join(src, 'cli', 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: temp,
    logLevel: 'error',
    plugins: [keepModuleUrls],
  });
  renameSync(temp, bundle);
  writeFileSync(`${stamp}.${process.pid}.tmp`, JSON.stringify({ hash }));
  renameSync(`${stamp}.${process.pid}.tmp`, stamp);
}

/**
 * The bundle's URL when it is current (building it first if `buildIfStale`), else null: then
 * the caller runs the sources through tsx.
 */
export async function serverBundle({ buildIfStale }) {
  if (process.env.TRUTHDESK_FROM_SOURCE === '1') return null;
  const hash = sourceHash();
  const current = existsSync(bundle) && existsSync(stamp) && JSON.parse(readFileSync(stamp, 'utf8')).hash === hash;
  if (!current) {
    if (!buildIfStale) return null;
    // In a child process, so the server never holds esbuild and the build's buffers.
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--build'], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (child.status !== 0) {
      process.stderr.write('truthdesk: could not bundle the server; running from source\n');
      return null;
    }
  }
  return pathToFileURL(bundle).href;
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--build') {
  await build(sourceHash());
}
