// Workspace classification rules: edited by API, versioned, testable before saving, and used by
// ingestion, on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';

const basic = (writeKey: string) => `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
const RULES_URL = '/api/v1/classification/rules';

const webinarRule = { id: 'webinars', when: { event: 'webinar *' }, then: { stage: 'zmot', valence: 'positive' } };
const kioskRule = { id: 'kiosk-orders', when: { event: 'Order Completed', channel: ['kiosk'] }, then: { stage: 'smot' } };

describe.each(availableBackends())('classification rules on %s', (kind) => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi(kind);
  });
  afterAll(async () => api?.close());

  async function workspace(name: string): Promise<{ ws: TestWorkspace; writeKey: string }> {
    const ws = await api.createWorkspace(name);
    const writeKey = (await api.request(ws.tokens.owner, 'GET', '/api/v1/workspace')).json().writeKey as string;
    return { ws, writeKey };
  }
  const track = (writeKey: string, body: Record<string, unknown>) =>
    api.app.inject({ method: 'POST', url: '/api/v1/track', headers: { authorization: basic(writeKey) }, payload: body });
  const touchpointCount = async (workspaceId: string) =>
    (await api.database.db.selectFrom('touchpoints').select('id').where('workspace_id', '=', workspaceId).execute()).length;
  const ruleSetCount = async (workspaceId: string) =>
    (await api.database.db.selectFrom('classification_rule_sets').select('id').where('workspace_id', '=', workspaceId).execute()).length;

  it('classifies later touchpoints with the saved rules and names the rule that decided', async () => {
    const { ws, writeKey } = await workspace('Rules Apply');
    const before = await track(writeKey, { userId: 'u1', event: 'Webinar Joined', messageId: 'w-before' });
    expect(before.json().results[0]).not.toHaveProperty('ruleId');
    expect(before.json().results[0].decidedBy).not.toBe('rule');

    const empty = await api.request(ws.tokens.agent, 'GET', RULES_URL);
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toEqual({ version: 0, rules: [], createdAt: null });

    const saved = await api.request(ws.tokens.owner, 'PUT', RULES_URL, { rules: [webinarRule, kioskRule] });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ version: 1, rules: [webinarRule, kioskRule] });

    const after = await track(writeKey, { userId: 'u1', event: 'WEBINAR_JOINED', messageId: 'w-after' });
    expect(after.json().results[0]).toMatchObject({ status: 'stored', stage: 'zmot', valence: 'positive', decidedBy: 'rule', ruleId: 'webinars' });
    const row = await api.database.db
      .selectFrom('touchpoints')
      .select(['decided_by', 'rule_id'])
      .where('workspace_id', '=', ws.id)
      .where('message_id', '=', 'w-after')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ decided_by: 'rule', rule_id: 'webinars' });
    // A retry answers as the first write did, rule included.
    const retry = await track(writeKey, { userId: 'u1', event: 'WEBINAR_JOINED', messageId: 'w-after' });
    expect(retry.json().results[0]).toMatchObject({ status: 'duplicate', decidedBy: 'rule', ruleId: 'webinars' });

    const batch = await api.app.inject({
      method: 'POST',
      url: '/api/v1/batch',
      headers: { authorization: basic(writeKey) },
      payload: {
        batch: [
          { type: 'track', userId: 'u2', event: 'Order Completed', channel: 'kiosk', messageId: 'k-1' },
          { type: 'track', userId: 'u2', event: 'Order Completed', messageId: 'k-2' },
          { type: 'track', userId: 'u2', event: 'Order Completed', properties: { channel: 'kiosk', stage: 'umot' }, messageId: 'k-3' },
        ],
      },
    });
    const results = batch.json().results;
    expect(results[0]).toMatchObject({ stage: 'smot', decidedBy: 'rule', ruleId: 'kiosk-orders' });
    expect(results[1]).toMatchObject({ stage: 'fmot', decidedBy: 'catalogue' });
    expect(results[1]).not.toHaveProperty('ruleId');
    expect(results[2]).toMatchObject({ stage: 'umot', decidedBy: 'explicit' });

    const audit = await api.database.db
      .selectFrom('audit_log')
      .select(['action', 'entity_type'])
      .where('workspace_id', '=', ws.id)
      .where('entity_type', '=', 'classification_rule_set')
      .execute();
    expect(audit).toEqual([{ action: 'classification_rules.saved', entity_type: 'classification_rule_set' }]);
  });

  it('tests draft rules against sample events without saving or storing anything', async () => {
    const { ws } = await workspace('Rules Tester');
    await api.request(ws.tokens.owner, 'PUT', RULES_URL, { rules: [kioskRule] });
    const touchpointsBefore = await touchpointCount(ws.id);
    const auditBefore = (await api.database.db.selectFrom('audit_log').select('id').where('workspace_id', '=', ws.id).execute()).length;

    const draft = await api.request(ws.tokens.admin, 'POST', '/api/v1/classification/test', {
      rules: [webinarRule, { id: 'vip', when: { properties: { plan: 'Enterprise' } }, then: { valence: 'positive' } }],
      events: [
        { event: 'Webinar Attended' },
        { event: 'Order Completed', channel: 'kiosk' },
        { event: 'Ticket Created', properties: { plan: 'enterprise' } },
        { event: 'Note Added', text: 'Saw your ad on TV' },
      ],
    });
    expect(draft.statusCode, draft.body).toBe(200);
    const body = draft.json();
    expect(body.version).toBeNull();
    expect(body.results[0]).toMatchObject({ index: 0, stage: 'zmot', valence: 'positive', decidedBy: 'rule', ruleId: 'webinars' });
    // The saved kiosk rule is not part of the draft.
    expect(body.results[1]).toMatchObject({ stage: 'fmot', decidedBy: 'catalogue' });
    expect(body.results[1]).not.toHaveProperty('ruleId');
    // A valence-only rule sets the valence; the stage (and so decidedBy) still comes from the catalogue.
    expect(body.results[2]).toMatchObject({ stage: 'smot', valence: 'positive', decidedBy: 'catalogue' });
    expect(body.results[3]).toMatchObject({ stage: 'lzmot', decidedBy: 'text' });

    const saved = await api.request(ws.tokens.owner, 'POST', '/api/v1/classification/test', {
      events: [{ event: 'Order Completed', channel: 'Kiosk' }],
    });
    expect(saved.json()).toMatchObject({ version: 1, results: [{ stage: 'smot', decidedBy: 'rule', ruleId: 'kiosk-orders' }] });

    const current = await api.request(ws.tokens.agent, 'GET', RULES_URL);
    expect(current.json()).toMatchObject({ version: 1, rules: [kioskRule] });
    expect(await ruleSetCount(ws.id)).toBe(1);
    expect(await touchpointCount(ws.id)).toBe(touchpointsBefore);
    expect((await api.database.db.selectFrom('audit_log').select('id').where('workspace_id', '=', ws.id).execute()).length).toBe(auditBefore);

    const tooMany = await api.request(ws.tokens.owner, 'POST', '/api/v1/classification/test', {
      events: Array.from({ length: 101 }, () => ({ event: 'Ad Viewed' })),
    });
    expect(tooMany.statusCode).toBe(400);
    const agent = await api.request(ws.tokens.agent, 'POST', '/api/v1/classification/test', { events: [{ event: 'Ad Viewed' }] });
    expect(agent.statusCode).toBe(403);
  });

  it('increments the version on every save and lists the history newest first', async () => {
    const { ws } = await workspace('Rules History');
    const v1 = await api.request(ws.tokens.owner, 'PUT', RULES_URL, { rules: [webinarRule] });
    const v2 = await api.request(ws.tokens.admin, 'PUT', RULES_URL, { rules: [webinarRule, kioskRule], version: 1 });
    const v3 = await api.request(ws.tokens.owner, 'PUT', RULES_URL, { rules: [] }, { 'if-match': '"2"' });
    expect([v1.statusCode, v2.statusCode, v3.statusCode]).toEqual([200, 200, 200]);
    expect([v1.json().version, v2.json().version, v3.json().version]).toEqual([1, 2, 3]);

    const history = await api.request(ws.tokens.owner, 'GET', `${RULES_URL}/versions`);
    expect(history.statusCode).toBe(200);
    const data = history.json().data;
    expect(data.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    expect(data.map((v: { rules: unknown[] }) => v.rules.length)).toEqual([0, 2, 1]);
    expect(data[0].createdBy).toMatch(/^token:/);
    expect((await api.request(ws.tokens.agent, 'GET', RULES_URL)).json()).toMatchObject({ version: 3, rules: [] });
    expect((await api.request(ws.tokens.agent, 'GET', `${RULES_URL}/versions`)).statusCode).toBe(403);
  });

  it('refuses a stale version with 409 and changes nothing', async () => {
    const { ws } = await workspace('Rules Stale');
    await api.request(ws.tokens.owner, 'PUT', RULES_URL, { rules: [webinarRule] });
    await api.request(ws.tokens.owner, 'PUT', RULES_URL, { rules: [kioskRule], version: 1 });

    const stale = await api.request(ws.tokens.owner, 'PUT', RULES_URL, { rules: [], version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toEqual({ code: 'version_conflict', message: 'The rules are at version 2, not 1; reload and try again' });
    const staleHeader = await api.request(ws.tokens.owner, 'PUT', RULES_URL, { rules: [] }, { 'if-match': '"0"' });
    expect(staleHeader.statusCode).toBe(409);

    expect((await api.request(ws.tokens.owner, 'GET', RULES_URL)).json()).toMatchObject({ version: 2, rules: [kioskRule] });
    expect(await ruleSetCount(ws.id)).toBe(2);
  });

  it('answers 409 to one of two saves racing for the same version and never duplicates a version', async () => {
    const { ws } = await workspace('Rules Race');
    const saves = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        api.request(ws.tokens.owner, 'PUT', RULES_URL, { rules: [{ ...webinarRule, id: `r${i}` }] }),
      ),
    );
    for (const res of saves) expect([200, 409], res.body).toContain(res.statusCode);
    const versions = (
      await api.database.db.selectFrom('classification_rule_sets').select('version').where('workspace_id', '=', ws.id).execute()
    ).map((r) => r.version);
    expect(new Set(versions).size).toBe(versions.length);
    expect(saves.filter((r) => r.statusCode === 200)).toHaveLength(versions.length);
  });

  it('refuses invalid rules with 400 and keeps the current version', async () => {
    const { ws } = await workspace('Rules Invalid');
    await api.request(ws.tokens.owner, 'PUT', RULES_URL, { rules: [webinarRule] });
    const invalid: unknown[] = [
      [{ id: 'bad-stage', when: { event: 'x' }, then: { stage: 'nmot' } }],
      [{ id: 'bad-valence', when: {}, then: { valence: 'ecstatic' } }],
      [webinarRule, { ...kioskRule, id: 'webinars' }],
      [{ id: 'empty-then', when: { event: 'x' }, then: {} }],
      [{ id: '', when: {}, then: { stage: 'zmot' } }],
      [{ id: 'x'.repeat(101), when: {}, then: { stage: 'zmot' } }],
      [{ id: 'extra', when: { event: 'x', colour: 'red' }, then: { stage: 'zmot' } }],
      Array.from({ length: 201 }, (_, i) => ({ id: `r${i}`, when: {}, then: { stage: 'zmot' } })),
      'not a list',
    ];
    for (const rules of invalid) {
      const res = await api.request(ws.tokens.owner, 'PUT', RULES_URL, { rules });
      expect(res.statusCode, JSON.stringify(rules).slice(0, 100)).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
    }
    const duplicate = await api.request(ws.tokens.owner, 'PUT', RULES_URL, { rules: [webinarRule, { ...kioskRule, id: 'webinars' }] });
    expect(duplicate.json().error.message).toMatch(/duplicate rule id/);
    const draft = await api.request(ws.tokens.owner, 'POST', '/api/v1/classification/test', {
      rules: [{ id: 'bad', when: {}, then: { stage: 'nope' } }],
      events: [{ event: 'Ad Viewed' }],
    });
    expect(draft.statusCode).toBe(400);
    expect((await api.request(ws.tokens.owner, 'GET', RULES_URL)).json()).toMatchObject({ version: 1, rules: [webinarRule] });
    expect(await ruleSetCount(ws.id)).toBe(1);
  });

  it('lets only settings managers save rules', async () => {
    const { ws } = await workspace('Rules Authz');
    for (const role of ['agent', 'team_leader'] as const) {
      const res = await api.request(ws.tokens[role], 'PUT', RULES_URL, { rules: [webinarRule] });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
    }
    expect(await ruleSetCount(ws.id)).toBe(0);
    expect((await api.request(ws.tokens.agent, 'GET', RULES_URL)).statusCode).toBe(200);
    expect((await api.request(ws.tokens.admin, 'PUT', RULES_URL, { rules: [webinarRule] })).statusCode).toBe(200);
  });

  it("never lets workspace A's rules classify workspace B's touchpoints", async () => {
    const a = await workspace('Rules Alpha');
    const b = await workspace('Rules Beta');
    const rule = { id: 'alpha-orders', when: { event: 'Order Completed' }, then: { stage: 'umot', valence: 'negative' } };
    expect((await api.request(a.ws.tokens.owner, 'PUT', RULES_URL, { rules: [rule] })).statusCode).toBe(200);

    const inA = await track(a.writeKey, { userId: 'same', event: 'Order Completed', messageId: 'iso-1' });
    const inB = await track(b.writeKey, { userId: 'same', event: 'Order Completed', messageId: 'iso-1' });
    expect(inA.json().results[0]).toMatchObject({ stage: 'umot', ruleId: 'alpha-orders' });
    expect(inB.json().results[0]).toMatchObject({ stage: 'fmot', decidedBy: 'catalogue' });
    expect(inB.json().results[0]).not.toHaveProperty('ruleId');

    expect((await api.request(b.ws.tokens.owner, 'GET', RULES_URL)).json()).toEqual({ version: 0, rules: [], createdAt: null });
    expect((await api.request(b.ws.tokens.owner, 'GET', `${RULES_URL}/versions`)).json()).toEqual({ data: [] });
    const tested = await api.request(b.ws.tokens.owner, 'POST', '/api/v1/classification/test', { events: [{ event: 'Order Completed' }] });
    expect(tested.json()).toMatchObject({ version: 0, results: [{ stage: 'fmot', decidedBy: 'catalogue' }] });
    // B's first save is its own version 1, whatever A has.
    expect((await api.request(b.ws.tokens.owner, 'PUT', RULES_URL, { rules: [] })).json().version).toBe(1);
  });
});
