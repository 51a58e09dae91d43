// The `truthdesk` command line as a user runs it: real child processes on a real embedded
// data directory, then the results checked in the database and through a running server.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../src/db/connection.ts';
import { cleanupCli, runCli, scratchDir, startServe } from './support/cli.ts';
import { emptyPostgresDatabase } from './support/db.ts';

const migrationVersions = readdirSync(fileURLToPath(new URL('../src/db/migrations/', import.meta.url)))
  .filter((name) => name.endsWith('.sql'))
  .sort()
  .map((name) => name.replace(/\.sql$/, ''));

async function signIn(url: string, email: string, password: string): Promise<{ status: number; cookie: string | undefined }> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] as string)
    .find((c) => c.startsWith('td_session='));
  return { status: res.status, cookie };
}

afterAll(cleanupCli);

// The tests of this block share one data directory and run in order, as a user would type them.
describe('truthdesk demo, token and agent commands on one embedded data directory', () => {
  let cwd: string;
  let env: { TRUTHDESK_DATA: string };
  let demoOwner: { email: string; password: string } | undefined;
  let adminToken: string | undefined;
  const maria = { email: 'maria.papadopoulou@example.gr', name: 'Μαρία Παπαδοπούλου', password: 'kalimera-2024!' };

  beforeAll(() => {
    cwd = scratchDir();
    env = { TRUTHDESK_DATA: join(cwd, 'data') };
  });

  it('`demo` prints the counts and how to sign in, and the data is really there', async () => {
    const res = await runCli(['demo'], env, cwd);
    expect(res.code, res.stderr).toBe(0);
    const counts = /^Demo workspace ([0-9a-f-]{36}): (\d+) agents, (\d+) customers, (\d+) tickets, (\d+) messages, (\d+) journey touchpoints\.$/m.exec(res.stdout);
    expect(counts, res.stdout).not.toBeNull();
    const [, workspaceId, agents, customers, tickets, messages, journeyTouchpoints] = counts as unknown as string[];
    expect(Number(customers)).toBe(36);
    expect(Number(tickets)).toBe(60);
    expect(Number(messages)).toBeGreaterThan(60);
    const signInLine = /^Sign in as (\S+@\S+) with password "([^"]+)"\.$/m.exec(res.stdout);
    expect(signInLine, res.stdout).not.toBeNull();
    demoOwner = { email: signInLine?.[1] as string, password: signInLine?.[2] as string };

    const database = await openDatabase({ kind: 'pglite', dataDir: env.TRUTHDESK_DATA });
    try {
      const count = async (table: string) =>
        Number((await database.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE workspace_id = $1`, [workspaceId])).rows[0]?.n);
      expect(await count('tickets')).toBe(60);
      expect(await count('customers')).toBe(36);
      expect(await count('agents')).toBe(Number(agents));
      const messageCount = await count('messages');
      expect(messageCount).toBeGreaterThan(60);
      expect(messageCount).toBe(Number(messages));
      // Journeys: the ingested touchpoints joined the help-desk customers (still 36) and span all
      // five moments; only the shop's anonymous prospects and visitors (the loop reports' demo
      // data) are not customers.
      const ingested = await database.pool.query<{ n: string; stages: string; unlinked: string }>(
        `SELECT count(*) AS n, count(DISTINCT stage) AS stages,
                count(*) FILTER (WHERE customer_id IS NULL AND anonymous_id NOT LIKE 'demo-prospect-%' AND anonymous_id NOT LIKE 'demo-visitor-%') AS unlinked
         FROM touchpoints WHERE workspace_id = $1 AND kind <> 'internal'`,
        [workspaceId],
      );
      expect(Number(ingested.rows[0]?.n)).toBe(Number(journeyTouchpoints));
      expect(Number(ingested.rows[0]?.n)).toBeGreaterThan(200);
      expect(Number(ingested.rows[0]?.stages)).toBe(5);
      expect(Number(ingested.rows[0]?.unlinked)).toBe(0);
      expect(await count('touchpoints')).toBeGreaterThan(Number(journeyTouchpoints) + 60);
      // Every ticket has its conversation.
      const bare = await database.pool.query(
        'SELECT t.id FROM tickets t WHERE t.workspace_id = $1 AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.ticket_id = t.id)',
        [workspaceId],
      );
      expect(bare.rows).toEqual([]);
      const subjects = (await database.pool.query<{ subject: string }>('SELECT subject FROM tickets WHERE workspace_id = $1', [workspaceId])).rows.map(
        (r) => r.subject,
      );
      expect(subjects.filter((s) => /\p{Script=Greek}/u.test(s)).length).toBeGreaterThan(0);
      expect(subjects.filter((s) => /\p{Script=Arabic}/u.test(s)).length).toBeGreaterThan(0);
      expect(subjects.filter((s) => /^[\p{Script=Latin}\p{N}\p{P}\p{S}\s]+$/u.test(s)).length).toBeGreaterThan(0);
      const owner = await database.pool.query<{ role: string }>('SELECT role FROM agents WHERE workspace_id = $1 AND lower(email) = lower($2)', [
        workspaceId,
        demoOwner.email,
      ]);
      expect(owner.rows).toEqual([{ role: 'owner' }]);
    } finally {
      await database.close();
    }
  }, 240_000);

  it('`token create --role bogus` fails with a clear error and prints no token', async () => {
    const res = await runCli(['token', 'create', '--role', 'bogus'], env, cwd);
    expect(res.code).not.toBe(0);
    expect(res.code).not.toBeNull();
    expect(res.stderr).toContain('bogus');
    expect(res.stderr).toMatch(/owner.*admin.*team_leader.*agent/s);
    expect(res.stdout).toBe('');
  });

  it('`token create --role admin` prints one token on stdout', async () => {
    const res = await runCli(['token', 'create', '--role', 'admin', '--name', 'Automation'], env, cwd);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^\S{20,}\n$/);
    expect(res.stderr).toMatch(/Automation.*admin/);
    adminToken = res.stdout.trim();
  });

  it('`agent create` refuses a password shorter than 10 characters', async () => {
    const res = await runCli(['agent', 'create', '--email', 'short@example.com', '--name', 'Short', '--password', 'short'], env, cwd);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/at least 10 characters/);
    expect(res.stdout).toBe('');
  });

  it('`agent create` adds a team leader with a Greek name', async () => {
    const res = await runCli(
      ['agent', 'create', '--email', maria.email, '--name', maria.name, '--role', 'team_leader', '--locale', 'el', '--password', maria.password],
      env,
      cwd,
    );
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(`Agent ${maria.name} <${maria.email}> (team_leader) created`);
  });

  it('a server started with `serve` on that directory accepts the token, the new agent and the demo sign-in', async () => {
    expect(adminToken, 'the token test ran first').toBeDefined();
    expect(demoOwner, 'the demo test ran first').toBeDefined();
    const server = await startServe([], env, cwd);
    let stopped = false;
    try {
      // `serve` runs from the bundle of the current sources (built when they changed).
      const stamp = JSON.parse(readFileSync(new URL('../dist/server/stamp.json', import.meta.url), 'utf8')) as { hash: string };
      expect(stamp.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(readFileSync(new URL('../dist/server/truthdesk.mjs', import.meta.url), 'utf8')).toContain('TruthDesk is running at');
      // The CLI-made admin token works and sees the write key.
      const workspace = await fetch(`${server.url}/api/v1/workspace`, { headers: { authorization: `Bearer ${adminToken}` } });
      expect(workspace.status).toBe(200);
      const body = (await workspace.json()) as { writeKey?: unknown; slug?: unknown };
      expect(typeof body.writeKey).toBe('string');
      expect((body.writeKey as string).length).toBeGreaterThan(10);
      const me = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${adminToken}` } });
      expect(((await me.json()) as { role: string }).role).toBe('admin');
      // Without it, or with a made-up one, nothing.
      expect((await fetch(`${server.url}/api/v1/workspace`)).status).toBe(401);
      expect((await fetch(`${server.url}/api/v1/workspace`, { headers: { authorization: `Bearer ${adminToken}x` } })).status).toBe(401);

      // The agent made with the CLI signs in with her password, and acts as a team leader.
      expect((await signIn(server.url, maria.email, 'wrong password')).status).toBe(401);
      const session = await signIn(server.url, maria.email, maria.password);
      expect(session.status).toBe(200);
      expect(session.cookie).toBeDefined();
      const who = await fetch(`${server.url}/api/v1/me`, { headers: { cookie: session.cookie as string } });
      expect(who.status).toBe(200);
      expect(await who.json()).toMatchObject({ role: 'team_leader', agent: { name: maria.name, email: maria.email } });
      const seenByLeader = await fetch(`${server.url}/api/v1/workspace`, { headers: { cookie: session.cookie as string } });
      expect(seenByLeader.status).toBe(200);
      expect((await seenByLeader.json()) as object).not.toHaveProperty('writeKey');

      // The sign-in line `demo` printed is true.
      const owner = await signIn(server.url, demoOwner?.email as string, demoOwner?.password as string);
      expect(owner.status).toBe(200);

      expect(await server.stop()).toBe(0);
      stopped = true;
    } finally {
      if (!stopped) await server.stop();
    }
  }, 240_000);

  it('`export` then `import workspace` moves the whole workspace to a new data directory, Greek agent and all', async () => {
    const file = join(cwd, 'aurora.jsonl');
    const exported = await runCli(['export', '--out', file], env, cwd);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toMatch(/Exported \d+ rows from \d+ tables to .*aurora\.jsonl/);
    expect(exported.stdout).toBe('');
    // --out never overwrites a file.
    const again = await runCli(['export', '--out', file], env, cwd);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already exists: choose another --out file");

    const elsewhere = { TRUTHDESK_DATA: join(cwd, 'moved') };
    const imported = await runCli(['import', 'workspace', file], elsewhere, cwd);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/^Imported workspace aurora-home \([0-9a-f-]{36}\): \d+ rows in \d+ tables\.$/m);
    expect(imported.stderr).toContain('Importing (rows)');
    const twice = await runCli(['import', 'workspace', file], elsewhere, cwd);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/already exists/);

    // Exported again from the new directory (to stdout), it is the same file but for its date.
    const back = await runCli(['export'], elsewhere, cwd);
    expect(back.code, back.stderr).toBe(0);
    const body = (text: string) => text.split('\n').slice(1);
    expect(body(back.stdout)).toEqual(body(readFileSync(file, 'utf8')));
    expect(back.stdout).toContain(maria.name);
  }, 300_000);
});

