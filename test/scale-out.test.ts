// The scaled-out set-up of the README, as real processes on one PostgreSQL: two API servers
// (`serve` with TRUTHDESK_WORKERS=off) and two separate `truthdesk worker`s. A change made
// through one API process reaches an agent connected to the other within a second, and jobs
// queued through either API are run exactly once between the competing workers.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../src/auth/service.ts';
import { migrate } from '../src/db/migrate.ts';
import { createWorkspace } from '../src/workspaces/service.ts';
import { cleanupCli, scratchDir, startServe, startWorker } from './support/cli.ts';
import type { Served } from './support/cli.ts';
import { availableBackends, freshDatabase } from './support/db.ts';
import type { TestDatabase } from './support/db.ts';
import { startSink } from './support/mail.ts';
import type { Sink } from './support/mail.ts';
import { connectWs, wsUrl } from './support/ws.ts';
import type { TestSocket } from './support/ws.ts';

afterAll(cleanupCli);

describe.skipIf(!availableBackends().includes('postgres'))('two API processes and two workers on one PostgreSQL', () => {
  let database: TestDatabase;
  let sink: Sink;
  let token: string;
  let ownerEmail: string;
  const password = 'correct horse battery staple';
  const apis: Served[] = [];
  const workers: ChildProcess[] = [];
  let agentOnB: TestSocket | undefined;

  beforeAll(async () => {
    database = await freshDatabase('postgres');
    await migrate(database.pool);
    ownerEmail = 'owner@scale.example.com';
    const { workspace, ownerId } = await createWorkspace(database.db, { name: 'Scale', owner: { email: ownerEmail, name: 'Ελένη', password } });
    token = (await createToken({ db: database.db, workspaceId: workspace.id, actor: { type: 'agent', id: ownerId, role: 'owner' } }, { name: 'test', role: 'owner' })).token;
    sink = await startSink();
    const env = { DATABASE_URL: database.url as string, TRUTHDESK_SMTP_URL: sink.url };
    const cwd = scratchDir();
    const started = await Promise.all([
      startServe(['--no-build'], { ...env, TRUTHDESK_WORKERS: 'off' }, cwd),
      startServe(['--no-build'], { ...env, TRUTHDESK_WORKERS: 'off' }, cwd),
      startWorker(env, cwd),
      startWorker(env, cwd),
    ]);
    apis.push(started[0], started[1]);
    workers.push(started[2], started[3]);
  }, 300_000);

  afterAll(async () => {
    await agentOnB?.close();
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(apis.map((a) => a.stop()));
    await sink?.close();
    await database?.close();
  });

  const call = async (server: Served, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await res.json()) as Record<string, unknown> & { id: string };
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };

  it('an update through A reaches an agent connected to B within a second', async () => {
    const [a, b] = apis as [Served, Served];
    const login = await fetch(`${b.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: ownerEmail, password }) });
    expect(login.status).toBe(200);
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c?.startsWith('td_session=')) as string;
    agentOnB = await connectWs(wsUrl(b.url, '/api/v1/realtime'), { cookie });
    await agentOnB.waitFor((m) => m.type === 'ready');
    const ticket = await call(a, 'POST', '/api/v1/tickets', { subject: 'Ο θερμοστάτης δεν συνδέεται', customer: { email: 'maria@example.gr', name: 'Μαρία' }, channel: 'web', priority: 'normal', message: 'Από χθες.' });
    const sent = Date.now();
    await call(a, 'PATCH', `/api/v1/tickets/${ticket.id}`, { priority: 'urgent' });
    const event = await agentOnB.waitFor(
      (m) => m.type === 'event' && (m.event as { type: string; data?: { id?: string; ticketId?: string } }).type === 'ticket.updated',
      5_000,
    );
    expect(Date.now() - sent).toBeLessThan(1_000);
    expect(JSON.stringify(event)).toContain(ticket.id);
  });

  it('replies queued through both APIs are mailed exactly once between the two workers', async () => {
    const [a, b] = apis as [Served, Served];
    const replies: string[] = [];
    for (let i = 0; i < 12; i++) {
      const via = i % 2 ? b : a;
      const ticket = await call(via, 'POST', '/api/v1/tickets', {
        subject: `Αίτημα ${i}`,
        customer: { email: `customer${i}@example.gr`, name: `Πελάτης ${i}` },
        channel: 'email',
        priority: 'normal',
        message: 'Καλησπέρα, χρειάζομαι βοήθεια.',
      });
      const marker = `scale-reply-${i}-${Date.now()}`;
      await call(i % 2 ? a : b, 'POST', `/api/v1/tickets/${ticket.id}/messages`, { kind: 'reply', body: `Σας απαντάμε: ${marker}` });
      replies.push(marker);
    }
    const mailed = () => sink.messages.filter((m) => replies.some((r) => (m.parsed.text ?? '').includes(r)));
    const deadline = Date.now() + 60_000;
    while (mailed().length < replies.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    // A duplicate would come from the other worker picking the same job: give it time to show.
    await new Promise((r) => setTimeout(r, 3_000));
    const counts = replies.map((r) => mailed().filter((m) => (m.parsed.text ?? '').includes(r)).length);
    expect(counts).toEqual(replies.map(() => 1));
  });
});
