// Published reviews as public content, the review widget's public API (reviews and views), and
// the browser beacon: views become zero-moment touchpoints of the visitor that join the
// customer's journey after identify; bad input changes nothing; workspaces stay apart.
import { gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchDueInvitations } from '../src/surveys/service.ts';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';
import { surveyTokenFromMail } from './support/surveys.ts';

const MIN = 60_000;

describe.each(availableBackends())('published reviews and the review widget on %s', (kind) => {
  let api: TestApi;
  let aurora: TestWorkspace;
  let borealis: TestWorkspace;
  let key: string;
  let keyB: string;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    api = await startTestApi(kind);
    aurora = await api.createWorkspace('Aurora');
    borealis = await api.createWorkspace('Borealis');
  });
  afterAll(async () => api?.close());

  const counts = async () => {
    const r = await sql<{ touchpoints: string; facts: string; audit: string; moderation: string }>`
      SELECT (SELECT count(*) FROM touchpoints) AS touchpoints, (SELECT count(*) FROM loop_facts) AS facts,
             (SELECT count(*) FROM audit_log) AS audit, (SELECT count(*) FROM review_moderation) AS moderation`.execute(api.database.db);
    return r.rows[0];
  };

  it('gathers imported mentions, public survey comments and submitted reviews as published reviews with ids', async () => {
    const mention = await api.request(aurora.tokens.agent, 'POST', '/api/v1/mentions', {
      platform: 'google',
      url: 'https://maps.example.com/review/1',
      author: 'Layla H.',
      rating: 1,
      text: 'المنتج وصل متأخراً جداً وخدمة العملاء لم ترد على رسائلي.',
      publishedAt: '2026-09-01T10:00:00Z',
    });
    expect(mention.statusCode).toBe(201);
    ids.negative = mention.json().id;

    const submitted = await api.request(aurora.tokens.agent, 'POST', '/api/v1/reviews', {
      author: 'Μαρία Παπαδοπούλου',
      rating: 5,
      text: 'Ο θερμοστάτης στήθηκε σε δέκα λεπτά και η υποστήριξη απάντησε αμέσως. Εξαιρετική εμπειρία!',
      publishedAt: '2026-09-02T10:00:00Z',
    });
    expect(submitted.statusCode).toBe(201);
    expect(submitted.json()).toMatchObject({ source: 'truthdesk', author: 'Μαρία Π.', rating: 5, lang: 'el', valence: 'positive', hidden: false });
    ids.greek = submitted.json().id;

    // A customer answers a CSAT survey and agrees to publish the comment.
    const customer = (await api.request(aurora.tokens.agent, 'POST', '/api/v1/customers', { email: 'nikos@example.gr', name: 'Νίκος Αντωνίου', locale: 'el' })).json();
    const survey = (await api.request(aurora.tokens.owner, 'POST', '/api/v1/surveys', { name: 'CSAT', type: 'csat', trigger: 'manual' })).json();
    expect((await api.request(aurora.tokens.owner, 'POST', `/api/v1/surveys/${survey.id}/send`, { customerIds: [customer.id] })).statusCode).toBeLessThan(300);
    await dispatchDueInvitations(api.database.db, new Date(Date.now() + 5 * MIN), { workspaceId: aurora.id });
    const mail = await api.database.db.selectFrom('survey_deliveries').select('body_text').where('workspace_id', '=', aurora.id).executeTakeFirstOrThrow();
    const token = surveyTokenFromMail(mail.body_text);
    const slug = (await api.request(aurora.tokens.owner, 'GET', '/api/v1/workspace')).json().slug;
    const answer = await api.request(undefined, 'POST', `/api/v1/public/surveys/${slug}/${token}`, {
      score: 4,
      comment: 'Γρήγορη παράδοση, καλή εξυπηρέτηση.',
      publishComment: true,
    });
    expect(answer.statusCode, answer.body).toBe(201);
    ids.survey = answer.json().responseId;

    const list = (await api.request(aurora.tokens.agent, 'GET', '/api/v1/reviews')).json().data;
    expect(list.map((r: { id: string }) => r.id).sort()).toEqual([ids.negative, ids.greek, ids.survey].sort());
    expect(list.find((r: { id: string }) => r.id === ids.survey)).toMatchObject({ source: 'survey', author: 'Νίκος Α.', rating: 4, lang: 'el', valence: 'positive', customerId: customer.id });
    expect(list.find((r: { id: string }) => r.id === ids.negative)).toMatchObject({ source: 'mention', author: 'Layla H.', lang: 'ar', valence: 'negative', platform: 'google' });
    expect((await api.request(aurora.tokens.agent, 'GET', '/api/v1/reviews?valence=negative')).json().data).toHaveLength(1);
    // Another workspace sees none of them.
    expect((await api.request(borealis.tokens.agent, 'GET', '/api/v1/reviews')).json().data).toEqual([]);
    expect((await api.request(borealis.tokens.agent, 'GET', `/api/v1/reviews/${ids.greek}`)).statusCode).toBe(404);
  });

  it('refuses bad reviews and bad widget settings without writing anything', async () => {
    const before = await counts();
    for (const [token, method, url, body] of [
      [aurora.tokens.agent, 'POST', '/api/v1/reviews', { text: '' }],
      [aurora.tokens.agent, 'POST', '/api/v1/reviews', { text: 'Καλό', rating: 6 }],
      [aurora.tokens.agent, 'POST', '/api/v1/reviews', { text: 'Καλό', stars: 5 }],
      [aurora.tokens.agent, 'POST', '/api/v1/reviews', { text: 'Καλό', customerId: '00000000-0000-7000-8000-000000000000' }],
      [aurora.tokens.admin, 'POST', '/api/v1/review-widgets', { name: 'Shop', allowedOrigins: ['https://shop.example.com/path'] }],
      [aurora.tokens.agent, 'POST', '/api/v1/review-widgets', { name: 'Shop' }],
      [aurora.tokens.admin, 'PATCH', `/api/v1/reviews/${ids.greek}`, { hidden: 'yes' }],
    ] as const) {
      const res = await api.request(token, method, url, body);
      expect(res.statusCode, `${method} ${url} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
    }
    expect(await counts()).toEqual(before);
  });

  it('serves the widget script and the reviews for a key, the page language first, right to left in Arabic', async () => {
    const script = await api.request(undefined, 'GET', '/reviews.js');
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toContain('javascript');
    // Minified, with the write-a-review form and three languages: under 10 KB, 5 KB gzipped.
    expect(script.body.length).toBeLessThan(10_000);
    expect(gzipSync(script.body).length).toBeLessThan(5_000);
    const widget = await api.request(aurora.tokens.admin, 'POST', '/api/v1/review-widgets', { name: 'Κατάστημα' });
    expect(widget.statusCode).toBe(201);
    key = widget.json().publicKey;
    expect(key).toMatch(/^rw_/);
    keyB = (await api.request(borealis.tokens.admin, 'POST', '/api/v1/review-widgets', { name: 'Beta shop' })).json().publicKey;

    const res = await api.request(undefined, 'GET', `/api/v1/public/reviews/${key}?lang=ar`, undefined, { origin: 'http://shop.example.com' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const body = res.json();
    expect(body).toMatchObject({ lang: 'ar', dir: 'rtl' });
    expect(body.reviews.map((r: { id: string }) => r.id)).toEqual([ids.negative, ids.survey, ids.greek]);
    expect(body.reviews[0]).not.toHaveProperty('valence');
    expect(body.reviews[0]).not.toHaveProperty('customerId');

    expect((await api.request(undefined, 'GET', '/api/v1/public/reviews/rw_unknownkey0000000')).statusCode).toBe(404);
    expect((await api.request(undefined, 'GET', '/api/v1/public/reviews/not-a-key')).statusCode).toBe(400);
    expect((await api.request(undefined, 'GET', `/api/v1/public/reviews/${key}?lang=fr`)).statusCode).toBe(400);
  });

  it('records each review a visitor saw as a ZMOT touchpoint that joins their journey after identify', async () => {
    const anonymousId = 'ajs-7f3c2a9e-visitor';
    const view = (reviewIds: string[], pageViewId = 'pv-000001', k = key) =>
      api.request(undefined, 'POST', `/api/v1/public/reviews/${k}/views`, { anonymousId, reviewIds, pageViewId, page: 'https://shop.example.com/ar/thermostat', lang: 'ar' });

    const first = await view([ids.negative as string, ids.greek as string]);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ recorded: 2, duplicates: 0 });
    // The same page view sent again (a retry) stores nothing twice.
    expect((await view([ids.negative as string])).json()).toEqual({ recorded: 0, duplicates: 1 });

    const before = await counts();
    expect((await view(['00000000-0000-7000-8000-000000000000'])).statusCode).toBe(422);
    expect((await view([ids.greek as string], 'pv-000002', keyB)).statusCode).toBe(422); // B's widget, A's review
    expect((await view([], 'pv-000003')).statusCode).toBe(400);
    expect((await api.request(undefined, 'POST', `/api/v1/public/reviews/${key}/views`, { anonymousId: 'x', reviewIds: [ids.greek], pageViewId: 'pv-000004' })).statusCode).toBe(400);
    // The widget's page-leave beacon: text/plain JSON (no preflight), this route only.
    const beacon = (payload: string, type = 'text/plain;charset=UTF-8') =>
      api.app.inject({ method: 'POST', url: `/api/v1/public/reviews/${key}/views`, headers: { 'content-type': type }, payload });
    expect((await beacon('{"anonymousId": "ajs-7f3c2a9e-visitor", "reviewIds": [')).statusCode).toBe(400);
    expect((await beacon(JSON.stringify({ anonymousId, reviewIds: [ids.greek], pageViewId: 'pv-000005' }), 'application/xml')).statusCode).toBe(415);
    expect(await counts()).toEqual(before);
    const left = await beacon(JSON.stringify({ anonymousId, reviewIds: [ids.greek], pageViewId: 'pv-000006' }));
    expect(left.statusCode, left.body).toBe(200);
    expect(left.json()).toEqual({ recorded: 1, duplicates: 0 });

    // The shop identifies the visitor when they sign up.
    const writeKey = (await api.request(aurora.tokens.owner, 'GET', '/api/v1/workspace')).json().writeKey;
    const basic = { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` };
    const identify = await api.app.inject({ method: 'POST', url: '/api/v1/identify', headers: basic, payload: { userId: 'shop-user-77', anonymousId, traits: { name: 'سارة', email: 'sara@example.com' } } });
    expect(identify.statusCode).toBe(200);
    const journey = (await api.request(aurora.tokens.agent, 'GET', '/api/v1/customers/shop-user-77/journey')).json();
    const views = journey.touchpoints.filter((t: { event: string }) => t.event === 'Review Viewed');
    expect(views).toHaveLength(3);
    expect(views.map((t: { properties: { reviewId: string } }) => t.properties.reviewId).sort()).toEqual([ids.negative, ids.greek, ids.greek].sort());
    expect(views.find((t: { properties: { reviewId: string } }) => t.properties.reviewId === ids.negative)).toMatchObject({ stage: 'zmot', valence: 'negative', channel: 'review_widget' });
    // The facts the attribution report reads moved to the customer with the touchpoints.
    const facts = await sql<{ n: string }>`SELECT count(*) AS n FROM loop_facts WHERE kind = 'review_view' AND customer_id = ${journey.customer.id}`.execute(api.database.db);
    expect(Number(facts.rows[0]?.n)).toBe(3);
  });

  it('hides a review from the widget (audited) and refuses views of it', async () => {
    const res = await api.request(aurora.tokens.admin, 'PATCH', `/api/v1/reviews/${ids.negative}`, { hidden: true });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: ids.negative, hidden: true });
    const shown = (await api.request(undefined, 'GET', `/api/v1/public/reviews/${key}?lang=ar`)).json().reviews;
    expect(shown.map((r: { id: string }) => r.id)).not.toContain(ids.negative);
    expect((await api.request(aurora.tokens.agent, 'PATCH', `/api/v1/reviews/${ids.negative}`, { hidden: false })).statusCode).toBe(403);
    expect((await api.request(borealis.tokens.admin, 'PATCH', `/api/v1/reviews/${ids.negative}`, { hidden: false })).statusCode).toBe(404);
    const audit = (await api.request(aurora.tokens.owner, 'GET', '/api/v1/audit?entityType=review')).json().data;
    expect(audit.some((e: { action: string }) => e.action === 'review.hidden')).toBe(true);
    expect(
      (await api.request(undefined, 'POST', `/api/v1/public/reviews/${key}/views`, { anonymousId: 'ajs-someone-else', reviewIds: [ids.negative], pageViewId: 'pv-000009' })).statusCode,
    ).toBe(422);
  });

  it('follows up a reviewer with one ticket: recovery for a negative review, thanks otherwise', async () => {
    const recovery = await api.request(aurora.tokens.agent, 'POST', `/api/v1/reviews/${ids.negative}/follow-up`);
    expect(recovery.statusCode, recovery.body).toBe(201);
    expect(recovery.json()).toMatchObject({ reviewId: ids.negative, kind: 'recovery', created: true });
    const ticket = (await api.request(aurora.tokens.agent, 'GET', `/api/v1/tickets/${recovery.json().ticketId}`)).json();
    expect(ticket).toMatchObject({ subject: 'بخصوص مراجعتك: كيف يمكننا تصحيح الأمر؟', priority: 'high', status: 'open', channel: 'social', customer: { name: 'Layla H.' } });
    const notes = (await api.request(aurora.tokens.agent, 'GET', `/api/v1/tickets/${ticket.id}/messages`)).json().data;
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ kind: 'note' });
    expect(notes[0].text).toContain('المنتج وصل متأخراً جداً');
    // Asked again: the same ticket, nothing new.
    const again = await api.request(aurora.tokens.agent, 'POST', `/api/v1/reviews/${ids.negative}/follow-up`, { kind: 'thank_you' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ ...recovery.json(), created: false });

    const thanks = await api.request(aurora.tokens.agent, 'POST', `/api/v1/reviews/${ids.survey}/follow-up`, {});
    expect(thanks.statusCode).toBe(201);
    const thanksTicket = (await api.request(aurora.tokens.agent, 'GET', `/api/v1/tickets/${thanks.json().ticketId}`)).json();
    expect(thanksTicket).toMatchObject({ subject: 'Ευχαριστούμε για την κριτική σας', priority: 'low', customer: { name: 'Νίκος Αντωνίου' } });

    const before = await counts();
    expect((await api.request(aurora.tokens.agent, 'POST', `/api/v1/reviews/${ids.greek}/follow-up`, { kind: 'apology' })).statusCode).toBe(400);
    expect((await api.request(borealis.tokens.agent, 'POST', `/api/v1/reviews/${ids.greek}/follow-up`)).statusCode).toBe(404);
    expect(await counts()).toEqual(before);
  });

  it("takes a visitor's review from the widget, held until an admin shows it, as the visitor's ultimate moment", async () => {
    const anonymousId = 'ajs-5b1d-greek-visitor';
    const write = (body: Record<string, unknown>, k = key) => api.request(undefined, 'POST', `/api/v1/public/reviews/${k}`, body);
    const before = await counts();
    expect((await write({ anonymousId, rating: 6, text: 'Πολύ καλό' })).statusCode).toBe(400);
    expect((await write({ anonymousId, rating: 5, text: '  ' })).statusCode).toBe(400);
    expect((await write({ anonymousId, rating: 5, text: 'Πολύ καλό', customerId: '00000000-0000-7000-8000-000000000000' })).statusCode).toBe(400);
    expect((await write({ anonymousId, rating: 5, text: 'Πολύ καλό' }, 'rw_not-a-real-key-000')).statusCode).toBe(404);
    expect(await counts()).toEqual(before);

    const text = 'Ο θερμοστάτης εγκαταστάθηκε σε δέκα λεπτά και η εφαρμογή δουλεύει άψογα.';
    const res = await write({ anonymousId, rating: 5, text, author: 'Ελένη Κ.', lang: 'el' });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ status: 'pending_moderation' });
    const id = res.json().id as string;
    // Held: not on the widget, listed for the workspace's admins as hidden.
    const shown = async () => (await api.request(undefined, 'GET', `/api/v1/public/reviews/${key}?lang=el`)).json().reviews.map((r: { id: string }) => r.id);
    expect(await shown()).not.toContain(id);
    const held = (await api.request(aurora.tokens.admin, 'GET', '/api/v1/reviews?hidden=true')).json().data;
    expect(held.find((r: { id: string }) => r.id === id)).toMatchObject({ source: 'truthdesk', rating: 5, valence: 'positive', hidden: true, text });
    expect((await api.request(borealis.tokens.admin, 'GET', `/api/v1/reviews/${id}`)).statusCode).toBe(404);
    // The visitor's own ultimate moment, waiting for identify like their views.
    const tp = await sql<{ stage: string; channel: string }>`SELECT stage, channel FROM touchpoints WHERE anonymous_id = ${anonymousId} AND event = 'Review Published'`.execute(api.database.db);
    expect(tp.rows).toEqual([{ stage: 'umot', channel: 'review_widget' }]);
    const audit = (await api.request(aurora.tokens.owner, 'GET', '/api/v1/audit?entityType=review')).json().data;
    expect(audit.some((e: { action: string; entityId: string }) => e.action === 'review.submitted' && e.entityId === id)).toBe(true);
    // An admin approves it: now the widget shows it.
    expect((await api.request(aurora.tokens.admin, 'PATCH', `/api/v1/reviews/${id}`, { hidden: false })).statusCode).toBe(200);
    expect(await shown()).toContain(id);

    // A flood from one address is refused with 429 and writes nothing.
    let refused: { statusCode: number; headers: Record<string, unknown> } | undefined;
    for (let i = 0; i < 6 && !refused; i++) {
      const r = await write({ anonymousId, rating: 1, text: `Spam ${i} spam spam` });
      if (r.statusCode === 429) refused = r;
    }
    expect(refused?.statusCode).toBe(429);
    expect(refused?.headers['retry-after']).toBeDefined();
  });

  it('keeps a widget with allowed origins to those sites', async () => {
    const w = (await api.request(aurora.tokens.admin, 'POST', '/api/v1/review-widgets', { name: 'Only shop', allowedOrigins: ['https://shop.example.com'] })).json();
    expect((await api.request(undefined, 'GET', `/api/v1/public/reviews/${w.publicKey}`, undefined, { origin: 'https://evil.example.com' })).statusCode).toBe(403);
    const ok = await api.request(undefined, 'GET', `/api/v1/public/reviews/${w.publicKey}`, undefined, { origin: 'https://shop.example.com' });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe('https://shop.example.com');
    // Another admin's edit made from an older version is refused and leaves the widget as it is.
    const stale = await api.request(aurora.tokens.owner, 'PATCH', `/api/v1/review-widgets/${w.id}`, { allowedOrigins: [], version: w.version + 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'version_conflict', details: { currentVersion: w.version } });
    expect((await api.request(aurora.tokens.admin, 'GET', `/api/v1/review-widgets/${w.id}`)).json().allowedOrigins).toEqual(['https://shop.example.com']);
    const off = await api.request(aurora.tokens.admin, 'PATCH', `/api/v1/review-widgets/${w.id}`, { active: false, version: w.version });
    expect(off.json()).toMatchObject({ active: false, version: w.version + 1 });
    expect((await api.request(undefined, 'GET', `/api/v1/public/reviews/${w.publicKey}`, undefined, { origin: 'https://shop.example.com' })).statusCode).toBe(404);
  });

  it('takes the dwell snippet’s beacons (text/plain, write key in the body) as first-contact facts', async () => {
    const writeKey = (await api.request(aurora.tokens.owner, 'GET', '/api/v1/workspace')).json().writeKey;
    const dwell = await api.request(undefined, 'GET', '/dwell.js');
    expect(dwell.statusCode).toBe(200);
    expect(dwell.body.length).toBeLessThan(4_000);
    const beacon = (batch: unknown[], wk = writeKey) =>
      api.request(undefined, 'POST', '/api/v1/public/beacon', JSON.stringify({ writeKey: wk, batch }), { 'content-type': 'text/plain;charset=UTF-8' });
    const start = await beacon([
      { type: 'track', event: 'Product Viewed', anonymousId: 'ajs-dwell-1', messageId: 'v-1', properties: { product: 'Θερμοστάτης Aurora', page: '/el/thermostatis', store: 'web' } },
    ]);
    expect(start.statusCode).toBe(200);
    expect(start.json().results[0]).toMatchObject({ status: 'stored', stage: 'fmot' });
    const leave = await beacon([{ type: 'track', event: 'Page Left', anonymousId: 'ajs-dwell-1', messageId: 'v-1:left', properties: { visitId: 'v-1', dwellMs: 4200 } }]);
    expect(leave.json().results[0]).toMatchObject({ status: 'stored' });
    const facts = await sql<{ kind: string; product: string | null; visit_id: string | null; dwell_ms: string | null }>`
      SELECT kind, product, visit_id, dwell_ms FROM loop_facts WHERE anonymous_id = 'ajs-dwell-1' ORDER BY at, kind`.execute(api.database.db);
    expect(facts.rows.map((r) => [r.kind, r.product, r.visit_id, r.dwell_ms === null ? null : Number(r.dwell_ms)])).toEqual([
      ['visit_start', 'Θερμοστάτης Aurora', null, null],
      ['visit_leave', null, 'v-1', 4200],
    ]);

    const before = await counts();
    expect((await beacon([{ type: 'track', event: 'Product Viewed', anonymousId: 'ajs-dwell-2' }], 'wrong-key')).statusCode).toBe(401);
    expect((await api.request(undefined, 'POST', '/api/v1/public/beacon', '{"writeKey":', { 'content-type': 'text/plain' })).statusCode).toBe(400);
    expect((await beacon([])).statusCode).toBe(400);
    expect(await counts()).toEqual(before);
    // Elsewhere text/plain is still refused.
    expect((await api.request(aurora.tokens.owner, 'POST', '/api/v1/batch', JSON.stringify({ batch: [] }), { 'content-type': 'text/plain' })).statusCode).toBe(415);
  });
});
