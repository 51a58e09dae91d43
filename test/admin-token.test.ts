// TRUTHDESK_ADMIN_TOKEN bootstrap of a real server on PGlite, with the demo workspace.
// In its own file (so its own process): run after the in-process API tests of
// auth.api.test.ts it hung past its time limit in full runs, while alone it takes ~20 s; see
// the session note — something those tests leave behind (a hub or job runtime) is suspected.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../src/auth/secrets.ts';
import { startServer } from '../src/server.ts';
import type { RunningServer } from '../src/server.ts';

describe('TRUTHDESK_ADMIN_TOKEN bootstrap on a real server (PGlite)', () => {
  const adminToken = 'x'.repeat(32);
  const dataDir = mkdtempSync(join(tmpdir(), 'truthdesk-admin-token-'));
  let server: RunningServer | undefined;

  const start = () =>
    startServer(
      { port: 0, host: '127.0.0.1', logLevel: 'silent', adminToken, database: { kind: 'pglite', dataDir } },
      { demo: true, logger: pino({ level: 'silent' }) },
    );
  const get = (path: string, token?: string) =>
    fetch(`${server?.url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('makes the given secret an owner token of the demo workspace, once, across restarts', { timeout: 300_000 }, async () => {
    server = await start();
    expect((await get('/healthz')).status).toBe(200);
    expect((await get('/api/v1/workspace')).status).toBe(401);
    expect((await get('/api/v1/workspace', 'y'.repeat(32))).status).toBe(401);

    const first = await get('/api/v1/workspace', adminToken);
    expect(first.status).toBe(200);
    const workspace = (await first.json()) as { id: string; name: string; slug: string; writeKey?: string };
    expect(workspace).toMatchObject({ name: 'Aurora Home', slug: 'aurora-home' });
    expect(workspace.writeKey).toMatch(/^wk_/);
    const who = (await (await get('/api/v1/me', adminToken)).json()) as { role: string };
    expect(who.role).toBe('owner');
    // The demo data is there for the token to see.
    const tickets = (await (await get('/api/v1/tickets?limit=5', adminToken)).json()) as { data: unknown[] };
    expect(tickets.data.length).toBeGreaterThan(0);

    await server.stop();
    server = undefined;
    server = await start();
    expect((await get('/healthz')).status).toBe(200);
    const second = await get('/api/v1/workspace', adminToken);
    expect(second.status).toBe(200);
    expect(((await second.json()) as { id: string }).id).toBe(workspace.id);

    const db = server.database.db;
    const rows = await db.selectFrom('api_tokens').select(['id', 'token_hash']).where('token_hash', '=', hashSecret(adminToken)).execute();
    expect(rows).toHaveLength(1);
    const all = JSON.stringify(await db.selectFrom('api_tokens').selectAll().execute());
    expect(all).not.toContain(adminToken);
    // The restart did not seed a second demo workspace either.
    expect(await db.selectFrom('workspaces').select('id').execute()).toEqual([{ id: workspace.id }]);
  });
});
