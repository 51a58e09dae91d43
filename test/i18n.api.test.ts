// Greek and Arabic are first-class: what is sent comes back exactly (as NFC), HTML is made
// safe without mangling the text, and search finds words however they are accented or typed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';
import { seedText } from './support/seeds.ts';

function seedLines(prefix: string): string[] {
  return seedText(prefix).split('\n').map((l) => l.trim()).filter(Boolean);
}
function line(lines: string[], containing: string): string {
  const found = lines.find((l) => l.includes(containing));
  if (!found) throw new Error(`no seed line contains ${containing}`);
  return found;
}

const greek = seedLines('000_');
const arabic = seedLines('003_');
// "Τι είναι μια στιγμή αλήθειας;" and the sentence that defines it.
const GREEK_SUBJECT = line(greek, 'Τι είναι μια στιγμή αλήθειας;');
const GREEK_BODY = [line(greek, 'Η στιγμή της αλήθειας είναι μια έννοια'), line(greek, 'Μηδενική στιγμή αλήθειας (ZMOT)')].join('\n\n');
// "ما هى لحظة الحقيقة؟" and sentences with أ, إ, آ, ة and ى in them.
const ARABIC_SUBJECT = line(arabic, 'ما هى لحظة الحقيقة؟');
const ARABIC_BODY = [line(arabic, 'الى أي نقطة من التواصل'), line(arabic, 'قم بإنشاء'), line(arabic, 'آفاقًا جديدة')].join('\n\n');

interface Ticket {
  id: string;
  subject: string;
  customer: { id: string; name: string | null; email: string | null };
}
interface Message {
  id: string;
  text: string;
  html: string;
}

