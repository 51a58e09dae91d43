// SLA policies, business hours, the SLA applied to tickets, breaches and service recovery, and
// canned responses, through the HTTP API on PGlite and PostgreSQL. Conversations that must have
// happened at a given moment (a Friday afternoon in Athens before the clocks changed) are
// written through the same services the API uses, with their dates; everything is read back
// through the API.
import { sql } from 'kysely';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepSla } from '../src/sla/service.ts';
import { addMessage, createTicket } from '../src/tickets/service.ts';
import type { WorkspaceContext } from '../src/shared/context.ts';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';

const athens = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Athens' }).toJSDate();
const riyadh = (iso: string) => DateTime.fromISO(iso, { zone: 'Asia/Riyadh' }).toJSDate();
const nineToFive = [{ start: '09:00', end: '17:00' }];
const greekWeek = { mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive };
const saudiWeek = { sun: nineToFive, mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive };
const policyTargets = {
  urgent: { firstResponseMinutes: 60, nextResponseMinutes: 60, resolutionMinutes: 480 },
  high: { firstResponseMinutes: 240, nextResponseMinutes: 120, resolutionMinutes: 960 },
  normal: { firstResponseMinutes: 480, nextResponseMinutes: 240, resolutionMinutes: 2400 },
  low: { firstResponseMinutes: 960, nextResponseMinutes: 480, resolutionMinutes: null },
};

