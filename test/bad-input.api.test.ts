// Bad input gets a clear 4xx error and changes nothing: every rejected request answers
// { error: { code, message } } with a status below 500, and no row anywhere moves.
import fc from 'fast-check';
import { sql } from 'kysely';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';

type Method = 'GET' | 'POST' | 'PATCH';

const TABLES = [
  'tickets',
  'customers',
  'messages',
  'attachments',
  'blobs',
  'audit_log',
  'agents',
  'teams',
  'team_members',
  'companies',
] as const;

interface Snapshot {
  counts: Record<string, number>;
  nextTicketNumber: number;
  ticket: unknown;
}

/** Row counts of every table a request could write, the ticket numbering, and the tested ticket's row. */
async function snapshot(api: TestApi, ticketId: string): Promise<Snapshot> {
  const selects = TABLES.map((t) => sql`(SELECT count(*) FROM ${sql.table(t)})::int AS ${sql.ref(t)}`);
  const { rows } = await sql<Record<string, number>>`SELECT ${sql.join(selects)}`.execute(api.database.db);
  const ws = await sql<{ n: number }>`SELECT sum(ticket_number_peek(id))::int AS n FROM workspaces`.execute(api.database.db);
  const ticket = await api.database.db.selectFrom('tickets').selectAll().where('id', '=', ticketId).executeTakeFirstOrThrow();
  return { counts: rows[0] ?? {}, nextTicketNumber: ws.rows[0]?.n ?? 0, ticket: JSON.parse(JSON.stringify(ticket)) };
}

/** The answer every rejected request must give. */
function expectClearError(res: LightMyRequestResponse, status: number, code?: string): { code: string; message: string } {
  expect(res.statusCode, res.body.slice(0, 300)).toBe(status);
  expect(res.statusCode).toBeLessThan(500);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = res.json() as { error?: { code?: unknown; message?: unknown } };
  expect(typeof body.error?.code).toBe('string');
  expect(typeof body.error?.message).toBe('string');
  expect((body.error?.message as string).length).toBeGreaterThan(0);
  if (code) expect(body.error?.code).toBe(code);
  return body.error as { code: string; message: string };
}

interface Case {
  name: string;
  method: Method;
  url: (ticketId: string) => string;
  /** An object is sent as JSON; a string or Buffer is sent as the raw body. */
  body?: unknown;
  headers?: Record<string, string>;
  status: number;
  code?: string;
  /** The error message must name this (the field at fault). */
  mentions?: string;
}

const TICKETS = () => '/api/v1/tickets';
const CUSTOMERS = () => '/api/v1/customers';
const TICKET = (id: string) => `/api/v1/tickets/${id}`;
const MESSAGES = (id: string) => `/api/v1/tickets/${id}/messages`;
const TEAMS = () => '/api/v1/teams';

const ROUTES: Array<{ route: string; method: Method; url: (id: string) => string; valid: Record<string, unknown> }> = [
  { route: 'POST /tickets', method: 'POST', url: TICKETS, valid: { subject: 'Printer on fire', customer: { email: 'bad@input.example' }, message: 'Help' } },
  { route: 'POST /customers', method: 'POST', url: CUSTOMERS, valid: { email: 'new@input.example', name: 'Νέος Πελάτης' } },
  { route: 'PATCH /tickets/:id', method: 'PATCH', url: TICKET, valid: { priority: 'urgent' } },
  { route: 'POST /tickets/:id/messages', method: 'POST', url: MESSAGES, valid: { body: 'A reply', kind: 'reply' } },
  { route: 'POST /teams', method: 'POST', url: TEAMS, valid: { name: 'Night shift' } },
];

const JSON_HEADERS = { 'content-type': 'application/json' };
const invalidUtf8 = (before: string, after: string) =>
  Buffer.concat([Buffer.from(before, 'utf8'), Buffer.from([0xc3, 0x28]), Buffer.from(after, 'utf8')]);

