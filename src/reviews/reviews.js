/* TruthDesk review widget. Embed with:
 *   <script src="https://your-truthdesk/reviews.js" data-key="rw_…" data-lang="el" async></script>
 * Shows the workspace's published reviews (in <div data-truthdesk-reviews> if the page has one,
 * else right after the script) and records each review a visitor actually saw (half of it on
 * screen) as a "Review Viewed" touchpoint of the visitor's anonymous id — the one Segment's
 * analytics.js uses when present, so `identify` joins the views to the customer's journey.
 * Views are sent in batches (data-batch-ms, default 400 ms); whatever is still waiting when the
 * page is hidden or left goes with navigator.sendBeacon as text/plain (no CORS preflight). */
/* global window, document, localStorage, navigator, fetch, setTimeout, clearTimeout, Blob, URLSearchParams, IntersectionObserver, crypto */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script) return;
  var key = script.getAttribute('data-key') || '';
  var api = new URL('/api/v1/public/reviews/' + encodeURIComponent(key), script.src).href;
  var T = {
    en: { title: 'What our customers say', stars: '{n} out of 5 stars', by: 'Review by {a}', anon: 'A customer', none: 'No reviews yet.' },
    el: { title: 'Τι λένε οι πελάτες μας', stars: '{n} από 5 αστέρια', by: 'Κριτική από {a}', anon: 'Ένας πελάτης', none: 'Δεν υπάρχουν ακόμη κριτικές.' },
    ar: { title: 'ماذا يقول عملاؤنا', stars: '{n} من 5 نجوم', by: 'مراجعة من {a}', anon: 'أحد العملاء', none: 'لا توجد مراجعات بعد.' }
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
    'blockquote{margin:.4rem 0}footer{color:#4b5565;font-size:.875rem}';
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
    if (!data.reviews.length) { box.appendChild(el('p', {}, t.none)); return; }
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
  }).catch(function () { host.hidden = true; });
})();
