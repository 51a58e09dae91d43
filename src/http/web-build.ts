// Builds the web app (web/ → web/dist) with Vite when its sources changed since the last build,
// so `truthdesk serve` (and so `npm start`) and the tests always serve what is in the tree, and
// a clean clone works with `npm ci && npm start`.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const web = join(repo, 'web');
const dist = join(web, 'dist');
const stamp = join(web, '.dist-hash'); // outside dist, so it is never served

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** One hash over everything the build reads: sources, config and the locked dependency versions. */
export function webSourceHash(): string {
  const inputs = [
    ...files(join(web, 'src')),
    ...files(join(web, 'public')),
    join(web, 'index.html'),
    join(web, 'vite.config.ts'),
    join(web, 'tsconfig.json'),
    join(repo, 'package-lock.json'),
    fileURLToPath(import.meta.url), // how it is built
  ].sort();
  const hash = createHash('sha256');
  for (const file of inputs) {
    hash.update(relative(repo, file));
    hash.update(readFileSync(file));
  }
  return hash.digest('hex');
}

export function webBuildIsCurrent(): boolean {
  return existsSync(join(dist, 'index.html')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === webSourceHash();
}

/** Runs `vite build` in a child process when needed; true when it built. */
export function ensureWebBuilt(options: { force?: boolean; quiet?: boolean } = {}): boolean {
  if (!existsSync(join(web, 'index.html'))) return false; // an installed package without sources
  if (!options.force && webBuildIsCurrent()) return false;
  const hash = webSourceHash();
  const vite = join(repo, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(
    process.execPath,
    [vite, 'build', '--config', join(web, 'vite.config.ts'), ...(options.quiet ? ['--logLevel', 'warn'] : [])],
    // Vitest runs with NODE_ENV=test, which would make React's development build: always production.
    { cwd: repo, stdio: options.quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
  );
  if (result.status !== 0) throw new Error(`The web app build failed (vite exited with ${result.status ?? result.signal})`);
  writeFileSync(stamp, hash);
  return true;
}
