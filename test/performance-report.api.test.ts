// The team leader's performance report: per agent and team, the tickets opened in a period —
// volume, solved, first response and resolution time, first-contact resolution — and the
// tickets behind each figure, one row per ticket, as JSON and CSV; its own workspace only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';
import { signedInAgent } from './support/ws.ts';

describe.each(availableBackends())('performance report on %s', (kind) => {
  let api: TestApi;
  let ws: TestWorkspace;
  let other: TestWorkspace;
  let maria: { id: string; cookie: string };
  let karim: { id: string; cookie: string };
  let teamA: string;
  let teamB: string;
  const tickets: Record<string, string> = {};

  const get = async (url: string, token = ws.tokens.team_leader, status = 200) => {
    const res = await api.request(token, 'GET', url);
    expect(res.statusCode, res.body).toBe(status);
    return res;
  };
  const reply = async (cookie: string, ticket: string, body: string, status?: string) => {
    const res = await api.app.inject({ method: 'POST', url: `/api/v1/tickets/${ticket}/messages`, headers: { cookie }, payload: { body, ...(status ? { status } : {}) } });
    if (res.statusCode !== 201) throw new Error(`reply: ${res.statusCode} ${res.body}`);
  };

  beforeAll(async () => {
    api = await startTestApi(kind);
    ws = await api.createWorkspace('Performance Report');
    other = await api.createWorkspace('Performance Elsewhere');
    maria = await signedInAgent(api.request, ws.tokens.owner, { email: 'maria@perf.example.com', name: 'Μαρία Παπαδοπούλου' });
    karim = await signedInAgent(api.request, ws.tokens.owner, { email: 'karim@perf.example.com', name: 'كريم المصري' });
    teamA = (await api.request(ws.tokens.owner, 'POST', '/api/v1/teams', { name: 'Ελληνική ομάδα', memberIds: [maria.id] })).json().id;
    teamB = (await api.request(ws.tokens.owner, 'POST', '/api/v1/teams', { name: 'الفريق العربي', memberIds: [karim.id] })).json().id;
    const open = async (name: string, subject: string, assigneeId?: string, teamId?: string) => {
      const res = await api.request(ws.tokens.owner, 'POST', '/api/v1/tickets', { subject, customer: { email: `${name}@example.gr` }, message: subject, ...(assigneeId ? { assigneeId, teamId } : {}) });
      expect(res.statusCode, res.body).toBe(201);
      tickets[name] = res.json().id;
      return tickets[name]!;
    };
    // Maria solves one ticket with a single reply (first-contact resolution) and one with two.
    await reply(maria.cookie, await open('one', 'Ο θερμοστάτης δεν ανάβει', maria.id, teamA), 'Στείλαμε νέο θερμοστάτη.', 'solved');
    const two = await open('two', 'Λάθος χρέωση', maria.id, teamA);
    await reply(maria.cookie, two, 'Το ελέγχουμε.');
    await reply(maria.cookie, two, 'Επιστρέψαμε τα χρήματα.', 'solved');
    // Karim answers but has not solved; one ticket waits for anybody.
    await reply(karim.cookie, await open('three', 'الطلب لم يصل', karim.id, teamB), 'نحن نتابع الشحنة.');
    await open('four', 'لا أحد يرد');
    await api.request(other.tokens.owner, 'POST', '/api/v1/tickets', { subject: 'elsewhere', customer: { email: 'x@example.com' }, message: 'x' });
  });
  afterAll(async () => api?.close());

  it('counts volume, solved, response and resolution times and FCR, overall and per agent', async () => {
    const overall = (await get('/api/v1/reports/performance')).json();
    expect(overall.overall).toMatchObject({ tickets: 4, solved: 2, fcr: 1, fcrRate: 50, slaHit: 0, slaMissed: 0, nextResponseMinutes: null });
    expect(overall.overall.firstResponseMinutes).toBeGreaterThanOrEqual(0);
    expect(overall.overall.resolutionMinutes).toBeGreaterThanOrEqual(0);
    expect(overall.groups).toEqual([]);

    const byAgent = (await get('/api/v1/reports/performance?groupBy=agent')).json();
    const row = (key: string | null) => byAgent.groups.find((g: { key: string | null }) => g.key === key);
    expect(byAgent.groups).toHaveLength(3);
    expect(row(maria.id)).toMatchObject({ label: 'Μαρία Παπαδοπούλου', tickets: 2, solved: 2, fcr: 1, fcrRate: 50 });
    expect(row(karim.id)).toMatchObject({ label: 'كريم المصري', tickets: 1, solved: 0, fcr: 0, fcrRate: null, resolutionMinutes: null });
    expect(row(karim.id).firstResponseMinutes).toBeGreaterThanOrEqual(0);
    expect(row(null)).toMatchObject({ label: null, tickets: 1, solved: 0, firstResponseMinutes: null });

    const byTeam = (await get('/api/v1/reports/performance?groupBy=team')).json();
    expect(byTeam.groups.map((g: { label: string | null; tickets: number }) => [g.label, g.tickets])).toEqual([
      ['Ελληνική ομάδα', 2],
      ['الفريق العربي', 1],
      [null, 1],
    ]);
  });

  it('lists the tickets behind a figure, one row per ticket, as JSON and CSV', async () => {
    const fcr = (await get(`/api/v1/reports/performance/tickets?agent=${maria.id}&figure=fcr`)).json();
    expect(fcr.data.map((t: { id: string }) => t.id)).toEqual([tickets.one]);
    expect(fcr.data[0]).toMatchObject({ subject: 'Ο θερμοστάτης δεν ανάβει', assignee: 'Μαρία Παπαδοπούλου', team: 'Ελληνική ομάδα', status: 'solved', fcr: true, csat: null, recovery: null });
    const solved = (await get(`/api/v1/reports/performance/tickets?team=${teamA}&figure=solved`)).json();
    expect(solved.data.map((t: { id: string }) => t.id).sort()).toEqual([tickets.one, tickets.two].sort());
    const nobody = (await get('/api/v1/reports/performance/tickets?agent=none')).json();
    expect(nobody.data.map((t: { subject: string }) => t.subject)).toEqual(['لا أحد يرد']);

    const csv = await get('/api/v1/reports/performance/tickets?format=csv');
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('number,subject,status,priority,channel,assignee,team,created_at,solved_at,first_response_minutes,resolution_minutes,fcr,sla_hit,sla_missed,csat,recovery');
    expect(lines).toHaveLength(5);
    expect(lines.some((l) => l.includes('الطلب لم يصل') && l.includes('كريم المصري') && l.includes('الفريق العربي'))).toBe(true);

    const summary = await get('/api/v1/reports/performance?groupBy=agent&format=csv');
    expect(summary.body.split('\r\n')[1]).toMatch(/^all,,4,2,/);
  });

  it('takes a period, refuses bad input with 400, and keeps agents and other workspaces out', async () => {
    const past = (await get('/api/v1/reports/performance?from=2020-01-01&to=2020-02-01')).json();
    expect(past.overall).toMatchObject({ tickets: 0, solved: 0, fcrRate: null, firstResponseMinutes: null });
    for (const query of ['?from=2026-02-01&to=2026-01-01', '?from=yesterday', '?groupBy=customer', '?from=2000-01-01&to=2026-01-01']) {
      await get(`/api/v1/reports/performance${query}`, ws.tokens.team_leader, 400);
    }
    await get('/api/v1/reports/performance/tickets?figure=everything', ws.tokens.team_leader, 400);
    await get('/api/v1/reports/performance', ws.tokens.agent, 403);
    await get('/api/v1/reports/performance/tickets', ws.tokens.agent, 403);
    const theirs = (await get('/api/v1/reports/performance/tickets', other.tokens.owner)).json();
    expect(theirs.data.map((t: { subject: string }) => t.subject)).toEqual(['elsewhere']);
  });
});
