/* TruthDesk FMOT dwell snippet: reports the first seconds of contact. Embed with:
 *   <script src="https://your-truthdesk/dwell.js" data-write-key="…" data-event="Product Viewed"
 *           data-product="thermostat-aurora" data-store="athens" async></script>
 * On load it sends the first-contact event; when the page is hidden or left it sends
 * "Page Left" naming that visit with the time spent (dwellMs). Both go through TruthDesk's
 * Segment-compatible ingestion with navigator.sendBeacon (which survives the page going away),
 * under Segment's anonymous id when analytics.js is on the page. */
/* global window, document, navigator, localStorage, fetch, Blob, performance, crypto */
(function () {
  'use strict';
  var s = document.currentScript;
  if (!s) return;
  var url = new URL('/api/v1/public/beacon', s.src).href;
  var writeKey = s.getAttribute('data-write-key') || '';
  function random() { return crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(36).slice(2); }
  function anonymousId() {
    var given = s.getAttribute('data-anonymous-id');
    if (given) return given;
    try {
      var seg = localStorage.getItem('ajs_anonymous_id');
      if (seg) { try { return JSON.parse(seg); } catch { return seg; } }
      var own = localStorage.getItem('td_anonymous_id');
      if (!own) { own = 'td-' + random(); localStorage.setItem('td_anonymous_id', own); }
      return own;
    } catch { return 'td-' + random(); }
  }
  function send(message) {
    message.type = 'track';
    message.anonymousId = anonymousId();
    message.timestamp = new Date().toISOString();
    message.context = { page: { url: window.location.href, referrer: document.referrer }, userAgent: navigator.userAgent };
    var body = JSON.stringify({ writeKey: writeKey, batch: [message] });
    /* text/plain keeps the beacon a simple request: no CORS preflight, nothing to wait for. */
    if (!(navigator.sendBeacon && navigator.sendBeacon(url, new Blob([body], { type: 'text/plain' })))) {
      fetch(url, { method: 'POST', body: body, keepalive: true, headers: { 'content-type': 'text/plain' } }).catch(function () {});
    }
  }
  var visitId = 'v-' + random();
  var started = performance.now();
  var props = { page: window.location.pathname, url: window.location.href, channel: s.getAttribute('data-channel') || 'web' };
  ['product', 'store'].forEach(function (k) { var v = s.getAttribute('data-' + k); if (v) props[k] = v; });
  send({ event: s.getAttribute('data-event') || 'Product Viewed', messageId: visitId, properties: props });
  var left = false;
  function leave() {
    if (left) return;
    left = true;
    send({ event: 'Page Left', messageId: visitId + ':left', properties: { visitId: visitId, dwellMs: Math.round(performance.now() - started) } });
  }
  window.addEventListener('pagehide', leave);
  document.addEventListener('visibilitychange', function () { if (document.visibilityState === 'hidden') leave(); });
})();
