/// <reference lib="dom" />
// The chat widget in real Chromium, embedded on a shop page served from another loopback
// origin: in Arabic it is right-to-left, a visitor's message becomes a chat ticket, the agent's
// reply appears in the widget live, a reload resumes the conversation, and when the chat is
// solved the widget asks the survey inline and sends the answer.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi } from '../support/api.ts';
import type { TestApi, TestWorkspace } from '../support/api.ts';
import { launchBrowser } from '../support/browser.ts';
import { connectWs, signedInAgent, wsUrl } from '../support/ws.ts';
import type { TestSocket } from '../support/ws.ts';

describe('chat widget in Chromium', () => {
  let api: TestApi;
  let truthdesk: string;
  let shop: Server;
  let shopUrl: string;
  let browser: Browser;
  let aurora: TestWorkspace;
  let agentCookie: string;
  let agentSocket: TestSocket;
  let key: string;
  const shots = mkdtempSync(join(tmpdir(), 'truthdesk-widget-shots-'));

  beforeAll(async () => {
    api = await startTestApi('pglite');
    truthdesk = await api.app.listen({ port: 0, host: '127.0.0.1' });
    aurora = await api.createWorkspace('Aurora');
    key = (await api.request(aurora.tokens.admin, 'POST', '/api/v1/chat/widgets', { name: 'Shop' })).json().publicKey;
    agentCookie = (await signedInAgent(api.request, aurora.tokens.owner, { email: 'layla@aurora.example.com', name: 'ليلى' })).cookie;
    // A CSAT survey after every solved ticket: in the widget it is asked inline.
    const survey = await api.request(aurora.tokens.owner, 'POST', '/api/v1/surveys', { name: 'CSAT', type: 'csat', trigger: 'ticket_solved', delayMinutes: 60, throttleDays: 0 });
    expect(survey.statusCode).toBe(201);
    agentSocket = await connectWs(wsUrl(truthdesk, '/api/v1/realtime'), { cookie: agentCookie });
    await agentSocket.waitFor((m) => m.type === 'ready');
    // The customer's own site, on another origin, embedding the snippet from the README.
    shop = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(
        `<!doctype html><html><head><meta charset="utf-8"><title>متجر</title></head>` +
          `<body style="font-family:'DejaVu Sans'"><h1>متجر الأجهزة المنزلية</h1>` +
          `<script src="${truthdesk}/widget.js" data-key="${key}" data-lang="ar" async></script></body></html>`,
      );
    });
    await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
    const address = shop.address();
    shopUrl = `http://localhost:${typeof address === 'object' && address ? address.port : 0}/`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await agentSocket?.close();
    await new Promise((resolve) => shop?.close(resolve));
    await api?.close();
  });

  it('chats in Arabic, right to left: the message becomes a ticket and the agent’s reply shows up live', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 640 } });
    await page.goto(shopUrl);
    const launcher = page.getByRole('button', { name: 'فتح المحادثة' });
    await launcher.waitFor();
    expect(await page.locator('[data-truthdesk-widget] .td').getAttribute('dir')).toBe('rtl');
    const box = await launcher.boundingBox();
    expect(box && box.x + box.width / 2).toBeLessThan(450); // bottom-left corner in RTL

    await launcher.click();
    const dialog = page.getByRole('dialog', { name: 'تحدث معنا' });
    await dialog.waitFor();
    const input = page.getByLabel('رسالتك');
    await expect.poll(() => input.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    const question = 'مرحباً، منظم الحرارة لا يتصل بالشبكة منذ الأمس.';
    await input.fill(question);
    await input.press('Enter');

    const created = await agentSocket.waitFor((m) => m.type === 'event' && (m.event as { type: string }).type === 'ticket.created', 10_000);
    const ticketId = (created.event as { data: { ticketId: string } }).data.ticketId;
    const ticket = (await api.request(aurora.tokens.agent, 'GET', `/api/v1/tickets/${ticketId}`)).json();
    expect(ticket).toMatchObject({ channel: 'chat', status: 'new' });
    await expect.poll(async () => (await api.request(aurora.tokens.agent, 'GET', `/api/v1/tickets/${ticketId}/messages`)).json().data.map((m: { text: string }) => m.text)).toEqual([question]);

    agentSocket.send({ type: 'presence', ticketId, activity: 'typing' });
    await page.getByText('أحد موظفي الدعم يكتب…').waitFor();
    const answer = 'أهلاً بك! جرّب إعادة تشغيل الموجه من فضلك.';
    await api.request(undefined, 'POST', `/api/v1/tickets/${ticketId}/messages`, { kind: 'reply', body: answer }, { cookie: agentCookie });
    const log = page.getByRole('log');
    await log.getByText(answer).waitFor({ timeout: 10_000 });
    expect(await log.textContent()).toContain(question);
    await page.screenshot({ path: join(shots, 'widget-ar.png') });

    // A reload finds the visitor token in localStorage and resumes the same conversation.
    await page.reload();
    await page.getByRole('button', { name: 'فتح المحادثة' }).click();
    await page.getByRole('log').getByText(answer).waitFor();
    expect(await page.getByRole('log').textContent()).toContain(question);
    // Escape closes the dialog and gives focus back to the launcher.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);

    // The agent solves the chat: the widget asks the survey inline, in Arabic, and takes the answer.
    expect((await api.request(aurora.tokens.agent, 'PATCH', `/api/v1/tickets/${ticketId}`, { status: 'solved' })).statusCode).toBe(200);
    await page.getByRole('button', { name: 'فتح المحادثة' }).click();
    const group = page.getByRole('group', { name: 'ما مدى رضاك عن الدعم الذي تلقيته؟' });
    await group.waitFor({ timeout: 10_000 });
    expect(await group.getByRole('radio').count()).toBe(5);
    await page.getByRole('button', { name: 'إرسال الإجابة' }).click();
    await page.getByText('يُرجى اختيار إجابة.').waitFor();
    await group.getByRole('radio', { name: '4', exact: true }).check();
    await page.locator('[data-truthdesk-widget] .survey textarea').fill('حل سريع، شكرًا');
    await page.screenshot({ path: join(shots, 'widget-survey-form-ar.png') });
    await page.getByRole('button', { name: 'إرسال الإجابة' }).click();
    await page.getByText('شكرًا على إجابتك.').waitFor();
    await expect.poll(() => group.isVisible()).toBe(false);
    const surveys = (await api.request(aurora.tokens.owner, 'GET', '/api/v1/surveys')).json().data;
    const responses = (await api.request(aurora.tokens.owner, 'GET', `/api/v1/surveys/${surveys[0].id}/responses`)).json().data;
    expect(responses).toEqual([expect.objectContaining({ ticketId, score: 4, comment: 'حل سريع، شكرًا', channel: 'chat', locale: 'ar' })]);
    await page.screenshot({ path: join(shots, 'widget-survey-ar.png') });
    console.info(`widget screenshots: ${join(shots, 'widget-ar.png')}, ${join(shots, 'widget-survey-ar.png')}`);
    await page.close();
  });
});