const CASES: Case[] = [];
for (const r of ROUTES) {
  const validJson = JSON.stringify(r.valid);
  CASES.push(
    { name: `${r.route}: truncated JSON`, method: r.method, url: r.url, body: validJson.slice(0, -3), headers: JSON_HEADERS, status: 400, code: 'invalid_json' },
    { name: `${r.route}: trailing comma`, method: r.method, url: r.url, body: validJson.replace(/}$/, ',}'), headers: JSON_HEADERS, status: 400, code: 'invalid_json' },
    { name: `${r.route}: single quotes`, method: r.method, url: r.url, body: "{'subject': 'x'}", headers: JSON_HEADERS, status: 400, code: 'invalid_json' },
    { name: `${r.route}: unknown field`, method: r.method, url: r.url, body: { ...r.valid, isAdmin: true }, status: 400, code: 'validation_failed', mentions: 'isAdmin' },
    { name: `${r.route}: invalid UTF-8 bytes`, method: r.method, url: r.url, body: invalidUtf8('{"name":"caf', '"}'), headers: JSON_HEADERS, status: 400, code: 'invalid_encoding' },
    { name: `${r.route}: UTF-8-encoded lone surrogate bytes`, method: r.method, url: r.url, body: Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]), headers: JSON_HEADERS, status: 400, code: 'invalid_encoding' },
    { name: `${r.route}: text/plain`, method: r.method, url: r.url, body: validJson, headers: { 'content-type': 'text/plain' }, status: 415, code: 'unsupported_media_type' },
    { name: `${r.route}: form-encoded`, method: r.method, url: r.url, body: 'subject=x', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, code: 'unsupported_media_type' },
    { name: `${r.route}: empty body`, method: r.method, url: r.url, status: 400 },
    { name: `${r.route}: empty JSON body`, method: r.method, url: r.url, body: '', headers: JSON_HEADERS, status: 400 },
    { name: `${r.route}: whitespace-only JSON body`, method: r.method, url: r.url, body: '  \n ', headers: JSON_HEADERS, status: 400 },
    { name: `${r.route}: JSON null`, method: r.method, url: r.url, body: 'null', headers: JSON_HEADERS, status: 400, code: 'validation_failed' },
    { name: `${r.route}: JSON array`, method: r.method, url: r.url, body: [r.valid], status: 400, code: 'validation_failed' },
    { name: `${r.route}: JSON string`, method: r.method, url: r.url, body: '"hello"', headers: JSON_HEADERS, status: 400, code: 'validation_failed' },
  );
}

// A 2 MB body: refused as too large where the route takes no attachments; the routes that take
// attachments accept bigger bodies, but a 2 MB text field is still refused, naming the field.
const big = 'x'.repeat(2 * 1024 * 1024);
CASES.push(
  { name: 'POST /customers: 2 MB body', method: 'POST', url: CUSTOMERS, body: { email: 'big@input.example', name: big }, status: 413, code: 'payload_too_large' },
  { name: 'PATCH /tickets/:id: 2 MB body', method: 'PATCH', url: TICKET, body: { subject: big }, status: 413, code: 'payload_too_large' },
  { name: 'POST /teams: 2 MB body', method: 'POST', url: TEAMS, body: { name: big }, status: 413, code: 'payload_too_large' },
  { name: 'POST /tickets: 2 MB subject', method: 'POST', url: TICKETS, body: { subject: big, customer: { email: 'big@input.example' } }, status: 400, code: 'validation_failed', mentions: 'subject' },
  { name: 'POST /tickets: 2 MB message', method: 'POST', url: TICKETS, body: { subject: 'Big', customer: { email: 'big@input.example' }, message: big }, status: 400, code: 'validation_failed', mentions: 'message' },
  { name: 'POST /tickets/:id/messages: 2 MB body text', method: 'POST', url: MESSAGES, body: { body: big }, status: 400, code: 'validation_failed', mentions: 'body' },
);

