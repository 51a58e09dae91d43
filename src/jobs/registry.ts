// Job types and their workers. A capability declares its job's payload by augmenting JobTypes:
//
//   declare module '../jobs/registry.ts' {
//     interface JobTypes { 'email.send': { workspaceId: string; messageId: string } }
//   }
//   registerWorker('email.send', async (data, ctx) => { ... }, { retryLimit: 5 });
//
// and src/jobs/workers.ts imports the module, so every process (serve, worker, CLI) knows it.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/connection.ts';
import type { DB } from '../db/schema.ts';

/** Payload type of every job, by queue name. Empty here: capabilities augment it. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface JobTypes {}

export type JobName = keyof JobTypes & string;

/** Settings a worker may need from the process configuration (kept small and explicit). */
export interface JobSettings {
  /** Outgoing mail: nodemailer transport URL (TRUTHDESK_SMTP_URL). */
  smtpUrl?: string;
}

export interface JobContext {
  database: Database;
  db: Kysely<DB>;
  logger: Logger;
  settings: JobSettings;
  job: { id: string; name: string; retryCount: number; retryLimit: number };
}

export type JobHandler<T> = (data: T, ctx: JobContext) => Promise<void>;

/** Queue policy: how often and how late a failing job is tried again. */
export interface QueuePolicy {
  /** Attempts after the first (pg-boss retryLimit). Default 3. */
  retryLimit?: number;
  /** Seconds before a retry (pg-boss retryDelay). Default 0. */
  retryDelaySeconds?: number;
  /** Exponential backoff from retryDelaySeconds. Default false. */
  retryBackoff?: boolean;
  /** An active job not finished after this long is considered lost and retried. Default 15 min. */
  expireInSeconds?: number;
}

export interface RegisteredWorker {
  name: string;
  handler: JobHandler<never>;
  policy: QueuePolicy;
}

const workers = new Map<string, RegisteredWorker>();

/** Names must be pg-boss queue names: letters, digits, `.`, `_`, `-`, `/`. */
const QUEUE_NAME = /^[A-Za-z0-9_.\-/]+$/;

export function registerWorker<N extends JobName>(name: N, handler: JobHandler<JobTypes[N]>, policy: QueuePolicy = {}): void {
  if (!QUEUE_NAME.test(name)) throw new Error(`invalid job name ${name}`);
  if (workers.has(name)) throw new Error(`a worker for ${name} is already registered`);
  workers.set(name, { name, handler: handler as JobHandler<never>, policy });
}

/** Test helper and the odd plugin: replace or remove a worker. */
export function unregisterWorker(name: string): void {
  workers.delete(name);
}

export function registeredWorkers(): RegisteredWorker[] {
  return [...workers.values()];
}

export function workerFor(name: string): RegisteredWorker | undefined {
  return workers.get(name);
}

export function isValidJobName(name: string): boolean {
  return QUEUE_NAME.test(name);
}

/** Runs when a process starts polling for jobs (servers, `truthdesk worker`): e.g. starts a periodic job's chain. */
export type PollingStartHook = (db: Kysely<DB>) => Promise<void>;
const pollingStartHooks: PollingStartHook[] = [];

export function onPollingStart(hook: PollingStartHook): void {
  if (!pollingStartHooks.includes(hook)) pollingStartHooks.push(hook);
}

export function pollingStartHooksList(): readonly PollingStartHook[] {
  return pollingStartHooks;
}
