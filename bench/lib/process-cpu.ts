// CPU time of processes, read from /proc: what a benchmark's parts cost, whatever else the
// machine runs meanwhile (wall-clock rates move with the load; CPU per unit of work barely does).
import { readFileSync } from 'node:fs';
import type pg from 'pg';

/** CPU time (ms) a process has used so far, from /proc (utime + stime); 0 once it is gone. */
export function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return 0;
  }
}

/**
 * The CPU (ms) PostgreSQL's backends connected to `dbName` use while `work` runs (backends that
 * connect meanwhile count from their start). `admin` must be connected to another database.
 */
export async function postgresCpuDuring<T>(admin: pg.Client, dbName: string, work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const backends = async () => (await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [dbName])).rows.map((r) => r.pid);
  const before = new Map((await backends()).map((pid) => [pid, cpuMs(pid)]));
  const result = await work();
  let ms = 0;
  for (const pid of await backends()) ms += cpuMs(pid) - (before.get(pid) ?? 0);
  return { result, ms };
}
