// The ticket lifecycle over the API: which status changes are allowed, what messages do to a
// ticket, optimistic concurrency, attachments, pagination and filters, and the audit trail.
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';

type Status = 'new' | 'open' | 'pending' | 'on_hold' | 'solved' | 'closed';
const STATUSES: Status[] = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'];

/**
 * The documented rules: a ticket is never set back to new; closed is final; only a solved
 * ticket can be closed; a solved ticket can only be reopened or closed.
 */
const ALLOWED: Record<Status, Status[]> = {
  new: ['open', 'pending', 'on_hold', 'solved'],
  open: ['pending', 'on_hold', 'solved'],
  pending: ['open', 'on_hold', 'solved'],
  on_hold: ['open', 'pending', 'solved'],
  solved: ['open', 'closed'],
  closed: [],
};
const pairs = (allowed: boolean) =>
  STATUSES.flatMap((from) =>
    STATUSES.filter((to) => to !== from && ALLOWED[from].includes(to) === allowed).map((to) => [from, to] as const),
  );

interface Ticket {
  id: string;
  number: number;
  subject: string;
  status: Status;
  priority: string;
  channel: string;
  tags: string[];
  assigneeId: string | null;
  version: number;
  customer: { id: string };
  firstResponseAt: string | null;
  lastCustomerMessageAt: string | null;
  publicReplyCount: number;
  solvedAt: string | null;
  reopenedAt: string | null;
  reopenCount: number;
  closedAt: string | null;
  updatedAt: string;
}

