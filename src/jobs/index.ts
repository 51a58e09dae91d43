// Durable background jobs on pg-boss (PostgreSQL and PGlite). See README "Background jobs".
export { enqueue, JOBS_SCHEMA } from './enqueue.ts';
export type { EnqueueOptions } from './enqueue.ts';
export { onPollingStart, registerWorker, registeredWorkers, unregisterWorker } from './registry.ts';
export { registerPeriodicJob } from './periodic.ts';
export { foldQueuedWorkspaces } from './queued-workspaces.ts';
export type { QueueTable } from './queued-workspaces.ts';
export type { JobContext, JobHandler, JobName, JobSettings, JobTypes, PollingStartHook, QueuePolicy } from './registry.ts';
export { JobRuntime, describeError, findJob } from './runtime.ts';
export type { DrainResult, JobRuntimeOptions } from './runtime.ts';
