/// <reference lib="dom" />
// SLA and service recovery in the web app, in Debian's Chromium against the real server on PGlite
// with the demo workspace: the "SLA at risk" and "recovery needed" views, the countdown badges in
// the reader's language, and the recovery prompt on a flagged ticket — the apology template in the
// customer's language sent as a reply, a compensation offered and accepted — in Greek and Arabic.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.ts';
import { catalogues, useDemoWebApp } from '../support/web-app.ts';

const { el, ar } = catalogues;
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000, interval: 100 });

interface ApiTicket {
  id: string;
  number: number;
  sla: { atRisk: boolean; breached: boolean; nextDueAt: string | null } | null;
  recovery: { status: string } | null;
}
interface ApiRecovery {
  case: { status: string } | null;
  apologies: { cannedResponseId: string; locale: string; text: string }[];
  compensationOptions: { id: string; label: string }[];
  actions: { action: string }[];
}

describe('SLA and service recovery in Chromium', { timeout: 240_000 }, () => {
  const app = useDemoWebApp('sla', { locale: 'el-GR' });
  const { screenshot, expectAccessible, untranslated } = app;
  let server: RunningServer;
  let page: Page;
  beforeAll(() => {
    ({ server, page } = app);
  });
  const get = async <T>(path: string): Promise<T> => (await page.request.get(`${server.url}${path}`)).json() as Promise<T>;

  it('lists the tickets needing recovery and those at risk of missing their SLA (Greek)', async () => {
    await page.goto(`${server.url}/?lang=el`);
    await app.signIn('el');
    await page.locator('table.tickets tbody tr').first().waitFor();

    const needed = (await get<{ data: ApiTicket[] }>('/api/v1/tickets?recovery=needed&status=new,open,pending,on_hold&limit=100')).data;
    expect(needed.length).toBeGreaterThan(0);
    await page.getByRole('tab', { name: el.inbox.view.recovery }).click();
    await poll(() => page.url()).toContain('view=recovery');
    const rows = page.locator('table.tickets tbody tr');
    await poll(() => rows.evaluateAll((list) => list.map((r) => r.getAttribute('data-ticket')))).toEqual(needed.map((t) => String(t.number)));
    await poll(() => page.locator('table.tickets tbody .badge.recovery-needed').allTextContents()).toEqual(needed.map(() => el.recovery.status.needed));
    expect(await untranslated()).toEqual([]);
    await expectAccessible('recovery view (el)');
    await screenshot('inbox-recovery-el');

    const atRisk = (await get<{ data: ApiTicket[] }>('/api/v1/tickets?sla=at_risk&status=new,open,pending,on_hold&limit=100')).data;
    await page.getByRole('tab', { name: el.inbox.view.slaAtRisk }).click();
    await poll(() => page.url()).toContain('view=slaAtRisk');
    await poll(() => rows.evaluateAll((list) => list.map((r) => r.getAttribute('data-ticket')))).toEqual(atRisk.map((t) => String(t.number)));

    // In the full list every running SLA shows its countdown in Greek words (Intl), breaches in red.
    await page.getByRole('tab', { name: el.inbox.view.all }).click();
    await poll(() => page.locator('table.tickets tbody .badge.sla').count()).toBeGreaterThan(0);
    const countdowns = await page.locator('table.tickets tbody .badge.sla-due, table.tickets tbody .badge.sla-at-risk').allTextContents();
    for (const text of countdowns) expect(text).toMatch(/^(Λήγει|Σε κίνδυνο: λήγει) .*\p{Script=Greek}/u);
    const all = (await get<{ data: ApiTicket[] }>('/api/v1/tickets?status=new,open,pending,on_hold&limit=50')).data;
    expect(await page.locator('table.tickets tbody .badge.sla-breached').count()).toBe(all.filter((t) => t.sla?.breached).length);
    expect(await untranslated()).toEqual([]);
    await screenshot('inbox-sla-el');
  });

  it('sends the apology in the customer\'s language, offers compensation and records the answer (Greek)', async () => {
    const needed = (await get<{ data: ApiTicket[] }>('/api/v1/tickets?recovery=needed&status=new,open,pending,on_hold&limit=100')).data;
    const ticket = needed[0]!;
    const before = await get<ApiRecovery>(`/api/v1/tickets/${ticket.id}/recovery`);
    expect(before.apologies.length).toBeGreaterThan(0);
    const apology = before.apologies[0]!;

    await page.goto(`${server.url}/tickets/${ticket.id}?lang=el`);
    const panel = page.getByTestId('recovery');
    await panel.getByRole('heading', { name: el.recovery.title }).waitFor();
    await poll(() => panel.locator('.apology').textContent()).toBe(apology.text);
    expect(await panel.locator('.apology').getAttribute('lang')).toBe(apology.locale);
    expect(await untranslated()).toEqual([]);
    await expectAccessible('ticket with recovery (el)');
    await screenshot('ticket-recovery-el');

    await panel.getByRole('button', { name: el.recovery.sendApology }).click();
    await poll(() => panel.getByRole('status').textContent()).toBe(el.recovery.recorded.sent);
    // The apology went to the customer as a public reply.
    await poll(() => page.locator('.message-reply .message-body').last().textContent()).toContain(apology.text.split('\n')[0]!.trim());

    const option = before.compensationOptions[0]!;
    await panel.getByLabel(el.recovery.compensation).selectOption(option.id);
    await panel.getByRole('button', { name: el.recovery.offer }).click();
    await poll(() => panel.getByRole('status').textContent()).toBe(el.recovery.recorded.offered);
    await panel.getByRole('button', { name: el.recovery.markAccepted }).click();
    await poll(() => panel.getByRole('status').textContent()).toBe(el.recovery.recorded.accepted);
    await poll(() => page.locator('.ticket-meta .badge.recovery-accepted').textContent()).toBe(el.recovery.status.accepted);
    const after = await get<ApiRecovery>(`/api/v1/tickets/${ticket.id}/recovery`);
    expect(after.actions.map((a) => a.action)).toEqual(expect.arrayContaining(['sent', 'offered', 'accepted']));
    await poll(() => panel.locator('.recovery-log li').count()).toBe(after.actions.length);
    // Every step in words, none a raw catalogue key.
    for (const text of await panel.locator('.recovery-log li').allTextContents()) expect(text).not.toMatch(/recovery\./);
    expect(await panel.locator('.recovery-log').textContent()).toContain(el.recovery.status.accepted);
    await screenshot('ticket-recovery-accepted-el');
  });

  it('shows the recovery prompt right to left in Arabic, compensation amounts formatted for Arabic', async () => {
    const needed = (await get<{ data: ApiTicket[] }>('/api/v1/tickets?recovery=needed&status=new,open,pending,on_hold&limit=100')).data;
    const ticket = needed[0]!;
    await page.goto(`${server.url}/tickets/${ticket.id}?lang=ar`);
    const panel = page.getByTestId('recovery');
    await panel.getByRole('heading', { name: ar.recovery.title }).waitFor();
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    await panel.locator('.apology').waitFor();
    // Compensation amounts written with the digits Intl uses for Arabic in this browser.
    const options = await panel.getByLabel(ar.recovery.compensation).locator('option').allTextContents();
    expect(options.length).toBeGreaterThan(1);
    const digits = new Set(await page.evaluate(() => [...new Intl.NumberFormat('ar', { useGrouping: false }).format(1234567890)]));
    for (const option of options.slice(1)) {
      const used = [...option].filter((c) => /\p{Nd}/u.test(c));
      expect(used.length).toBeGreaterThan(0);
      expect(used.every((c) => digits.has(c))).toBe(true);
    }
    expect(await untranslated()).toEqual([]);
    await expectAccessible('ticket with recovery (ar)');
    await screenshot('ticket-recovery-ar');
    // No offer yet: nothing to mark as accepted or declined.
    expect(await panel.getByRole('button', { name: ar.recovery.markAccepted }).count()).toBe(0);
  });
});
