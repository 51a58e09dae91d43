// The root page: sign-in and the newest tickets, in English, Greek or Arabic (RTL). The full
// agent app replaces it with the web-app issue; the API behind it is the same.
import type { FastifyInstance, FastifyRequest } from 'fastify';

type Lang = 'en' | 'el' | 'ar';

const STRINGS: Record<Lang, Record<string, string>> = {
  en: {
    title: 'TruthDesk', signIn: 'Sign in', email: 'E-mail', password: 'Password', wrong: 'The e-mail or password is wrong.',
    tickets: 'Newest tickets', signOut: 'Sign out', api: 'API description', number: 'No.', subject: 'Subject',
    status: 'Status', customer: 'Customer',
  },
  el: {
    title: 'TruthDesk', signIn: 'Σύνδεση', email: 'Ηλεκτρονικό ταχυδρομείο', password: 'Κωδικός πρόσβασης',
    wrong: 'Λάθος ηλεκτρονικό ταχυδρομείο ή κωδικός.', tickets: 'Νεότερα αιτήματα', signOut: 'Αποσύνδεση',
    api: 'Περιγραφή του API', number: 'Αρ.', subject: 'Θέμα', status: 'Κατάσταση', customer: 'Πελάτης',
  },
  ar: {
    title: 'TruthDesk', signIn: 'تسجيل الدخول', email: 'البريد الإلكتروني', password: 'كلمة المرور',
    wrong: 'البريد الإلكتروني أو كلمة المرور غير صحيحة.', tickets: 'أحدث التذاكر', signOut: 'تسجيل الخروج',
    api: 'وصف واجهة البرمجة', number: 'رقم', subject: 'الموضوع', status: 'الحالة', customer: 'العميل',
  },
};

const STATUS_LABELS: Record<Lang, Record<string, string>> = {
  en: { new: 'New', open: 'Open', pending: 'Pending', on_hold: 'On hold', solved: 'Solved', closed: 'Closed' },
  el: { new: 'Νέο', open: 'Ανοιχτό', pending: 'Σε αναμονή πελάτη', on_hold: 'Σε αναμονή', solved: 'Επιλύθηκε', closed: 'Κλειστό' },
  ar: { new: 'جديدة', open: 'مفتوحة', pending: 'بانتظار العميل', on_hold: 'معلّقة', solved: 'محلولة', closed: 'مغلقة' },
};

/** ?lang= wins, then Accept-Language, then English. */
export function pageLanguage(request: FastifyRequest): Lang {
  const query = (request.query as { lang?: string }).lang;
  if (query === 'en' || query === 'el' || query === 'ar') return query;
  const accepted = String(request.headers['accept-language'] ?? '')
    .split(',')
    .map((part) => part.trim().slice(0, 2).toLowerCase());
  return (accepted.find((l) => l === 'en' || l === 'el' || l === 'ar') as Lang | undefined) ?? 'en';
}

export function webRoutes(app: FastifyInstance): void {
  app.get('/', async (request, reply) => {
    const lang = pageLanguage(request);
    const t = STRINGS[lang];
    reply.type('text/html; charset=utf-8');
    reply.header('content-security-policy', "default-src 'self'; script-src 'unsafe-inline' 'self'; style-src 'unsafe-inline' 'self'");
    return `<!doctype html>
<html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}"><head><meta charset="utf-8"><title>${t.title}</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>body{font-family:system-ui,'DejaVu Sans',sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}
label{display:block;margin-block:.5rem}input{display:block;padding:.4rem;min-width:18rem}
table{border-collapse:collapse;width:100%}td,th{border-block-end:1px solid #ddd;padding:.4rem;text-align:start}
[hidden]{display:none}</style></head>
<body><h1>${t.title}</h1>
<form id="login"><h2>${t.signIn}</h2>
<label>${t.email}<input name="email" type="email" autocomplete="username" required></label>
<label>${t.password}<input name="password" type="password" autocomplete="current-password" required></label>
<p id="error" role="alert" hidden>${t.wrong}</p><button>${t.signIn}</button></form>
<section id="inbox" hidden><h2>${t.tickets}</h2><table><thead><tr><th>${t.number}</th><th>${t.subject}</th>
<th>${t.customer}</th><th>${t.status}</th></tr></thead><tbody></tbody></table>
<p><button id="logout">${t.signOut}</button></p></section>
<p><a href="/api/v1/openapi.json">${t.api}</a></p>
<script type="module">
const $ = (s) => document.querySelector(s);
const statusLabels = ${JSON.stringify(STATUS_LABELS[lang])};
async function showInbox() {
  const res = await fetch('/api/v1/tickets?limit=20');
  if (!res.ok) return false;
  const rows = (await res.json()).data.map((t) => {
    const tr = document.createElement('tr');
    for (const v of ['#' + t.number, t.subject, t.customer.name ?? t.customer.email ?? '', statusLabels[t.status] ?? t.status]) {
      const td = document.createElement('td'); td.textContent = v; td.dir = 'auto'; tr.append(td);
    }
    return tr;
  });
  $('#inbox tbody').replaceChildren(...rows);
  $('#inbox').hidden = false; $('#login').hidden = true;
  return true;
}
$('#login').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = new FormData(e.target);
  const res = await fetch('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: form.get('email'), password: form.get('password') }) });
  $('#error').hidden = res.ok;
  if (res.ok) await showInbox();
});
$('#logout').addEventListener('click', async () => {
  await fetch('/api/v1/auth/logout', { method: 'POST' });
  location.reload();
});
showInbox();
</script></body></html>`;
  });
}