describe('truthdesk on an empty embedded data directory', () => {
  it('`token create` explains there is no workspace yet; `serve --demo` then creates one and serves it', async () => {
    const cwd = scratchDir();
    const env = { TRUTHDESK_DATA: join(cwd, 'data') };

    const early = await runCli(['token', 'create'], env, cwd);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/no workspace yet/);
    expect(early.stdout).toBe('');

    const server = await startServe(['--demo'], env, cwd);
    let stopped = false;
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(server.stdout).toContain(`TruthDesk is running at ${server.url} on the embedded database in ${env.TRUTHDESK_DATA}`);
      const signInLine = /^Sign in as (\S+@\S+) with password "([^"]+)"/m.exec(server.stdout);
      expect(signInLine, server.stdout).not.toBeNull();

      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', database: 'pglite' });

      // The printed sign-in works and shows the demo tickets.
      const session = await signIn(server.url, signInLine?.[1] as string, signInLine?.[2] as string);
      expect(session.status).toBe(200);
      const tickets = await fetch(`${server.url}/api/v1/tickets?status=new`, { headers: { cookie: session.cookie as string } });
      expect(tickets.status).toBe(200);
      expect(((await tickets.json()) as { data: unknown[] }).data.length).toBeGreaterThan(0);

      expect(await server.stop()).toBe(0);
      stopped = true;
    } finally {
      if (!stopped) await server.stop();
    }

    // A second start on the same directory keeps the data and does not seed again.
    const again = await startServe(['--demo'], env, cwd);
    try {
      expect(again.stdout).not.toMatch(/Sign in as/);
      expect((await fetch(`${again.url}/healthz`)).status).toBe(200);
    } finally {
      expect(await again.stop()).toBe(0);
    }
    const database = await openDatabase({ kind: 'pglite', dataDir: env.TRUTHDESK_DATA });
    try {
      expect((await database.pool.query<{ n: string }>('SELECT count(*) AS n FROM workspaces')).rows[0]?.n).toBe('1');
      expect((await database.pool.query<{ n: string }>('SELECT count(*) AS n FROM tickets')).rows[0]?.n).toBe('60');
    } finally {
      await database.close();
    }
  }, 240_000);
});

