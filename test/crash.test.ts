// Crash safety under a stream of writes: the real server (a child process) takes ingest batches,
// ticket replies and inbound mail at the same time, is SIGKILLed mid-stream, and restarted.
// Every write it acknowledged is there exactly once; a batch cut by the crash is all there or
// not at all; a client retrying what it sent stores nothing twice — on PGlite and PostgreSQL.
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createToken } from '../src/auth/service.ts';
import { openDatabase } from '../src/db/connection.ts';
import type { DatabaseOptions } from '../src/db/connection.ts';
import { migrate } from '../src/db/migrate.ts';
import { createWorkspace } from '../src/workspaces/service.ts';
import { cleanupCli, scratchDir, smtpPortOf, startServe, startServeRetrying } from './support/cli.ts';
import type { Served } from './support/cli.ts';
import { availableBackends, freshDatabase } from './support/db.ts';
import type { TestDatabase } from './support/db.ts';
import { rawMail, seedParagraphs, sendRaw } from './support/mail.ts';
import { seedText } from './support/seeds.ts';

afterAll(cleanupCli);

const GREEK = seedParagraphs(seedText('000_872ed610193a76ff.txt'), 1);
const ARABIC = seedParagraphs(seedText('003_d927bf57eeee527a.txt'), 1);
const BATCH = 25;

interface Acked {
  batches: string[][];
  unackedBatches: string[][];
  replies: string[];
  mails: string[];
}

