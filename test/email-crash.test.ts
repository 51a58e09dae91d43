// Crash safety of inbound mail: the real server as a child process is SIGKILLed right after its
// SMTP 250, restarted, and the ticket is there exactly once — on PGlite and on PostgreSQL.
import { join } from 'node:path';
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

const GREEK = seedParagraphs(seedText('000_872ed610193a76ff.txt'), 2);

describe.each(availableBackends())('inbound mail survives a crash on %s', (kind) => {
  let pgDatabase: TestDatabase | undefined;
  afterAll(async () => pgDatabase?.close());

  it('SIGKILL right after the 250, restart: the ticket exists exactly once', async () => {
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
    // A workspace and an API token, made before any server runs.
    const setup = await openDatabase(options);
    let token: string;
    try {
      await migrate(setup.pool);
      const { workspace, ownerId } = await createWorkspace(setup.db, {
        name: 'Crash Test',
        owner: { email: 'owner@crash.example.com', name: 'Owner', password: 'correct horse battery' },
      });
      token = (await createToken(
        { db: setup.db, workspaceId: workspace.id, actor: { type: 'agent', id: ownerId, role: 'owner' } },
        { name: 'test', role: 'owner' },
      )).token;
    } finally {
      await setup.close();
    }
    const api = async (served: Served, path: string) => {
      const res = await fetch(`${served.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      return res.json();
    };

    // 1. A server whose job workers are off (they run elsewhere, or have not got to it yet):
    //    the mail is acknowledged, then the process dies before anything processed it.
    const first = await startServe([], { ...env, TRUTHDESK_WORKERS: 'off' }, cwd);
    const messageId = `crash-${Date.now()}@client.example`;
    const raw = rawMail({
      from: 'sofia@example.gr',
      to: 'support@crash.example.com',
      subject: 'Η παραγγελία δεν έφτασε',
      text: GREEK,
      charset: 'ISO-8859-7',
      messageId,
      attachment: { filename: 'απόδειξη.txt', contentType: 'text/plain', content: Buffer.from('receipt 42') },
    });
    const answer = await sendRaw(smtpPortOf(first), { from: 'sofia@example.gr', to: ['support@crash.example.com'] }, raw);
    expect(answer.response).toMatch(/^250/);
    first.kill('SIGKILL');
    expect(await first.exited).toBeNull();

    // 2. Restarted normally, the server finds the stored mail and its job, and processes it.
    const second = await startServeRetrying(env, cwd);
    try {
      const deadline = Date.now() + 90_000;
      let tickets: { id: string; subject: string }[] = [];
      while (Date.now() < deadline) {
        tickets = (await api(second, '/api/v1/tickets')).data;
        if (tickets.length) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(tickets).toHaveLength(1);
      expect(tickets[0]?.subject).toBe('Η παραγγελία δεν έφτασε');
      const messages = (await api(second, `/api/v1/tickets/${tickets[0]?.id}/messages`)).data;
      expect(messages).toHaveLength(1);
      expect(messages[0].text).toBe(GREEK);

      // 3. The sending server, not having seen our 250 die with us, sends it again: still once.
      await sendRaw(smtpPortOf(second), { from: 'sofia@example.gr', to: ['support@crash.example.com'] }, raw);
      const until = Date.now() + 60_000;
      let inbound: { status: string; reason: string | null }[] = [];
      while (Date.now() < until) {
        inbound = (await api(second, '/api/v1/email/inbound')).data;
        if (inbound.every((m) => m.status !== 'received')) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(inbound.map((m) => m.status).sort()).toEqual(['ignored', 'processed']);
      expect((await api(second, '/api/v1/tickets')).data).toHaveLength(1);
      expect((await api(second, `/api/v1/tickets/${tickets[0]?.id}/messages`)).data).toHaveLength(1);
    } finally {
      await second.stop();
    }
  }, 300_000);
});