describe.each(availableBackends())('ticket lifecycle on %s', (kind) => {
  let api: TestApi;
  let ws: TestWorkspace;
  let token: string;
  let counter = 0;

  beforeAll(async () => {
    api = await startTestApi(kind);
    ws = await api.createWorkspace('Lifecycle');
    token = ws.tokens.agent;
  });
  afterAll(async () => api?.close());

  const create = async (extra: Record<string, unknown> = {}): Promise<Ticket> => {
    const res = await api.request(token, 'POST', '/api/v1/tickets', {
      subject: `Ticket ${++counter}`,
      customer: { email: `customer${counter % 3}@lifecycle.example` },
      message: 'The customer writes in',
      ...extra,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const get = async (id: string): Promise<Ticket> => {
    const res = await api.request(token, 'GET', `/api/v1/tickets/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const patch = (id: string, body: Record<string, unknown>, headers?: Record<string, string>) =>
    api.request(token, 'PATCH', `/api/v1/tickets/${id}`, body, headers);
  const post = (id: string, body: Record<string, unknown>) => api.request(token, 'POST', `/api/v1/tickets/${id}/messages`, body);
  const messageCount = async (ticketId: string) =>
    Number(
      (await api.database.db.selectFrom('messages').select((eb) => eb.fn.countAll().as('n')).where('ticket_id', '=', ticketId).executeTakeFirstOrThrow()).n,
    );
  const auditCount = async () =>
    Number((await api.database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  /** A fresh ticket in the given status, reached through allowed changes. */
  const ticketIn = async (status: Status): Promise<Ticket> => {
    const ticket = await create(status === 'closed' ? { status: 'solved' } : status === 'new' ? {} : { status });
    if (status !== 'closed') {
      expect(ticket.status).toBe(status);
      return ticket;
    }
    const res = await patch(ticket.id, { status: 'closed' });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  describe('status rules', () => {
    it.each(pairs(true))('allows %s → %s', async (from, to) => {
      const ticket = await ticketIn(from);
      const res = await patch(ticket.id, { status: to });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().status).toBe(to);
      expect(res.json().version).toBe(ticket.version + 1);
      expect((await get(ticket.id)).status).toBe(to);
    });

    it.each(pairs(false))('refuses %s → %s with 422 invalid_transition and changes nothing', async (from, to) => {
      const ticket = await ticketIn(from);
      const audits = await auditCount();
      const res = await patch(ticket.id, { status: to, priority: 'urgent' });
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().error.code).toBe('invalid_transition');
      expect(res.json().error.message).toContain(from);
      const after = await get(ticket.id);
      expect(after).toEqual(ticket);
      expect(after.version).toBe(ticket.version);
      expect(after.priority).toBe('normal');
      expect(await auditCount()).toBe(audits);
    });

    it('refuses to open a ticket as closed', async () => {
      const res = await api.request(token, 'POST', '/api/v1/tickets', { subject: 'x', customer: { email: 'closed@lifecycle.example' }, status: 'closed' });
      expect(res.statusCode).toBe(422);
      expect(res.json().error.code).toBe('invalid_transition');
    });

    it('reopening a solved ticket counts the reopen and keeps the solve time; closing does not', async () => {
      const ticket = await ticketIn('solved');
      expect(ticket.solvedAt).not.toBeNull();
      expect(ticket.reopenCount).toBe(0);
      expect(ticket.reopenedAt).toBeNull();

      const reopened = (await patch(ticket.id, { status: 'open' })).json() as Ticket;
      expect(reopened.status).toBe('open');
      expect(reopened.reopenCount).toBe(1);
      expect(reopened.reopenedAt).not.toBeNull();
      expect(Date.parse(reopened.reopenedAt!)).toBeGreaterThanOrEqual(Date.parse(ticket.solvedAt!));

      const solvedAgain = (await patch(ticket.id, { status: 'solved' })).json() as Ticket;
      expect(Date.parse(solvedAgain.solvedAt!)).toBeGreaterThanOrEqual(Date.parse(reopened.reopenedAt!));
      const reopenedAgain = (await patch(ticket.id, { status: 'open' })).json() as Ticket;
      expect(reopenedAgain.reopenCount).toBe(2);

      const closing = await ticketIn('solved');
      const closed = (await patch(closing.id, { status: 'closed' })).json() as Ticket;
      expect(closed.status).toBe('closed');
      expect(closed.closedAt).not.toBeNull();
      expect(closed.reopenCount).toBe(0);
      expect(closed.reopenedAt).toBeNull();
    });

    it('setting the status a ticket already has changes nothing', async () => {
      const ticket = await ticketIn('pending');
      const res = await patch(ticket.id, { status: 'pending' });
      expect(res.statusCode).toBe(200);
      expect(res.json().version).toBe(ticket.version);
    });
  });

  describe('messages and the lifecycle', () => {
    it('a customer message reopens a solved ticket', async () => {
      const ticket = await ticketIn('solved');
      const res = await post(ticket.id, { kind: 'customer', body: 'It broke again' });
      expect(res.statusCode, res.body).toBe(201);
      const after: Ticket = res.json().ticket;
      expect(after.status).toBe('open');
      expect(after.reopenCount).toBe(1);
      expect(after.reopenedAt).toBe(res.json().message.createdAt);
      expect(after.lastCustomerMessageAt).toBe(res.json().message.createdAt);
      expect(await get(ticket.id)).toEqual(after);
    });

    it('a customer message on a pending ticket makes it open, without counting a reopen', async () => {
      const ticket = await ticketIn('pending');
      const res = await post(ticket.id, { kind: 'customer', body: 'Here is the information you asked for' });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().ticket.status).toBe('open');
      expect(res.json().ticket.reopenCount).toBe(0);
    });

    it('a customer message on an on-hold ticket leaves it on hold', async () => {
      const ticket = await ticketIn('on_hold');
      const res = await post(ticket.id, { kind: 'customer', body: 'Any news?' });
      expect(res.json().ticket.status).toBe('on_hold');
    });

    it('a message on a closed ticket is refused and not stored', async () => {
      const ticket = await ticketIn('closed');
      const messages = await messageCount(ticket.id);
      for (const kind of ['customer', 'reply', 'note']) {
        const res = await post(ticket.id, { kind, body: 'Too late' });
        expect(res.statusCode, res.body).toBe(422);
        expect(res.json().error.code).toBe('invalid_transition');
      }
      expect(await messageCount(ticket.id)).toBe(messages);
      expect(await get(ticket.id)).toEqual(ticket);
    });

    it('the first agent reply sets firstResponseAt once; only public replies are counted', async () => {
      const ticket = await create();
      expect(ticket.status).toBe('new');
      expect(ticket.firstResponseAt).toBeNull();
      expect(ticket.publicReplyCount).toBe(0);

      const note = await post(ticket.id, { kind: 'note', body: 'Internal: check the logs' });
      expect(note.json().ticket.firstResponseAt).toBeNull();
      expect(note.json().ticket.publicReplyCount).toBe(0);
      expect(note.json().ticket.status).toBe('new');

      const first = await post(ticket.id, { kind: 'reply', body: 'We are looking into it' });
      expect(first.statusCode, first.body).toBe(201);
      const firstAt = first.json().message.createdAt;
      expect(first.json().ticket.firstResponseAt).toBe(firstAt);
      expect(first.json().ticket.publicReplyCount).toBe(1);
      expect(first.json().ticket.status).toBe('open');
      expect(first.json().message.authorAgentId).toBe(ws.ownerId);

      await post(ticket.id, { kind: 'customer', body: 'Thanks' });
      await post(ticket.id, { kind: 'note', body: 'Another note' });
      await new Promise((resolve) => setTimeout(resolve, 5));
      const second = await post(ticket.id, { kind: 'reply', body: 'Fixed now' });
      expect(second.json().message.createdAt).not.toBe(firstAt);
      expect(second.json().ticket.firstResponseAt).toBe(firstAt);
      expect(second.json().ticket.publicReplyCount).toBe(2);
      const after = await get(ticket.id);
      expect(after.firstResponseAt).toBe(firstAt);
      expect(after.publicReplyCount).toBe(2);
    });

    it('a reply with a status leaves the ticket in that status', async () => {
      const ticket = await create();
      const pending = await post(ticket.id, { kind: 'reply', body: 'Could you send a screenshot?', status: 'pending' });
      expect(pending.json().ticket.status).toBe('pending');
      expect((await get(ticket.id)).status).toBe('pending');
      const solved = await post(ticket.id, { kind: 'reply', body: 'Solved, closing', status: 'solved' });
      expect(solved.json().ticket.status).toBe('solved');
      expect(solved.json().ticket.solvedAt).toBe(solved.json().message.createdAt);
      const refused = await post(ticket.id, { kind: 'reply', body: 'back to new', status: 'new' });
      expect(refused.statusCode).toBe(422);
      expect(refused.json().error.code).toBe('invalid_transition');
      expect((await get(ticket.id)).status).toBe('solved');
    });

    it('the same sourceId twice stores one message', async () => {
      const ticket = await create();
      const body = { kind: 'customer', body: 'Sent twice by a retrying mail server', sourceId: '<CAF1234@mail.example.com>' };
      const first = await post(ticket.id, body);
      expect(first.statusCode, first.body).toBe(201);
      const versionAfterFirst = first.json().ticket.version;
      const second = await post(ticket.id, body);
      expect(second.statusCode, second.body).toBe(200);
      expect(second.json().message.id).toBe(first.json().message.id);
      expect(second.json().ticket.version).toBe(versionAfterFirst);
      expect(await messageCount(ticket.id)).toBe(2); // the opening message and this one

      // Sent at the same moment, still one.
      const racing = { kind: 'reply', body: 'Double click', sourceId: 'client-42' };
      const [a, b] = await Promise.all([post(ticket.id, racing), post(ticket.id, racing)]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
      expect(a.json().message.id).toBe(b.json().message.id);
      expect(await messageCount(ticket.id)).toBe(3);
      expect((await get(ticket.id)).publicReplyCount).toBe(1);
    });

    it('the same sourceId sent to two tickets at the same moment stores one message and never fails', async () => {
      for (let round = 0; round < 3; round++) {
        const [one, two] = [await create(), await create()];
        const sourceId = `<race-${round}@mail.example.com>`;
        const body = { kind: 'customer', body: 'Delivered twice', sourceId };
        const results = await Promise.all([post(one.id, body), post(two.id, body)]);
        expect(results.map((r) => r.statusCode).sort(), results.map((r) => r.body).join('\n')).toEqual([200, 201]);
        expect(results[0]!.json().message.id).toBe(results[1]!.json().message.id);
        const stored = await api.database.db.selectFrom('messages').select('id').where('source_id', '=', sourceId).execute();
        expect(stored).toHaveLength(1);
      }
    });
  });

  describe('optimistic concurrency', () => {
    it('sends the version as ETag and accepts a change made with the current one', async () => {
      const ticket = await create();
      const res = await api.request(token, 'GET', `/api/v1/tickets/${ticket.id}`);
      expect(res.headers.etag).toBe(`"${ticket.version}"`);
      const changed = await patch(ticket.id, { priority: 'high' }, { 'if-match': `"${ticket.version}"` });
      expect(changed.statusCode, changed.body).toBe(200);
      expect(changed.json().version).toBe(ticket.version + 1);
      expect(changed.headers.etag).toBe(`"${ticket.version + 1}"`);
      // A weak ETag and the body's version work too.
      const weak = await patch(ticket.id, { priority: 'low' }, { 'if-match': `W/"${ticket.version + 1}"` });
      expect(weak.statusCode, weak.body).toBe(200);
      const byBody = await patch(ticket.id, { priority: 'urgent', version: ticket.version + 2 });
      expect(byBody.statusCode, byBody.body).toBe(200);
      expect(byBody.json().version).toBe(ticket.version + 3);
    });

    it('refuses a stale version with 409 version_conflict and changes nothing', async () => {
      const ticket = await create();
      const current = (await patch(ticket.id, { tags: ['first'] })).json() as Ticket;
      const audits = await auditCount();
      for (const [body, headers] of [
        [{ subject: 'Stale edit' }, { 'if-match': `"${ticket.version}"` }],
        [{ subject: 'Stale edit', version: ticket.version }, undefined],
        [{ status: 'solved' }, { 'if-match': '"999"' }],
      ] as const) {
        const res = await patch(ticket.id, body, headers);
        expect(res.statusCode, res.body).toBe(409);
        expect(res.json().error.code).toBe('version_conflict');
        expect(res.json().error.details.currentVersion).toBe(current.version);
        expect(await get(ticket.id)).toEqual(current);
      }
      expect(await auditCount()).toBe(audits);
    });

    it('of two concurrent changes from the same version, exactly one wins and nothing is half-written', async () => {
      for (let round = 0; round < 5; round++) {
        const ticket = await create({ tags: ['start'] });
        const headers = { 'if-match': `"${ticket.version}"` };
        const changeA = { subject: `A${round}`, priority: 'urgent', tags: ['alpha'] };
        const changeB = { subject: `B${round}`, priority: 'low', status: 'pending' };
        const [a, b] = await Promise.all([patch(ticket.id, changeA, headers), patch(ticket.id, changeB, headers)]);
        expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
        const [winner, loser] = a.statusCode === 200 ? [a, b] : [b, a];
        expect(loser.json().error.code).toBe('version_conflict');
        expect(loser.json().error.details.currentVersion).toBe(ticket.version + 1);
        const final = await get(ticket.id);
        expect(final).toEqual(winner.json());
        expect(final.version).toBe(ticket.version + 1);
        if (winner === a) {
          expect(final).toMatchObject({ subject: `A${round}`, priority: 'urgent', tags: ['alpha'], status: 'new' });
        } else {
          expect(final).toMatchObject({ subject: `B${round}`, priority: 'low', tags: ['start'], status: 'pending' });
        }
        const audit = await api.request(ws.tokens.owner, 'GET', `/api/v1/audit?entityType=ticket&entityId=${ticket.id}`);
        expect(audit.json().data.filter((e: { action: string }) => e.action === 'ticket.updated')).toHaveLength(1);
      }
    });
  });

  describe('attachments', () => {
    it('stores identical files once, serves the exact bytes with a UTF-8 filename', async () => {
      const ticket = await create();
      const bytes = Buffer.concat([Buffer.from([0x00, 0xff, 0xfe, 0x0d, 0x0a]), randomBytes(4096)]);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const files = [
        { filename: 'Τιμολόγιο Μαρτίου 2024.pdf', contentType: 'application/pdf', contentBase64: bytes.toString('base64') },
        { filename: 'فاتورة مارس.pdf', contentType: 'Application/PDF', contentBase64: bytes.toString('base64') },
      ];
      const blobsBefore = Number(
        (await sql<{ n: number }>`SELECT count(*)::int AS n FROM blobs WHERE sha256 = ${sha256}`.execute(api.database.db)).rows[0]?.n,
      );
      expect(blobsBefore).toBe(0);
      const first = await post(ticket.id, { kind: 'reply', body: 'Your invoice', attachments: [files[0]] });
      expect(first.statusCode, first.body).toBe(201);
      const second = await post(ticket.id, { kind: 'customer', body: 'Same file back', attachments: [files[1]] });
      expect(second.statusCode, second.body).toBe(201);

      const blobs = await sql<{ n: number }>`SELECT count(*)::int AS n FROM blobs WHERE sha256 = ${sha256}`.execute(api.database.db);
      expect(blobs.rows[0]?.n).toBe(1);
      const rows = await api.database.db.selectFrom('attachments').selectAll().where('sha256', '=', sha256).execute();
      expect(rows).toHaveLength(2);

      for (const [res, file] of [[first, files[0]!], [second, files[1]!]] as const) {
        const [attachment] = res.json().message.attachments;
        expect(attachment).toMatchObject({ filename: file.filename, contentType: 'application/pdf', size: bytes.length, sha256 });
        const download = await api.request(token, 'GET', `/api/v1/attachments/${attachment.id}`);
        expect(download.statusCode).toBe(200);
        expect(Buffer.compare(download.rawPayload, bytes)).toBe(0);
        expect(download.headers['content-type']).toBe('application/pdf');
        const disposition = String(download.headers['content-disposition']);
        expect(disposition).toMatch(/^attachment;/);
        const encoded = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1];
        expect(encoded).toBeDefined();
        expect(decodeURIComponent(encoded!)).toBe(file.filename);
      }
      // The conversation lists the attachments with their messages.
      const list = await api.request(token, 'GET', `/api/v1/tickets/${ticket.id}/messages`);
      const withFiles = list.json().data.filter((m: { attachments: unknown[] }) => m.attachments.length > 0);
      expect(withFiles.map((m: { attachments: Array<{ filename: string }> }) => m.attachments[0]?.filename)).toEqual(files.map((f) => f.filename));
    });

    it('does not serve an attachment to another workspace', async () => {
      const ticket = await create();
      const res = await post(ticket.id, { body: 'file', attachments: [{ filename: 'secret.txt', contentType: 'text/plain', contentBase64: Buffer.from('secret').toString('base64') }] });
      const other = await api.createWorkspace('Elsewhere');
      const download = await api.request(other.tokens.owner, 'GET', `/api/v1/attachments/${res.json().message.attachments[0].id}`);
      expect(download.statusCode).toBe(404);
      expect(download.body).not.toContain('secret');
    });
  });

  describe('listing', () => {
    it('pages through 7 tickets with limit=3, newest first, each exactly once', async () => {
      const pager = await api.createWorkspace('Pager');
      const created: string[] = [];
      for (let i = 0; i < 7; i++) {
        const res = await api.request(pager.tokens.agent, 'POST', '/api/v1/tickets', { subject: `Page ${i}`, customer: { email: 'pager@lifecycle.example' } });
        expect(res.statusCode).toBe(201);
        created.push(res.json().id);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      const seen: string[] = [];
      const pageSizes: number[] = [];
      let url: string | null = '/api/v1/tickets?limit=3';
      while (url) {
        const res = await api.request(pager.tokens.agent, 'GET', url);
        expect(res.statusCode, res.body).toBe(200);
        const page = res.json() as { data: Ticket[]; nextCursor: string | null };
        pageSizes.push(page.data.length);
        seen.push(...page.data.map((t) => t.id));
        url = page.nextCursor ? `/api/v1/tickets?limit=3&cursor=${encodeURIComponent(page.nextCursor)}` : null;
        expect(pageSizes.length).toBeLessThan(10);
      }
      expect(pageSizes).toEqual([3, 3, 1]);
      expect(seen).toEqual([...created].reverse());
      // An exact multiple of the page size ends without an empty page.
      const all = await api.request(pager.tokens.agent, 'GET', '/api/v1/tickets?limit=7');
      expect(all.json().data).toHaveLength(7);
      expect(all.json().nextCursor).toBeNull();
    });

    it('filters by status, priority, assignee, tag, channel and customer', async () => {
      const filters = await api.createWorkspace('Filters');
      const t = filters.tokens.agent;
      const agent = await api.request(filters.tokens.owner, 'POST', '/api/v1/agents', { email: 'helper@filters.example', name: 'Helper' });
      expect(agent.statusCode, agent.body).toBe(201);
      const helperId = agent.json().id;
      const make = async (subject: string, extra: Record<string, unknown>) => {
        const res = await api.request(t, 'POST', '/api/v1/tickets', { subject, customer: { email: 'anna@filters.example' }, ...extra });
        expect(res.statusCode, res.body).toBe(201);
        return res.json() as Ticket;
      };
      const a = await make('A', { priority: 'urgent', channel: 'email', tags: ['billing', 'vip'], assigneeId: filters.ownerId });
      const b = await make('B', { priority: 'low', channel: 'chat', status: 'pending', tags: ['billing'], assigneeId: helperId });
      const c = await make('C', { priority: 'normal', channel: 'phone', status: 'solved', customer: { email: 'other@filters.example' } });
      const d = await make('D', { priority: 'urgent', channel: 'email', status: 'open' });
      const ids = async (query: string) => {
        const res = await api.request(t, 'GET', `/api/v1/tickets?${query}`);
        expect(res.statusCode, res.body).toBe(200);
        return (res.json().data as Ticket[]).map((x) => x.id).sort();
      };
      const sorted = (...xs: Ticket[]) => xs.map((x) => x.id).sort();
      expect(await ids('status=new')).toEqual(sorted(a));
      expect(await ids('status=pending,solved')).toEqual(sorted(b, c));
      expect(await ids('priority=urgent')).toEqual(sorted(a, d));
      expect(await ids('priority=urgent&status=open')).toEqual(sorted(d));
      expect(await ids('assignee=none')).toEqual(sorted(c, d));
      expect(await ids('assignee=me')).toEqual(sorted(a)); // the token was made by the owner
      expect(await ids(`assignee=${helperId}`)).toEqual(sorted(b));
      expect(await ids('tag=billing')).toEqual(sorted(a, b));
      expect(await ids('tag=VIP')).toEqual(sorted(a));
      expect(await ids('tag=nothing')).toEqual([]);
      expect(await ids('channel=email')).toEqual(sorted(a, d));
      expect(await ids('channel=chat,phone')).toEqual(sorted(b, c));
      expect(await ids(`customer=${c.customer.id}`)).toEqual(sorted(c));
      expect(await ids(`customer=${a.customer.id}`)).toEqual(sorted(a, b, d));
      expect(await ids(`q=%23${b.number}`)).toEqual(sorted(b));
      // Another workspace's tickets never show up.
      expect(await ids('')).toEqual(sorted(a, b, c, d));
    });
  });

  describe('audit', () => {
    it('records creation, each change with its fields, and each message', async () => {
      const ticket = await create({ priority: 'normal' });
      const updated = await patch(ticket.id, { priority: 'high', tags: ['escalated'], subject: ticket.subject });
      expect(updated.statusCode).toBe(200);
      const reply = await post(ticket.id, { kind: 'reply', body: 'On it', status: 'pending' });
      expect(reply.statusCode).toBe(201);

      const res = await api.request(ws.tokens.owner, 'GET', `/api/v1/audit?entityType=ticket&entityId=${ticket.id}`);
      expect(res.statusCode, res.body).toBe(200);
      const entries = res.json().data as Array<{ action: string; entityId: string; actorType: string; changes: Record<string, unknown> }>;
      expect(entries.map((e) => e.action)).toEqual(['message.created', 'ticket.updated', 'ticket.created']);
      expect(entries.every((e) => e.entityId === ticket.id && e.actorType === 'token')).toBe(true);
      const [message, update, creation] = entries;
      expect(creation?.changes).toMatchObject({ number: ticket.number, subject: ticket.subject, status: 'new', priority: 'normal' });
      // Only what changed: the unchanged subject is not listed.
      expect(update?.changes).toEqual({ priority: ['normal', 'high'], tags: [[], ['escalated']] });
      expect(message?.changes).toEqual({ messageId: reply.json().message.id, kind: 'reply', status: ['new', 'pending'] });

      // An agent without audit rights cannot read it.
      const forbidden = await api.request(ws.tokens.agent, 'GET', `/api/v1/audit?entityType=ticket&entityId=${ticket.id}`);
      expect(forbidden.statusCode).toBe(403);
    });
  });
});