describe.each(availableBackends())('SLA, recovery and canned responses on %s', (kind) => {
  let api: TestApi;
  let gr: TestWorkspace;
  let sa: TestWorkspace;
  let system: (ws: TestWorkspace) => WorkspaceContext;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, checked field by field by the assertions
  type Json = any;
  async function ok(res: { statusCode: number; body: string; json(): unknown }, status: number): Promise<Json> {
    if (res.statusCode !== status) throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body}`);
    return res.json();
  }
  const target = (ticket: Json, metric: string): Json => ticket.sla.targets.find((t: { metric: string }) => t.metric === metric);

  beforeAll(async () => {
    api = await startTestApi(kind);
    gr = await api.createWorkspace('Aurora Athens');
    sa = await api.createWorkspace('Najm Riyadh');
    system = (ws) => ({ db: api.database.db, workspaceId: ws.id, actor: { type: 'system', id: null, role: 'owner' } });
    await ok(await api.request(gr.tokens.admin, 'PUT', '/api/v1/business-hours', { timeZone: 'Europe/Athens', week: greekWeek, holidays: ['2025-03-25'] }), 200);
    await ok(await api.request(sa.tokens.admin, 'PUT', '/api/v1/business-hours', { timeZone: 'Asia/Riyadh', week: saudiWeek, holidays: ['2025-09-23'] }), 200);
    for (const ws of [gr, sa]) await ok(await api.request(ws.tokens.admin, 'POST', '/api/v1/sla-policies', { name: 'Standard', targets: policyTargets }), 201);
  });
  afterAll(async () => api?.close());

  it('refuses unusable business hours and policies with a clear 4xx, changing nothing', async () => {
    const before = await ok(await api.request(gr.tokens.agent, 'GET', '/api/v1/business-hours'), 200);
    const badZone = await api.request(gr.tokens.admin, 'PUT', '/api/v1/business-hours', { timeZone: 'Europe/Atlantis', week: greekWeek });
    expect(badZone.statusCode).toBe(422);
    expect(badZone.json().error.message).toContain('Europe/Atlantis');
    const closed = await api.request(gr.tokens.admin, 'PUT', '/api/v1/business-hours', { timeZone: 'Europe/Athens', week: { mon: [{ start: '17:00', end: '09:00' }] } });
    expect(closed.statusCode).toBe(422);
    expect((await api.request(gr.tokens.admin, 'PUT', '/api/v1/business-hours', { timeZone: 'Europe/Athens', week: { friday: nineToFive } })).statusCode).toBe(400);
    expect((await api.request(gr.tokens.agent, 'PUT', '/api/v1/business-hours', { timeZone: 'Europe/Athens', week: greekWeek })).statusCode).toBe(403);
    expect(await ok(await api.request(gr.tokens.agent, 'GET', '/api/v1/business-hours'), 200)).toEqual(before);
    const badTargets = await api.request(gr.tokens.admin, 'POST', '/api/v1/sla-policies', { name: 'Broken', targets: { urgent: { firstResponseMinutes: -5 } } });
    expect(badTargets.statusCode).toBe(400);
    const duplicate = await api.request(gr.tokens.admin, 'POST', '/api/v1/sla-policies', { name: 'standard', targets: policyTargets });
    expect(duplicate.statusCode).toBe(409);
    const policies = await ok(await api.request(gr.tokens.agent, 'GET', '/api/v1/sla-policies'), 200);
    expect((policies.data as Array<{ name: string; isDefault: boolean }>).map((p) => [p.name, p.isDefault])).toEqual([['Standard', true]]);
  });

  it('changes a policy only from the version the admin read: a stale version is a 409 and changes nothing', async () => {
    const created = await ok(await api.request(gr.tokens.admin, 'POST', '/api/v1/sla-policies', { name: 'Επιχειρήσεις', isDefault: false, targets: policyTargets }), 201);
    expect(created.version).toBe(1);
    const changed = await ok(
      await api.request(gr.tokens.admin, 'PATCH', `/api/v1/sla-policies/${created.id}`, { version: 1, targets: { urgent: { firstResponseMinutes: 30 } } }),
      200,
    );
    expect(changed.version).toBe(2);
    expect(changed.targets.urgent.firstResponseMinutes).toBe(30);
    // A second admin still holding version 1.
    const stale = await api.request(gr.tokens.admin, 'PATCH', `/api/v1/sla-policies/${created.id}`, { version: 1, name: 'Παλιό όνομα' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('version_conflict');
    const now = await ok(await api.request(gr.tokens.agent, 'GET', `/api/v1/sla-policies/${created.id}`), 200);
    expect([now.name, now.version]).toEqual(['Επιχειρήσεις', 2]);
    // A version alone is not a change.
    expect((await api.request(gr.tokens.admin, 'PATCH', `/api/v1/sla-policies/${created.id}`, { version: 2 })).statusCode).toBe(400);
    expect((await api.request(gr.tokens.admin, 'DELETE', `/api/v1/sla-policies/${created.id}`)).statusCode).toBe(204);
  });

  it('applies the default policy by priority to a new ticket and shows due times in the ticket API', async () => {
    const res = await ok(
      await api.request(gr.tokens.agent, 'POST', '/api/v1/tickets', {
        subject: 'Ο θερμοστάτης δεν συνδέεται',
        customer: { email: 'maria@example.gr', name: 'Μαρία Παπαδοπούλου', locale: 'el' },
        priority: 'urgent',
        message: 'Από χθες δείχνει εκτός σύνδεσης.',
      }),
      201,
    );
    const ticket = res as unknown as { id: string; sla: { policyName: string; priority: string; breached: boolean; nextDueAt: string; targets: Array<{ metric: string; dueAt: string; targetMinutes: number; clock: string }> } };
    expect(ticket.sla).toMatchObject({ policyName: 'Standard', priority: 'urgent', breached: false });
    expect(ticket.sla.targets.map((t) => [t.metric, t.targetMinutes, t.clock])).toEqual([
      ['first_response', 60, 'running'],
      ['resolution', 0 + 480, 'running'],
    ]);
    expect(ticket.sla.nextDueAt).toBe(target(ticket, 'first_response')?.dueAt as string);
    // A new priority brings the targets of that priority.
    const patched = await ok(await api.request(gr.tokens.agent, 'PATCH', `/api/v1/tickets/${ticket.id}`, { priority: 'low' }), 200);
    const low = patched as unknown as typeof ticket;
    expect(low.sla.priority).toBe('low');
    expect(low.sla.targets.map((t) => [t.metric, t.targetMinutes])).toEqual([['first_response', 960]]);
    const audit = await ok(await api.request(gr.tokens.admin, 'GET', '/api/v1/audit?limit=200'), 200);
    expect((audit.data as Array<{ action: string; entityId: string }>).filter((e) => e.entityId === ticket.id).map((e) => e.action)).toEqual(
      expect.arrayContaining(['sla.applied', 'sla.reapplied']),
    );
  });

  it('computes due times across the Greek weekend and a daylight-saving change, and a holiday', async () => {
    // Friday 28 March 2025 16:00 in Athens (UTC+2); high: first response 4 h → Monday 31 March 12:00 (UTC+3).
    const t1 = await createTicket(system(gr), {
      subject: 'Λογαριασμός Μαρτίου',
      customer: { email: 'nikos@example.gr', name: 'Νίκος', locale: 'el' },
      channel: 'email',
      priority: 'high',
      message: { text: 'Η χρέωση είναι διπλή.' },
      createdAt: athens('2025-03-28T16:00'),
    });
    const got = (await ok(await api.request(gr.tokens.agent, 'GET', `/api/v1/tickets/${t1.id}`), 200)) as unknown as Parameters<typeof target>[0];
    expect((target(got, 'first_response') as unknown as { dueAt: string }).dueAt).toBe('2025-03-31T09:00:00.000Z');
    // Monday 24 March 15:00; Tuesday 25 March is a holiday → Wednesday 26 March 11:00 (UTC+2).
    const t2 = await createTicket(system(gr), {
      subject: 'Εγγύηση',
      customer: { email: 'eleni@example.gr', name: 'Ελένη', locale: 'el' },
      channel: 'email',
      priority: 'high',
      message: { text: 'Ισχύει ακόμη η εγγύηση;' },
      createdAt: athens('2025-03-24T15:00'),
    });
    const got2 = (await ok(await api.request(gr.tokens.agent, 'GET', `/api/v1/tickets/${t2.id}`), 200)) as unknown as Parameters<typeof target>[0];
    expect((target(got2, 'first_response') as unknown as { dueAt: string }).dueAt).toBe('2025-03-26T09:00:00.000Z');
  });

  it('keeps the Saudi Friday–Saturday weekend in Asia/Riyadh', async () => {
    // Thursday 4 September 2025 15:00 (UTC+3): 2 h on Thursday, then Sunday 09:00–11:00.
    const t = await createTicket(system(sa), {
      subject: 'الفاتورة غير صحيحة',
      customer: { email: 'fatima@example.sa', name: 'فاطمة', locale: 'ar' },
      channel: 'email',
      priority: 'high',
      message: { text: 'وصلتني فاتورة بمبلغ خاطئ.' },
      createdAt: riyadh('2025-09-04T15:00'),
    });
    const got = (await ok(await api.request(sa.tokens.agent, 'GET', `/api/v1/tickets/${t.id}`), 200)) as unknown as Parameters<typeof target>[0];
    expect((target(got, 'first_response') as unknown as { dueAt: string }).dueAt).toBe('2025-09-07T08:00:00.000Z');
  });

  it('pauses the clock while pending: the resolution due time moves by the time spent waiting on the customer', async () => {
    const ctx = system(gr);
    const t = await createTicket(ctx, {
      subject: 'Αλλαγή διεύθυνσης',
      customer: { email: 'kostas@example.gr', name: 'Κώστας', locale: 'el' },
      channel: 'email',
      priority: 'urgent',
      message: { text: 'Μετακόμισα, πώς αλλάζω τη διεύθυνση;' },
      createdAt: athens('2025-10-06T09:00'),
    });
    // Reply at 10:00 and wait on the customer; they answer on Tuesday at 11:00.
    await addMessage(ctx, t.id, { kind: 'reply', text: 'Στείλτε μας τη νέα διεύθυνση.', status: 'pending', at: athens('2025-10-06T10:00') });
    await addMessage(ctx, t.id, { kind: 'customer', text: 'Οδός Ερμού 10, Αθήνα.', at: athens('2025-10-07T11:00') });
    const got = (await ok(await api.request(gr.tokens.agent, 'GET', `/api/v1/tickets/${t.id}`), 200)) as unknown as {
      status: string;
      sla: { targets: Array<{ metric: string; cycle: number; dueAt: string; outcome: string; clock: string }> };
    };
    expect(got.status).toBe('open');
    // 8 h resolution target: 1 h used on Monday, paused until Tuesday 11:00, 7 h left → Wednesday 10:00.
    expect(got.sla.targets.find((x) => x.metric === 'resolution')).toMatchObject({ dueAt: athens('2025-10-08T10:00').toISOString(), clock: 'running' });
    expect(got.sla.targets.find((x) => x.metric === 'first_response')).toMatchObject({ outcome: 'hit', clock: 'stopped' });
    // The customer found it pending: a next-response clock of 1 h runs from Tuesday 11:00.
    expect(got.sla.targets.find((x) => x.metric === 'next_response')).toMatchObject({ cycle: 1, dueAt: athens('2025-10-07T12:00').toISOString() });
  });

  it('records a breach once when its timer fires, flags the ticket for recovery, and offers the Greek apology', async () => {
    const created = await ok(
      await api.request(gr.tokens.agent, 'POST', '/api/v1/tickets', {
        subject: 'Διακοπή υπηρεσίας',
        customer: { email: 'anna@example.gr', name: 'Άννα', locale: 'el' },
        priority: 'urgent',
        message: 'Δεν λειτουργεί τίποτα από το πρωί.',
      }),
      201,
    );
    const id = created.id as unknown as string;
    const due = new Date((created as unknown as Parameters<typeof target>[0] & { sla: { nextDueAt: string } }).sla.nextDueAt);
    // The timer was armed as a durable job.
    const jobs = await sql<{ start_after: Date }>`SELECT start_after FROM pgboss.job WHERE name = 'sla.timer' AND data->>'ticketId' = ${id}`.execute(api.database.db);
    expect(jobs.rows.length).toBeGreaterThan(0);
    // What the timer does, an hour after the due time (and once more: nothing is recorded twice).
    const later = new Date(Math.max(+due, Date.now()) + 3_600_000 * 24 * 7);
    await sweepSla(api.database.db, later);
    await sweepSla(api.database.db, later);

    const got = (await ok(await api.request(gr.tokens.agent, 'GET', `/api/v1/tickets/${id}`), 200)) as unknown as {
      sla: { breached: boolean; targets: Array<{ metric: string; outcome: string; breached: boolean }> };
      recovery: { status: string; reason: string };
    };
    expect(got.sla.breached).toBe(true);
    expect(got.sla.targets.find((x) => x.metric === 'first_response')).toMatchObject({ outcome: 'missed', breached: true });
    expect(got.recovery).toMatchObject({ status: 'needed', reason: 'sla_breach' });

    const breached = await ok(await api.request(gr.tokens.agent, 'GET', '/api/v1/tickets?sla=breached'), 200);
    expect((breached.data as Array<{ id: string }>).map((t) => t.id)).toContain(id);
    const needed = await ok(await api.request(gr.tokens.agent, 'GET', '/api/v1/tickets?recovery=needed'), 200);
    expect((needed.data as Array<{ id: string }>).map((t) => t.id)).toContain(id);
    // A page carries each ticket's SLA state and recovery case as the ticket itself does.
    const page = (await ok(await api.request(gr.tokens.agent, 'GET', '/api/v1/tickets?limit=100'), 200)).data as Array<{ id: string; sla: unknown; recovery: unknown }>;
    expect(page.find((t) => t.id === id)).toMatchObject({ sla: got.sla, recovery: got.recovery });

    // The offer: the late-answer apology first, in Greek, filled in; the workspace's compensation.
    const credit = await ok(await api.request(gr.tokens.admin, 'POST', '/api/v1/compensation-options', { kind: 'credit', label: 'Πίστωση 10 €', amount: 10, unit: 'EUR' }), 201);
    await ok(await api.request(gr.tokens.admin, 'POST', '/api/v1/compensation-options', { kind: 'extension', label: 'Ένας μήνας δωρεάν', amount: 30, unit: 'days' }), 201);
    const offer = (await ok(await api.request(gr.tokens.agent, 'GET', `/api/v1/tickets/${id}/recovery`), 200)) as unknown as {
      apologies: Array<{ apologyFor: string; locale: string; text: string; missing: string[] }>;
      compensationOptions: Array<{ label: string }>;
    };
    expect(offer.apologies[0]).toMatchObject({ apologyFor: 'late_answer', locale: 'el' });
    expect(offer.apologies[0]?.text).toContain('Γεια σας Άννα,');
    expect(offer.apologies[0]?.text).toMatch(/Σας ζητώ συγγνώμη που αργήσαμε να σας απαντήσουμε για το αίτημα #\d+/);
    expect(offer.compensationOptions.map((o) => o.label)).toEqual(['Πίστωση 10 €', 'Ένας μήνας δωρεάν']);

    // Accepting before anything was offered is refused, and changes nothing.
    const early = await api.request(gr.tokens.agent, 'POST', `/api/v1/tickets/${id}/recovery/actions`, { action: 'accepted' });
    expect(early.statusCode).toBe(422);
    await ok(await api.request(gr.tokens.agent, 'POST', `/api/v1/tickets/${id}/recovery/actions`, { action: 'offered', compensationOptionId: credit.id }), 201);
    await ok(await api.request(gr.tokens.agent, 'POST', `/api/v1/tickets/${id}/recovery/actions`, { action: 'sent', locale: 'el' }), 201);
    const done = (await ok(await api.request(gr.tokens.agent, 'POST', `/api/v1/tickets/${id}/recovery/actions`, { action: 'accepted' }), 201)) as unknown as {
      case: { status: string };
      actions: Array<{ action: string; compensation: { label: string } | null }>;
    };
    expect(done.case.status).toBe('accepted');
    // (The breach was recorded at its due time, which this test reached by running the timer early.)
    expect(done.actions.map((a) => a.action).sort()).toEqual(['accepted', 'flagged', 'offered', 'sent']);
    expect(done.actions.find((a) => a.action === 'accepted')?.compensation?.label).toBe('Πίστωση 10 €');
    const stillNeeded = await ok(await api.request(gr.tokens.agent, 'GET', '/api/v1/tickets?recovery=needed'), 200);
    expect(stillNeeded.data.map((t: { id: string }) => t.id)).not.toContain(id);

    // The customer's journey shows the breach (negative) and the recovery, at the second moment of truth.
    const customerId = (created as unknown as { customer: { id: string } }).customer.id;
    const journey = (await ok(await api.request(gr.tokens.admin, 'GET', `/api/v1/customers/${customerId}/journey`), 200)) as unknown as {
      touchpoints: Array<{ event: string; stage: string; valence: string }>;
    };
    const events = journey.touchpoints.map((t) => [t.event, t.stage, t.valence]);
    expect(events).toEqual(expect.arrayContaining([['SLA Breached', 'smot', 'negative'], ['Recovery Offered', 'smot', 'positive'], ['Recovery Accepted', 'smot', 'positive']]));
    // One per missed target (first response and resolution), however often the timer ran.
    expect(events.filter((e) => e[0] === 'SLA Breached')).toHaveLength(2);
    const audit = await ok(await api.request(gr.tokens.admin, 'GET', '/api/v1/audit?limit=200'), 200);
    const actions = (audit.data as Array<{ action: string; entityId: string }>).filter((e) => e.entityId === id).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['sla.breached', 'recovery.flagged', 'recovery.offered', 'recovery.sent', 'recovery.accepted']));
  });

  it('renders canned responses in the customer’s language, falls back to English, and refuses unknown variables', async () => {
    const list = await ok(await api.request(sa.tokens.agent, 'GET', '/api/v1/canned-responses?category=apology'), 200);
    expect((list.data as Array<{ apologyFor: string; locales: string[] }>).map((c) => [c.apologyFor, c.locales])).toEqual(
      expect.arrayContaining([
        ['late_answer', ['en', 'el', 'ar']],
        ['outage', ['en', 'el', 'ar']],
        ['customer_caused', ['en', 'el', 'ar']],
      ]),
    );
    const before = await ok(await api.request(sa.tokens.agent, 'GET', '/api/v1/canned-responses'), 200);
    const bad = await api.request(sa.tokens.admin, 'POST', '/api/v1/canned-responses', {
      name: 'Greeting',
      bodies: { en: 'Hello {{customer.first_name}}', ar: 'مرحباً {{ customer.name }}' },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.message).toContain('en: unknown variable {{customer.first_name}}');
    expect(await ok(await api.request(sa.tokens.agent, 'GET', '/api/v1/canned-responses'), 200)).toEqual(before);

    const greeting = await ok(
      await api.request(sa.tokens.admin, 'POST', '/api/v1/canned-responses', {
        name: 'Greeting',
        bodies: { en: 'Hello {{customer.name}}, this is {{agent.name}} about #{{ticket.number}}.', ar: 'مرحباً {{ customer.name }}، معك {{agent.name}} بخصوص طلبك رقم #{{ticket.number}}.' },
      }),
      201,
    );
    const arabic = await ok(
      await api.request(sa.tokens.agent, 'POST', '/api/v1/tickets', { subject: 'سؤال', customer: { email: 'omar@example.sa', name: 'عمر', locale: 'ar' }, message: 'عندي سؤال' }),
      201,
    );
    const greek = await ok(
      await api.request(sa.tokens.agent, 'POST', '/api/v1/tickets', { subject: 'Ερώτηση', customer: { email: 'giorgos@example.gr', name: 'Γιώργος', locale: 'el' }, message: 'Μια ερώτηση' }),
      201,
    );
    const ar = await ok(await api.request(sa.tokens.agent, 'GET', `/api/v1/tickets/${arabic.id}/canned-responses/${greeting.id}`), 200);
    // The token was made by the owner: they are the agent writing.
    expect(ar).toMatchObject({ locale: 'ar', text: `مرحباً عمر، معك Owner of Najm Riyadh بخصوص طلبك رقم #${arabic.number}.`, missing: [] });
    // No Greek version: English, with the Greek name filled in.
    const el = await ok(await api.request(sa.tokens.agent, 'GET', `/api/v1/tickets/${greek.id}/canned-responses/${greeting.id}`), 200);
    expect(el).toMatchObject({ locale: 'en' });
    expect(el.text).toContain('Hello Γιώργος, this is');
    const forced = await ok(await api.request(sa.tokens.agent, 'GET', `/api/v1/tickets/${greek.id}/canned-responses/${greeting.id}?locale=ar`), 200);
    expect(forced.locale).toBe('ar');
  });

  it('refuses an edit of a canned response made from an older version (409), and changes nothing', async () => {
    const made = await ok(
      await api.request(sa.tokens.admin, 'POST', '/api/v1/canned-responses', { name: 'Καθυστέρηση παράδοσης', bodies: { el: 'Λυπούμαστε για την καθυστέρηση, {{customer.name}}.' } }),
      201,
    );
    expect(made.version).toBe(1);
    // Two admins open version 1; the first saves, the second's save from version 1 is refused.
    const first = await ok(
      await api.request(sa.tokens.admin, 'PATCH', `/api/v1/canned-responses/${made.id}`, { bodies: { el: 'Ζητούμε συγγνώμη για την καθυστέρηση, {{customer.name}}.' }, version: 1 }),
      200,
    );
    expect(first.version).toBe(2);
    const stale = await api.request(sa.tokens.owner, 'PATCH', `/api/v1/canned-responses/${made.id}`, { bodies: { ar: 'نعتذر عن التأخير' }, version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'version_conflict' });
    const now = await ok(await api.request(sa.tokens.agent, 'GET', `/api/v1/canned-responses/${made.id}`), 200);
    expect(now).toMatchObject({ version: 2, locales: ['el'], bodies: { el: 'Ζητούμε συγγνώμη για την καθυστέρηση, {{customer.name}}.' } });
    // From the current version it goes through; without a version it is the last word, as before.
    expect((await ok(await api.request(sa.tokens.owner, 'PATCH', `/api/v1/canned-responses/${made.id}`, { bodies: { ar: 'نعتذر عن التأخير' }, version: 2 }), 200)).version).toBe(3);
    expect((await ok(await api.request(sa.tokens.owner, 'PATCH', `/api/v1/canned-responses/${made.id}`, { name: 'Καθυστέρηση' }), 200)).version).toBe(4);
  });
});
