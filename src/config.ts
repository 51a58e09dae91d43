// Configuration from the environment, validated once at start.
import { z } from 'zod';
import { databaseOptionsFromEnv } from './db/connection.ts';
import type { DatabaseOptions } from './db/connection.ts';

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUTHDESK_TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  TRUTHDESK_ADMIN_TOKEN: z.string().min(16, 'TRUTHDESK_ADMIN_TOKEN must be at least 16 characters').optional(),
  TRUTHDESK_SMTP_URL: z.string().min(1).optional(),
  TRUTHDESK_SMTP_PORT: z.union([z.literal('off'), z.coerce.number().int().min(0).max(65_535)]).default(2525),
  TRUTHDESK_SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  TRUTHDESK_WORKERS: z.enum(['on', 'off']).default('on'),
});

export interface Config {
  port: number;
  host: string;
  logLevel: string;
  adminToken: string | undefined;
  /** Behind a TLS-terminating proxy: trust X-Forwarded-* (secure cookies, client addresses). */
  trustProxy?: boolean;
  database: DatabaseOptions;
  /** Outgoing mail transport for nodemailer, e.g. smtp://user:pass@mail.example.com:587. */
  smtpUrl?: string;
  /** `serve` runs the job workers too unless false (then `truthdesk worker` processes do). */
  workers?: boolean;
  /** The SMTP listener for inbound mail; absent: not started. */
  smtp?: { port: number; host: string };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return {
    port: parsed.data.PORT,
    host: parsed.data.HOST,
    logLevel: parsed.data.LOG_LEVEL,
    adminToken: parsed.data.TRUTHDESK_ADMIN_TOKEN,
    trustProxy: parsed.data.TRUTHDESK_TRUST_PROXY === 'true',
    database: databaseOptionsFromEnv(env),
    workers: parsed.data.TRUTHDESK_WORKERS === 'on',
    ...(parsed.data.TRUTHDESK_SMTP_URL ? { smtpUrl: parsed.data.TRUTHDESK_SMTP_URL } : {}),
    ...(parsed.data.TRUTHDESK_SMTP_PORT === 'off' ? {} : { smtp: { port: parsed.data.TRUTHDESK_SMTP_PORT, host: parsed.data.TRUTHDESK_SMTP_HOST } }),
  };
}