/** Three writers at once until `stop` resolves; each records what the server acknowledged. */
async function writeUntil(served: Served, auth: { token: string; writeKey: string; ticketId: string }, stop: Promise<void>): Promise<Acked> {
  const acked: Acked = { batches: [], unackedBatches: [], replies: [], mails: [] };
  let stopped = false;
  void stop.then(() => (stopped = true));
  const basic = `Basic ${Buffer.from(`${auth.writeKey}:`).toString('base64')}`;
  const ingest = async () => {
    for (let b = 0; !stopped; b++) {
      const ids = Array.from({ length: BATCH }, (_, i) => `crash-${b}-${i}-${Math.random().toString(36).slice(2)}`);
      const batch = ids.map((messageId, i) => ({
        type: 'track',
        userId: `customer-${i % 5}`,
        event: i % 2 ? 'Order Completed' : 'Review Published',
        properties: { text: i % 2 ? GREEK : ARABIC },
        messageId,
      }));
      try {
        const res = await fetch(`${served.url}/api/v1/batch`, { method: 'POST', headers: { authorization: basic, 'content-type': 'application/json' }, body: JSON.stringify({ batch }) });
        const body = (await res.json()) as { results: { status: string }[] };
        if (res.status === 200 && body.results.every((r) => r.status === 'stored')) acked.batches.push(ids);
        else acked.unackedBatches.push(ids);
      } catch {
        acked.unackedBatches.push(ids);
        return;
      }
    }
  };
  const replies = async () => {
    for (let n = 0; !stopped; n++) {
      const body = `Απάντηση ${n} — ${Math.random().toString(36).slice(2)}`;
      try {
        const res = await fetch(`${served.url}/api/v1/tickets/${auth.ticketId}/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${auth.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ kind: 'note', body }),
        });
        if (res.status === 201) acked.replies.push(body);
      } catch {
        return;
      }
    }
  };
  const mails = async () => {
    const port = smtpPortOf(served);
    for (let n = 0; !stopped; n++) {
      const messageId = `crash-${n}-${Math.random().toString(36).slice(2)}@client.example`;
      const raw = rawMail({ from: `sender${n}@example.sa`, to: 'support@crash.example.com', subject: `رسالة ${n}`, text: ARABIC, charset: 'UTF-8', messageId });
      try {
        const answer = await sendRaw(port, { from: `sender${n}@example.sa`, to: ['support@crash.example.com'] }, raw);
        if (/^250/.test(answer.response)) acked.mails.push(messageId);
      } catch {
        return;
      }
    }
  };
  await Promise.all([ingest(), replies(), mails()]);
  return acked;
}

describe.each(availableBackends())('acknowledged writes survive SIGKILL on %s', (kind) => {
  let pgDatabase: TestDatabase | undefined;
  afterAll(async () => pgDatabase?.close());

  it('ingest batches, replies and mail acknowledged before the kill are there once; cut batches are whole or absent', async () => {
    const cwd = scratchDir();
    let options: DatabaseOptions;
    let env: Record<string, string>;
    if (kind === 'postgres') {
      pgDatabase = await freshDatabase('postgres');
      options = { kind: 'postgres', url: pgDatabase.url as string };
      env = { DATABASE_URL: pgDatabase.url as string };
    } else {
      const dataDir = join(cwd, 'data');
      options = { kind: 'pglite', dataDir };
      env = { TRUTHDESK_DATA: dataDir };
    }
    const setup = await openDatabase(options);
    let auth: { token: string; writeKey: string; ticketId: string };
    let workspaceId: string;
    try {
      await migrate(setup.pool);
      const { workspace, ownerId } = await createWorkspace(setup.db, {
        name: 'Crash Test',
        owner: { email: 'owner@crash.example.com', name: 'Owner', password: 'correct horse battery' },
      });
      workspaceId = workspace.id;
      const token = (await createToken({ db: setup.db, workspaceId, actor: { type: 'agent', id: ownerId, role: 'owner' } }, { name: 'test', role: 'owner' })).token;
      const row = await setup.db.selectFrom('workspaces').select('write_key').where('id', '=', workspaceId).executeTakeFirstOrThrow();
      auth = { token, writeKey: row.write_key, ticketId: '' };
    } finally {
      await setup.close();
    }

    // Workers off on the first server: mail is acknowledged, its processing is left for later.
    const first = await startServe([], { ...env, TRUTHDESK_WORKERS: 'off' }, cwd);
    const created = await fetch(`${first.url}/api/v1/tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${auth.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ subject: 'Η συσκευή δεν ανάβει', customer: { email: 'eleni@example.gr', name: 'Ελένη' }, channel: 'email', priority: 'high', message: GREEK }),
    });
    expect(created.status).toBe(201);
    auth.ticketId = ((await created.json()) as { id: string }).id;

    // The kill comes once every writer has had something acknowledged, mid-stream.
    let killNow: () => void = () => undefined;
    const killed = new Promise<void>((resolve) => (killNow = resolve));
    const streaming = writeUntil(first, auth, killed);
    const started = Date.now();
    const probe = setInterval(() => {
      if (Date.now() - started > 4000) {
        first.kill('SIGKILL');
        killNow();
        clearInterval(probe);
      }
    }, 100);
    const acked = await streaming;
    clearInterval(probe);
    expect(await first.exited).toBeNull();
    expect(acked.batches.length).toBeGreaterThan(0);
    expect(acked.replies.length).toBeGreaterThan(0);
    expect(acked.mails.length).toBeGreaterThan(0);

    // Restarted with workers: the stored mail is processed; then a client retries everything.
    const second = await startServeRetrying(env, cwd);
    try {
      const headers = { authorization: `Bearer ${auth.token}` };
      const deadline = Date.now() + 120_000;
      for (;;) {
        const inbound = (await (await fetch(`${second.url}/api/v1/email/inbound?limit=200`, { headers })).json()) as { data: { status: string }[] };
        if (inbound.data.length >= acked.mails.length && inbound.data.every((m) => m.status !== 'received')) break;
        if (Date.now() > deadline) throw new Error(`mail still unprocessed: ${JSON.stringify(inbound.data.map((m) => m.status))}`);
        await new Promise((r) => setTimeout(r, 300));
      }
      const basic = `Basic ${Buffer.from(`${auth.writeKey}:`).toString('base64')}`;
      for (const ids of acked.batches.slice(0, 3)) {
        const batch = ids.map((messageId) => ({ type: 'track', userId: 'customer-0', event: 'Order Completed', messageId }));
        const res = await fetch(`${second.url}/api/v1/batch`, { method: 'POST', headers: { authorization: basic, 'content-type': 'application/json' }, body: JSON.stringify({ batch }) });
        expect(((await res.json()) as { results: { status: string }[] }).results.every((r) => r.status === 'duplicate')).toBe(true);
      }
    } finally {
      expect(await second.stop()).toBe(0);
    }

    const check = await openDatabase(options);
    try {
      const stored = await sql<{ message_id: string; n: string }>`
        SELECT message_id, count(*) AS n FROM touchpoints WHERE workspace_id = ${workspaceId} AND message_id LIKE 'crash-%' GROUP BY 1`.execute(check.db);
      const count = new Map(stored.rows.map((r) => [r.message_id, Number(r.n)]));
      for (const ids of acked.batches) for (const id of ids) expect(count.get(id), id).toBe(1);
      // A batch the crash cut: every message of it or none (one transaction).
      for (const ids of acked.unackedBatches) {
        const present = ids.filter((id) => count.has(id)).length;
        expect([0, ids.length]).toContain(present);
        for (const id of ids) expect(count.get(id) ?? 1).toBe(1);
      }
      const notes = await sql<{ body_text: string; n: string }>`
        SELECT body_text, count(*) AS n FROM messages WHERE workspace_id = ${workspaceId} AND ticket_id = ${auth.ticketId} AND kind = 'note' GROUP BY 1`.execute(check.db);
      const noteCount = new Map(notes.rows.map((r) => [r.body_text, Number(r.n)]));
      for (const body of acked.replies) expect(noteCount.get(body), body).toBe(1);
      expect(notes.rows.every((r) => Number(r.n) === 1)).toBe(true);
      const mails = await sql<{ message_id: string; tickets: string; messages: string }>`
        SELECT i.message_id, count(DISTINCT i.ticket_id) AS tickets, count(DISTINCT i.message_row_id) AS messages
        FROM inbound_emails i WHERE i.workspace_id = ${workspaceId} AND i.status = 'processed' GROUP BY 1`.execute(check.db);
      const mailCount = new Map(mails.rows.map((r) => [r.message_id.replace(/^<|>$/g, ''), r]));
      for (const id of acked.mails) {
        expect(mailCount.get(id), id).toMatchObject({ tickets: expect.anything(), messages: expect.anything() });
        expect(Number(mailCount.get(id)?.tickets)).toBe(1);
        expect(Number(mailCount.get(id)?.messages)).toBe(1);
      }
      const mailTickets = await sql<{ n: string }>`SELECT count(*) AS n FROM tickets WHERE workspace_id = ${workspaceId} AND channel = 'email' AND subject LIKE 'رسالة %'`.execute(check.db);
      expect(Number(mailTickets.rows[0]?.n)).toBe(mails.rows.length);
    } finally {
      await check.close();
    }
  }, 420_000);
});
