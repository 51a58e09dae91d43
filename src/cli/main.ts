// truthdesk: the command line. Each command opens the configured database itself.
import { accessSync, createWriteStream, constants as fsConstants, openSync, statSync } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { Command, InvalidArgumentError, Option } from 'commander';
import cliProgress from 'cli-progress';
import type { Kysely } from 'kysely';
import { createToken } from '../auth/service.ts';
import { createAgent } from '../agents/service.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/connection.ts';
import type { DB } from '../db/schema.ts';
import { migrate } from '../db/migrate.ts';
import { ROLES } from '../domain/roles.ts';
import type { Role } from '../domain/roles.ts';
import { seedDemo } from '../demo/seed.ts';
import { formatFromPath, importTouchpoints } from '../journeys/import.ts';
import { ensureTouchpointPartitionsAhead } from '../journeys/partitions.ts';
import { importMentionsCsv } from '../mentions/import.ts';
import { exportWorkspace } from '../portability/export.ts';
import { importWorkspace } from '../portability/import.ts';
import type { ImportFormat } from '../journeys/import.ts';
import type { Progress } from '../demo/seed.ts';
import { ensureWebBuilt, webBuildIsCurrent } from '../http/web-build.ts';
import type { WorkspaceContext } from '../shared/context.ts';
import { createWorkspace, firstWorkspace } from '../workspaces/service.ts';

const LOCALES = ['en', 'el', 'ar'] as const;

async function withDatabase<T>(run: (db: Kysely<DB>) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase(config.database);
  try {
    await migrate(database.pool);
    await ensureTouchpointPartitionsAhead(database.db);
    return await run(database.db);
  } finally {
    await database.close();
  }
}

async function workspaceContext(db: Kysely<DB>, slug: string | undefined): Promise<WorkspaceContext> {
  const workspace = slug
    ? await db.selectFrom('workspaces').selectAll().where('slug', '=', slug).executeTakeFirst()
    : await firstWorkspace(db);
  if (!workspace) {
    throw new InvalidArgumentError(slug ? `no workspace with slug ${slug}` : 'there is no workspace yet: run `truthdesk demo` or `truthdesk workspace create`');
  }
  return { db, workspaceId: workspace.id, actor: { type: 'system', id: null, role: 'owner' } };
}

function progressBar(label: string): { onProgress: Progress; stop(): void } {
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total}`, stream: process.stderr, noTTYOutput: true, notTTYSchedule: 1000 },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress: (done, total) => {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

const program = new Command()
  .name('truthdesk')
  .description('TruthDesk: a help desk that places every customer interaction on the five moments of truth')
  .showHelpAfterError();

program
  .command('serve')
  .description('serve the web app and API, receive mail by SMTP, run background jobs (PORT, DATABASE_URL, TRUTHDESK_DATA, TRUTHDESK_ADMIN_TOKEN, TRUTHDESK_SMTP_PORT/HOST/URL)')
  .option('--demo', 'create the demo workspace when the database is empty', false)
  .option('--no-build', 'serve web/dist as it is, without rebuilding the web app when its sources changed')
  .action(async (options: { demo: boolean; build: boolean }) => {
    // The server stack (HTTP, SMTP, jobs) loads only for the commands that run it.
    const { createLogger, startServer } = await import('../server.ts');
    const config = loadConfig();
    if (options.build && !webBuildIsCurrent()) {
      process.stdout.write('Building the web app (web/ → web/dist)…\n');
      ensureWebBuilt({ quiet: true });
    }
    const logger = createLogger(config.logLevel);
    const progress = progressBar('Creating demo data');
    const server = await startServer(config, { demo: options.demo, logger, onDemoProgress: progress.onProgress });
    progress.stop();
    const where = config.database.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `embedded database in ${'dataDir' in config.database ? config.database.dataDir : 'memory'}`;
    process.stdout.write(`\nTruthDesk is running at ${server.url} on the ${where}\n`);
    if (server.smtp) process.stdout.write(`Receiving mail on smtp://${server.smtp.host}:${server.smtp.port}\n`);
    if (server.demo) {
      process.stdout.write(`Sign in as ${server.demo.ownerEmail} with password "${server.demo.password}" (every demo agent has it).\n`);
    }
    process.stdout.write(`API: ${server.url}/api/v1/openapi.json — make a token with: npx truthdesk token create --role admin\n\n`);
    const shutdown = async (signal: string) => {
      logger.info({ signal }, 'shutting down');
      await server.stop();
      process.exit(0);
    };
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
  });

program
  .command('worker')
  .description('run only the background job workers (outgoing mail, inbound processing, timers); several may run at once on PostgreSQL')
  .action(async () => {
    const { createLogger, startWorker } = await import('../server.ts');
    const config = loadConfig();
    const logger = createLogger(config.logLevel);
    const worker = await startWorker(config, { logger });
    process.stdout.write('TruthDesk worker is running\n');
    const shutdown = async (signal: string) => {
      logger.info({ signal }, 'shutting down');
      await worker.stop();
      process.exit(0);
    };
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
  });

