// Teams, queues and assignment: tickets routed to queues by rules or by hand, assigned by hand,
// round robin or to the least-loaded available agent — and concurrent tickets of one team never
// pile onto the same agent (the team's row is locked while its cursor moves).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConnection, setAgentStatus } from '../src/presence/service.ts';
import { newId } from '../src/shared/ids.ts';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';

const GREEK_SUBJECT = 'Η στιγμή της αλήθειας: ο θερμοστάτης δεν συνδέεται';
const ARABIC_SUBJECT = 'لحظة الحقيقة: الفاتورة غير صحيحة';

describe.each(availableBackends())('queues and assignment on %s', (kind) => {
  let api: TestApi;
  let ws: TestWorkspace;
  let other: TestWorkspace;
  const agents: Record<string, string> = {};

  async function json(res: { statusCode: number; body: string; json(): unknown }, status: number) {
    if (res.statusCode !== status) throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body}`);
    return res.json() as Record<string, unknown> & { id: string };
  }

  const post = (url: string, body: unknown, token = ws.tokens.admin) => api.request(token, 'POST', url, body);
  const patch = (url: string, body: unknown, token = ws.tokens.admin) => api.request(token, 'PATCH', url, body);

  async function team(name: string, memberNames: string[], assignment: Record<string, unknown>) {
    return json(await post('/api/v1/teams', { name, memberIds: memberNames.map((n) => agents[n]), assignment }), 201);
  }

  async function ticket(body: Record<string, unknown>) {
    return (await json(
      await post('/api/v1/tickets', { customer: { email: `c${Math.random()}@example.gr` }, message: 'Καλησπέρα', ...body }),
      201,
    )) as { id: string; assigneeId: string | null; teamId: string | null; queueId: string | null; version: number };
  }

  /** The agent's socket is open (as if the web app were), so they count as available. */
  async function online(name: string) {
    await openConnection(api.database.db, ws.id, newId(), agents[name] as string);
  }

  beforeAll(async () => {
    api = await startTestApi(kind);
    ws = await api.createWorkspace('Routing');
    other = await api.createWorkspace('Elsewhere');
    for (const [key, name] of [
      ['maria', 'Μαρία Παπαδοπούλου'],
      ['nikos', 'Νίκος Γεωργίου'],
      ['eleni', 'Ελένη Κ.'],
      ['karim', 'كريم المصري'],
      ['layla', 'ليلى حسن'],
      ['omar', 'عمر'],
    ] as const) {
      agents[key] = (await json(await post('/api/v1/agents', { email: `${key}@routing.example.com`, name }), 201)).id;
    }
  });
  afterAll(async () => api?.close());

  it('routes new tickets to the first matching queue and its team, or to the queue given, and lists queue counts', async () => {
    const greekTeam = await team('Ελληνική ομάδα', ['maria', 'nikos'], { mode: 'manual' });
    const arabicTeam = await team('الفريق العربي', ['karim', 'layla'], { mode: 'manual' });
    const greek = await json(await post('/api/v1/queues', { name: 'Ελληνικά — email', teamId: greekTeam.id, rules: { channels: ['email'], locales: ['el'] }, position: 1 }), 201);
    const arabic = await json(await post('/api/v1/queues', { name: 'العربية', teamId: arabicTeam.id, rules: { locales: ['ar'] }, position: 2 }), 201);
    const vip = await json(await post('/api/v1/queues', { name: 'VIP', rules: { tags: ['vip'] }, position: 0 }), 201);

    const t1 = await ticket({ subject: GREEK_SUBJECT, channel: 'email', customer: { email: 'maria.k@example.gr', locale: 'el' } });
    expect(t1).toMatchObject({ queueId: greek.id, teamId: greekTeam.id, assigneeId: null });
    const t2 = await ticket({ subject: ARABIC_SUBJECT, channel: 'chat', customer: { email: 'ahmad@example.sa', locale: 'ar' } });
    expect(t2).toMatchObject({ queueId: arabic.id, teamId: arabicTeam.id });
    // The lowest position wins when several match.
    const t3 = await ticket({ subject: 'VIP Ελληνικά', channel: 'email', customer: { email: 'vip@example.gr', locale: 'el' }, tags: ['vip'] });
    expect(t3).toMatchObject({ queueId: vip.id, teamId: null });
    // Greek by chat matches no rule (the Greek queue is e-mail only).
    const t4 = await ticket({ subject: 'Συνομιλία', channel: 'chat', customer: { email: 'chat@example.gr', locale: 'el' } });
    expect(t4).toMatchObject({ queueId: null, teamId: null });
    // Explicitly chosen, or explicitly none.
    const t5 = await ticket({ subject: 'Explicit', channel: 'chat', queueId: arabic.id });
    expect(t5).toMatchObject({ queueId: arabic.id, teamId: arabicTeam.id });
    const t6 = await ticket({ subject: 'No queue', channel: 'email', customer: { email: 'none@example.gr', locale: 'el' }, queueId: null });
    expect(t6.queueId).toBeNull();

    const inQueue = await json(await api.request(ws.tokens.agent, 'GET', `/api/v1/tickets?queue=${arabic.id}`), 200);
    expect((inQueue.data as Array<{ id: string }>).map((t) => t.id).sort()).toEqual([t2.id, t5.id].sort());
    const queues = (await json(await api.request(ws.tokens.agent, 'GET', '/api/v1/queues'), 200)).data as Array<{ name: string; counts: unknown }>;
    expect(queues.map((q) => q.name)).toEqual(['VIP', 'Ελληνικά — email', 'العربية']);
    expect(queues[2]?.counts).toEqual({ unsolved: 2, unassigned: 2 });

    // A deactivated queue routes nothing; a queue of another workspace is refused, nothing made.
    expect(vip.version).toBe(1);
    expect((await json(await patch(`/api/v1/queues/${vip.id}`, { active: false, version: 1 }), 200)).version).toBe(2);
    // Another admin's edit made from version 1 is refused and changes nothing.
    const stale = await patch(`/api/v1/queues/${vip.id}`, { active: true, rules: { tags: ['πελάτης-vip'] }, version: 1 }, ws.tokens.owner);
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'version_conflict' });
    expect(await json(await api.request(ws.tokens.agent, 'GET', `/api/v1/queues/${vip.id}`), 200)).toMatchObject({ active: false, version: 2, rules: { tags: ['vip'] } });
    const t7 = await ticket({ subject: 'VIP again', channel: 'email', customer: { email: 'vip2@example.gr', locale: 'el' }, tags: ['vip'] });
    expect(t7.queueId).toBe(greek.id);
    const foreign = await json(await api.request(other.tokens.admin, 'POST', '/api/v1/queues', { name: 'Ξένη' }), 201);
    const before = (await json(await api.request(ws.tokens.agent, 'GET', '/api/v1/tickets?limit=200'), 200)).data as unknown[];
    const refused = await post('/api/v1/tickets', { subject: 'x', customer: { email: 'x@example.gr' }, queueId: foreign.id });
    expect(refused.statusCode).toBe(422);
    expect((await json(await api.request(ws.tokens.agent, 'GET', '/api/v1/tickets?limit=200'), 200)).data).toHaveLength(before.length);
    // Agents may read queues but not change them; a duplicate name is a 409.
    expect((await api.request(ws.tokens.agent, 'POST', '/api/v1/queues', { name: 'Agent queue' })).statusCode).toBe(403);
    expect((await post('/api/v1/queues', { name: 'VIP' })).statusCode).toBe(409);
    expect((await post('/api/v1/queues', { name: 'Bad', rules: { channels: ['fax'] } })).statusCode).toBe(400);
  });

  it('assigns by hand, audited and announced, and refuses strangers and closed tickets with 4xx changing nothing', async () => {
    const t = await ticket({ subject: GREEK_SUBJECT });
    const res = await json(await post(`/api/v1/tickets/${t.id}/assign`, { agentId: agents.eleni }), 200);
    expect(res.assignment).toMatchObject({ assigneeId: agents.eleni, by: 'manual' });
    expect((res.ticket as { assigneeId: string }).assigneeId).toBe(agents.eleni);
    const audit = (await json(await api.request(ws.tokens.owner, 'GET', '/api/v1/audit?limit=20'), 200)).data as Array<{ action: string; entityId: string; changes: Record<string, unknown> }>;
    expect(audit.find((a) => a.action === 'ticket.assigned' && a.entityId === t.id)?.changes).toMatchObject({ assigneeId: [null, agents.eleni], by: 'manual' });

    const stranger = (await json(await api.request(other.tokens.admin, 'POST', '/api/v1/agents', { email: 'x@elsewhere.example.com', name: 'X' }), 201)).id;
    const version = ((await json(await api.request(ws.tokens.agent, 'GET', `/api/v1/tickets/${t.id}`), 200)) as unknown as { version: number }).version;
    for (const body of [{ agentId: stranger }, { teamId: newId() }, { queueId: newId() }]) {
      const r = await post(`/api/v1/tickets/${t.id}/assign`, body);
      expect(r.statusCode, r.body).toBe(422);
    }
    // Without an agent and without a team, there is nobody to pick from.
    const noTeam = await post(`/api/v1/tickets/${t.id}/assign`, {});
    expect(noTeam.statusCode).toBe(422);
    expect((await post(`/api/v1/tickets/${t.id}/assign`, { agentId: agents.nikos, version: version - 1 })).statusCode).toBe(409);
    const after = (await json(await api.request(ws.tokens.agent, 'GET', `/api/v1/tickets/${t.id}`), 200)) as unknown as { version: number; assigneeId: string };
    expect(after).toMatchObject({ version, assigneeId: agents.eleni });
    expect((await api.request(other.tokens.admin, 'POST', `/api/v1/tickets/${t.id}/assign`, { agentId: stranger })).statusCode).toBe(404);

    await json(await patch(`/api/v1/tickets/${t.id}`, { status: 'solved' }), 200);
    await json(await patch(`/api/v1/tickets/${t.id}`, { status: 'closed' }), 200);
    expect((await post(`/api/v1/tickets/${t.id}/assign`, { agentId: agents.nikos })).statusCode).toBe(422);
  });

  it('round robin: twelve tickets arriving at once go to three agents four each, in turn', async () => {
    const rr = await team('Round robin', ['maria', 'nikos', 'karim'], { mode: 'round_robin', onlyAvailable: false });
    const queue = await json(await post('/api/v1/queues', { name: 'Web form', teamId: rr.id, rules: { channels: ['web'] }, position: -1 }), 201);
    const created = await Promise.all(
      Array.from({ length: 12 }, (_, i) => ticket({ subject: `${GREEK_SUBJECT} ${i}`, channel: 'web' })),
    );
    expect(created.every((t) => t.queueId === queue.id && t.teamId === rr.id)).toBe(true);
    const counts = new Map<string, number>();
    for (const t of created) counts.set(t.assigneeId as string, (counts.get(t.assigneeId as string) ?? 0) + 1);
    expect(new Set(counts.keys())).toEqual(new Set([agents.maria, agents.nikos, agents.karim]));
    expect([...counts.values()]).toEqual([4, 4, 4]);
    // In ticket-number order the agents take strict turns.
    const ordered = await Promise.all(created.map(async (t) => (await json(await api.request(ws.tokens.agent, 'GET', `/api/v1/tickets/${t.id}`), 200)) as unknown as { number: number; assigneeId: string }));
    ordered.sort((a, b) => a.number - b.number);
    const firstThree = ordered.slice(0, 3).map((t) => t.assigneeId);
    expect(new Set(firstThree).size).toBe(3);
    expect(ordered.map((t) => t.assigneeId)).toEqual([...firstThree, ...firstThree, ...firstThree, ...firstThree]);
    // Every automatic assignment is in the audit log with the rule that made it.
    const audit = (await json(await api.request(ws.tokens.owner, 'GET', '/api/v1/audit?limit=200'), 200)).data as Array<{ action: string; changes: { by?: string } }>;
    expect(audit.filter((a) => a.action === 'ticket.assigned' && a.changes.by === 'round_robin')).toHaveLength(12);
  });

  it('load balanced: only available agents, the least loaded first, concurrent tickets even the load out', async () => {
    const lb = await team('فريق التوازن', ['eleni', 'layla', 'omar'], { mode: 'load_balanced' });
    // Nobody is online yet: the ticket waits unassigned in the team.
    const waiting = await ticket({ subject: ARABIC_SUBJECT, teamId: lb.id });
    expect(waiting).toMatchObject({ teamId: lb.id, assigneeId: null });
    const auto = await json(await post(`/api/v1/tickets/${waiting.id}/assign`, {}), 200);
    expect(auto.assignment).toMatchObject({ assigneeId: null, by: null });
    expect(String((auto.assignment as { reason: string }).reason)).toMatch(/eligible/);

    await online('eleni');
    await online('layla');
    await online('omar');
    await setAgentStatus({ db: api.database.db, workspaceId: ws.id, actor: { type: 'system', id: null, role: 'owner' } }, agents.omar as string, 'away');
    // Eleni already has two unsolved tickets, Layla none.
    for (let i = 0; i < 2; i++) await ticket({ subject: `Φόρτος ${i}`, assigneeId: agents.eleni });
    const eleniBefore = (await json(await api.request(ws.tokens.agent, 'GET', `/api/v1/tickets?assignee=${agents.eleni}&status=new,open,pending,on_hold`), 200)).data as unknown[];
    const laylaBefore = (await json(await api.request(ws.tokens.agent, 'GET', `/api/v1/tickets?assignee=${agents.layla}&status=new,open,pending,on_hold`), 200)).data as unknown[];
    expect(eleniBefore.length - laylaBefore.length).toBe(2);

    const created = await Promise.all(Array.from({ length: 8 }, (_, i) => ticket({ subject: `${ARABIC_SUBJECT} ${i}`, teamId: lb.id })));
    const got = (id: string) => created.filter((t) => t.assigneeId === id).length;
    expect(got(agents.omar as string)).toBe(0); // away
    // Layla first catches up by two, then they alternate: 2 + 3 = 5 for Layla, 3 for Eleni.
    expect(got(agents.layla as string)).toBe(5);
    expect(got(agents.eleni as string)).toBe(3);
    const eleniAfter = (await json(await api.request(ws.tokens.agent, 'GET', `/api/v1/tickets?assignee=${agents.eleni}&status=new,open,pending,on_hold`), 200)).data as unknown[];
    const laylaAfter = (await json(await api.request(ws.tokens.agent, 'GET', `/api/v1/tickets?assignee=${agents.layla}&status=new,open,pending,on_hold`), 200)).data as unknown[];
    expect(eleniAfter.length).toBe(laylaAfter.length);

    // A cap per agent: with both at their limit the next ticket waits unassigned.
    const cap = eleniAfter.length;
    await json(await patch(`/api/v1/teams/${lb.id}`, { assignment: { maxOpenPerAgent: cap } }), 200);
    const capped = await ticket({ subject: 'Πάνω από το όριο', teamId: lb.id });
    expect(capped.assigneeId).toBeNull();
    const teams = (await json(await api.request(ws.tokens.agent, 'GET', '/api/v1/teams'), 200)).data as Array<{ id: string; assignment: unknown }>;
    expect(teams.find((t) => t.id === lb.id)?.assignment).toEqual({ mode: 'load_balanced', onlyAvailable: true, maxOpenPerAgent: cap });
    expect((await patch(`/api/v1/teams/${lb.id}`, { assignment: { mode: 'random' } })).statusCode).toBe(400);
  });
});