describe.each(availableBackends())('Greek and Arabic on %s', (kind) => {
  let api: TestApi;
  let ws: TestWorkspace;
  let token: string;
  let greekTicket: Ticket;
  let arabicTicket: Ticket;
  let englishTicket: Ticket;

  const createTicket = async (body: Record<string, unknown>): Promise<Ticket> => {
    const res = await api.request(token, 'POST', '/api/v1/tickets', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const messagesOf = async (ticketId: string): Promise<Message[]> => {
    const res = await api.request(token, 'GET', `/api/v1/tickets/${ticketId}/messages`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data;
  };
  const search = async (q: string): Promise<string[]> => {
    const res = await api.request(token, 'GET', `/api/v1/tickets?q=${encodeURIComponent(q)}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data.map((t: Ticket) => t.id);
  };
  const searchCustomers = async (q: string): Promise<Array<{ id: string; name: string }>> => {
    const res = await api.request(token, 'GET', `/api/v1/customers?q=${encodeURIComponent(q)}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data;
  };

  beforeAll(async () => {
    api = await startTestApi(kind);
    ws = await api.createWorkspace('Babel');
    token = ws.tokens.agent;
    greekTicket = await createTicket({
      subject: GREEK_SUBJECT,
      customer: { email: 'giorgos@example.gr', name: 'Γιώργος Παπαδόπουλος', locale: 'el' },
      channel: 'email',
      message: GREEK_BODY,
    });
    arabicTicket = await createTicket({
      subject: ARABIC_SUBJECT,
      customer: { email: 'fatima@example.sa', name: 'فاطمة الزهراء', locale: 'ar' },
      channel: 'chat',
      message: ARABIC_BODY,
    });
    englishTicket = await createTicket({
      subject: 'Moment of truth in English',
      customer: { email: 'jane@example.com', name: 'Jane Doe' },
      message: 'A plain English message about the moment of truth.',
    });
  });
  afterAll(async () => api?.close());

  describe('round trip', () => {
    it('returns Greek and Arabic subjects, names and messages exactly as sent', async () => {
      for (const [ticket, subject, name, body] of [
        [greekTicket, GREEK_SUBJECT, 'Γιώργος Παπαδόπουλος', GREEK_BODY],
        [arabicTicket, ARABIC_SUBJECT, 'فاطمة الزهراء', ARABIC_BODY],
      ] as const) {
        expect(ticket.subject).toBe(subject);
        expect(ticket.customer.name).toBe(name);
        const fetched = await api.request(token, 'GET', `/api/v1/tickets/${ticket.id}`);
        expect(fetched.json().subject).toBe(subject);
        expect(fetched.json().customer.name).toBe(name);
        const [message] = await messagesOf(ticket.id);
        expect(message?.text).toBe(body);
        // The HTML shows the same words, paragraph by paragraph, and lets Arabic run right-to-left.
        for (const paragraph of body.split('\n\n')) expect(message?.html).toContain(`<p dir="auto">${paragraph}</p>`);
        const customer = await api.request(token, 'GET', `/api/v1/customers/${ticket.customer.id}`);
        expect(customer.json().name).toBe(name);
      }
    });

    it('keeps Arabic tashkeel in stored text (only search ignores it), in canonical order', async () => {
      // Shadda typed before fatha: NFC puts fatha (class 30) before shadda (class 33).
      const typed = 'مُحَم\u0651\u064eدٌ: لَحْظَةُ الْحَقِيقَةِ';
      const expected = typed.normalize('NFC');
      expect(expected).not.toBe(typed);
      const ticket = await createTicket({ subject: typed, customer: { email: 'muhammad@example.sa', name: typed }, message: typed });
      expect(ticket.subject).toBe(expected);
      expect(ticket.customer.name).toBe(expected);
      expect((await messagesOf(ticket.id)).map((m) => m.text)).toEqual([expected]);
    });

    it('stores decomposed (NFD) Greek as NFC everywhere', async () => {
      const nfd = (s: string) => s.normalize('NFD');
      const subject = 'Η στιγμή της αλήθειας';
      const name = 'Ελένη Καραγιάννη';
      const body = line(greek, 'Η πρώτη στιγμή της αλήθειας αναφέρεται');
      expect(nfd(subject)).not.toBe(subject);
      const ticket = await createTicket({ subject: nfd(subject), customer: { email: 'eleni@example.gr', name: nfd(name) }, message: nfd(body) });
      expect(ticket.subject).toBe(subject);
      expect(ticket.customer.name).toBe(name);
      const fetched = (await api.request(token, 'GET', `/api/v1/tickets/${ticket.id}`)).json();
      expect(fetched.subject).toBe(subject);
      expect(fetched.customer.name).toBe(name);
      expect((await messagesOf(ticket.id))[0]?.text).toBe(body);

      const patched = await api.request(token, 'PATCH', `/api/v1/tickets/${ticket.id}`, { subject: nfd('στιγμή') });
      expect(patched.json().subject).toBe('στιγμή');

      const reply = await api.request(token, 'POST', `/api/v1/tickets/${ticket.id}/messages`, { body: nfd(body) });
      expect(reply.statusCode, reply.body).toBe(201);
      expect(reply.json().message.text).toBe(body);

      // An HTML body is normalised too: its text and its HTML.
      const html = await api.request(token, 'POST', `/api/v1/tickets/${ticket.id}/messages`, { html: `<p>${nfd('στιγμή αλήθειας')}</p>` });
      expect(html.statusCode, html.body).toBe(201);
      expect(html.json().message.html).toBe('<p>στιγμή αλήθειας</p>');
      expect(html.json().message.text).toBe('στιγμή αλήθειας');
      const customer = await api.request(token, 'POST', '/api/v1/customers', { email: 'nikos@example.gr', name: nfd('Νίκος Ζαφειρίου'), company: nfd('Ελληνικά Ταχυδρομεία') });
      expect(customer.statusCode, customer.body).toBe(201);
      expect(customer.json().name).toBe('Νίκος Ζαφειρίου');
      expect(customer.json().company.name).toBe('Ελληνικά Ταχυδρομεία');

      const list = await messagesOf(ticket.id);
      for (const m of list) {
        expect(m.text).toBe(m.text.normalize('NFC'));
        expect(m.html).toBe(m.html.normalize('NFC'));
      }

      // The text of an HTML body is NFC even when the accent arrives as a character reference.
      const entity = await api.request(token, 'POST', `/api/v1/tickets/${ticket.id}/messages`, { kind: 'note', html: '<p>στιγμη&#769;</p>' });
      expect(entity.statusCode, entity.body).toBe(201);
      expect(entity.json().message.text).toBe('στιγμή');
    });

    it('lists every message of a conversation with its body exactly, oldest first', async () => {
      const ticket = await createTicket({ subject: ARABIC_SUBJECT, customer: { email: 'fatima@example.sa' }, message: arabic[1] });
      const bodies = [greek[2], arabic[3], `${greek[4]}\n${arabic[4]}`, 'Mixed: στιγμή / لحظة / moment'];
      for (const [i, body] of bodies.entries()) {
        const res = await api.request(token, 'POST', `/api/v1/tickets/${ticket.id}/messages`, { body, kind: i % 2 ? 'note' : 'reply' });
        expect(res.statusCode, res.body).toBe(201);
      }
      expect((await messagesOf(ticket.id)).map((m) => m.text)).toEqual([arabic[1], ...bodies]);
      // The same customer (by e-mail) keeps the name first given.
      expect(ticket.customer.name).toBe('فاطمة الزهراء');
    });
  });

  describe('HTML safety', () => {
    it('escapes markup sent as plain text, and keeps the text as typed', async () => {
      const body = 'Δοκιμή <script>alert(1)</script> & "quotes" <b>not bold</b>';
      const res = await api.request(token, 'POST', `/api/v1/tickets/${greekTicket.id}/messages`, { body, kind: 'note' });
      expect(res.statusCode, res.body).toBe(201);
      const message: Message = res.json().message;
      expect(message.text).toBe(body);
      expect(message.html).not.toContain('<script');
      expect(message.html).not.toContain('<b>');
      expect(message.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(message.html).toContain('&amp; &quot;quotes&quot;');
      expect(message.html).toContain('Δοκιμή');
    });

    it('sanitises HTML: scripts, event handlers and javascript: links go, formatting stays', async () => {
      const html =
        '<p dir="rtl">لحظة <b>الحقيقة</b></p>' +
        '<script>alert(1)</script>' +
        '<img src="https://cdn.example.com/x.png" onerror="alert(2)">' +
        '<a href="javascript:alert(3)">κλικ</a> ' +
        '<a href="JaVaScRiPt:alert(4)">again</a> ' +
        '<a href="https://example.gr/">ασφαλές</a>' +
        '<div onclick="alert(5)" style="color:red">στιγμή</div>' +
        '<iframe src="https://evil.example"></iframe>';
      const res = await api.request(token, 'POST', `/api/v1/tickets/${arabicTicket.id}/messages`, { html });
      expect(res.statusCode, res.body).toBe(201);
      const message: Message = res.json().message;
      for (const bad of ['<script', 'alert(1)', 'onerror', 'onclick', 'javascript:', 'JaVaScRiPt', '<iframe', 'style=']) {
        expect(message.html.toLowerCase()).not.toContain(bad.toLowerCase());
      }
      expect(message.html).toContain('<b>الحقيقة</b>');
      expect(message.html).toContain('<p dir="rtl">');
      expect(message.html).toContain('src="https://cdn.example.com/x.png"');
      expect(message.html).toContain('href="https://example.gr/"');
      // Links open in a new tab without handing the opener or referrer to the linked site.
      expect(message.html).toMatch(/<a href="https:\/\/example.gr\/" rel="noopener noreferrer nofollow" target="_blank">/);
      expect(message.html).toContain('κλικ');
      expect(message.text).toContain('لحظة الحقيقة');
      expect(message.text).toContain('ασφαλές');
      expect(message.text).not.toContain('alert');
      // What is stored is what was returned.
      const stored = (await messagesOf(arabicTicket.id)).find((m) => m.id === message.id);
      expect(stored?.html).toBe(message.html);
    });
  });

  describe('search', () => {
    it('finds the Greek ticket whatever the accents, case or final sigma', async () => {
      for (const q of ['στιγμη αληθειας', 'ΣΤΙΓΜΗ ΑΛΗΘΕΙΑΣ', 'στιγμή αλήθειας', 'Στιγμή Αλήθειας', 'στιγμη αληθειασ', 'ΣΤΙΓΜΉ ΑΛΉΘΕΙΑΣ']) {
        const found = await search(q);
        expect(found, q).toContain(greekTicket.id);
        expect(found, q).not.toContain(arabicTicket.id);
        expect(found, q).not.toContain(englishTicket.id);
      }
      // Words only in the message body are found too.
      expect(await search('εννοια μαρκετινγκ')).toContain(greekTicket.id);
      expect(await search('ΜΗΔΕΝΙΚΗ ΣΤΙΓΜΗ')).toContain(greekTicket.id);
      // And a Greek word that is in no ticket finds nothing.
      expect(await search('καλημέρα')).toEqual([]);
    });

    it('finds the Arabic ticket with or without tashkeel and whatever the alef, ta marbuta or ya form', async () => {
      const queries = [
        'لحظة الحقيقة', // as written
        'لَحْظَةُ الْحَقِيقَةِ', // with tashkeel
        'لحظه الحقيقه', // ة typed as ه
        'لحـــظة الحقـيقة', // with tatweel
        'إلى أي نقطة', // hamza forms where the text has none (الى) and has one (أي)
        'الى اي نقطه', // no hamza at all
        'آلى أى نقطة', // madda, alef maqsura for ya
        'بانشاء', // the text has بإنشاء
        'افاقا جديده', // the text has آفاقًا جديدة
        'آفاقاً', // tanween placed on the alef
        'ما هي لحظة', // the text has هى (alef maqsura)
      ];
      for (const q of queries) {
        const found = await search(q);
        expect(found, q).toContain(arabicTicket.id);
        expect(found, q).not.toContain(greekTicket.id);
        expect(found, q).not.toContain(englishTicket.id);
      }
      expect(await search('مرحبا بالعالم')).toEqual([]);
    });

    it('finds Greek text written in a reply, not only in the first message', async () => {
      const ticket = await createTicket({ subject: 'Follow-up', customer: { email: 'reply@example.gr' }, message: 'Hello' });
      expect(await search('ενσωματωση πελατων')).not.toContain(ticket.id);
      const reply = await api.request(token, 'POST', `/api/v1/tickets/${ticket.id}/messages`, { body: line(greek, 'Ενσωμάτωση πελατών B2B') });
      expect(reply.statusCode).toBe(201);
      expect(await search('ΕΝΣΩΜΑΤΩΣΗ ΠΕΛΑΤΩΝ')).toContain(ticket.id);
    });

    it('finds customers by an unaccented, lower-case or differently spelled name', async () => {
      const greekCustomer = greekTicket.customer.id;
      for (const q of ['γιωργος', 'παπαδοπουλος', 'ΓΙΏΡΓΟΣ ΠΑΠΑΔΌΠΟΥΛΟΣ', 'Γιώργος Παπαδόπουλος', 'γιωργοσ']) {
        const found = await searchCustomers(q);
        expect(found.map((c) => c.id), q).toEqual([greekCustomer]);
        expect(found[0]?.name).toBe('Γιώργος Παπαδόπουλος');
      }
      for (const q of ['فاطمه', 'فَاطِمَة', 'الزهراء', 'فاطمة الزهراء']) {
        const found = await searchCustomers(q);
        expect(found.map((c) => c.id), q).toEqual([arabicTicket.customer.id]);
      }
      expect(await searchCustomers('ελένη')).toHaveLength(1);
      expect(await searchCustomers('μαρία')).toEqual([]);
    });
  });
});
