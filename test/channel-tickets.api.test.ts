// A call or a mention that becomes a ticket does so in one transaction: a failure leaves no
// customer or ticket behind, and requests racing each other (a telephony system retrying, two
// agents clicking at once) make one ticket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';

const GREEK_NOTES = 'Ο πελάτης τηλεφώνησε θυμωμένος: η στιγμή της αλήθειας ήταν η παράδοση που άργησε.';
const ARABIC_REVIEW = 'الخدمة سيئة جدا ولم يرد أحد على الفاتورة';

describe.each(availableBackends())('calls and mentions becoming tickets on %s', (kind) => {
  let api: TestApi;
  let ws: TestWorkspace;

  const customersByPhone = async (phone: string) =>
    api.database.db.selectFrom('customers').select('id').where('workspace_id', '=', ws.id).where('phone', '=', phone).execute();
  const phoneTickets = async () =>
    (await api.request(ws.tokens.agent, 'GET', '/api/v1/tickets?channel=phone&limit=200')).json().data as Array<{ id: string; customer: { id: string } }>;

  beforeAll(async () => {
    api = await startTestApi(kind);
    ws = await api.createWorkspace('Channel Tickets');
  });
  afterAll(async () => api?.close());

  it('opens the phone ticket with the notes as an internal note, together with the call', async () => {
    const res = await api.request(ws.tokens.agent, 'POST', '/api/v1/calls', {
      direction: 'inbound', from: '+30 210 000 0001', to: '+30 210 999 9999', durationSeconds: 300, outcome: 'answered',
      notes: GREEK_NOTES, customer: { name: 'Γιάννης' }, createTicket: { subject: 'Καθυστέρηση παράδοσης' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const call = res.json();
    const messages = (await api.request(ws.tokens.agent, 'GET', `/api/v1/tickets/${call.ticketId}/messages`)).json().data;
    expect(messages).toMatchObject([{ kind: 'note', text: GREEK_NOTES }]);
    expect((await api.request(ws.tokens.agent, 'GET', `/api/v1/tickets/${call.ticketId}/calls`)).json().data.map((c: { id: string }) => c.id)).toEqual([call.id]);
  });

  it('leaves no customer, ticket or call behind when opening the ticket fails', async () => {
    const agent = await api.request(ws.tokens.owner, 'POST', '/api/v1/agents', { email: 'gone@channel.example.com', name: 'Φεύγων' });
    await api.request(ws.tokens.owner, 'PATCH', `/api/v1/agents/${agent.json().id}`, { active: false });
    const phone = '+30 210 000 0002';
    const ticketsBefore = await phoneTickets();
    const res = await api.request(ws.tokens.agent, 'POST', '/api/v1/calls', {
      direction: 'inbound', from: phone, to: '+30 210 999 9999', durationSeconds: 60, outcome: 'answered',
      notes: GREEK_NOTES, agentId: agent.json().id, createTicket: {},
    });
    expect(res.statusCode, res.body).toBe(422);
    // The caller's number made no customer, and nothing else was written.
    expect(await customersByPhone(phone)).toEqual([]);
    expect(await phoneTickets()).toEqual(ticketsBefore);
    expect((await api.request(ws.tokens.agent, 'GET', '/api/v1/calls?limit=200')).json().data.filter((c: { from: string }) => c.from === phone)).toEqual([]);
  });

  it('makes one ticket when the same call (externalId) is logged three times at once', async () => {
    const phone = '+30 210 000 0003';
    const body = {
      direction: 'inbound', from: phone, to: '+30 210 999 9999', durationSeconds: 90, outcome: 'answered',
      notes: GREEK_NOTES, externalId: 'pbx-call-42', createTicket: { priority: 'high' },
    };
    const results = await Promise.all([1, 2, 3].map(() => api.request(ws.tokens.agent, 'POST', '/api/v1/calls', body)));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 201]);
    expect(new Set(results.map((r) => r.json().id)).size).toBe(1);
    const customers = await customersByPhone(phone);
    expect(customers).toHaveLength(1);
    expect((await phoneTickets()).filter((t) => t.customer.id === customers[0]?.id)).toHaveLength(1);
  });

  it('makes one ticket when a mention is turned into a ticket by three requests at once', async () => {
    const mention = await api.request(ws.tokens.agent, 'POST', '/api/v1/mentions', {
      platform: 'trustpilot', url: 'https://trustpilot.example.com/r/77', author: 'أحمد', rating: 1, text: ARABIC_REVIEW, publishedAt: '2026-11-01T09:00:00Z',
    });
    expect(mention.statusCode, mention.body).toBe(201);
    const id = mention.json().id;
    const results = await Promise.all([1, 2, 3].map(() => api.request(ws.tokens.agent, 'POST', `/api/v1/mentions/${id}/ticket`)));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 201]);
    const ticketIds = new Set(results.map((r) => r.json().id));
    expect(ticketIds.size).toBe(1);
    const social = (await api.request(ws.tokens.agent, 'GET', '/api/v1/tickets?channel=social&limit=200')).json().data;
    expect(social).toHaveLength(1);
    expect(social[0]).toMatchObject({ priority: 'high', customer: { name: 'أحمد' } });
    const messages = (await api.request(ws.tokens.agent, 'GET', `/api/v1/tickets/${social[0].id}/messages`)).json().data;
    expect(messages[0].text).toBe(`${ARABIC_REVIEW}\n\nhttps://trustpilot.example.com/r/77`);
    const authors = await api.database.db.selectFrom('customers').select('id').where('workspace_id', '=', ws.id).where('name', '=', 'أحمد').execute();
    expect(authors).toHaveLength(1);
    expect((await api.request(ws.tokens.agent, 'GET', `/api/v1/mentions/${id}`)).json().ticketId).toBe([...ticketIds][0]);
  });
});
