/// <reference lib="dom" />
// The settings screens in Debian's Chromium against the real server on PGlite with the demo
// workspace, as an admin uses them: an SLA policy and business hours, a canned response in
// Greek and Arabic found again in a ticket's picker, a support address and a chat widget whose
// snippet is copied, the stage-health webhook, refusals shown next to the form with nothing
// saved, axe-core on every sub-page, and one pass in Arabic (right-to-left, nothing in English).
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.ts';
import { catalogues, useDemoWebApp } from '../support/web-app.ts';

const { en, el, ar } = catalogues;
const PAGES = ['general', 'agents', 'teams', 'queues', 'sla', 'canned', 'macros', 'channels', 'compensation', 'alerts', 'tokens', 'classification'] as const;
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 30_000, interval: 100 });

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, checked field by field by the assertions
type Json = any;

describe('the settings screens in Chromium', { timeout: 240_000 }, () => {
  const app = useDemoWebApp('settings', { locale: 'en-GB', permissions: ['clipboard-read', 'clipboard-write'] });
  const { screenshot, expectAccessible, untranslated } = app;
  let server: RunningServer;
  let page: Page;
  beforeAll(() => {
    ({ server, page } = app);
  });
  const get = async (path: string): Promise<Json> => (await page.request.get(`${server.url}${path}`)).json();
  const open = async (sub: string, lang = 'en') => {
    await page.goto(`${server.url}/settings/${sub}?lang=${lang}`);
    await page.locator('.settings-body h2').first().waitFor();
  };

  it('opens /settings (a deep link that survives signing in) on the general page with the write key to copy', async () => {
    await page.goto(`${server.url}/settings?lang=en`);
    await app.signIn('en');
    await page.getByRole('heading', { name: en.settings.workspace }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/settings/general');
    const nav = page.getByRole('navigation', { name: en.settings.navLabel });
    expect(await nav.getByRole('link').allTextContents()).toEqual(PAGES.map((p) => en.settings.pages[p]));
    expect(await nav.getByRole('link', { name: en.settings.pages.general }).getAttribute('aria-current')).toBe('page');
    const writeKey = (await get('/api/v1/workspace')).writeKey as string;
    await page.getByRole('button', { name: en.settings.copyWriteKey }).click();
    await poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(writeKey);
    expect(await page.getByText(`${server.url}/api/v1/track`).count()).toBe(1);
  });

  it('creates an SLA policy and business hours, still there after a reload; a stale edit is refused and reloaded', async () => {
    await page.getByRole('navigation', { name: en.settings.navLabel }).getByRole('link', { name: en.settings.pages.sla }).click();
    await page.getByRole('heading', { name: en.settings.sla.title }).waitFor();
    await page.getByRole('button', { name: en.settings.sla.new }).click();
    const editor = page.locator('section.card', { has: page.getByRole('heading', { name: en.settings.sla.new, level: 2 }) });
    await editor.getByLabel(en.settings.name, { exact: true }).fill('Χρυσή υποστήριξη');
    await editor.getByLabel(en.settings.sla.makeDefault).check();
    const target = (metric: string, priority: string) =>
      editor.getByLabel(en.settings.sla.targetLabel.replace('{{metric}}', en.settings.sla.metrics[metric]).replace('{{priority}}', en.priority[priority]));
    await target('firstResponseMinutes', 'urgent').fill('30');
    await target('resolutionMinutes', 'urgent').fill('240');
    await target('firstResponseMinutes', 'normal').fill('480');
    await editor.getByRole('button', { name: en.settings.save }).click();
    await page.getByRole('heading', { name: /Χρυσή υποστήριξη/ }).waitFor();

    // Business hours in Athens, Friday shorter, with next year's Whit Monday as a holiday.
    await page.getByLabel(en.settings.hours.timeZone).selectOption('Europe/Athens');
    await page.getByLabel(en.settings.hours.closes.replace('{{day}}', 'Friday')).fill('15:00');
    await page.getByLabel(en.settings.hours.holidayDate).fill('2027-06-21');
    await page.getByRole('button', { name: en.settings.hours.addHoliday }).click();
    await page.getByRole('button', { name: en.settings.hours.save }).click();
    await poll(() => page.getByRole('status').filter({ hasText: en.settings.hours.saved }).count()).toBe(1);

    await page.reload();
    const policy = page.locator('li.policy', { hasText: 'Χρυσή υποστήριξη' });
    await policy.waitFor();
    expect(await policy.locator('.badge').textContent()).toBe(en.settings.sla.default);
    // Durations as Intl writes them in British English.
    const [thirtyMinutes, fourHours] = await page.evaluate(() =>
      (['minute', 'hour'] as const).map((unit, i) => new Intl.NumberFormat('en-GB', { style: 'unit', unit, unitDisplay: 'short' }).format([30, 4][i]!)),
    );
    expect(await policy.locator('tr', { hasText: en.priority.urgent }).locator('td').allTextContents()).toEqual([thirtyMinutes, '—', fourHours]);
    expect(await page.getByLabel(en.settings.hours.timeZone).inputValue()).toBe('Europe/Athens');
    expect(await page.getByLabel(en.settings.hours.closes.replace('{{day}}', 'Friday')).inputValue()).toBe('15:00');
    expect(await page.locator('.chips time[datetime="2027-06-21"]').textContent()).toMatch(/^Monday,? 21 June 2027$/);
    const saved = (await get('/api/v1/sla-policies')).data.find((p: Json) => p.name === 'Χρυσή υποστήριξη');
    expect(saved).toMatchObject({ isDefault: true, targets: { urgent: { firstResponseMinutes: 30, resolutionMinutes: 240 }, normal: { firstResponseMinutes: 480 } } });
    expect((await get('/api/v1/business-hours')).businessHours).toMatchObject({ timeZone: 'Europe/Athens', week: { fri: [{ start: '09:00', end: '15:00' }] }, holidays: expect.arrayContaining(['2027-06-21']) });

    // Another admin renames it while this one edits: the save is refused, the latest is loaded.
    await policy.getByRole('button', { name: en.settings.editNamed.replace('{{name}}', 'Χρυσή υποστήριξη') }).click();
    const edit = page.locator('section.card', { has: page.locator('#policy-editor-title') });
    await edit.getByLabel(en.settings.sla.description).fill('Για συμβόλαια με προτεραιότητα');
    expect((await page.request.patch(`${server.url}/api/v1/sla-policies/${saved.id}`, { data: { name: 'Χρυσή υποστήριξη 24/7', version: saved.version } })).status()).toBe(200);
    await edit.getByRole('button', { name: en.settings.save }).click();
    await poll(() => edit.getByRole('alert').textContent()).toContain(en.settings.errors.conflict);
    await edit.getByRole('button', { name: en.settings.reloadLatest }).click();
    await poll(() => edit.getByLabel(en.settings.name, { exact: true }).inputValue()).toBe('Χρυσή υποστήριξη 24/7');
    await edit.getByRole('button', { name: en.settings.cancel }).click();
    await screenshot('sla-en');
  });

  it('writes a canned response in Greek and Arabic with a variable, refuses an unknown variable, and the ticket picker finds it', async () => {
    await open('canned');
    await page.getByRole('button', { name: en.settings.canned.new }).click();
    await page.getByLabel(en.settings.name, { exact: true }).fill('Καθυστέρηση αποστολής');
    const greek = page.getByLabel(en.settings.canned.bodyIn.replace('{{language}}', en.languages.el));
    const arabic = page.getByLabel(en.settings.canned.bodyIn.replace('{{language}}', en.languages.ar));
    expect(await arabic.getAttribute('dir')).toBe('rtl');
    await greek.fill('Γεια σας , η παραγγελία σας καθυστερεί λίγο. Ζητούμε συγγνώμη.');
    await greek.evaluate((e: HTMLTextAreaElement) => e.setSelectionRange(9, 9));
    await page.getByRole('button', { name: '{{customer.name}}', exact: true }).click();
    await poll(() => greek.inputValue()).toBe('Γεια σας {{customer.name}}, η παραγγελία σας καθυστερεί λίγο. Ζητούμε συγγνώμη.');
    await arabic.fill('مرحبًا {{customer.name}}، طلبك متأخر قليلًا. نعتذر عن ذلك.');
    await poll(() => page.getByTestId('canned-preview').textContent()).toBe('مرحبًا مريم الحسن، طلبك متأخر قليلًا. نعتذر عن ذلك.');
    await page.getByRole('button', { name: en.settings.save }).click();
    await page.locator('table.canned-table td', { hasText: 'Καθυστέρηση αποστολής' }).waitFor();
    await screenshot('canned-en');

    // An unknown variable: the API's refusal is shown beside the form, nothing is saved.
    await page.getByRole('button', { name: en.settings.canned.new }).click();
    await page.getByLabel(en.settings.name, { exact: true }).fill('Τηλέφωνο πελάτη');
    await greek.fill('Θα σας καλέσουμε στο {{customer.phone}}.');
    await page.getByRole('button', { name: en.settings.save }).click();
    const alert = page.locator('.canned-editor').getByRole('alert');
    await poll(() => alert.textContent()).toContain(en.settings.errors.invalid);
    expect(await alert.textContent()).toContain('{{customer.phone}}');
    const names = (await get('/api/v1/canned-responses')).data.map((c: Json) => c.name);
    expect(names).toContain('Καθυστέρηση αποστολής');
    expect(names).not.toContain('Τηλέφωνο πελάτη');
    await screenshot('canned-refused-en');
    await page.getByRole('button', { name: en.settings.cancel }).click();

    // The ticket's picker finds it by Greek words without accents.
    const ticket = (await get('/api/v1/tickets?status=open&limit=1')).data[0];
    await page.goto(`${server.url}/tickets/${ticket.id}?lang=en`);
    await page.getByRole('button', { name: en.canned.open }).click();
    await page.getByLabel(en.canned.search).fill('καθυστερηση');
    await page.locator('.canned-list button', { hasText: 'Καθυστέρηση αποστολής' }).waitFor();
  });

  it("changes an agent's role from the agents list, and shows the API's refusal when the last owner would go", async () => {
    await open('agents');
    const agent = (await get('/api/v1/agents')).data.find((a: Json) => a.role === 'agent' && a.active);
    await page.getByLabel(en.settings.roleOf.replace('{{name}}', agent.name)).selectOption('team_leader');
    await poll(async () => (await get('/api/v1/agents')).data.find((a: Json) => a.id === agent.id).role).toBe('team_leader');
    const owners = (await get('/api/v1/agents')).data.filter((a: Json) => a.role === 'owner' && a.active);
    if (owners.length === 1) {
      await page.getByLabel(en.settings.roleOf.replace('{{name}}', owners[0].name)).selectOption('admin');
      await poll(() => page.getByRole('alert').first().textContent()).toContain(en.settings.errors.invalid);
      expect((await get('/api/v1/agents')).data.find((a: Json) => a.id === owners[0].id).role).toBe('owner');
    }
  });

  it("sets a team's assignment rule and routes Greek e-mail about invoices to a queue of that team", async () => {
    await open('teams');
    const team = (await get('/api/v1/teams')).data[0];
    const rule = page.getByRole('form', { name: en.settings.assignment.formFor.replace('{{name}}', team.name) });
    await rule.getByLabel(en.settings.assignment.mode).selectOption('round_robin');
    await rule.getByLabel(en.settings.assignment.cap).fill('5');
    await rule.getByRole('button', { name: en.settings.save }).click();
    await poll(async () => (await get('/api/v1/teams')).data.find((t: Json) => t.id === team.id).assignment).toMatchObject({ mode: 'round_robin', maxOpenPerAgent: 5 });

    await open('queues');
    await page.getByRole('button', { name: en.settings.queues.new }).click();
    await page.getByLabel(en.settings.name, { exact: true }).fill('Τιμολόγηση στα ελληνικά');
    await page.getByLabel(en.settings.queues.team).selectOption(team.id);
    await page.getByRole('group', { name: en.settings.queues.channels }).getByLabel(en.channel.email).check();
    await page.getByRole('group', { name: en.settings.queues.languages }).getByLabel(en.languages.el).check();
    await page.getByLabel(en.settings.queues.tagsLabel).fill('τιμολόγηση, επιστροφή');
    await page.getByRole('button', { name: en.settings.save }).click();
    await page.locator('table.data td', { hasText: 'Τιμολόγηση στα ελληνικά' }).waitFor();
    expect((await get('/api/v1/queues')).data.find((q: Json) => q.name === 'Τιμολόγηση στα ελληνικά')).toMatchObject({
      teamId: team.id,
      active: true,
      rules: { channels: ['email'], locales: ['el'], tags: ['τιμολόγηση', 'επιστροφή'] },
    });

    // Deleting asks first: cancelling keeps the queue, confirming removes it.
    const queueName = 'Τιμολόγηση στα ελληνικά';
    await page.getByRole('button', { name: en.settings.deleteNamed.replace('{{name}}', queueName) }).click();
    const question = page.getByRole('group', { name: en.settings.confirmDelete.replace('{{name}}', queueName) });
    await question.getByRole('button', { name: en.settings.cancel }).click();
    await poll(() => question.count()).toBe(0);
    expect((await get('/api/v1/queues')).data.some((q: Json) => q.name === queueName)).toBe(true);
    await page.getByRole('button', { name: en.settings.deleteNamed.replace('{{name}}', queueName) }).click();
    await expectAccessible('queues, delete asked (en)');
    await question.getByRole('button', { name: en.settings.yesDelete }).click();
    await poll(() => page.locator('table.data td', { hasText: queueName }).count()).toBe(0);
    expect((await get('/api/v1/queues')).data.some((q: Json) => q.name === queueName)).toBe(false);
  });

  it('adds a support address and a chat widget, copies its snippet, and shows a refused origin', async () => {
    await open('channels');
    await page.getByLabel(en.settings.email.address).fill('support@example.gr');
    await page.getByRole('button', { name: en.settings.email.add }).click();
    await page.locator('.addresses code', { hasText: 'support@example.gr' }).waitFor();

    const chat = page.locator('section.card', { has: page.getByRole('heading', { name: en.settings.widgets.chat.title }) });
    const addForm = chat.getByRole('form', { name: en.settings.widgets.chat.add });
    await addForm.getByLabel(en.settings.widgets.name).fill('Κατάστημα Αθήνας');
    await addForm.getByLabel(en.settings.widgets.origins).fill('shop.example.gr/καλάθι');
    await addForm.getByRole('button', { name: en.settings.widgets.chat.add }).click();
    await poll(() => addForm.getByRole('alert').textContent()).toContain(en.settings.errors.invalid);
    expect((await get('/api/v1/chat/widgets')).data.map((w: Json) => w.name)).not.toContain('Κατάστημα Αθήνας');

    await addForm.getByLabel(en.settings.widgets.origins).fill('https://shop.example.gr');
    await addForm.getByRole('button', { name: en.settings.widgets.chat.add }).click();
    const widget = chat.locator('article.widget', { hasText: 'Κατάστημα Αθήνας' });
    await widget.waitFor();
    const saved = (await get('/api/v1/chat/widgets')).data.find((w: Json) => w.name === 'Κατάστημα Αθήνας');
    expect(saved.allowedOrigins).toEqual(['https://shop.example.gr']);
    await widget.getByRole('button', { name: en.settings.widgets.copySnippet.replace('{{name}}', 'Κατάστημα Αθήνας') }).click();
    await poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(
      `<script src="${server.url}/widget.js" data-key="${saved.publicKey}" data-lang="en" async></script>`,
    );
    await screenshot('channels-en');
  });

  it('sets the stage-health webhook: a private address is refused until allowed, the secret is shown once, a test is delivered', async () => {
    // The receiver: a small server on this machine that keeps what it is sent.
    const deliveries: unknown[] = [];
    const receiver: Server = createServer((req, res) => {
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => {
        deliveries.push(JSON.parse(data));
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const address = receiver.address();
    const hookUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/truthdesk-alerts`;
    await open('alerts');
    await page.getByLabel(en.settings.alerts.webhookUrl).fill(hookUrl);
    await page.getByLabel(en.settings.alerts.drop).fill('12');
    await page.getByRole('button', { name: en.settings.save }).click();
    await poll(() => page.getByRole('alert').first().textContent()).toContain(en.settings.errors.invalid);
    expect((await get('/api/v1/stage-health/settings')).webhookUrl).toBeNull();

    await page.getByLabel(en.settings.alerts.allowPrivate).check();
    await poll(async () => (await get('/api/v1/workspace')).allowPrivateWebhookTargets).toBe(true);
    await page.getByRole('button', { name: en.settings.save }).click();
    const secret = page.locator('.secret code');
    await poll(() => secret.textContent()).toMatch(/^whsec_/);
    expect(await get('/api/v1/stage-health/settings')).toMatchObject({ webhookUrl: hookUrl, dropPoints: 12 });
    await page.getByRole('button', { name: en.settings.alerts.copySecret }).click();
    await poll(() => page.evaluate(() => navigator.clipboard.readText())).toMatch(/^whsec_/);
    await screenshot('alerts-en');
    await page.reload();
    await page.getByText(en.settings.alerts.secretMasked).waitFor();
    expect(await page.locator('.secret').count()).toBe(0);
    await page.getByRole('button', { name: en.settings.alerts.sendTest }).click();
    await poll(() => page.getByRole('status').filter({ hasText: en.settings.alerts.testDelivered }).count()).toBe(1);
    expect(deliveries).toEqual([expect.objectContaining({ type: 'stage_health.test' })]);
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('passes axe-core on every sub-page, and reads in Greek', async () => {
    for (const sub of PAGES) {
      await open(sub);
      await expectAccessible(`settings/${sub} (en)`);
    }
    for (const sub of ['sla', 'canned', 'channels'] as const) {
      await open(sub, 'el');
      await page.getByRole('heading', { name: el.settings.title }).waitFor();
      expect(await untranslated()).toEqual([]);
      await screenshot(`${sub}-el`);
    }
  });

  it('lays every sub-page out right-to-left in Arabic, with nothing left in English', async () => {
    for (const sub of PAGES) {
      await open(sub, 'ar');
      expect(await page.getAttribute('html', 'dir')).toBe('rtl');
      await page.getByRole('heading', { name: ar.settings.title }).waitFor();
      await page.waitForLoadState('networkidle');
      expect(await untranslated(), sub).toEqual([]);
      if (sub === 'sla' || sub === 'canned' || sub === 'channels' || sub === 'alerts') {
        await expectAccessible(`settings/${sub} (ar)`);
        await screenshot(`${sub}-ar`);
      }
    }
    // The section navigation sits at the right of the page in Arabic.
    const nav = await page.locator('.settings-nav').boundingBox();
    const body = await page.locator('.settings-body').boundingBox();
    expect(nav!.x).toBeGreaterThan(body!.x);
  });
});