program
  .command('build')
  .description('build the web app into web/dist (serve does it when the sources changed)')
  .action(() => {
    ensureWebBuilt({ force: true });
  });

program
  .command('migrate')
  .description('apply database migrations (safe to run twice, and from two processes at once)')
  .action(async () => {
    const config = loadConfig();
    const database = await openDatabase(config.database);
    try {
      const result = await migrate(database.pool);
      await ensureTouchpointPartitionsAhead(database.db);
      process.stdout.write(
        result.applied.length ? `Applied: ${result.applied.join(', ')}\n` : `Up to date (${result.alreadyApplied.length} migrations)\n`,
      );
    } finally {
      await database.close();
    }
  });

const workspace = program.command('workspace').description('workspaces');
workspace
  .command('create')
  .description('create a workspace and its owner')
  .requiredOption('--name <name>', 'workspace name')
  .requiredOption('--owner-email <email>', "owner's e-mail")
  .requiredOption('--owner-name <name>', "owner's name")
  .option('--owner-password <password>', "owner's password (at least 10 characters)")
  .action(async (o: { name: string; ownerEmail: string; ownerName: string; ownerPassword?: string }) => {
    if (o.ownerPassword !== undefined && o.ownerPassword.length < 10) throw new InvalidArgumentError('the password needs at least 10 characters');
    await withDatabase(async (db) => {
      const { workspace: w } = await createWorkspace(db, {
        name: o.name,
        owner: { email: o.ownerEmail, name: o.ownerName, ...(o.ownerPassword ? { password: o.ownerPassword } : {}) },
      });
      process.stdout.write(`Workspace ${w.name} (${w.slug}) created: ${w.id}\n`);
    });
  });

program
  .command('token')
  .description('API tokens')
  .command('create')
  .description('create an API token; it is printed once')
  .addOption(new Option('--role <role>', 'the role the token acts with').choices(ROLES).default('admin'))
  .option('--name <name>', 'a name to recognise the token by', 'CLI token')
  .option('--workspace <slug>', 'workspace (default: the first)')
  .action(async (o: { role: Role; name: string; workspace?: string }) => {
    await withDatabase(async (db) => {
      const ctx = await workspaceContext(db, o.workspace);
      const token = await createToken(ctx, { name: o.name, role: o.role });
      process.stdout.write(`${token.token}\n`);
      process.stderr.write(`Token "${token.name}" with role ${token.role}. Keep it: it is not shown again.\n`);
    });
  });

program
  .command('agent')
  .description('agents')
  .command('create')
  .description('add an agent to a workspace')
  .requiredOption('--email <email>', 'e-mail (sign-in name)')
  .requiredOption('--name <name>', 'full name')
  .addOption(new Option('--role <role>', 'role').choices(ROLES).default('agent'))
  .addOption(new Option('--locale <locale>', 'language').choices(LOCALES).default('en'))
  .option('--password <password>', 'password (at least 10 characters)')
  .option('--workspace <slug>', 'workspace (default: the first)')
  .action(async (o: { email: string; name: string; role: Role; locale: 'en' | 'el' | 'ar'; password?: string; workspace?: string }) => {
    if (o.password !== undefined && o.password.length < 10) throw new InvalidArgumentError('the password needs at least 10 characters');
    await withDatabase(async (db) => {
      const ctx = await workspaceContext(db, o.workspace);
      const agent = await createAgent(ctx, {
        email: o.email,
        name: o.name,
        role: o.role,
        locale: o.locale,
        ...(o.password ? { password: o.password } : {}),
      });
      process.stdout.write(`Agent ${agent.name} <${agent.email}> (${agent.role}) created: ${agent.id}\n`);
    });
  });

program
  .command('demo')
  .description('create a workspace filled with demo data in English, Greek and Arabic')
  .action(async () => {
    await withDatabase(async (db) => {
      const progress = progressBar('Creating demo data');
      const result = await seedDemo(db, { onProgress: progress.onProgress });
      progress.stop();
      process.stdout.write(
        `Demo workspace ${result.workspaceId}: ${result.agents} agents, ${result.customers} customers, ${result.tickets} tickets, ${result.messages} messages, ${result.touchpoints} journey touchpoints.\n` +
          `Sign in as ${result.ownerEmail} with password "${result.password}".\n` +
          `Knowledge base: ${result.kbArticles} articles, public portal at ${result.portalPath}.\n`,
      );
    });
  });