// Wrong types, wrong values: 400 validation_failed, and the message names the field.
const validTicket = { subject: 'Router keeps rebooting', customer: { email: 'types@input.example' } };
CASES.push(
  { name: 'POST /tickets: subject 42', method: 'POST', url: TICKETS, body: { ...validTicket, subject: 42 }, status: 400, code: 'validation_failed', mentions: 'subject' },
  { name: "POST /tickets: priority 'super'", method: 'POST', url: TICKETS, body: { ...validTicket, priority: 'super' }, status: 400, code: 'validation_failed', mentions: 'priority' },
  { name: "POST /tickets: tags 'x'", method: 'POST', url: TICKETS, body: { ...validTicket, tags: 'x' }, status: 400, code: 'validation_failed', mentions: 'tags' },
  { name: 'POST /tickets: tag with spaces', method: 'POST', url: TICKETS, body: { ...validTicket, tags: ['two words'] }, status: 400, code: 'validation_failed', mentions: 'tags' },
  { name: "POST /tickets: channel 'pigeon'", method: 'POST', url: TICKETS, body: { ...validTicket, channel: 'pigeon' }, status: 400, code: 'validation_failed', mentions: 'channel' },
  { name: 'POST /tickets: customer email not an email', method: 'POST', url: TICKETS, body: { ...validTicket, customer: { email: 'not-an-email' } }, status: 400, code: 'validation_failed', mentions: 'email' },
  { name: 'POST /tickets: empty subject', method: 'POST', url: TICKETS, body: { ...validTicket, subject: '   ' }, status: 400, code: 'validation_failed', mentions: 'subject' },
  { name: 'POST /tickets: no customer', method: 'POST', url: TICKETS, body: { subject: 'Nobody' }, status: 400, code: 'validation_failed' },
  { name: 'POST /tickets: assigneeId not a uuid', method: 'POST', url: TICKETS, body: { ...validTicket, assigneeId: 7 }, status: 400, code: 'validation_failed', mentions: 'assigneeId' },
  { name: 'POST /tickets: status on create is not a status', method: 'POST', url: TICKETS, body: { ...validTicket, status: 'bogus' }, status: 400, code: 'validation_failed', mentions: 'status' },
  { name: 'POST /tickets: attachment not base64', method: 'POST', url: TICKETS, body: { ...validTicket, attachments: [{ filename: 'a.txt', contentType: 'text/plain', contentBase64: '!!!' }] }, status: 400, code: 'validation_failed', mentions: 'contentBase64' },
  { name: 'POST /tickets: attachment filename is a path', method: 'POST', url: TICKETS, body: { ...validTicket, attachments: [{ filename: '../../etc/passwd', contentType: 'text/plain', contentBase64: 'aGk=' }] }, status: 400, code: 'validation_failed', mentions: 'filename' },
  { name: 'POST /customers: name 42', method: 'POST', url: CUSTOMERS, body: { email: 'types@input.example', name: 42 }, status: 400, code: 'validation_failed', mentions: 'name' },
  { name: "POST /customers: locale 'fr'", method: 'POST', url: CUSTOMERS, body: { email: 'types@input.example', locale: 'fr' }, status: 400, code: 'validation_failed', mentions: 'locale' },
  { name: 'POST /customers: phone with letters', method: 'POST', url: CUSTOMERS, body: { phone: 'call me maybe' }, status: 400, code: 'validation_failed', mentions: 'phone' },
  { name: 'POST /customers: attributes not an object', method: 'POST', url: CUSTOMERS, body: { email: 'types@input.example', attributes: 'x' }, status: 400, code: 'validation_failed', mentions: 'attributes' },
  { name: 'POST /customers: no way to reach them', method: 'POST', url: CUSTOMERS, body: { name: 'Ghost' }, status: 400, code: 'validation_failed' },
  { name: 'PATCH /tickets/:id: subject 42', method: 'PATCH', url: TICKET, body: { subject: 42 }, status: 400, code: 'validation_failed', mentions: 'subject' },
  { name: "PATCH /tickets/:id: priority 'super'", method: 'PATCH', url: TICKET, body: { priority: 'super' }, status: 400, code: 'validation_failed', mentions: 'priority' },
  { name: "PATCH /tickets/:id: tags 'x'", method: 'PATCH', url: TICKET, body: { tags: 'x' }, status: 400, code: 'validation_failed', mentions: 'tags' },
  { name: "PATCH /tickets/:id: status 'bogus'", method: 'PATCH', url: TICKET, body: { status: 'bogus' }, status: 400, code: 'validation_failed', mentions: 'status' },
  { name: "PATCH /tickets/:id: version 'one'", method: 'PATCH', url: TICKET, body: { priority: 'low', version: 'one' }, status: 400, code: 'validation_failed', mentions: 'version' },
  { name: 'PATCH /tickets/:id: nothing to change', method: 'PATCH', url: TICKET, body: {}, status: 400, code: 'validation_failed' },
  { name: 'PATCH /tickets/:id: If-Match not an ETag', method: 'PATCH', url: TICKET, body: { priority: 'low' }, headers: { 'if-match': 'yesterday' }, status: 400 },
  { name: 'POST /tickets/:id/messages: body 42', method: 'POST', url: MESSAGES, body: { body: 42 }, status: 400, code: 'validation_failed', mentions: 'body' },
  { name: "POST /tickets/:id/messages: kind 'shout'", method: 'POST', url: MESSAGES, body: { body: 'x', kind: 'shout' }, status: 400, code: 'validation_failed', mentions: 'kind' },
  { name: "POST /tickets/:id/messages: status 'super'", method: 'POST', url: MESSAGES, body: { body: 'x', status: 'super' }, status: 400, code: 'validation_failed', mentions: 'status' },
  { name: 'POST /tickets/:id/messages: no body nor html', method: 'POST', url: MESSAGES, body: { kind: 'note' }, status: 400, code: 'validation_failed' },
  { name: 'POST /teams: name 42', method: 'POST', url: TEAMS, body: { name: 42 }, status: 400, code: 'validation_failed', mentions: 'name' },
  { name: "POST /teams: memberIds 'x'", method: 'POST', url: TEAMS, body: { name: 'Day shift', memberIds: 'x' }, status: 400, code: 'validation_failed', mentions: 'memberIds' },
  { name: 'POST /teams: memberIds not uuids', method: 'POST', url: TEAMS, body: { name: 'Day shift', memberIds: ['1'] }, status: 400, code: 'validation_failed', mentions: 'memberIds' },
);

