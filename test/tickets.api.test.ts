import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';

describe.each(availableBackends())('tickets API on %s', (kind) => {
  let api: TestApi;
  let ws: TestWorkspace;
  beforeAll(async () => {
    api = await startTestApi(kind);
    ws = await api.createWorkspace('Aurora');
  });
  afterAll(async () => api?.close());

  it('opens a ticket for a new customer and lists it', async () => {
    const res = await api.request(ws.tokens.agent, 'POST', '/api/v1/tickets', {
      subject: 'Thermostat offline',
      customer: { email: 'Jane@Example.com', name: 'Jane Doe' },
      channel: 'email',
      priority: 'high',
      message: 'My thermostat shows offline since this morning.',
    });
    expect(res.statusCode).toBe(201);
    const ticket = res.json();
    expect(ticket).toMatchObject({ subject: 'Thermostat offline', status: 'new', priority: 'high', channel: 'email', number: 1 });
    expect(ticket.customer.email).toBe('jane@example.com');
    const list = await api.request(ws.tokens.agent, 'GET', '/api/v1/tickets?status=new&priority=high');
    expect(list.json().data.map((t: { id: string }) => t.id)).toContain(ticket.id);
  });

  it('finds a known customer by e-mail, filling in a name or language only where none was known', async () => {
    const open = async (customer: Record<string, string>) => {
      const res = await api.request(ws.tokens.agent, 'POST', '/api/v1/tickets', { subject: 'Λογαριασμός', customer, channel: 'web', message: 'Καλησπέρα' });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().customer as { id: string; name: string | null; email: string };
    };
    const first = await open({ email: 'eleni@example.gr' });
    expect(first.name).toBeNull();
    const named = await open({ email: 'Eleni@Example.gr', name: 'Ελένη Παπαδοπούλου', locale: 'el' });
    expect(named).toEqual({ ...first, name: 'Ελένη Παπαδοπούλου' });
    const again = await open({ email: 'eleni@example.gr', name: 'Κάποια Άλλη', locale: 'ar' });
    expect(again).toEqual(named);
    const customer = await api.database.db.selectFrom('customers').select(['name', 'locale']).where('id', '=', first.id).executeTakeFirstOrThrow();
    expect(customer).toEqual({ name: 'Ελένη Παπαδοπούλου', locale: 'el' });
    const created = await api.database.db
      .selectFrom('audit_log')
      .select('entity_id')
      .where('action', '=', 'customer.created')
      .where('entity_id', '=', first.id)
      .execute();
    expect(created).toHaveLength(1);
  });
});