program
  .command('export')
  .description('write a whole workspace as JSON lines (every table, in an order `truthdesk import workspace` loads)')
  .option('--workspace <slug>', 'workspace (default: the first)')
  .option('--out <file>', 'write to this file instead of standard output')
  .action(async (o: { workspace?: string; out?: string }) => {
    // Opened first, and never over an existing file: a typo must not destroy an earlier export.
    let fd: number | null = null;
    try {
      if (o.out) fd = openSync(o.out, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`${o.out} already exists: choose another --out file`, { cause: error });
      throw error;
    }
    await withDatabase(async (db) => {
      const ctx = await workspaceContext(db, o.workspace);
      const out: Writable = fd !== null ? createWriteStream('', { fd }) : process.stdout;
      const progress = progressBar('Exporting (rows)');
      const write = async (line: string) => {
        if (!out.write(`${line}\n`)) await once(out, 'drain');
      };
      const trailer = await exportWorkspace(db, ctx.workspaceId, write, { onProgress: progress.onProgress });
      progress.stop();
      if (o.out) {
        out.end();
        await once(out, 'finish');
      }
      process.stderr.write(`Exported ${trailer.rows} rows from ${Object.keys(trailer.tables).length} tables${o.out ? ` to ${o.out}` : ''}.\n`);
    });
  });

function readableFile(file: string): void {
  try {
    if (!statSync(file).isFile()) throw new Error('not a file');
    accessSync(file, fsConstants.R_OK);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new Error(`cannot read ${file}: ${reason}`, { cause: error });
  }
}

const importCommand = program.command('import').description('import history from files');

importCommand
  .command('workspace')
  .description('load a workspace written by `truthdesk export` (all or nothing; its ids are kept)')
  .argument('<file>', 'the export file')
  .action(async (file: string) => {
    readableFile(file);
    await withDatabase(async (db) => {
      const progress = progressBar('Importing (rows)');
      const summary = await importWorkspace(db, file, { onProgress: progress.onProgress });
      progress.stop();
      process.stdout.write(`Imported workspace ${summary.slug} (${summary.workspaceId}): ${summary.rows} rows in ${Object.keys(summary.tables).length} tables.\n`);
      if (summary.renumbered.length > 0) {
        process.stdout.write(`Renumbered (their numbers were taken here): ${summary.renumbered.join(', ')}\n`);
      }
    });
  });

importCommand
  .command('mentions')
  .description(
    'import reviews and social posts from a CSV file with columns platform, author, url, rating, text, published_at (and optionally id, kind, customer_id); the same platform + url or id is stored once',
  )
  .argument('<file>', 'the CSV file to import')
  .option('--platform <platform>', 'platform for rows without one (e.g. google, trustpilot)')
  .option('--workspace <slug>', 'workspace (default: the first)')
  .action(async (file: string, o: { platform?: string; workspace?: string }) => {
    readableFile(file);
    await withDatabase(async (db) => {
      const ctx = await workspaceContext(db, o.workspace);
      const progress = progressBar('Importing mentions (bytes)');
      const summary = await importMentionsCsv(ctx, file, {
        ...(o.platform ? { platform: o.platform } : {}),
        onProgress: progress.onProgress,
      });
      progress.stop();
      process.stdout.write(
        `Imported ${summary.total} mentions: ${summary.stored} stored, ${summary.duplicate} duplicate, ${summary.invalid} invalid\n`,
      );
      for (const bad of summary.invalidLines) process.stderr.write(`line ${bad.line}: ${bad.error}\n`);
      if (summary.invalid > summary.invalidLines.length) {
        process.stderr.write(`… and ${summary.invalid - summary.invalidLines.length} more invalid lines\n`);
      }
    });
  });

importCommand
  .command('touchpoints')
  .description('import touchpoints from an NDJSON file (Segment messages) or a CSV file (one touchpoint per row)')
  .argument('<file>', 'the file to import')
  .addOption(new Option('--format <format>', 'file format (default: from the extension)').choices(['ndjson', 'csv']))
  .option('--workspace <slug>', 'workspace (default: the first)')
  .action(async (file: string, o: { format?: ImportFormat; workspace?: string }) => {
    readableFile(file);
    const format = o.format ?? formatFromPath(file);
    if (!format) throw new InvalidArgumentError(`cannot tell the format of ${file} from its name: pass --format ndjson or --format csv`);
    await withDatabase(async (db) => {
      const ctx = await workspaceContext(db, o.workspace);
      const progress = progressBar('Importing (bytes)');
      const summary = await importTouchpoints(db, ctx.workspaceId, file, format, (read, total) => progress.onProgress(read, total ?? read));
      progress.stop();
      process.stdout.write(
        `Imported ${summary.total} touchpoints: ${summary.stored} stored, ${summary.duplicate} duplicate, ${summary.invalid} invalid\n`,
      );
      for (const bad of summary.invalidLines) process.stderr.write(`line ${bad.line}: ${bad.error}\n`);
      if (summary.invalid > summary.invalidLines.length) {
        process.stderr.write(`… and ${summary.invalid - summary.invalidLines.length} more invalid lines\n`);
      }
    });
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`truthdesk: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
