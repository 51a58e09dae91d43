// Tickets that arrive while nobody of their team can take them wait unassigned, and are handed
// out — oldest first, by the team's rule — when an agent comes online or back to "available",
// when the team's rule changes, or when asked.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRuntime } from '../src/jobs/index.ts';
import { closeConnection, openConnection, setAgentStatus } from '../src/presence/service.ts';
import { newId } from '../src/shared/ids.ts';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';

describe.each(availableBackends())('waiting tickets handed out on %s', (kind) => {
  let api: TestApi;
  let ws: TestWorkspace;
  let jobs: JobRuntime;
  const agents: Record<string, string> = {};

  const system = () => ({ db: api.database.db, workspaceId: ws.id, actor: { type: 'system' as const, id: null, role: 'owner' as const } });
  const post = (url: string, body?: unknown, token = ws.tokens.admin) => api.request(token, 'POST', url, body);
  const ticketsOfTeam = async (teamId: string) =>
    (await api.request(ws.tokens.agent, 'GET', `/api/v1/tickets?team=${teamId}&limit=200`)).json().data as Array<{ id: string; number: number; assigneeId: string | null }>;
  async function team(name: string, members: string[], assignment: Record<string, unknown>): Promise<string> {
    const res = await post('/api/v1/teams', { name, memberIds: members.map((m) => agents[m]), assignment });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id;
  }
  async function tickets(teamId: string, n: number, subject: string) {
    for (let i = 0; i < n; i++) {
      const res = await post('/api/v1/tickets', { subject: `${subject} ${i}`, customer: { email: `w${i}.${Math.random()}@example.gr` }, message: 'Περιμένω απάντηση', teamId });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().assigneeId).toBeNull();
    }
  }

  beforeAll(async () => {
    api = await startTestApi(kind);
    ws = await api.createWorkspace('Waiting');
    jobs = new JobRuntime({ database: api.database, logger: pino({ level: 'silent' }) });
    await jobs.start();
    for (const [key, name] of [['eleni', 'Ελένη'], ['yusuf', 'يوسف'], ['sara', 'سارة']] as const) {
      agents[key] = (await post('/api/v1/agents', { email: `${key}@waiting.example.com`, name })).json().id;
    }
  });
  afterAll(async () => {
    await jobs?.stop();
    await api?.close();
  });

  it('hands the waiting tickets to an agent who comes online, oldest first, up to the cap', async () => {
    const night = await team('Νυχτερινή βάρδια', ['eleni', 'yusuf'], { mode: 'load_balanced', maxOpenPerAgent: 2 });
    await tickets(night, 5, 'Email της νύχτας');
    const connection = newId();
    await openConnection(api.database.db, ws.id, connection, agents.eleni as string);
    await jobs.drain();
    const after = (await ticketsOfTeam(night)).sort((a, b) => a.number - b.number);
    // Eleni takes the two oldest (her cap), the rest wait.
    expect(after.map((t) => t.assigneeId)).toEqual([agents.eleni, agents.eleni, null, null, null]);
    const audit = (await api.request(ws.tokens.owner, 'GET', '/api/v1/audit?limit=50')).json().data as Array<{ action: string; actorType: string; changes: { by?: string } }>;
    expect(audit.filter((a) => a.action === 'ticket.assigned' && a.changes.by === 'load_balanced')).toHaveLength(2);

    // Yusuf comes online but "away": nothing for him; back to "available", he gets his share.
    await setAgentStatus(system(), agents.yusuf as string, 'away');
    await openConnection(api.database.db, ws.id, newId(), agents.yusuf as string);
    await jobs.drain();
    expect((await ticketsOfTeam(night)).filter((t) => t.assigneeId === null)).toHaveLength(3);
    await setAgentStatus(system(), agents.yusuf as string, 'available');
    await jobs.drain();
    const mid = await ticketsOfTeam(night);
    expect(mid.filter((t) => t.assigneeId === agents.yusuf)).toHaveLength(2);
    expect(mid.filter((t) => t.assigneeId === null)).toHaveLength(1);

    // Solving one of Eleni's frees her cap: she takes the last waiting ticket.
    const eleniTicket = mid.find((t) => t.assigneeId === agents.eleni) as { id: string };
    expect((await api.request(ws.tokens.agent, 'PATCH', `/api/v1/tickets/${eleniTicket.id}`, { status: 'solved' })).statusCode).toBe(200);
    await jobs.drain();
    expect((await ticketsOfTeam(night)).filter((t) => t.assigneeId === null)).toHaveLength(0);
    await closeConnection(api.database.db, ws.id, connection);
  });

  it('assigns waiting tickets when a team switches to an automatic rule, or on request', async () => {
    const manual = await team('Χειροκίνητη', ['sara'], { mode: 'manual' });
    await tickets(manual, 2, 'Αναμονή');
    await openConnection(api.database.db, ws.id, newId(), agents.sara as string);
    await jobs.drain();
    expect((await ticketsOfTeam(manual)).every((t) => t.assigneeId === null)).toBe(true);
    expect((await api.request(ws.tokens.admin, 'PATCH', `/api/v1/teams/${manual}`, { assignment: { mode: 'round_robin' } })).statusCode).toBe(200);
    await jobs.drain();
    expect((await ticketsOfTeam(manual)).every((t) => t.assigneeId === agents.sara)).toBe(true);

    // On request: nobody eligible yet, then someone is.
    const onCall = await team('Εφημερία', ['eleni'], { mode: 'round_robin', onlyAvailable: true, maxOpenPerAgent: 1 });
    const busy = await post(`/api/v1/teams/${onCall}/assign-waiting`, undefined, ws.tokens.agent);
    expect(busy.statusCode).toBe(200);
    expect(busy.json()).toEqual({ assigned: [], waiting: 0 });
    await tickets(onCall, 1, 'Επείγον');
    const res = await post(`/api/v1/teams/${onCall}/assign-waiting`, undefined, ws.tokens.agent);
    // Eleni is offline now, and over this team's cap anyway: nobody is eligible.
    expect(res.json()).toMatchObject({ assigned: [], waiting: 1 });
    expect((await post(`/api/v1/teams/${newId()}/assign-waiting`, undefined, ws.tokens.agent)).statusCode).toBe(404);
  });
});
