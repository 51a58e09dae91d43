/// <reference lib="dom" />
// The ticket screen's tools in Debian's Chromium against the real server on PGlite with the demo
// workspace: the SLA countdown ticking on the page's own clock, the inbox fitting 1280 px in
// Greek and Arabic, assignment to a team and queue, merge and split, suggested articles in the
// reply, and @mentions picked from the keyboard in a note. Screenshots go to the folder printed
// at the start; axe-core checks each screen.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.ts';
import { catalogues, useDemoWebApp } from '../support/web-app.ts';

const { en, el, ar } = catalogues;
// PGlite answers one query at a time, behind the demo's background jobs: give the page time.
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 30_000, interval: 100 });

interface ApiTicket {
  id: string;
  number: number;
  subject: string;
  status: string;
  customer: { id: string; name: string | null };
  assigneeId: string | null;
  teamId: string | null;
  queueId: string | null;
  mergedIntoId: string | null;
  splitFromId: string | null;
  sla: { nextDueAt: string | null; targets: { dueAt: string | null; warnAt: string | null; clock: string }[] } | null;
}

describe('ticket tools in Chromium', { timeout: 300_000 }, () => {
  const app = useDemoWebApp('ticket-tools', { locale: 'el-GR' });
  const { screenshot, expectAccessible, untranslated } = app;
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const api = async <T>(method: 'GET' | 'POST', path: string, data?: unknown): Promise<T> => {
    const response = method === 'GET' ? await page.request.get(`${server.url}${path}`) : await page.request.post(`${server.url}${path}`, { data });
    expect(response.ok(), `${method} ${path}: ${response.status()} ${await response.text()}`).toBe(true);
    return (await response.json()) as T;
  };
  const horizontalOverflow = (p: Page) => p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  /** A new urgent ticket, by default from a Greek customer (the demo's SLA policy gives it a first-response clock). */
  const newTicket = (subject: string, message: string, email = 'eleni.markou@example.gr', name = 'Ελένη Μάρκου', locale = 'el') =>
    api<ApiTicket>('POST', '/api/v1/tickets', { subject, customer: { email, name, locale }, channel: 'email', priority: 'urgent', message });

  beforeAll(async () => {
    ({ server, browser, context, page } = app);
    await page.goto(`${server.url}/?lang=el`);
    await app.signIn('el');
    await page.locator('table.tickets tbody tr').first().waitFor();
  }, 60_000);

  it('fits the inbox in 1280 px in English, Greek and Arabic (right-to-left)', async () => {
    for (const lang of ['el', 'ar', 'en'] as const) {
      await page.goto(`${server.url}/inbox?lang=${lang}`);
      await page.locator('table.tickets tbody tr').first().waitFor();
      await page.waitForLoadState('networkidle');
      expect(await page.getAttribute('html', 'dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe({ en, el, ar }[lang].inbox.title);
      if (lang !== 'en') expect(await untranslated()).toEqual([]);
      expect(await horizontalOverflow(page), `inbox (${lang}) scrolls sideways at 1280 px`).toBeLessThanOrEqual(0);
      await screenshot(`inbox-${lang}`);
    }
    await expectAccessible('inbox (en)');
  });

  it('counts the SLA down on the page clock: due, then at risk, then breached, in Greek', async () => {
    const ticket = await newTicket('Ο θερμοστάτης δεν συνδέεται στο Wi-Fi', 'Καλησπέρα, ο θερμοστάτης δεν συνδέεται στο Wi-Fi από χθες.');
    const first = ticket.sla?.targets.find((t) => t.clock === 'running' && t.dueAt);
    expect(first?.dueAt).toBeTruthy();
    const due = +new Date(first!.dueAt!);
    const warn = +new Date(first!.warnAt ?? first!.dueAt!);
    // A page of its own whose clock the test moves (timers and Date are faked there only).
    const clocked = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'el-GR', storageState: await context.storageState() });
    const p = await clocked.newPage();
    await p.clock.install({ time: new Date() });
    await p.goto(`${server.url}/tickets/${ticket.id}?lang=el`);
    const badge = p.locator('.ticket-meta .badge.sla');
    await poll(() => badge.getAttribute('data-sla')).toBe('due');
    const before = await badge.textContent();
    expect(before).toMatch(/^Λήγει /);
    // Just past the warning time: at risk, in minutes.
    await p.clock.fastForward(Math.max(0, warn - Date.now()) + 60_000);
    await poll(() => badge.getAttribute('data-sla')).toBe('at_risk');
    expect(await badge.textContent()).toMatch(/^Σε κίνδυνο: λήγει σε \d+ λ/);
    await screenshot('sla-at-risk-el', p);
    // Past the due time: breached, saying since when (the server, on the real clock, still says due).
    await p.clock.fastForward(due - warn + 5 * 60_000);
    await poll(() => badge.getAttribute('data-sla')).toBe('overdue');
    expect(await badge.textContent()).toMatch(/^Εκπρόθεσμο: έληγε πριν από \d+ λ/);
    expect(await badge.evaluate((e) => e.classList.contains('sla-breached'))).toBe(true);
    await screenshot('sla-overdue-el', p);
    await clocked.close();
  });

  it('assigns a ticket to a team and a queue beside the assignee, and lets the team\'s rule pick (Greek)', async () => {
    const teams = (await api<{ data: { id: string; name: string; memberIds: string[] }[] }>('GET', '/api/v1/teams')).data;
    const billing = teams.find((tm) => tm.name === 'Billing & Accounts')!;
    const support = teams.find((tm) => tm.name === 'Customer Support')!;
    const queue = await api<{ id: string; name: string }>('POST', '/api/v1/queues', { name: 'Τιμολόγηση — επείγοντα', teamId: billing.id });
    // The support team hands tickets out in turn, to anyone (nobody need be online in a test).
    const patched = await page.request.patch(`${server.url}/api/v1/teams/${support.id}`, { data: { assignment: { mode: 'round_robin', onlyAvailable: false } } });
    expect(patched.ok(), await patched.text()).toBe(true);
    const ticket = await newTicket('Διπλή χρέωση στην κάρτα μου', 'Χρεώθηκα δύο φορές για την ίδια παραγγελία AH-30991.');

    await page.goto(`${server.url}/tickets/${ticket.id}?lang=el`);
    const teamPicker = page.getByLabel(el.assign.team, { exact: true });
    await teamPicker.selectOption({ label: support.name });
    await poll(async () => (await api<ApiTicket>('GET', `/api/v1/tickets/${ticket.id}`)).teamId).toBe(support.id);
    await page.getByLabel(el.assign.queue, { exact: true }).selectOption(queue.id);
    // A queue brings its team.
    await poll(async () => {
      const now = await api<ApiTicket>('GET', `/api/v1/tickets/${ticket.id}`);
      return [now.queueId, now.teamId];
    }).toEqual([queue.id, billing.id]);
    await poll(() => teamPicker.inputValue()).toBe(billing.id);
    await teamPicker.selectOption(support.id);
    await poll(() => teamPicker.inputValue()).toBe(support.id);
    await page.getByRole('button', { name: el.assign.fromTeam }).click();
    await poll(async () => (await api<ApiTicket>('GET', `/api/v1/tickets/${ticket.id}`)).assigneeId).not.toBeNull();
    const assigned = (await api<ApiTicket>('GET', `/api/v1/tickets/${ticket.id}`)).assigneeId!;
    expect(support.memberIds).toContain(assigned);
    await poll(() => page.getByRole('status').filter({ hasText: /κανόνα της ομάδας/ }).count()).toBe(1);
    await poll(() => page.getByLabel(el.ticket.assignee, { exact: true }).inputValue()).toBe(assigned);
    // Each agent's availability shows beside the name: the owner, signed in here, is available.
    await page.getByRole('button', { name: el.ticket.assignToMe }).click();
    await poll(() => page.getByTestId('assignee-availability').textContent()).toBe(`Sarah Whitfield: τώρα ${el.availability.available}`);
    await expectAccessible('ticket assignment (el)');
    expect(await untranslated()).toEqual([]);
    await screenshot('assignment-el');
  });

  it('merges a ticket into another after saying what moves, and splits a message out into a new ticket', async () => {
    const customer = { email: 'kostas.dimou@example.gr', name: 'Κώστας Δήμου' };
    const survivor = await newTicket('Η παραγγελία AH-31007 δεν έφτασε', 'Η παραγγελία μου AH-31007 δεν έχει φτάσει ακόμη.', customer.email, customer.name);
    const duplicate = await newTicket('Πού είναι το δέμα μου;', 'Περιμένω ακόμη το δέμα της παραγγελίας AH-31007 — υπάρχει αριθμός αποστολής;', customer.email, customer.name);
    await api('POST', `/api/v1/tickets/${duplicate.id}/messages`, { kind: 'customer', body: 'Επίσης, ο θερμοστάτης δείχνει λάθος θερμοκρασία από χθες.' });

    await page.goto(`${server.url}/tickets/${duplicate.id}?lang=el`);
    await page.getByRole('button', { name: el.merge.open }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(el.merge.search).fill(`#${survivor.number}`);
    await dialog.getByRole('button', { name: el.merge.find }).click();
    await dialog.getByRole('radio', { name: new RegExp(`#${survivor.number}`) }).check();
    // It says what moves before anything does.
    await poll(() => dialog.getByTestId('merge-confirm').textContent()).toContain(`#${survivor.number} «${survivor.subject}»`);
    expect(await dialog.getByTestId('merge-confirm').textContent()).toMatch(/^Και τα \d+ μηνύματα του #\d+/);
    await expectAccessible('merge dialog (el)');
    await screenshot('merge-dialog-el');
    await dialog.getByRole('button', { name: `Συγχώνευση στο #${survivor.number}` }).click();
    await poll(() => page.getByTestId('lineage').textContent()).toContain(`${el.merge.banner} #${survivor.number}`);
    expect((await api<ApiTicket>('GET', `/api/v1/tickets/${duplicate.id}`)).mergedIntoId).toBe(survivor.id);
    await screenshot('merged-el');
    // The banner leads to the survivor, which now holds the moved messages.
    await page.getByTestId('lineage').getByRole('link').click();
    await page.waitForURL(new RegExp(`/tickets/${survivor.id}$`));
    const conversation = page.getByRole('list', { name: el.ticket.conversation });
    await poll(() => conversation.textContent()).toContain('υπάρχει αριθμός αποστολής');
    expect(await conversation.textContent()).toContain('ο θερμοστάτης δείχνει λάθος θερμοκρασία');

    // The thermostat is another matter: split that message out.
    const message = conversation.getByRole('listitem').filter({ hasText: 'ο θερμοστάτης δείχνει λάθος θερμοκρασία' });
    await message.getByRole('button', { name: el.split.open }).click();
    const split = page.getByRole('dialog');
    await split.getByLabel(el.split.subject).fill('Ο θερμοστάτης δείχνει λάθος θερμοκρασία');
    await expectAccessible('split dialog (el)');
    await split.getByRole('button', { name: el.split.submit, exact: true }).click();
    await page.waitForURL((url) => /\/tickets\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.endsWith(survivor.id));
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Ο θερμοστάτης δείχνει λάθος θερμοκρασία');
    await poll(() => page.getByTestId('lineage').textContent()).toContain(`${el.split.banner} #${survivor.number}`);
    const created = await api<ApiTicket>('GET', `/api/v1/tickets/${page.url().split('/').pop()}`);
    expect(created.splitFromId).toBe(survivor.id);
    expect(created.customer.id).toBe(survivor.customer.id);
    await poll(() => page.getByRole('list', { name: el.ticket.conversation }).textContent()).toContain('ο θερμοστάτης δείχνει λάθος θερμοκρασία');
    expect(await untranslated()).toEqual([]);
    await screenshot('split-el');
  });

  it('puts a suggested article\'s portal link into the reply (Greek)', async () => {
    const ticket = await newTicket('Ο θερμοστάτης εμφανίζεται εκτός σύνδεσης', 'Μετά τη διακοπή ρεύματος χθες ο θερμοστάτης εμφανίζεται εκτός σύνδεσης στην εφαρμογή.');
    await page.goto(`${server.url}/tickets/${ticket.id}?lang=el`);
    const panel = page.getByRole('region', { name: el.suggest.title });
    const title = 'Ο θερμοστάτης εμφανίζεται εκτός σύνδεσης μετά από διακοπή ρεύματος';
    await panel.getByRole('link', { name: title }).waitFor();
    expect(await panel.getByRole('listitem').first().textContent()).toContain(el.languages.el);
    expect(await panel.locator('mark').count()).toBeGreaterThan(0);
    const href = await panel.getByRole('link', { name: title }).getAttribute('href');
    expect(href).toMatch(new RegExp(`^${server.url}/kb/[^/]+/el/`));
    const editor = page.getByLabel(el.ticket.replyLabel);
    await editor.fill('Γεια σας Ελένη, δείτε τα βήματα εδώ:');
    await panel.getByRole('button', { name: `Εισαγωγή συνδέσμου προς «${title}»` }).click();
    await poll(() => editor.inputValue()).toBe(`Γεια σας Ελένη, δείτε τα βήματα εδώ: ${title}: ${href}`);
    await expectAccessible('ticket with suggestions (el)');
    await screenshot('suggestion-inserted-el');
    await page.getByRole('button', { name: el.ticket.sendReply }).click();
    await poll(async () => {
      const sent = (await api<{ data: { kind: string; text: string }[] }>('GET', `/api/v1/tickets/${ticket.id}/messages`)).data;
      return sent.some((m) => m.kind === 'reply' && m.text.includes(href!));
    }).toBe(true);
    // The portal link opens the article for the customer, without signing in.
    const portal = await (await browser.newContext()).request.get(href!);
    expect(portal.status()).toBe(200);
    expect(await portal.text()).toContain(title);
  });

  it('builds a macro in settings and applies it to a ticket in one click (Greek)', async () => {
    await page.goto(`${server.url}/settings/macros?lang=el`);
    await page.getByRole('heading', { name: el.settings.macros.title }).waitFor();
    const form = page.locator('form.stacked-form');
    await form.getByLabel(el.settings.macros.name).fill('Καθυστέρηση αποστολής');
    const replies = await form.getByLabel(el.settings.macros.reply).locator('option').allTextContents();
    await form.getByLabel(el.settings.macros.reply).selectOption({ label: replies[1]! });
    await form.getByLabel(el.settings.macros.note).fill('Ελέγξαμε την αποστολή με την courier.');
    await form.getByLabel(el.ticket.status).selectOption('pending');
    await form.getByLabel(el.ticket.priority).selectOption('high');
    await form.getByLabel(el.settings.macros.addTags).fill('καθυστέρηση, courier');
    await form.getByRole('button', { name: el.settings.macros.add }).click();
    await page.getByRole('cell', { name: 'Καθυστέρηση αποστολής', exact: true }).waitFor();
    await expectAccessible('settings › macros (el)');
    await screenshot('macros-settings-el');

    const ticket = await newTicket('Δεν έλαβα ακόμα το δέμα', 'Η παραγγελία μου καθυστερεί δέκα μέρες.');
    await page.goto(`${server.url}/tickets/${ticket.id}?lang=el`);
    await page.getByLabel(el.macros.apply, { exact: true }).selectOption({ label: 'Καθυστέρηση αποστολής' });
    await page.getByRole('button', { name: el.macros.applyButton }).click();
    await page.getByText('Η μακροεντολή «Καθυστέρηση αποστολής» εφαρμόστηκε.').waitFor();
    const after = await api<ApiTicket & { priority: string; tags: string[] }>('GET', `/api/v1/tickets/${ticket.id}`);
    expect(after).toMatchObject({ status: 'pending', priority: 'high' });
    expect(after.tags).toEqual(expect.arrayContaining(['καθυστέρηση', 'courier']));
    const messages = (await api<{ data: { kind: string; text: string }[] }>('GET', `/api/v1/tickets/${ticket.id}/messages`)).data;
    expect(messages.map((m) => m.kind)).toEqual(['customer', 'reply', 'note']);
    await page.getByText('Ελέγξαμε την αποστολή με την courier.').waitFor();
    await expectAccessible('ticket after a macro (el)');
  });

  it('mentions a colleague picked from the keyboard in a note; the mention is stored and notifies them (Greek)', async () => {
    // A second "Δημ…" so the list has a choice to make.
    const colleague = await api<{ id: string }>('POST', '/api/v1/agents', { email: 'dimitris.papadakis@aurora-home.example', name: 'Δημήτρης Παπαδάκης', role: 'agent', locale: 'el' });
    const agents = (await api<{ data: { id: string; name: string; email: string }[] }>('GET', '/api/v1/agents')).data;
    const dimitra = agents.find((a) => a.name === 'Δήμητρα Καραγιάννη')!;
    const ticket = await newTicket('Λάθος χρέωση εγκατάστασης', 'Μου χρεώσατε την εγκατάσταση δύο φορές.');
    await page.goto(`${server.url}/tickets/${ticket.id}?lang=el`);
    await page.getByText(el.ticket.internalNote, { exact: true }).first().click();
    const editor = page.getByRole('combobox', { name: el.ticket.noteLabel });
    await editor.click();
    // Lower case and without the accent: still both.
    await editor.pressSequentially('Ρίξε μια ματιά @δημ');
    const list = page.getByRole('listbox', { name: el.mention.list });
    await poll(() => list.getByRole('option').allTextContents()).toEqual([
      expect.stringContaining('Δήμητρα Καραγιάννη'),
      expect.stringContaining('Δημήτρης Παπαδάκης'),
    ]);
    expect(await editor.getAttribute('aria-expanded')).toBe('true');
    await expectAccessible('mention list open (el)');
    await screenshot('mention-list-el');
    // Down to the second, up again to Δήμητρα, Tab inserts her name.
    await editor.press('ArrowDown');
    await poll(() => list.getByRole('option', { selected: true }).textContent()).toContain('Δημήτρης');
    expect(await editor.getAttribute('aria-activedescendant')).toBe(await list.getByRole('option', { selected: true }).getAttribute('id'));
    await editor.press('ArrowUp');
    await poll(() => list.getByRole('option', { selected: true }).textContent()).toContain('Δήμητρα');
    await editor.press('Tab');
    await poll(() => editor.inputValue()).toBe('Ρίξε μια ματιά @Δήμητρα Καραγιάννη ');
    expect(await editor.getAttribute('aria-expanded')).toBe('false');
    await editor.pressSequentially('στη διπλή χρέωση, @Νικ');
    await poll(() => list.getByRole('option').allTextContents()).toEqual([expect.stringContaining('Νίκος Αντωνίου')]);
    await editor.press('Enter');
    await poll(() => editor.inputValue()).toBe('Ρίξε μια ματιά @Δήμητρα Καραγιάννη στη διπλή χρέωση, @Νίκος Αντωνίου ');
    await page.getByRole('button', { name: el.ticket.addNote }).click();
    let note: { id: string; mentionedAgentIds: string[] } | undefined;
    await poll(async () => {
      const all = (await api<{ data: { id: string; kind: string; mentionedAgentIds: string[] }[] }>('GET', `/api/v1/tickets/${ticket.id}/messages`)).data;
      note = all.find((m) => m.kind === 'note');
      return note?.mentionedAgentIds.length ?? 0;
    }).toBe(2);
    expect(note!.mentionedAgentIds).toContain(dimitra.id);
    expect(note!.mentionedAgentIds).not.toContain(colleague.id);
    // Δήμητρα, signed in herself, has the notification.
    const hers = await browser.newContext();
    const login = await hers.request.post(`${server.url}/api/v1/auth/login`, { data: { email: dimitra.email, password: server.demo!.password } });
    expect(login.ok(), await login.text()).toBe(true);
    await poll(async () => {
      const inbox = (await (await hers.request.get(`${server.url}/api/v1/notifications`)).json()) as { data: { messageId: string | null; ticket: { id: string } | null }[] };
      return inbox.data.some((n) => n.messageId === note!.id && n.ticket?.id === ticket.id);
    }).toBe(true);
    await hers.close();
  });

  it('shows the ticket tools right to left in Arabic, with nothing left in English', async () => {
    const ticket = await newTicket('المكيف لا يعمل بعد التحديث', 'توقف منظم الحرارة عن الاتصال بعد انقطاع الكهرباء.', 'omar.haddad@example.com', 'عمر حداد', 'ar');
    await page.goto(`${server.url}/tickets/${ticket.id}?lang=ar`);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    // The customer writes Arabic: the suggestions are Arabic articles.
    await page.getByRole('region', { name: ar.suggest.title }).getByRole('link', { name: 'منظم الحرارة غير متصل بعد انقطاع الكهرباء' }).waitFor();
    await page.getByLabel(ar.assign.team, { exact: true }).waitFor();
    await page.getByText(ar.ticket.internalNote, { exact: true }).first().click();
    const editor = page.getByRole('combobox', { name: ar.ticket.noteLabel });
    await editor.click();
    await editor.pressSequentially('@طار');
    const list = page.getByRole('listbox', { name: ar.mention.list });
    await poll(() => list.getByRole('option').allTextContents()).toEqual([expect.stringContaining('طارق الشمري')]);
    // The list opens from the start edge: the right in Arabic.
    const [box, field] = [await list.boundingBox(), await editor.boundingBox()];
    expect(Math.abs(box!.x + box!.width - (field!.x + field!.width))).toBeLessThan(2);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await expectAccessible('ticket tools (ar)');
    expect(await untranslated()).toEqual([]);
    await screenshot('ticket-tools-ar');
    await page.getByRole('button', { name: ar.merge.open }).click();
    await page.getByRole('dialog').getByLabel(ar.merge.search).fill('المكيف');
    await page.getByRole('dialog').getByRole('button', { name: ar.merge.find }).click();
    await poll(() => page.getByRole('dialog').getByRole('radio').count()).toBeGreaterThan(0);
    await expectAccessible('merge dialog (ar)');
    expect(await untranslated()).toEqual([]);
    await screenshot('merge-dialog-ar');
    await page.keyboard.press('Escape');
    await poll(() => page.getByRole('dialog').count()).toBe(0);
  });
});
