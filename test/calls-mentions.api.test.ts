// Phone calls and social/review mentions: logged or imported, tied to customers and tickets,
// placed on the moments of truth with a valence, idempotent, and a mention can become a ticket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';

describe.each(availableBackends())('calls and mentions on %s', (kind) => {
  let api: TestApi;
  let aurora: TestWorkspace;
  let borealis: TestWorkspace;
  beforeAll(async () => {
    api = await startTestApi(kind);
    aurora = await api.createWorkspace('Aurora');
    borealis = await api.createWorkspace('Borealis');
  });
  afterAll(async () => api?.close());

  const journey = async (customerId: string) =>
    (await api.request(aurora.tokens.agent, 'GET', `/api/v1/customers/${customerId}/journey`)).json().touchpoints as {
      event: string;
      stage: string;
      valence: string;
      channel: string;
    }[];

  it('logs a call that opens a ticket, lists it on the customer and the ticket, and records an SMOT touchpoint', async () => {
    const res = await api.request(aurora.tokens.agent, 'POST', '/api/v1/calls', {
      direction: 'inbound',
      from: '+30 210 123 4567',
      to: '+30 210 000 0000',
      durationSeconds: 312,
      outcome: 'answered',
      recordingUrl: 'https://recordings.example.com/c/1.mp3',
      notes: 'Ο πελάτης είναι πολύ θυμωμένος, η συσκευή χάλασε ξανά.',
      customer: { name: 'Νίκος', phone: '+30 210 123 4567' },
      createTicket: { priority: 'high' },
      externalId: 'pbx-1',
    });
    expect(res.statusCode).toBe(201);
    const call = res.json();
    expect(call).toMatchObject({ direction: 'inbound', durationSeconds: 312, outcome: 'answered', valence: 'negative' });
    expect(call.ticketId).toBeTruthy();
    const ticket = (await api.request(aurora.tokens.agent, 'GET', `/api/v1/tickets/${call.ticketId}`)).json();
    expect(ticket).toMatchObject({ channel: 'phone', priority: 'high', customer: { id: call.customerId, name: 'Νίκος' } });
    const notes = (await api.request(aurora.tokens.agent, 'GET', `/api/v1/tickets/${call.ticketId}/messages`)).json().data;
    expect(notes).toMatchObject([{ kind: 'note', text: 'Ο πελάτης είναι πολύ θυμωμένος, η συσκευή χάλασε ξανά.' }]);

    // The same PBX call id again: the first call, nothing new.
    const again = await api.request(aurora.tokens.agent, 'POST', '/api/v1/calls', {
      direction: 'inbound', from: '+30 210 123 4567', to: '+30 210 000 0000', durationSeconds: 312, outcome: 'answered', externalId: 'pbx-1',
    });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(call.id);

    // A second call from the same number finds the same customer and attaches to the ticket.
    const follow = await api.request(aurora.tokens.agent, 'POST', '/api/v1/calls', {
      direction: 'outbound', from: '+30 210 000 0000', to: '+30 210 123 4567', durationSeconds: 95, outcome: 'answered',
      notes: 'Thank you so much, it works perfectly now. Great help!', ticketId: call.ticketId,
    });
    expect(follow.statusCode).toBe(201);
    expect(follow.json()).toMatchObject({ customerId: call.customerId, ticketId: call.ticketId, valence: 'positive' });

    const onCustomer = (await api.request(aurora.tokens.agent, 'GET', `/api/v1/customers/${call.customerId}/calls`)).json().data;
    expect(onCustomer.map((c: { id: string }) => c.id)).toEqual([follow.json().id, call.id]);
    const onTicket = (await api.request(aurora.tokens.agent, 'GET', `/api/v1/tickets/${call.ticketId}/calls`)).json().data;
    expect(onTicket).toHaveLength(2);
    const touchpoints = (await journey(call.customerId)).filter((t) => t.event.startsWith('Phone Call'));
    expect(touchpoints.map((t) => [t.event, t.stage, t.valence, t.channel])).toEqual([
      ['Phone Call Received', 'smot', 'negative', 'phone'],
      ['Phone Call Made', 'smot', 'positive', 'phone'],
    ]);
  });

  it('refuses bad calls with a clear 4xx and writes nothing', async () => {
    const before = (await api.request(aurora.tokens.agent, 'GET', '/api/v1/calls')).json().data.length;
    const bad = [
      { direction: 'sideways', from: '1', to: '2', durationSeconds: 1, outcome: 'answered' },
      { direction: 'inbound', from: 'call me', to: '2', durationSeconds: 1, outcome: 'answered' },
      { direction: 'inbound', from: '1', to: '2', durationSeconds: -5, outcome: 'answered' },
      { direction: 'inbound', from: '1', to: '2', durationSeconds: 5, outcome: 'answered', recordingUrl: 'javascript:alert(1)' },
    ];
    for (const body of bad) expect((await api.request(aurora.tokens.agent, 'POST', '/api/v1/calls', body)).statusCode).toBe(400);
    const foreignTicket = await api.request(borealis.tokens.agent, 'POST', '/api/v1/tickets', { subject: 'B', customer: { email: 'b@b.example.com' }, channel: 'email', priority: 'low' });
    const cross = await api.request(aurora.tokens.agent, 'POST', '/api/v1/calls', {
      direction: 'inbound', from: '1', to: '2', durationSeconds: 5, outcome: 'missed', ticketId: foreignTicket.json().id,
    });
    expect(cross.statusCode).toBe(422);
    expect((await api.request(aurora.tokens.agent, 'GET', '/api/v1/calls')).json().data.length).toBe(before);
  });

  it('imports mentions once each, as UMOT touchpoints with valence from the rating, then from the words', async () => {
    const one = await api.request(aurora.tokens.agent, 'POST', '/api/v1/mentions', {
      platform: 'Google', url: 'https://maps.example.com/review/1', author: 'Ελένη Π.', rating: 2,
      text: 'Εξαιρετικό προϊόν αλλά η υποστήριξη άργησε πολύ.', publishedAt: '2026-11-20T10:00:00Z',
    });
    expect(one.statusCode).toBe(201);
    expect(one.json()).toMatchObject({ platform: 'google', kind: 'review', rating: 2, valence: 'negative' });
    const batch = await api.request(aurora.tokens.agent, 'POST', '/api/v1/mentions/batch', {
      mentions: [
        { platform: 'google', url: 'https://maps.example.com/review/1', rating: 2, text: 'again', publishedAt: '2026-11-20T10:00:00Z' },
        { platform: 'twitter', id: 'tw-99', author: '@layla', text: 'خدمة العملاء رائعة وسريعة، شكراً جزيلاً', publishedAt: '2026-11-21T08:30:00+03:00' },
        { platform: 'trustpilot', url: 'https://trustpilot.example.com/r/7', rating: 5, text: 'Terrible wait, but they fixed it.', publishedAt: '2026-11-22T12:00:00Z' },
        { platform: 'google', text: 'no url nor id', publishedAt: '2026-11-22T12:00:00Z' },
        { platform: 'google', url: 'https://x.example.com', rating: 9, text: 'x', publishedAt: '2026-11-22T12:00:00Z' },
      ],
    });
    expect(batch.statusCode).toBe(200);
    expect(batch.json().results.map((r: { status: string; valence: string | null }) => [r.status, r.valence])).toEqual([
      ['duplicate', 'negative'],
      ['stored', 'positive'],
      ['stored', 'positive'],
      ['invalid', null],
      ['invalid', null],
    ]);
    const list = (await api.request(aurora.tokens.agent, 'GET', '/api/v1/mentions?valence=positive')).json().data;
    expect(list.map((m: { platform: string }) => m.platform).sort()).toEqual(['trustpilot', 'twitter']);
    const umot = await api.database.db
      .selectFrom('touchpoints')
      .select(['event', 'stage', 'valence', 'channel'])
      .where('workspace_id', '=', aurora.id)
      .where('stage', '=', 'umot')
      .orderBy('occurred_at')
      .execute();
    expect(umot).toEqual([
      { event: 'Review Published', stage: 'umot', valence: 'negative', channel: 'google' },
      { event: 'Social Post Published', stage: 'umot', valence: 'positive', channel: 'twitter' },
      { event: 'Review Published', stage: 'umot', valence: 'positive', channel: 'trustpilot' },
    ]);
  });

  it('turns a mention into a ticket once, and keeps other workspaces out', async () => {
    const mention = (await api.request(aurora.tokens.agent, 'GET', '/api/v1/mentions?platform=google')).json().data[0];
    expect((await api.request(borealis.tokens.agent, 'POST', `/api/v1/mentions/${mention.id}/ticket`)).statusCode).toBe(404);
    const res = await api.request(aurora.tokens.agent, 'POST', `/api/v1/mentions/${mention.id}/ticket`);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ channel: 'social', priority: 'high', tags: ['review', 'google'], customer: { name: 'Ελένη Π.' } });
    const again = await api.request(aurora.tokens.agent, 'POST', `/api/v1/mentions/${mention.id}/ticket`);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(res.json().id);
    expect((await api.request(aurora.tokens.agent, 'GET', `/api/v1/mentions/${mention.id}`)).json().ticketId).toBe(res.json().id);
    expect((await api.request(borealis.tokens.agent, 'GET', '/api/v1/mentions')).json().data).toEqual([]);
  });
});
