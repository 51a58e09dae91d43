// Starts TruthDesk: open the database, migrate, seed the demo workspace on an empty database,
// honour TRUTHDESK_ADMIN_TOKEN, then listen.
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { DestinationStream, Logger } from 'pino';
import { ensureBootstrapToken } from './auth/service.ts';
import type { Config } from './config.ts';
import type { JobSettings } from './jobs/registry.ts';
import { openDatabase } from './db/connection.ts';
import type { Database } from './db/connection.ts';
import { migrate } from './db/migrate.ts';
import { seedDemo } from './demo/seed.ts';
import type { Progress } from './demo/seed.ts';
import { buildApp } from './http/app.ts';
import { LOG_REDACTION, LOG_SERIALIZERS } from './http/log-safety.ts';
import { JobRuntime } from './jobs/runtime.ts';
import './jobs/workers.ts';
import { startSmtpListener } from './channels/email/smtp.ts';
import type { SmtpListener } from './channels/email/smtp.ts';
import { firstWorkspace } from './workspaces/service.ts';
import { ensureTouchpointPartitionsAhead } from './journeys/partitions.ts';

export interface RunningServer {
  app: FastifyInstance;
  database: Database;
  jobs: JobRuntime;
  url: string;
  /** The SMTP listener for inbound mail, when configured. */
  smtp: SmtpListener | undefined;
  demo: { ownerEmail: string; password: string } | undefined;
  stop(): Promise<void>;
}

/** The process's logger: JSON lines to stdout (or `destination`), with secrets masked (src/http/log-safety.ts). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: LOG_REDACTION, serializers: LOG_SERIALIZERS };
  return destination ? pino(options, destination) : pino(options);
}

export async function startServer(
  config: Config,
  options: { demo: boolean; logger?: Logger; onDemoProgress?: Progress },
): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const database = await openDatabase(config.database);
  let jobs: JobRuntime | undefined;
  let smtp: SmtpListener | undefined;
  try {
    const migrations = await migrate(database.pool);
    if (migrations.applied.length) logger.info({ applied: migrations.applied }, 'migrations applied');
    await ensureTouchpointPartitionsAhead(database.db);
    let demo: RunningServer['demo'];
    if (options.demo && !(await firstWorkspace(database.db))) {
      logger.info('empty database: creating the demo workspace');
      const result = await seedDemo(database.db, options.onDemoProgress ? { onProgress: options.onDemoProgress } : {});
      logger.info({ tickets: result.tickets, customers: result.customers, messages: result.messages }, 'demo workspace ready');
      demo = { ownerEmail: result.ownerEmail, password: result.password };
    }
    if (config.adminToken) {
      const workspace = await firstWorkspace(database.db);
      if (!workspace) throw new Error('TRUTHDESK_ADMIN_TOKEN needs a workspace: start with the demo or run `truthdesk workspace create`');
      if (await ensureBootstrapToken(database.db, workspace.id, config.adminToken)) {
        logger.info({ workspace: workspace.slug }, 'TRUTHDESK_ADMIN_TOKEN registered as an owner token');
      }
    }
    jobs = new JobRuntime({ database, logger, settings: jobSettings(config), poll: config.workers ?? true });
    await jobs.start();
    const runtime = jobs;
    if (config.smtp) {
      smtp = await startSmtpListener({ database, logger, ...config.smtp, onStored: () => runtime.notify() });
    }
    const app = await buildApp({ database, logger, trustProxy: config.trustProxy ?? false });
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host}:${port}`;
    return {
      app,
      database,
      jobs,
      url,
      smtp,
      demo,
      stop: async () => {
        await smtp?.close();
        await app.close();
        await jobs?.stop();
        await database.close();
      },
    };
  } catch (error) {
    await smtp?.close();
    await jobs?.stop();
    await database.close();
    throw error;
  }
}

export function jobSettings(config: Config): JobSettings {
  return config.smtpUrl ? { smtpUrl: config.smtpUrl } : {};
}

export interface RunningWorker {
  database: Database;
  jobs: JobRuntime;
  stop(): Promise<void>;
}

/** `truthdesk worker`: only the job workers, no HTTP or SMTP (run several to scale out). */
export async function startWorker(config: Config, options: { logger?: Logger } = {}): Promise<RunningWorker> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const database = await openDatabase(config.database);
  try {
    await migrate(database.pool);
    await ensureTouchpointPartitionsAhead(database.db);
    const jobs = new JobRuntime({ database, logger, settings: jobSettings(config), poll: true });
    await jobs.start();
    return {
      database,
      jobs,
      stop: async () => {
        await jobs.stop();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
