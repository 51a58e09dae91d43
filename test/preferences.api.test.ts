// Each agent's own language and theme for the web app (PATCH /api/v1/me): any role may change
// their own, the change is audited, bad input changes nothing, and a token without an agent
// has no preferences to change. Also: the web app's pages and security headers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBootstrapToken } from '../src/auth/service.ts';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';

describe.each(availableBackends())('agent preferences on %s', (kind) => {
  let api: TestApi;
  let ws: TestWorkspace;
  let agentSession: string;

  beforeAll(async () => {
    api = await startTestApi(kind);
    ws = await api.createWorkspace('Preferences Ltd');
    const created = await api.request(ws.tokens.owner, 'POST', '/api/v1/agents', {
      email: 'eleni@preferences.example',
      name: 'Ελένη Παπαδάκη',
      role: 'agent',
      password: 'a long enough password',
    });
    expect(created.statusCode, created.body).toBe(201);
    const login = await api.request(undefined, 'POST', '/api/v1/auth/login', { email: 'eleni@preferences.example', password: 'a long enough password' });
    agentSession = login.cookies.find((c) => c.name === 'td_session')!.value;
  });
  afterAll(async () => api?.close());

  const asAgent = (method: 'GET' | 'PATCH', body?: unknown) =>
    api.request(undefined, method, '/api/v1/me', body, { cookie: `td_session=${agentSession}` });

  it('starts with English and the system theme', async () => {
    const me = await asAgent('GET');
    expect(me.statusCode).toBe(200);
    expect(me.json().preferences).toEqual({ locale: 'en', theme: 'system' });
  });

  it('lets a plain agent change their own language and theme, and audits it', async () => {
    const changed = await asAgent('PATCH', { locale: 'ar', theme: 'dark' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toEqual({ locale: 'ar', theme: 'dark' });
    const me = (await asAgent('GET')).json();
    expect(me.preferences).toEqual({ locale: 'ar', theme: 'dark' });
    expect(me.agent.locale).toBe('ar');
    const audit = await api.request(ws.tokens.owner, 'GET', '/api/v1/audit?limit=5');
    const entry = audit.json().data.find((e: { action: string }) => e.action === 'agent.preferences_updated');
    expect(entry).toMatchObject({ entityId: me.agent.id, changes: { locale: ['en', 'ar'], theme: ['system', 'dark'] } });
  });

  it.each([
    [{}, 'nothing to change'],
    [{ locale: 'fr' }, 'body.locale'],
    [{ theme: 'sepia' }, 'body.theme'],
    [{ locale: 'el', role: 'owner' }, 'role'],
  ])('refuses %j with 400 and changes nothing', async (body, mentions) => {
    const res = await asAgent('PATCH', body);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain(mentions);
    expect((await asAgent('GET')).json().preferences).toEqual({ locale: 'ar', theme: 'dark' });
    expect((await asAgent('GET')).json().role).toBe('agent');
  });

  it('says a token that belongs to no agent has no preferences', async () => {
    // Like TRUTHDESK_ADMIN_TOKEN: made by TruthDesk itself, not by an agent.
    const secret = 'automation-secret-0123456789';
    await ensureBootstrapToken(api.database.db, ws.id, secret);
    const res = await api.request(secret, 'PATCH', '/api/v1/me', { theme: 'light' });
    expect(res.statusCode).toBe(422);
    expect((await api.request(secret, 'GET', '/api/v1/me')).json().preferences).toBeNull();
  });

  it('needs a signed-in caller', async () => {
    expect((await api.request(undefined, 'PATCH', '/api/v1/me', { theme: 'light' })).statusCode).toBe(401);
  });
});

describe('the web app pages', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi('pglite');
  });
  afterAll(async () => api?.close());

  it.each([
    ['/', 'en', 'ltr', {}],
    ['/inbox?lang=el', 'el', 'ltr', {}],
    ['/tickets/01a20f35-ba99-77ca-81c6-c8323c014d3f', 'ar', 'rtl', { 'accept-language': 'ar-EG,ar;q=0.9' }],
    ['/customers/x?lang=ar', 'ar', 'rtl', { 'accept-language': 'el' }],
  ])('serves the app at %s in %s (%s) with a strict CSP', async (url, lang, dir, headers) => {
    const res = await api.request(undefined, 'GET', url, undefined, headers);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain(`<html lang="${lang}" dir="${dir}">`);
    expect(res.body).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it.each(['/api/v1/nothing-here', '/assets/missing.js', '/healthz/x', '/index.html'])(
    'does not answer %s with the app',
    async (url) => {
      const res = await api.request(undefined, 'GET', url);
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('application/json');
    },
  );

  it('leaves /kb/… to the knowledge-base portal: an unknown help centre is its own 404 page, not the app', async () => {
    const res = await api.request(undefined, 'GET', '/kb/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toMatch(/<script[^>]+src="\/assets\//);
  });

  it('caches hashed assets for good', async () => {
    const page = await api.request(undefined, 'GET', '/');
    const script = /src="(\/assets\/index-[\w-]+\.js)"/.exec(page.body)![1]!;
    const res = await api.request(undefined, 'GET', script);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('immutable');
    expect(res.headers['content-type']).toContain('javascript');
  });
});