// NUL characters and lone surrogates cannot be stored faithfully: refused, naming the field.
for (const [label, bad] of [['NUL', 'a\u0000b'], ['lone surrogate', 'a\ud800b'], ['lone low surrogate', '\udc00']] as const) {
  CASES.push(
    { name: `POST /tickets: ${label} in subject`, method: 'POST', url: TICKETS, body: { ...validTicket, subject: bad }, status: 400, code: 'validation_failed', mentions: 'subject' },
    { name: `POST /tickets: ${label} in message`, method: 'POST', url: TICKETS, body: { ...validTicket, message: bad }, status: 400, code: 'validation_failed', mentions: 'message' },
    { name: `POST /tickets: ${label} in html`, method: 'POST', url: TICKETS, body: { ...validTicket, html: `<p>${bad}</p>` }, status: 400, code: 'validation_failed', mentions: 'html' },
    { name: `POST /tickets: ${label} in customer name`, method: 'POST', url: TICKETS, body: { ...validTicket, customer: { email: 'nul@input.example', name: bad } }, status: 400, code: 'validation_failed', mentions: 'name' },
    { name: `POST /tickets: ${label} in customer phone`, method: 'POST', url: TICKETS, body: { ...validTicket, customer: { email: 'nul@input.example', phone: `+30 ${bad}` } }, status: 400, code: 'validation_failed', mentions: 'phone' },
    { name: `POST /tickets: ${label} in attachment filename`, method: 'POST', url: TICKETS, body: { ...validTicket, attachments: [{ filename: `${bad}.txt`, contentType: 'text/plain', contentBase64: 'aGk=' }] }, status: 400, code: 'validation_failed', mentions: 'filename' },
    { name: `POST /customers: ${label} in name`, method: 'POST', url: CUSTOMERS, body: { email: 'nul@input.example', name: bad }, status: 400, code: 'validation_failed', mentions: 'name' },
    { name: `POST /customers: ${label} in company`, method: 'POST', url: CUSTOMERS, body: { email: 'nul@input.example', company: bad }, status: 400, code: 'validation_failed', mentions: 'company' },
    { name: `POST /customers: ${label} in externalId`, method: 'POST', url: CUSTOMERS, body: { externalId: bad }, status: 400, code: 'validation_failed', mentions: 'externalId' },
    { name: `POST /customers: ${label} in an attribute value`, method: 'POST', url: CUSTOMERS, body: { email: 'nul@input.example', attributes: { plan: bad } }, status: 400, code: 'validation_failed', mentions: 'attributes' },
    { name: `POST /customers: ${label} in a nested attribute`, method: 'POST', url: CUSTOMERS, body: { email: 'nul@input.example', attributes: { deep: [{ x: bad }] } }, status: 400, code: 'validation_failed', mentions: 'attributes' },
    { name: `POST /customers: ${label} in an attribute name`, method: 'POST', url: CUSTOMERS, body: { email: 'nul@input.example', attributes: { [bad]: 1 } }, status: 400, code: 'validation_failed', mentions: 'attributes' },
    { name: `PATCH /tickets/:id: ${label} in subject`, method: 'PATCH', url: TICKET, body: { subject: bad }, status: 400, code: 'validation_failed', mentions: 'subject' },
    { name: `POST /tickets/:id/messages: ${label} in body`, method: 'POST', url: MESSAGES, body: { body: bad }, status: 400, code: 'validation_failed', mentions: 'body' },
    { name: `POST /tickets/:id/messages: ${label} in html`, method: 'POST', url: MESSAGES, body: { html: `<b>${bad}</b>` }, status: 400, code: 'validation_failed', mentions: 'html' },
    { name: `POST /tickets/:id/messages: ${label} in sourceId`, method: 'POST', url: MESSAGES, body: { body: 'ok', sourceId: bad }, status: 400, code: 'validation_failed', mentions: 'sourceId' },
    { name: `POST /teams: ${label} in name`, method: 'POST', url: TEAMS, body: { name: bad }, status: 400, code: 'validation_failed', mentions: 'name' },
  );
}

