/* TruthDesk review widget. Embed with:
 *   <script src="https://your-truthdesk/reviews.js" data-key="rw_…" data-lang="el" async></script>
 * Shows the workspace's published reviews (in <div data-truthdesk-reviews> if the page has one,
 * else right after the script) and records each review a visitor actually saw (half of it on
 * screen) as a "Review Viewed" touchpoint of the visitor's anonymous id — the one Segment's
 * analytics.js uses when present, so `identify` joins the views to the customer's journey.
 * Views are sent in batches (data-batch-ms, default 400 ms); whatever is still waiting when the
 * page is hidden or left goes with navigator.sendBeacon as text/plain (no CORS preflight).
 * Below the reviews, "Write a review" (data-write="off" leaves it out) sends the visitor's own
 * review, which appears once the workspace approves it. */
/* global window, document, localStorage, navigator, fetch, setTimeout, clearTimeout, Blob, URLSearchParams, IntersectionObserver, crypto */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script) return;
  var key = script.getAttribute('data-key') || '';
  var api = new URL('/api/v1/public/reviews/' + encodeURIComponent(key), script.src).href;
  var T = {
    en: { title: 'What our customers say', stars: '{n} out of 5 stars', by: 'Review by {a}', anon: 'A customer', none: 'No reviews yet.',
      write: 'Write a review', rating: 'Your rating', text: 'Your review', name: 'Your name (optional)', send: 'Send review',
      thanks: 'Thank you! Your review will appear here once it has been checked.', failed: 'Your review could not be sent. Please try again later.', star: '{n} stars', star1: '1 star' },
    el: { title: 'Τι λένε οι πελάτες μας', stars: '{n} από 5 αστέρια', by: 'Κριτική από {a}', anon: 'Ένας πελάτης', none: 'Δεν υπάρχουν ακόμη κριτικές.',
      write: 'Γράψτε μια κριτική', rating: 'Η βαθμολογία σας', text: 'Η κριτική σας', name: 'Το όνομά σας (προαιρετικό)', send: 'Αποστολή κριτικής',
      thanks: 'Ευχαριστούμε! Η κριτική σας θα εμφανιστεί εδώ μόλις ελεγχθεί.', failed: 'Η κριτική σας δεν στάλθηκε. Δοκιμάστε ξανά αργότερα.', star: '{n} αστέρια', star1: '1 αστέρι' },
    ar: { title: 'ماذا يقول عملاؤنا', stars: '{n} من 5 نجوم', by: 'مراجعة من {a}', anon: 'أحد العملاء', none: 'لا توجد مراجعات بعد.',
      write: 'اكتب مراجعة', rating: 'تقييمك', text: 'مراجعتك', name: 'اسمك (اختياري)', send: 'إرسال المراجعة',
      thanks: 'شكراً لك! ستظهر مراجعتك هنا بعد مراجعتها.', failed: 'تعذّر إرسال مراجعتك. يرجى المحاولة لاحقاً.', star: '{n} نجوم', star1: 'نجمة واحدة' }
  };
  var wanted = [script.getAttribute('data-lang'), new URLSearchParams(window.location.search).get('lang')].concat(navigator.languages || [navigator.language]);
  var lang = 'en';
  for (var i = 0; i < wanted.length; i++) {
    var l = String(wanted[i] || '').slice(0, 2).toLowerCase();
    if (T[l]) { lang = l; break; }
  }
  var t = T[lang];

  function store(k, v) { try { if (v === undefined) return localStorage.getItem(k); localStorage.setItem(k, v); } catch { return null; } return v; }
  /* Segment's anonymous id (analytics.js keeps it JSON-encoded), else our own. */
  function anonymousId() {
    var given = script.getAttribute('data-anonymous-id');
    if (given) return given;
    var seg = store('ajs_anonymous_id');
    if (seg) { try { return JSON.parse(seg); } catch { return seg; } }
    var m = document.cookie.match(/(?:^|; )ajs_anonymous_id=([^;]+)/);
    if (m) return decodeURIComponent(m[1]).replace(/^"|"$/g, '');
    return store('td_anonymous_id') || store('td_anonymous_id', 'td-' + random());
  }
  function random() { return crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(36).slice(2); }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var a in attrs) e.setAttribute(a, attrs[a]);
    if (text) e.textContent = text;
    return e;
  }

  var host = document.querySelector('[data-truthdesk-reviews]');
  if (!host) { host = el('div', { 'data-truthdesk-reviews': '' }); script.parentNode.insertBefore(host, script.nextSibling); }
  var root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;
  var css = ':host{display:block}.td{font:15px/1.5 system-ui,"DejaVu Sans",sans-serif;color:#1d2330;max-width:60rem}' +
    'h2{font-size:1.2rem;margin:0 0 .75rem}ul{list-style:none;margin:0;padding:0;display:grid;gap:.75rem;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr))}' +
    'article{border:1px solid #c9cfdb;border-radius:.5rem;padding:.75rem 1rem;background:#fff}.s{color:#8a5a00;margin:0;letter-spacing:.1em}' +
    'blockquote{margin:.4rem 0}footer{color:#4b5565;font-size:.875rem}' +
    'details{margin-top:1rem}summary{cursor:pointer;font-weight:600}form{display:grid;gap:.6rem;max-width:32rem;margin-top:.6rem}' +
    'fieldset{border:0;margin:0;padding:0;display:flex;gap:.75rem;flex-wrap:wrap}legend{font-weight:600;margin-bottom:.3rem}' +
    'label{display:grid;gap:.2rem}fieldset label{display:inline-flex;gap:.3rem;align-items:center}textarea,input[type=text]{font:inherit;padding:.4rem;border:1px solid #6b7385;border-radius:.3rem}' +
    'button{font:inherit;padding:.45rem .9rem;border-radius:.3rem;border:1px solid #1f4fbf;background:#1f4fbf;color:#fff;justify-self:start;cursor:pointer}' +
    ':focus-visible{outline:3px solid #1f4fbf;outline-offset:2px}';
  var box = el('section', { 'class': 'td', dir: lang === 'ar' ? 'rtl' : 'ltr', lang: lang, 'aria-labelledby': 'td-rv-h' });
  box.appendChild(el('h2', { id: 'td-rv-h' }, t.title));
  var style = el('style', {}, css);
  root.appendChild(style);
  root.appendChild(box);

  var pageViewId = random().replace(/[^A-Za-z0-9_-]/g, '').slice(0, 40);
  var pending = [];
  var sent = {};
  var timer = null;
  function flush(leaving) {
    timer = null;
    while (pending.length) {
      var body = JSON.stringify({ anonymousId: anonymousId(), reviewIds: pending.splice(0, 20), pageViewId: pageViewId, page: window.location.href.slice(0, 500), lang: lang });
      /* Leaving the page: a text/plain beacon (a simple request, no CORS preflight) survives it. */
      if (leaving === true && navigator.sendBeacon && navigator.sendBeacon(api + '/views', new Blob([body], { type: 'text/plain' }))) continue;
      fetch(api + '/views', { method: 'POST', keepalive: true, headers: { 'content-type': 'application/json' }, body: body })
        .catch(function () { /* a lost view is only a lost statistic */ });
    }
  }
  function seen(id) {
    if (sent[id]) return;
    sent[id] = true;
    pending.push(id);
    if (!timer) timer = setTimeout(flush, Number(script.getAttribute('data-batch-ms')) || 400);
  }
  function leave() { clearTimeout(timer); flush(true); }
  window.addEventListener('pagehide', leave);
  document.addEventListener('visibilitychange', function () { if (document.visibilityState === 'hidden') leave(); });

  fetch(api + '?lang=' + lang + '&limit=' + (Number(script.getAttribute('data-limit')) || 6)).then(function (r) {
    if (!r.ok) throw new Error('reviews ' + r.status);
    return r.json();
  }).then(function (data) {
    if (!data.reviews.length) { box.appendChild(el('p', {}, t.none)); if (script.getAttribute('data-write') !== 'off') box.appendChild(writeForm()); return; }
    var list = el('ul', { role: 'list' });
    var date = new Intl.DateTimeFormat(lang, { dateStyle: 'medium' });
    var io = window.IntersectionObserver ? new IntersectionObserver(function (entries) {
      entries.forEach(function (e) { if (e.isIntersecting) { seen(e.target.getAttribute('data-id')); io.unobserve(e.target); } });
    }, { threshold: 0.5 }) : null;
    data.reviews.forEach(function (r) {
      var author = r.author || t.anon;
      var art = el('article', { 'aria-label': t.by.replace('{a}', author), 'data-id': r.id });
      if (r.rating) {
        var n = Math.round(r.rating);
        art.appendChild(el('p', { 'class': 's', role: 'img', 'aria-label': t.stars.replace('{n}', n) }, '★★★★★'.slice(0, n) + '☆☆☆☆☆'.slice(0, 5 - n)));
      }
      var q = el('blockquote', { lang: r.lang, dir: 'auto' });
      q.appendChild(el('p', {}, r.text));
      art.appendChild(q);
      var foot = el('footer');
      foot.appendChild(el('bdi', {}, author));
      foot.appendChild(document.createTextNode(' · '));
      var time = el('bdi');
      time.appendChild(el('time', { datetime: r.publishedAt }, date.format(new Date(r.publishedAt))));
      foot.appendChild(time);
      art.appendChild(foot);
      var li = el('li');
      li.appendChild(art);
      list.appendChild(li);
      if (io) io.observe(art); else seen(r.id);
    });
    box.appendChild(list);
    if (script.getAttribute('data-write') !== 'off') box.appendChild(writeForm());
  }).catch(function () { host.hidden = true; });

  /* "Write a review": the visitor's review goes to the workspace for moderation (it shows once
   * an admin approves it) and is the visitor's ultimate moment of truth in their journey. */
  function writeForm() {
    var details = el('details');
    details.appendChild(el('summary', {}, t.write));
    var form = el('form', { novalidate: '' });
    var stars = el('fieldset');
    stars.appendChild(el('legend', {}, t.rating));
    for (var n = 5; n >= 1; n--) {
      var label = el('label');
      var radio = el('input', { type: 'radio', name: 'rating', value: String(n), required: '' });
      label.appendChild(radio);
      label.appendChild(el('span', {}, n === 1 ? t.star1 : t.star.replace('{n}', n)));
      stars.appendChild(label);
    }
    form.appendChild(stars);
    var textLabel = el('label', {}, t.text);
    var text = el('textarea', { name: 'text', rows: '4', maxlength: '2000', required: '', dir: 'auto' });
    textLabel.appendChild(text);
    form.appendChild(textLabel);
    var nameLabel = el('label', {}, t.name);
    var name = el('input', { type: 'text', name: 'author', maxlength: '80', autocomplete: 'name', dir: 'auto' });
    nameLabel.appendChild(name);
    form.appendChild(nameLabel);
    var send = el('button', { type: 'submit' }, t.send);
    form.appendChild(send);
    var status = el('p', { role: 'status' });
    form.appendChild(status);
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var chosen = form.querySelector('input[name=rating]:checked');
      if (!chosen) { stars.querySelector('input').focus(); return; }
      if (text.value.trim().length < 3) { text.focus(); return; }
      send.disabled = true;
      var body = { anonymousId: anonymousId(), rating: Number(chosen.value), text: text.value.trim(), lang: lang };
      if (name.value.trim()) body.author = name.value.trim();
      fetch(api, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(function (r) {
        if (r.status !== 202) throw new Error('review ' + r.status);
        form.replaceChildren(el('p', { role: 'status' }, t.thanks));
      }).catch(function () { status.textContent = t.failed; send.disabled = false; });
    });
    details.appendChild(form);
    return details;
  }
})();
