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
});
