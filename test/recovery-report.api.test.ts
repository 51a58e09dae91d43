// The service-recovery report a team leader reads: how many tickets were flagged, and how many
// apologies and compensations were offered, sent, accepted and declined — per agent, team and
// period, as JSON and CSV, for their own workspace only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagForRecovery } from '../src/recovery/service.ts';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';
import { signedInAgent } from './support/ws.ts';

describe.each(availableBackends())('recovery report on %s', (kind) => {
  let api: TestApi;
  let ws: TestWorkspace;
  let other: TestWorkspace;
  let maria: { id: string; cookie: string };
  let karim: { id: string; cookie: string };
  let teamA: string;
  let teamB: string;

  const as = async (cookie: string, method: 'POST', url: string, body: unknown, status = 201) => {
    const res = await api.app.inject({ method, url, headers: { cookie }, payload: body as object });
    if (res.statusCode !== status) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const report = async (query: string, token = ws.tokens.team_leader) => {
    const res = await api.request(token, 'GET', `/api/v1/reports/recovery${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res;
  };

  beforeAll(async () => {
    api = await startTestApi(kind);
    ws = await api.createWorkspace('Recovery Report');
    other = await api.createWorkspace('Recovery Elsewhere');
    maria = await signedInAgent(api.request, ws.tokens.owner, { email: 'maria@recovery.example.com', name: 'Μαρία Παπαδοπούλου' });
    karim = await signedInAgent(api.request, ws.tokens.owner, { email: 'karim@recovery.example.com', name: 'كريم المصري' });
    teamA = (await api.request(ws.tokens.owner, 'POST', '/api/v1/teams', { name: 'Ελληνική ομάδα', memberIds: [maria.id] })).json().id;
    teamB = (await api.request(ws.tokens.owner, 'POST', '/api/v1/teams', { name: 'الفريق العربي', memberIds: [karim.id] })).json().id;
    const credit = (await api.request(ws.tokens.owner, 'POST', '/api/v1/compensation-options', { kind: 'credit', label: 'Πίστωση 10 €', amount: 10, unit: 'EUR' })).json().id;
    const open = async (subject: string, assigneeId: string, teamId: string) =>
      (await api.request(ws.tokens.owner, 'POST', '/api/v1/tickets', { subject, customer: { email: `${Math.random()}@example.gr` }, message: subject, assigneeId, teamId })).json().id as string;

    // Maria: flags, offers, sends the apology; the customer accepts.
    const t1 = await open('Η παράδοση άργησε', maria.id, teamA);
    await as(maria.cookie, 'POST', `/api/v1/tickets/${t1}/recovery`, { note: 'Πελάτης θυμωμένος' });
    await as(maria.cookie, 'POST', `/api/v1/tickets/${t1}/recovery/actions`, { action: 'offered', compensationOptionId: credit });
    await as(maria.cookie, 'POST', `/api/v1/tickets/${t1}/recovery/actions`, { action: 'sent' });
    await as(maria.cookie, 'POST', `/api/v1/tickets/${t1}/recovery/actions`, { action: 'accepted' });
    // Karim: flags and offers; the customer declines.
    const t2 = await open('الفاتورة خاطئة', karim.id, teamB);
    await as(karim.cookie, 'POST', `/api/v1/tickets/${t2}/recovery`, {});
    await as(karim.cookie, 'POST', `/api/v1/tickets/${t2}/recovery/actions`, { action: 'offered', compensationOptionId: credit });
    await as(karim.cookie, 'POST', `/api/v1/tickets/${t2}/recovery/actions`, { action: 'declined' });
    // The system flags Karim's other ticket (as an SLA breach would): it counts for its assignee.
    const t3 = await open('لم يرد أحد', karim.id, teamB);
    await flagForRecovery({ db: api.database.db, workspaceId: ws.id, actor: { type: 'system', id: null, role: 'owner' } }, t3, { reason: 'sla_breach' });
    // Another workspace's recovery never shows here.
    const foreign = (await api.request(other.tokens.owner, 'POST', '/api/v1/tickets', { subject: 'x', customer: { email: 'x@example.com' }, message: 'x' })).json().id;
    await api.request(other.tokens.owner, 'POST', `/api/v1/tickets/${foreign}/recovery`, {});
  });
  afterAll(async () => api?.close());

  it('counts the outcomes overall and per agent, with the acceptance rate', async () => {
    const overall = (await report('')).json();
    expect(overall.overall).toEqual({ cases: 3, flagged: 3, offered: 2, sent: 1, accepted: 1, declined: 1, acceptanceRate: 50 });
    expect(overall.groups).toEqual([]);

    const byAgent = (await report('?groupBy=agent')).json();
    expect(byAgent.groups).toEqual(
      expect.arrayContaining([
        { key: maria.id, label: 'Μαρία Παπαδοπούλου', cases: 1, flagged: 1, offered: 1, sent: 1, accepted: 1, declined: 0, acceptanceRate: 100 },
        { key: karim.id, label: 'كريم المصري', cases: 2, flagged: 2, offered: 1, sent: 0, accepted: 0, declined: 1, acceptanceRate: 0 },
      ]),
    );
    expect(byAgent.groups).toHaveLength(2);
  });

  it('groups by team and by period, and answers CSV', async () => {
    const byTeam = (await report('?groupBy=team')).json();
    expect(byTeam.groups.map((g: { label: string; flagged: number }) => [g.label, g.flagged]).sort()).toEqual([
      ['Ελληνική ομάδα', 1],
      ['الفريق العربي', 2],
    ].sort());
    const today = new Date().toISOString().slice(0, 10);
    const byDay = (await report('?groupBy=day')).json();
    expect(byDay.groups).toEqual([expect.objectContaining({ key: today, flagged: 3, offered: 2 })]);

    const csv = await report('?groupBy=team&format=csv');
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.body.split('\r\n');
    expect(lines[0]).toBe('group,label,cases,flagged,offered,sent,accepted,declined,acceptance_rate');
    expect(lines[1]).toBe('all,,3,3,2,1,1,1,50');
    expect(lines).toContain(`${teamA},Ελληνική ομάδα,1,1,1,1,1,0,100`);
    expect(lines).toContain(`${teamB},الفريق العربي,2,2,1,0,0,1,0`);
  });

  it('takes a period, refuses a bad one with 400, and keeps agents and other workspaces out', async () => {
    const past = (await report('?from=2020-01-01&to=2020-02-01')).json();
    expect(past.overall).toMatchObject({ cases: 0, flagged: 0, acceptanceRate: null });
    for (const query of ['?from=2026-02-01&to=2026-01-01', '?from=yesterday', '?groupBy=customer', '?from=2000-01-01&to=2026-01-01']) {
      const res = await api.request(ws.tokens.team_leader, 'GET', `/api/v1/reports/recovery${query}`);
      expect(res.statusCode, query).toBe(400);
    }
    expect((await api.request(ws.tokens.agent, 'GET', '/api/v1/reports/recovery')).statusCode).toBe(403);
    const theirs = (await report('?groupBy=agent', other.tokens.owner)).json();
    expect(theirs.overall).toMatchObject({ cases: 1, flagged: 1, offered: 0 });
    expect(JSON.stringify(theirs)).not.toContain(maria.id);
  });
});
