// Shared by every benchmark: the machine it ran on, and a writer that replaces only its own
// section of BENCHMARKS.md (between <!-- bench:NAME --> and <!-- /bench:NAME -->), so each
// area (one file under bench/) can be rerun on its own without touching the others.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

export const BENCHMARKS_PATH = new URL('../../BENCHMARKS.md', import.meta.url);

export interface Machine {
  cpu: string;
  cores: number;
  ramGiB: number;
  node: string;
  date: string;
}

export function machine(now = new Date()): Machine {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    const model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (model?.[1]) cpu = model[1].trim();
  } catch {
    // not Linux: os.cpus() is the next best thing
  }
  return { cpu, cores: cpus().length, ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10, node: process.version, date: now.toISOString() };
}

export function machineLine(m: Machine): string {
  return `${m.date.slice(0, 16).replace('T', ' ')} UTC · ${m.cpu} · ${m.cores} cores · ${m.ramGiB} GiB RAM · Node ${m.node}`;
}

const HEADER = `# Benchmarks

Produced by \`npm run bench\` (each area is a file under \`bench/\`; \`npm run bench -- --quick\` for
smaller sizes). Each section is rewritten only by its own benchmark; figures are from one run
on the machine named in the section, which other people may have been using at the same time.
`;

/** Replaces (or appends) the section NAME of BENCHMARKS.md with `body`. */
export function writeSection(name: string, body: string): void {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const current = existsSync(BENCHMARKS_PATH) ? readFileSync(BENCHMARKS_PATH, 'utf8') : HEADER;
  const block = `${start}\n${body.trim()}\n${end}`;
  const at = current.indexOf(start);
  const stop = current.indexOf(end);
  const next =
    at >= 0 && stop > at ? current.slice(0, at) + block + current.slice(stop + end.length) : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(BENCHMARKS_PATH, next);
}

/** A markdown table from a header row and rows. */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const line = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Milliseconds of each of `runs` calls of `run`, one after another, sorted. */
export async function timed(runs: number, run: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await run();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return times.sort((a, b) => a - b);
}