// Bad ids in the path and bad query parameters.
for (const badId of ['not-a-uuid', '1', '00000000-0000-0000-0000-00000000000g', "1'%20OR%20'1'='1"]) {
  CASES.push(
    { name: `GET /tickets/${badId}`, method: 'GET', url: () => `/api/v1/tickets/${badId}`, status: 400, code: 'validation_failed', mentions: 'id' },
    { name: `PATCH /tickets/${badId}`, method: 'PATCH', url: () => `/api/v1/tickets/${badId}`, body: { priority: 'low' }, status: 400, code: 'validation_failed', mentions: 'id' },
    { name: `POST /tickets/${badId}/messages`, method: 'POST', url: () => `/api/v1/tickets/${badId}/messages`, body: { body: 'hi' }, status: 400, code: 'validation_failed', mentions: 'id' },
    { name: `GET /tickets/${badId}/messages`, method: 'GET', url: () => `/api/v1/tickets/${badId}/messages`, status: 400, code: 'validation_failed', mentions: 'id' },
    { name: `GET /customers/${badId}`, method: 'GET', url: () => `/api/v1/customers/${badId}`, status: 400, code: 'validation_failed', mentions: 'id' },
    { name: `GET /attachments/${badId}`, method: 'GET', url: () => `/api/v1/attachments/${badId}`, status: 400, code: 'validation_failed', mentions: 'id' },
  );
}
const UNKNOWN_ID = '0190f2a0-0000-7000-8000-000000000000';
CASES.push(
  { name: 'GET /tickets/<unknown uuid>', method: 'GET', url: () => `/api/v1/tickets/${UNKNOWN_ID}`, status: 404, code: 'not_found' },
  { name: 'PATCH /tickets/<unknown uuid>', method: 'PATCH', url: () => `/api/v1/tickets/${UNKNOWN_ID}`, body: { priority: 'low' }, status: 404, code: 'not_found' },
  { name: 'POST /tickets/<unknown uuid>/messages', method: 'POST', url: () => `/api/v1/tickets/${UNKNOWN_ID}/messages`, body: { body: 'hi' }, status: 404, code: 'not_found' },
  { name: 'POST /tickets with an unknown customerId', method: 'POST', url: TICKETS, body: { subject: 'x', customerId: UNKNOWN_ID }, status: 422 },
  { name: 'POST /tickets with an unknown assignee', method: 'POST', url: TICKETS, body: { ...validTicket, assigneeId: UNKNOWN_ID }, status: 422 },
  { name: 'PATCH /tickets/:id with an unknown team', method: 'PATCH', url: TICKET, body: { teamId: UNKNOWN_ID }, status: 422 },
  { name: 'POST /teams with an unknown member', method: 'POST', url: TEAMS, body: { name: 'Ghosts', memberIds: [UNKNOWN_ID] }, status: 422 },
);
for (const [query, field] of [
  ['limit=0', 'limit'],
  ['limit=-1', 'limit'],
  ['limit=abc', 'limit'],
  ['limit=1.5', 'limit'],
  ['limit=100000', 'limit'],
  ['status=bogus', 'status'],
  ['status=open,bogus', 'status'],
  ['priority=super', 'priority'],
  ['channel=pigeon', 'channel'],
  ['assignee=somebody', 'assignee'],
  ['customer=not-a-uuid', 'customer'],
  ['tag=two%20words', 'tag'],
  ['cursor=garbage', 'cursor'],
  ['cursor=' + Buffer.from('not-a-uuid').toString('base64url'), 'cursor'],
  ['q=a%00b', 'q'],
  ['q=' + 'x'.repeat(500), 'q'],
  ['q=a&q=b', 'q'],
  ['colour=red', 'colour'],
] as const) {
  CASES.push({ name: `GET /tickets?${query.slice(0, 40)}`, method: 'GET', url: () => `/api/v1/tickets?${query}`, status: 400, code: 'validation_failed', mentions: field });
}
for (const [query, field] of [['limit=0', 'limit'], ['limit=abc', 'limit'], ['cursor=garbage', 'cursor'], ['q=a%00', 'q'], ['sort=name', 'sort']] as const) {
  CASES.push({ name: `GET /customers?${query}`, method: 'GET', url: () => `/api/v1/customers?${query}`, status: 400, code: 'validation_failed', mentions: field });
}
CASES.push(
  { name: 'GET /tickets/:id/messages?limit=0', method: 'GET', url: (id) => `/api/v1/tickets/${id}/messages?limit=0`, status: 400, code: 'validation_failed', mentions: 'limit' },
  { name: 'GET /tickets/:id/messages?cursor=garbage', method: 'GET', url: (id) => `/api/v1/tickets/${id}/messages?cursor=garbage`, status: 400, code: 'validation_failed', mentions: 'cursor' },
);

