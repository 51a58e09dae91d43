// Macros: an admin keeps named sets of ticket changes; an agent applies one to a ticket and
// everything it says happens in one transaction — or, when any part is refused, nothing does.
// Bad input changes nothing; agents cannot edit macros; other workspaces never see them.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';

describe.each(availableBackends())('macros on %s', (kind) => {
  let api: TestApi;
  let ws: TestWorkspace;
  let other: TestWorkspace;
  beforeAll(async () => {
    api = await startTestApi(kind);
    ws = await api.createWorkspace('Macros');
    other = await api.createWorkspace('Macros elsewhere');
  });
  afterAll(async () => api?.close());

  const ok = async (res: { statusCode: number; body: string; json: () => unknown }, status: number) => {
    expect(res.statusCode, res.body).toBe(status);
    return res.json() as Record<string, unknown> & { id: string };
  };
  const openTicket = async (name: string, locale: 'el' | 'ar') =>
    ok(
      await api.request(ws.tokens.agent, 'POST', '/api/v1/tickets', {
        subject: locale === 'el' ? 'Η παραγγελία δεν έφτασε' : 'الطلب لم يصل',
        customer: { email: `${[...name].map((c) => c.codePointAt(0)!.toString(36)).join('')}@example.com`, name, locale },
        message: locale === 'el' ? 'Περιμένω δύο εβδομάδες.' : 'أنتظر منذ أسبوعين.',
        tags: ['delivery', 'vip'],
      }),
      201,
    );
  const count = async (table: 'macros' | 'messages') => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(api.database.db)).rows[0]?.n);

  it('applies every change of a macro to a ticket in one go: reply in the customer’s language, note, status, priority, tags, assignee', async () => {
    const canned = await ok(
      await api.request(ws.tokens.admin, 'POST', '/api/v1/canned-responses', {
        name: 'Late delivery apology',
        bodies: { en: 'Sorry for the wait, {{customer.name}}.', el: 'Λυπούμαστε για την αναμονή, {{customer.name}}.', ar: 'نعتذر عن التأخير يا {{customer.name}}.' },
      }),
      201,
    );
    const macro = await ok(
      await api.request(ws.tokens.admin, 'POST', '/api/v1/macros', {
        name: 'Καθυστέρηση αποστολής',
        actions: { status: 'pending', priority: 'high', assignee: 'me', addTags: ['late'], removeTags: ['VIP'], note: 'Ελέγξαμε με την courier.', cannedResponseId: canned.id },
      }),
      201,
    );
    const ticket = await openTicket('Νίκος', 'el');
    const applied = await ok(await api.request(ws.tokens.agent, 'POST', `/api/v1/tickets/${ticket.id}/macros/${macro.id}`, { version: ticket.version }), 200);
    expect(applied).toMatchObject({ status: 'pending', priority: 'high', tags: ['delivery', 'late'] });
    expect(applied.assigneeId).not.toBeNull();
    const messages = (await api.request(ws.tokens.agent, 'GET', `/api/v1/tickets/${ticket.id}/messages`)).json().data as { kind: string; text: string }[];
    expect(messages.filter((m) => m.kind !== 'customer').map((m) => [m.kind, m.text])).toEqual([
      ['reply', 'Λυπούμαστε για την αναμονή, Νίκος.'],
      ['note', 'Ελέγξαμε με την courier.'],
    ]);
    const arabic = await openTicket('سارة', 'ar');
    await ok(await api.request(ws.tokens.agent, 'POST', `/api/v1/tickets/${arabic.id}/macros/${macro.id}`), 200);
    const arMessages = (await api.request(ws.tokens.agent, 'GET', `/api/v1/tickets/${arabic.id}/messages`)).json().data as { kind: string; text: string }[];
    expect(arMessages.find((m) => m.kind === 'reply')?.text).toBe('نعتذر عن التأخير يا سارة.');
    const audit = (await api.request(ws.tokens.owner, 'GET', `/api/v1/audit?entityType=ticket&entityId=${ticket.id}`)).json().data as { action: string }[];
    expect(audit.some((e) => e.action === 'macro.applied')).toBe(true);
  });

  it('changes nothing when any part is refused, or the ticket changed since it was loaded', async () => {
    const ticket = await openTicket('Ελένη', 'el');
    // An assignee who has left since the macro was made is refused by the ticket update, which
    // runs after the note is written: the note goes too.
    const leaver = await ok(
      await api.request(ws.tokens.owner, 'POST', '/api/v1/agents', { email: 'macro.leaver@example.com', name: 'Macro Leaver', role: 'agent' }),
      201,
    );
    const broken = await ok(
      await api.request(ws.tokens.admin, 'POST', '/api/v1/macros', { name: 'Broken', actions: { note: 'Θα χαθεί.', assignee: leaver.id } }),
      201,
    );
    await ok(await api.request(ws.tokens.owner, 'PATCH', `/api/v1/agents/${leaver.id}`, { active: false }), 200);
    const messages = await count('messages');
    const refused = await api.request(ws.tokens.agent, 'POST', `/api/v1/tickets/${ticket.id}/macros/${broken.id}`);
    expect(refused.statusCode).toBeGreaterThanOrEqual(400);
    expect(refused.statusCode).toBeLessThan(500);
    expect(await count('messages')).toBe(messages);
    const simple = await ok(await api.request(ws.tokens.admin, 'POST', '/api/v1/macros', { name: 'Urgent', actions: { priority: 'urgent' } }), 201);
    const stale = await api.request(ws.tokens.agent, 'POST', `/api/v1/tickets/${ticket.id}/macros/${simple.id}`, { version: (ticket.version as number) - 1 });
    expect(stale.statusCode).toBe(409);
    expect((await api.request(ws.tokens.agent, 'GET', `/api/v1/tickets/${ticket.id}`)).json().priority).toBe('normal');
  });

  it('refuses bad macros, keeps agents from editing them and other workspaces out', async () => {
    const macros = await count('macros');
    for (const body of [
      { name: 'Empty', actions: {} },
      { name: 'Bad status', actions: { status: 'closed' } },
      { name: 'Extra', actions: { priority: 'low', delete: true } },
      { name: '', actions: { priority: 'low' } },
    ]) {
      expect((await api.request(ws.tokens.admin, 'POST', '/api/v1/macros', body)).statusCode, JSON.stringify(body)).toBe(400);
    }
    expect((await api.request(ws.tokens.agent, 'POST', '/api/v1/macros', { name: 'Mine', actions: { priority: 'low' } })).statusCode).toBe(403);
    expect((await api.request(ws.tokens.admin, 'POST', '/api/v1/macros', { name: 'urgent', actions: { priority: 'low' } })).statusCode).toBe(409);
    expect(await count('macros')).toBe(macros);

    const listed = (await api.request(ws.tokens.agent, 'GET', '/api/v1/macros')).json().data as { id: string; name: string }[];
    const urgent = listed.find((m) => m.name === 'Urgent')!;
    expect((await api.request(other.tokens.agent, 'GET', '/api/v1/macros')).json().data).toEqual([]);
    const theirs = await ok(
      await api.request(other.tokens.agent, 'POST', '/api/v1/tickets', { subject: 'Άλλος χώρος', customer: { email: 'x@example.gr' }, message: 'Γεια' }),
      201,
    );
    expect((await api.request(other.tokens.agent, 'POST', `/api/v1/tickets/${theirs.id}/macros/${urgent.id}`)).statusCode).toBe(404);
    expect((await api.request(other.tokens.admin, 'DELETE', `/api/v1/macros/${urgent.id}`)).statusCode).toBe(404);
    // Switched off: listed for admins only, and cannot be applied.
    const off = await ok(await api.request(ws.tokens.admin, 'PATCH', `/api/v1/macros/${urgent.id}`, { active: false, version: 1 }), 200);
    expect(off).toMatchObject({ active: false, version: 2 });
    expect((await api.request(ws.tokens.admin, 'PATCH', `/api/v1/macros/${urgent.id}`, { active: true, version: 1 })).statusCode).toBe(409);
    expect(((await api.request(ws.tokens.agent, 'GET', '/api/v1/macros')).json().data as { id: string }[]).map((m) => m.id)).not.toContain(urgent.id);
    const ticket = await openTicket('Γιάννης', 'el');
    expect((await api.request(ws.tokens.agent, 'POST', `/api/v1/tickets/${ticket.id}/macros/${urgent.id}`)).statusCode).toBe(422);
    expect((await api.request(ws.tokens.admin, 'DELETE', `/api/v1/macros/${urgent.id}`)).statusCode).toBe(204);
  });
  it('refuses with 422 a macro that names another workspace’s agent, team or canned reply, on create and on edit', async () => {
    const theirAgent = await ok(
      await api.request(other.tokens.owner, 'POST', '/api/v1/agents', { email: 'elsewhere.agent@example.com', name: 'Elsewhere Agent', role: 'agent' }),
      201,
    );
    const theirTeam = await ok(await api.request(other.tokens.owner, 'POST', '/api/v1/teams', { name: 'Elsewhere team' }), 201);
    const theirCanned = await ok(
      await api.request(other.tokens.admin, 'POST', '/api/v1/canned-responses', { name: 'Elsewhere reply', bodies: { en: 'Hello from elsewhere' } }),
      201,
    );
    const ourTeam = await ok(await api.request(ws.tokens.owner, 'POST', '/api/v1/teams', { name: 'Our macro team' }), 201);
    const macros = await count('macros');
    for (const actions of [{ assignee: theirAgent.id }, { teamId: theirTeam.id }, { cannedResponseId: theirCanned.id }, { priority: 'low', teamId: theirTeam.id }]) {
      const res = await api.request(ws.tokens.admin, 'POST', '/api/v1/macros', { name: `Points elsewhere ${JSON.stringify(actions)}`, actions });
      expect(res.statusCode, `${JSON.stringify(actions)}: ${res.body}`).toBe(422);
      expect(res.json().error.code).toBe('unprocessable');
    }
    expect(await count('macros')).toBe(macros);
    // Our own team is fine, and an edit cannot swap in another workspace's.
    const mine = await ok(await api.request(ws.tokens.admin, 'POST', '/api/v1/macros', { name: 'To our team', actions: { teamId: ourTeam.id } }), 201);
    const edit = await api.request(ws.tokens.admin, 'PATCH', `/api/v1/macros/${mine.id}`, { actions: { teamId: theirTeam.id } });
    expect(edit.statusCode, edit.body).toBe(422);
    const listed = (await api.request(ws.tokens.admin, 'GET', '/api/v1/macros')).json().data as { id: string; actions: unknown; version: number }[];
    expect(listed.find((m) => m.id === mine.id)).toMatchObject({ actions: { teamId: ourTeam.id }, version: 1 });
  });
});
