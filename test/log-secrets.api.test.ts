// Secrets never reach the log. Real requests go through the app with the product's own logger
// (createLogger) at the most verbose level it accepts (trace), writing JSON lines to a stream kept
// in memory; none of the passwords, tokens, write keys, session cookies, survey links or widget
// keys the requests carried may appear in it, while each request is still there with its route.
// Logging does not depend on the database, so this runs on PGlite only.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/server.ts';
import { maskUrl, MASK } from '../src/http/log-safety.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';
import { ok } from './support/seeded-workspace.ts';
import { surveyLinkFromMail } from './support/surveys.ts';

class MemoryLog extends Writable {
  private readonly chunks: string[] = [];
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.chunks.push(chunk.toString());
    done();
  }
  text(): string {
    return this.chunks.join('');
  }
  entries(): Array<Record<string, unknown> & { req?: { url?: string; route?: string; method?: string } }> {
    return this.text()
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line));
  }
}

const basic = (user: string) => `Basic ${Buffer.from(`${user}:`).toString('base64')}`;

describe('secrets in the log', () => {
  const log = new MemoryLog();
  let api: TestApi;
  let ws: TestWorkspace;
  /** Every secret a request below carried, by what it is. */
  const secrets: Record<string, string> = {};

  beforeAll(async () => {
    api = await startTestApi('pglite', { logger: createLogger('trace', log) });
    ws = await api.createWorkspace('Quiet Logs');
    secrets.ownerPassword = ws.ownerPassword;
    secrets.ownerToken = ws.tokens.owner;
    secrets.adminToken = ws.tokens.admin;
  });
  afterAll(async () => api?.close());

  it('masks secret route parameters and query values, and anything shaped like a TruthDesk secret', () => {
    const token = `sv_${'A'.repeat(43)}`;
    expect(maskUrl(`/s/acme/${token}?lang=el`, '/s/:workspace/:token')).toBe(`/s/acme/${MASK}?lang=el`);
    expect(maskUrl('/api/v1/public/reviews/anything', '/api/v1/public/reviews/:key')).toBe(`/api/v1/public/reviews/${MASK}`);
    expect(maskUrl('/api/v1/track?writeKey=plain&x=1&access_token=t')).toBe(`/api/v1/track?writeKey=${MASK}&x=1&access_token=${MASK}`);
    expect(maskUrl(`/no/such/route/${token}/more`)).toBe(`/no/such/route/${MASK}/more`);
    expect(maskUrl(`/x?next=${encodeURIComponent(`/s/acme/${token}`)}`)).not.toContain('AAAAAAAA');
    expect(maskUrl(`/x?next=%73%76%5F${'A'.repeat(20)}`)).toBe(`/x?next=${MASK}`);
    expect(maskUrl('/api/v1/tickets/5b6f9c1e-0000-4000-8000-000000000000?q=boiler', '/api/v1/tickets/:id')).toBe(
      '/api/v1/tickets/5b6f9c1e-0000-4000-8000-000000000000?q=boiler',
    );
  });

  it('logs no password, token, write key, session, survey link or widget key that requests carried, and still names every route', async () => {
    const owner = ws.tokens.owner;
    // Sign-in with a password, a wrong one too, then use the session.
    const login = await api.request(undefined, 'POST', '/api/v1/auth/login', { email: ws.ownerEmail, password: ws.ownerPassword });
    expect(login.statusCode).toBe(200);
    secrets.session = login.cookies.find((c) => c.name === 'td_session')!.value;
    secrets.wrongPassword = 'not the owner password, but secret all the same';
    expect((await api.request(undefined, 'POST', '/api/v1/auth/login', { email: ws.ownerEmail, password: secrets.wrongPassword })).statusCode).toBe(401);
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `td_session=${secrets.session}` } })).statusCode).toBe(200);

    // An agent made with a password, and an API token made and used.
    secrets.agentPassword = 'agent password never logged';
    await ok(await api.request(owner, 'POST', '/api/v1/agents', { email: 'quiet.agent@example.com', name: 'Quiet Agent', role: 'agent', password: secrets.agentPassword }), 201);
    const made = await ok(await api.request(owner, 'POST', '/api/v1/tokens', { name: 'log test', role: 'admin' }), 201);
    secrets.madeToken = made.token;
    expect((await api.request(made.token, 'GET', '/api/v1/tokens')).statusCode).toBe(200);
    // A client that puts a token in the query string (not a way TruthDesk accepts it).
    expect((await api.request(undefined, 'GET', `/api/v1/me?access_token=${made.token}`)).statusCode).toBe(401);

    // Ingest with the write key: Basic auth, in the query string too, and the browser beacon's body.
    const workspace = await ok(await api.request(owner, 'GET', '/api/v1/workspace'), 200);
    secrets.writeKey = workspace.writeKey;
    secrets.basicAuth = basic(workspace.writeKey).slice('Basic '.length);
    const track = { type: 'track', event: 'Viewed pricing', userId: 'user-1', timestamp: new Date().toISOString() };
    const tracked = await api.request(undefined, 'POST', '/api/v1/track', track, { authorization: basic(workspace.writeKey) });
    expect(tracked.statusCode, tracked.body).toBe(200);
    await api.request(undefined, 'POST', `/api/v1/track?writeKey=${workspace.writeKey}`, track, { authorization: basic(workspace.writeKey) });
    await api.request(undefined, 'POST', `/api/v1/identify?write_key=${encodeURIComponent(workspace.writeKey)}`, { type: 'identify', userId: 'user-1' });
    const beacon = await api.app.inject({
      method: 'POST',
      url: '/api/v1/public/beacon',
      headers: { 'content-type': 'text/plain' },
      payload: JSON.stringify({ writeKey: workspace.writeKey, batch: [track] }),
    });
    expect(beacon.statusCode, beacon.body).toBe(200);

    // A survey link: the answer page and the public API, right and on a path no route has.
    const customer = await ok(await api.request(owner, 'POST', '/api/v1/customers', { email: 'quiet.customer@example.com', name: 'Quiet Customer' }), 201);
    const survey = await ok(await api.request(owner, 'POST', '/api/v1/surveys', { name: 'Quiet CSAT', type: 'csat', trigger: 'manual' }), 201);
    await ok(await api.request(owner, 'POST', `/api/v1/surveys/${survey.id}/send`, { customerIds: [customer.id] }), 200);
    const delivery = await api.database.db.selectFrom('survey_deliveries').select('body_text').where('workspace_id', '=', ws.id).executeTakeFirstOrThrow();
    const { slug, token } = surveyLinkFromMail(delivery.body_text);
    secrets.surveyToken = token;
    expect((await api.app.inject({ method: 'GET', url: `/s/${slug}/${token}?lang=en` })).statusCode).toBe(200);
    expect((await api.request(undefined, 'GET', `/api/v1/public/surveys/${slug}/${token}`)).statusCode).toBe(200);
    await api.request(undefined, 'POST', `/api/v1/public/surveys/${slug}/${token}`, { score: 5 });
    await api.app.inject({ method: 'GET', url: `/s/${slug}/${token}/extra` });

    // Widget keys: the chat widget's in the socket's query string, the review widget's in the path.
    const chat = await ok(await api.request(owner, 'POST', '/api/v1/chat/widgets', { name: 'Quiet site' }), 201);
    secrets.chatKey = chat.publicKey;
    await api.app.inject({ method: 'GET', url: `/api/v1/widget/ws?key=${chat.publicKey}` });
    const reviews = await ok(await api.request(owner, 'POST', '/api/v1/review-widgets', { name: 'Quiet reviews' }), 201);
    secrets.reviewKey = reviews.publicKey;
    expect((await api.request(undefined, 'GET', `/api/v1/public/reviews/${reviews.publicKey}`)).statusCode).toBe(200);

    const text = log.text();
    for (const [what, secret] of Object.entries(secrets)) {
      expect(secret, what).toBeTruthy();
      expect(text.includes(secret), `the log shows the ${what}`).toBe(false);
      expect(text.includes(encodeURIComponent(secret)), `the log shows the ${what}, URL-encoded`).toBe(false);
    }

    // The log still says what was called: method, route and the URL with only the secret masked.
    const entries = log.entries();
    const requests = entries.filter((entry) => entry.msg === 'incoming request').map((entry) => entry.req!);
    const routes = new Set(requests.map((req) => `${req.method} ${req.route}`));
    for (const route of [
      'POST /api/v1/auth/login',
      'GET /api/v1/me',
      'POST /api/v1/agents',
      'POST /api/v1/tokens',
      'POST /api/v1/track',
      'POST /api/v1/identify',
      'POST /api/v1/public/beacon',
      'GET /s/:workspace/:token',
      'GET /api/v1/public/surveys/:workspace/:token',
      'POST /api/v1/public/surveys/:workspace/:token',
      'GET /api/v1/widget/ws',
      'GET /api/v1/public/reviews/:key',
    ]) {
      expect(routes, route).toContain(route);
    }
    const urls = requests.map((req) => req.url);
    expect(urls).toContain(`/s/${slug}/${MASK}?lang=en`);
    expect(urls).toContain(`/s/${slug}/${MASK}/extra`);
    expect(urls).toContain(`/api/v1/track?writeKey=${MASK}`);
    expect(urls).toContain(`/api/v1/widget/ws?key=${MASK}`);
    expect(urls).toContain(`/api/v1/agents`);
    expect(entries.some((entry) => entry.msg === 'request completed')).toBe(true);
  });
});