describe.each(availableBackends())('bad input on %s', (kind) => {
  let api: TestApi;
  let ws: TestWorkspace;
  let ticketId: string;
  let token: string;

  beforeAll(async () => {
    api = await startTestApi(kind);
    ws = await api.createWorkspace('Badlands');
    token = ws.tokens.owner;
    const res = await api.request(token, 'POST', '/api/v1/tickets', {
      subject: 'The ticket bad input must not touch',
      customer: { email: 'victim@input.example', name: 'Victim' },
      message: 'Original message',
      tags: ['original'],
    });
    expect(res.statusCode).toBe(201);
    ticketId = res.json().id;
  });
  afterAll(async () => api?.close());

  it.each(CASES.map((c) => [c.name, c] as const))('%s → clear 4xx, nothing changes', async (_name, c) => {
    const before = await snapshot(api, ticketId);
    const res = await api.request(token, c.method, c.url(ticketId), c.body, c.headers);
    const error = expectClearError(res, c.status, c.code);
    if (c.mentions) expect(error.message).toContain(c.mentions);
    expect(await snapshot(api, ticketId)).toEqual(before);
  });

  it('refuses a body above the attachment limit on the routes that take attachments with 413', async () => {
    const huge = 'x'.repeat(36 * 1024 * 1024);
    for (const url of [TICKETS(), MESSAGES(ticketId)]) {
      const before = await snapshot(api, ticketId);
      const res = await api.request(token, 'POST', url, { subject: 'Huge', customer: { email: 'huge@input.example' }, body: huge });
      expectClearError(res, 413, 'payload_too_large');
      expect(await snapshot(api, ticketId)).toEqual(before);
    }
  });

  it('stores SQL-looking text literally and searches for it literally', async () => {
    const nasty = ["'; DROP TABLE tickets; --", '1 OR 1=1', "Robert'); DROP TABLE customers;--", '%', '_', '\\'];
    for (const text of nasty) {
      const before = await snapshot(api, ticketId);
      const created = await api.request(token, 'POST', '/api/v1/tickets', {
        subject: `Subject ${text}`,
        customer: { email: `sql${nasty.indexOf(text)}@input.example`, name: text },
        message: text,
      });
      expect(created.statusCode, created.body).toBe(201);
      const ticket = created.json();
      expect(ticket.subject).toBe(`Subject ${text}`);
      expect(ticket.customer.name).toBe(text);
      const after = await snapshot(api, ticketId);
      expect(after.counts.tickets).toBe(before.counts.tickets! + 1);
      expect(after.counts.customers).toBe(before.counts.customers! + 1);
      expect(after.counts.messages).toBe(before.counts.messages! + 1);
      const fetched = await api.request(token, 'GET', `/api/v1/tickets/${ticket.id}`);
      expect(fetched.json().subject).toBe(`Subject ${text}`);
      const messages = await api.request(token, 'GET', `/api/v1/tickets/${ticket.id}/messages`);
      expect(messages.json().data.map((m: { text: string }) => m.text)).toEqual([text]);
      const customer = await api.request(token, 'POST', '/api/v1/customers', { externalId: `sql-${text}`, name: text });
      expect(customer.statusCode, customer.body).toBe(201);
      expect(customer.json().name).toBe(text);
    }
    // Each search matches only the ticket with that literal text.
    const list = async (url: string) => {
      const res = await api.request(token, 'GET', url);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().data as Array<{ subject: string; name: string }>;
    };
    const q = (s: string) => encodeURIComponent(s);
    expect((await list(`/api/v1/tickets?q=${q("'; DROP TABLE tickets; --")}`)).map((t) => t.subject)).toEqual(["Subject '; DROP TABLE tickets; --"]);
    expect((await list(`/api/v1/tickets?q=${q('%')}`)).map((t) => t.subject)).toEqual(['Subject %']);
    expect((await list(`/api/v1/tickets?q=${q('_')}`)).map((t) => t.subject)).toEqual(['Subject _']);
    expect((await list(`/api/v1/tickets?q=${q('\\')}`)).map((t) => t.subject)).toEqual(['Subject \\']);
    expect(await list(`/api/v1/tickets?q=${q("' OR '1'='1")}`)).toEqual([]);
    expect(await list(`/api/v1/tickets?q=${q('x OR 1=1 --')}`)).toEqual([]);
    expect(await list(`/api/v1/tickets?q=${q('zzz%')}`)).toEqual([]);
    const customers = await list(`/api/v1/customers?q=${q("Robert'); DROP TABLE customers;--")}`);
    expect(customers.length).toBeGreaterThan(0);
    expect(customers.every((c) => c.name === "Robert'); DROP TABLE customers;--")).toBe(true);
    expect(await list(`/api/v1/customers?q=${q("' OR 1=1 --")}`)).toEqual([]);
    expect(await list(`/api/v1/customers?q=${q('zzz_')}`)).toEqual([]);
    // The tables are all still there and still answer.
    const counts = (await snapshot(api, ticketId)).counts;
    for (const table of TABLES) expect(counts[table]).toBeTypeOf('number');
    expect((await list('/api/v1/tickets?limit=200')).length).toBe(counts.tickets);
  });

  describe('property: arbitrary input never causes a 500 and writes nothing unless 201', () => {
    const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
    const tricky = fc.string({
      unit: fc.oneof(fc.constantFrom('\u0000', 'ς', 'ή', '\u064E', "'", '%', '\\', '<', '"'), loneSurrogate, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })),
      maxLength: 20,
    });
    const anyText = fc.oneof(
      { arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }), weight: 10 },
      { arbitrary: fc.string({ unit: 'binary', maxLength: 30 }), weight: 2 },
      { arbitrary: tricky, weight: 2 },
      { arbitrary: fc.constantFrom('', ' ', "'; DROP TABLE tickets; --", '1 OR 1=1', 'στιγμή', 'لحظة'), weight: 1 },
    );
    const anyValue = fc.jsonValue({ maxDepth: 2, stringUnit: 'binary' });
    /** Mostly a valid value, sometimes anything at all. */
    const often = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ arbitrary: valid, weight: 15 }, { arbitrary: anyValue, weight: 1 });
    const email = fc.oneof(
      { arbitrary: fc.stringMatching(/^[a-z][a-z0-9]{0,8}([._-][a-z0-9]{1,5})?@[a-z]{2,8}\.(com|gr|sa)$/), weight: 8 },
      { arbitrary: fc.emailAddress(), weight: 1 },
      { arbitrary: fc.constantFrom('Νίκος@example.gr', 'x@y', 'a@b', 'UPPER@Example.COM'), weight: 1 },
      { arbitrary: anyText, weight: 1 },
    );
    const tag = fc.stringMatching(/^[a-zα-ω][a-z0-9α-ω:._-]{0,12}$/);
    const ticketBody = fc.record(
      {
        subject: often(anyText),
        customer: often(
          fc.record(
            { email, name: often(fc.option(anyText)), phone: often(fc.option(anyText)), locale: often(fc.constantFrom('en', 'el', 'ar')) },
            { requiredKeys: ['email'] },
          ),
        ),
        channel: often(fc.constantFrom('email', 'chat', 'phone', 'web', 'social', 'api')),
        priority: often(fc.constantFrom('low', 'normal', 'high', 'urgent')),
        status: often(fc.constantFrom('new', 'open', 'pending', 'on_hold', 'solved', 'closed')),
        message: often(anyText),
        html: often(anyText),
        tags: often(fc.array(fc.oneof({ arbitrary: tag, weight: 5 }, { arbitrary: anyText, weight: 1 }), { maxLength: 3 })),
        attachments: often(
          fc.array(
            fc.record({
              filename: often(anyText),
              contentType: often(fc.constantFrom('text/plain', 'image/png', 'application/pdf')),
              contentBase64: often(fc.base64String({ maxLength: 40 })),
            }),
            { maxLength: 2 },
          ),
        ),
      },
      { requiredKeys: ['subject', 'customer'] },
    );
    const customerBody = fc.record(
      {
        email: often(email),
        phone: often(fc.oneof({ arbitrary: fc.constantFrom('+30 210 123 4567', '+966 11 000 0000', '(210) 555-0100'), weight: 4 }, { arbitrary: anyText, weight: 1 })),
        name: often(fc.option(anyText)),
        locale: often(fc.option(fc.constantFrom('en', 'el', 'ar'))),
        company: often(fc.option(anyText)),
        externalId: often(anyText),
        attributes: often(fc.dictionary(anyText, anyValue, { maxKeys: 3 })),
      },
      { requiredKeys: [] },
    );
    const rawBody = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.uint8Array({ maxLength: 80 }).map((bytes) => Buffer.from(bytes)),
      anyValue.map((v) => JSON.stringify(v) ?? ''),
    );
    const inputFor = (shaped: fc.Arbitrary<unknown>) =>
      fc.oneof(
        { arbitrary: shaped.map((v) => JSON.stringify(v) ?? ''), weight: 10 },
        { arbitrary: anyValue.map((v) => JSON.stringify(v) ?? ''), weight: 1 },
        { arbitrary: rawBody, weight: 2 },
      );

    it.each([
      ['/api/v1/tickets', 'tickets', inputFor(ticketBody)],
      ['/api/v1/customers', 'customers', inputFor(customerBody)],
    ] as const)('POST %s', async (url, table, input) => {
      let baseline = await snapshot(api, ticketId);
      let created = 0;
      await fc.assert(
        fc.asyncProperty(input, async (body) => {
          const res = await api.request(token, 'POST', url, body, JSON_HEADERS);
          expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500);
          const after = await snapshot(api, ticketId);
          if (res.statusCode === 201) {
            created++;
            expect(after.counts[table]).toBe(baseline.counts[table]! + 1);
            // What was created can be read back.
            const path = `${url}/${res.json().id}`;
            expect((await api.request(token, 'GET', path)).statusCode).toBe(200);
            baseline = after;
          } else {
            expectClearError(res, res.statusCode);
            expect(after).toEqual(baseline);
          }
        }),
        { numRuns: 100 },
      );
      // The input is near enough to valid that the write path is exercised, not only validation.
      expect(created).toBeGreaterThanOrEqual(3);
    });
  });
});