describe('truthdesk migrate', () => {
  it('on a new embedded directory applies every migration, then reports it is up to date', async () => {
    const cwd = scratchDir();
    const env = { TRUTHDESK_DATA: join(cwd, 'data') };
    const first = await runCli(['migrate'], env, cwd);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe(`Applied: ${migrationVersions.join(', ')}\n`);
    const second = await runCli(['migrate'], env, cwd);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toBe(`Up to date (${migrationVersions.length} migrations)\n`);
  }, 240_000);

  it.skipIf(!inject('postgresTemplate'))('on PostgreSQL (DATABASE_URL) applies every migration, then reports it is up to date', async () => {
    const empty = await emptyPostgresDatabase();
    try {
      const cwd = scratchDir();
      const env = { DATABASE_URL: empty.url };
      const first = await runCli(['migrate'], env, cwd);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toBe(`Applied: ${migrationVersions.join(', ')}\n`);
      const second = await runCli(['migrate'], env, cwd);
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toBe(`Up to date (${migrationVersions.length} migrations)\n`);
      const client = new pg.Client({ connectionString: empty.url });
      await client.connect();
      try {
        const rows = (await client.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version')).rows;
        expect(rows.map((r) => r.version)).toEqual(migrationVersions);
      } finally {
        await client.end();
      }
      // Nothing was written to an embedded directory next to it.
      expect(readdirSync(cwd)).toEqual([]);
    } finally {
      await empty.drop();
    }
  }, 240_000);
});
