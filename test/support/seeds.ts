// The seed texts (real Greek and Arabic) are in shared/seeds beside the repository: /work/shared
// on the team's machine, ../shared beside a clean clone in CI. Found from this file, never from
// an absolute path, so every checkout reads the seeds beside it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SEEDS_DIR = fileURLToPath(new URL('../../../shared/seeds/', import.meta.url));

/** The text of the seed file whose name starts with `name` (its whole name, or a prefix such as '000_'). */
export function seedText(name: string): string {
  const file = readdirSync(SEEDS_DIR).find((f) => f.startsWith(name));
  if (!file) throw new Error(`no seed ${name}* in ${SEEDS_DIR} (the tests read ../shared/seeds beside the repository)`);
  return readFileSync(join(SEEDS_DIR, file), 'utf8');
}
