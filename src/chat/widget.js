/* TruthDesk chat widget. Embed with:
 *   <script src="https://your-truthdesk/widget.js" data-key="cw_…" data-lang="el" async></script>
 * Plain JavaScript, no framework. Talks to TruthDesk over a WebSocket, reconnects with backoff
 * and resumes the conversation with a visitor token kept in localStorage. */
/* global window, document, localStorage, WebSocket, navigator, setTimeout, clearTimeout, URLSearchParams */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || window.__truthdeskWidget) return;
  window.__truthdeskWidget = true;
  var key = script.getAttribute('data-key') || '';
  var base = new URL(script.src, window.location.href);
  var T = {
    en: { title: 'Chat with us', open: 'Open chat', close: 'Close chat', input: 'Your message', placeholder: 'Type your message…', send: 'Send', typing: 'An agent is typing…', awayTitle: 'We are away right now', awayIntro: 'Leave a message and we will answer by email.', name: 'Name', email: 'Email', message: 'Message', submit: 'Send message', thanks: 'Thank you! We received your message (ticket #{n}).', reconnecting: 'Reconnecting…', you: 'You', agent: 'Support', log: 'Conversation', welcome: 'Hello! How can we help?', wait: 'Too many messages: please wait {s} s.', sSend: 'Send answer', sThanks: 'Thank you for your answer.', sPick: 'Please choose an answer.' },
    el: { title: 'Συνομιλήστε μαζί μας', open: 'Άνοιγμα συνομιλίας', close: 'Κλείσιμο συνομιλίας', input: 'Το μήνυμά σας', placeholder: 'Γράψτε το μήνυμά σας…', send: 'Αποστολή', typing: 'Ένας εκπρόσωπος πληκτρολογεί…', awayTitle: 'Δεν είμαστε διαθέσιμοι αυτή τη στιγμή', awayIntro: 'Αφήστε μας μήνυμα και θα σας απαντήσουμε με email.', name: 'Όνομα', email: 'Email', message: 'Μήνυμα', submit: 'Αποστολή μηνύματος', thanks: 'Ευχαριστούμε! Λάβαμε το μήνυμά σας (αίτημα #{n}).', reconnecting: 'Επανασύνδεση…', you: 'Εσείς', agent: 'Υποστήριξη', log: 'Συνομιλία', welcome: 'Γεια σας! Πώς μπορούμε να βοηθήσουμε;', wait: 'Πολλά μηνύματα: περιμένετε {s} δευτ.', sSend: 'Αποστολή απάντησης', sThanks: 'Σας ευχαριστούμε για την απάντησή σας.', sPick: 'Παρακαλούμε επιλέξτε μια απάντηση.' },
    ar: { title: 'تحدث معنا', open: 'فتح المحادثة', close: 'إغلاق المحادثة', input: 'رسالتك', placeholder: 'اكتب رسالتك…', send: 'إرسال', typing: 'أحد موظفي الدعم يكتب…', awayTitle: 'نحن غير متاحين الآن', awayIntro: 'اترك رسالة وسنرد عليك بالبريد الإلكتروني.', name: 'الاسم', email: 'البريد الإلكتروني', message: 'الرسالة', submit: 'إرسال الرسالة', thanks: 'شكراً لك! استلمنا رسالتك (تذكرة رقم {n}).', reconnecting: 'جارٍ إعادة الاتصال…', you: 'أنت', agent: 'الدعم', log: 'المحادثة', welcome: 'مرحباً! كيف يمكننا مساعدتك؟', wait: 'رسائل كثيرة: يرجى الانتظار {s} ثانية.', sSend: 'إرسال الإجابة', sThanks: 'شكرًا على إجابتك.', sPick: 'يُرجى اختيار إجابة.' }
  };
  function pickLang() {
    var wanted = [script.getAttribute('data-lang'), new URLSearchParams(window.location.search).get('lang')]
      .concat(navigator.languages || [navigator.language]);
    for (var i = 0; i < wanted.length; i++) {
      var l = String(wanted[i] || '').slice(0, 2).toLowerCase();
      if (T[l]) return l;
    }
    return 'en';
  }
  var lang = pickLang();
  var t = T[lang];
  var rtl = lang === 'ar';
  var storeKey = 'truthdesk:' + key + ':visitor';
  var outbox = [];
  var seen = {};
  var ws = null;
  var ready = false;
  var attempt = 0;
  var online = true;
  var hasConversation = false;
  var offlineSent = false;
  var typingTimer = null;
  var lastTypingSent = 0;

  var host = document.createElement('div');
  host.setAttribute('data-truthdesk-widget', '');
  document.body.appendChild(host);
  var root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;
  root.innerHTML =
    '<style>' +
    ':host{all:initial}' +
    '.td{position:fixed;bottom:20px;' + (rtl ? 'left' : 'right') + ':20px;z-index:2147483000;font:15px/1.4 system-ui,"DejaVu Sans",sans-serif;color:#1d232f}' +
    '.launch{background:#2457c5;color:#fff;border:0;border-radius:24px;padding:12px 18px;font:inherit;cursor:pointer}' +
    '.panel{width:320px;max-width:calc(100vw - 40px);height:440px;background:#fff;border:1px solid #c8cfdc;border-radius:10px;box-shadow:0 6px 24px rgba(0,0,0,.18);display:flex;flex-direction:column;overflow:hidden}' +
    '.panel[hidden],.away[hidden],.chat[hidden],.status[hidden],.typing[hidden],.survey[hidden],.s-thanks[hidden]{display:none}' +
    '.survey{display:block;padding:8px 10px;border-top:1px solid #e3e6ec}.survey fieldset{border:0;margin:0;padding:0;min-width:0}.survey>label{margin-top:4px}.survey legend{font-weight:600;padding:0}' +
    '.s-scale{display:flex;flex-wrap:wrap;justify-content:space-between;gap:2px 6px}.s-scale label{display:inline-flex;gap:2px;font-size:14px}.s-ends{display:flex;justify-content:space-between;font-size:12px;color:#4b5566}' +
    '.survey textarea{width:100%;box-sizing:border-box;height:38px;resize:none}.s-thanks{padding:6px 12px;margin:0}' +
    'header{display:flex;justify-content:space-between;align-items:center;background:#2457c5;color:#fff;padding:10px 12px}' +
    'h2{font-size:16px;margin:0}' +
    'header button{background:transparent;border:0;color:#fff;font-size:20px;cursor:pointer}' +
    '.chat{flex:1;display:flex;flex-direction:column;min-height:0}' +
    '.log{flex:1;overflow-y:auto;padding:10px;margin:0;list-style:none}' +
    '.log li{margin:6px 0;padding:7px 10px;border-radius:8px;max-width:80%;width:fit-content;white-space:pre-wrap;overflow-wrap:anywhere}' +
    '.visitor{background:#e6edfb;margin-inline-start:auto}' +
    '.agent{background:#f1f2f4}' +
    '.who{display:block;font-size:12px;color:#4b5566}' +
    '.typing,.status{font-size:13px;color:#4b5566;padding:2px 12px}' +
    'form{display:flex;gap:6px;padding:8px;border-top:1px solid #e3e6ec}' +
    '.away form{flex-direction:column;border:0}' +
    'textarea,input{font:inherit;border:1px solid #9aa4b5;border-radius:6px;padding:6px}' +
    '.chat textarea{flex:1;resize:none;height:40px}' +
    'form button{background:#2457c5;color:#fff;border:0;border-radius:6px;padding:6px 12px;font:inherit;cursor:pointer}' +
    ':focus-visible{outline:3px solid #f0a500;outline-offset:1px}' +
    '.away{padding:10px;overflow-y:auto}.away p{margin:4px 0}' +
    'label{display:block;font-size:13px}' +
    '</style>' +
    '<div class="td" dir="' + (rtl ? 'rtl' : 'ltr') + '" lang="' + lang + '">' +
    '<button class="launch" type="button" aria-expanded="false" aria-controls="td-panel"></button>' +
    '<section class="panel" id="td-panel" role="dialog" aria-labelledby="td-title" hidden>' +
    '<header><h2 id="td-title"></h2><button class="close" type="button">×</button></header>' +
    '<div class="status" role="status" hidden></div>' +
    '<div class="chat"><ol class="log" role="log" aria-live="polite"></ol>' +
    '<div class="typing" aria-live="polite" hidden></div>' +
    '<form class="survey" hidden><fieldset><legend class="s-q"></legend><div class="s-scale"></div>' +
    '<div class="s-ends" aria-hidden="true"><span class="s-min"></span><span class="s-max"></span></div></fieldset>' +
    '<label><span class="s-c"></span><textarea name="comment" maxlength="5000"></textarea></label><button type="submit"></button></form>' +
    '<p class="s-thanks" role="status" hidden></p>' +
    '<form class="send"><label for="td-input" class="sr"></label><textarea id="td-input" rows="1"></textarea><button type="submit"></button></form></div>' +
    '<div class="away" hidden><p class="away-title"></p><p class="away-intro"></p>' +
    '<form class="offline"><label>' + '<span class="l-name"></span><input name="name" required maxlength="200" autocomplete="name"></label>' +
    '<label><span class="l-email"></span><input name="email" type="email" required maxlength="254" autocomplete="email"></label>' +
    '<label><span class="l-message"></span><textarea name="message" required maxlength="5000" rows="4"></textarea></label>' +
    '<button type="submit"></button></form><p class="thanks" role="status"></p></div>' +
    '</section></div>';
  function $(sel) { return root.querySelector(sel); }
  var launch = $('.launch'), panel = $('.panel'), closeBtn = $('.close'), log = $('.log'), input = $('#td-input');
  var statusEl = $('.status'), typingEl = $('.typing'), chat = $('.chat'), away = $('.away'), offline = $('.offline');
  launch.textContent = t.title;
  launch.setAttribute('aria-label', t.open);
  $('#td-title').textContent = t.title;
  closeBtn.setAttribute('aria-label', t.close);
  $('label.sr').textContent = t.input;
  $('label.sr').style.cssText = 'position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)';
  input.setAttribute('placeholder', t.placeholder);
  $('.send button').textContent = t.send;
  $('.away-title').textContent = t.awayTitle;
  $('.away-intro').textContent = t.awayIntro;
  $('.l-name').textContent = t.name;
  $('.l-email').textContent = t.email;
  $('.l-message').textContent = t.message;
  $('.offline button').textContent = t.submit;
  typingEl.textContent = t.typing;
  var sForm = $('.survey'), sThanks = $('.s-thanks'), survey = null;
  $('.survey button').textContent = t.sSend;

  function setOpen(open) {
    panel.hidden = !open;
    launch.hidden = open;
    launch.setAttribute('aria-expanded', String(open));
    if (open) { (away.hidden ? input : offline.elements.name).focus(); } else { launch.focus(); }
  }
  launch.addEventListener('click', function () { setOpen(true); });
  closeBtn.addEventListener('click', function () { setOpen(false); });
  panel.addEventListener('keydown', function (e) { if (e.key === 'Escape') setOpen(false); });

  function render() {
    var showAway = !online && !hasConversation;
    away.hidden = !showAway;
    chat.hidden = showAway;
  }
  function addLine(line) {
    if (seen[line.id]) return;
    seen[line.id] = true;
    if (line.from === 'agent') typingEl.hidden = true;
    var li = document.createElement('li');
    li.className = line.from;
    li.setAttribute('dir', 'auto');
    var who = document.createElement('span');
    who.className = 'who';
    who.textContent = line.from === 'agent' ? (line.agentName || t.agent) : t.you;
    li.appendChild(who);
    li.appendChild(document.createTextNode(line.text));
    log.appendChild(li);
    log.scrollTop = log.scrollHeight;
  }
  // A survey offered by the server (e.g. when this chat was solved), answered inline.
  function showSurvey(m) {
    var s = m.survey, box = $('.s-scale');
    survey = m;
    $('.s-q').textContent = s.question;
    box.textContent = '';
    for (var v = s.scale.min; v <= s.scale.max; v++) {
      var l = document.createElement('label'), r = document.createElement('input');
      r.type = 'radio'; r.name = 'score'; r.value = String(v);
      l.appendChild(r); l.appendChild(document.createTextNode(String(v))); box.appendChild(l);
    }
    box.firstChild.firstChild.setAttribute('aria-label', s.scale.min + ' – ' + s.scale.minLabel);
    box.lastChild.firstChild.setAttribute('aria-label', s.scale.max + ' – ' + s.scale.maxLabel);
    $('.s-min').textContent = s.scale.minLabel;
    $('.s-max').textContent = s.scale.maxLabel;
    $('.s-c').textContent = s.commentPrompt;
    sThanks.hidden = true;
    sForm.hidden = false;
    hasConversation = true;
    render();
  }
  function surveyDone(text) {
    survey = null;
    sForm.hidden = true;
    sThanks.textContent = text;
    sThanks.hidden = false;
  }
  function send(msg) {
    if (ws && ready) ws.send(JSON.stringify(msg));
  }
  function flush() {
    for (var i = 0; i < outbox.length; i++) send({ type: 'message', text: outbox[i].text, clientId: outbox[i].clientId });
  }
  function status(text) {
    statusEl.textContent = text || '';
    statusEl.hidden = !text;
  }
  function connect() {
    var url = (base.protocol === 'https:' ? 'wss:' : 'ws:') + '//' + base.host + '/api/v1/widget/ws?key=' + encodeURIComponent(key);
    ws = new WebSocket(url);
    ws.onopen = function () {
      var token;
      try { token = localStorage.getItem(storeKey); } catch { token = null; }
      ws.send(JSON.stringify({ type: 'hello', token: token || undefined, lang: lang }));
    };
    ws.onmessage = function (ev) {
      var m;
      try { m = JSON.parse(ev.data); } catch { return; }
      if (m.type === 'welcome') {
        ready = true;
        attempt = 0;
        status('');
        if (m.token) { try { localStorage.setItem(storeKey, m.token); } catch { /* private mode */ } }
        online = m.online;
        hasConversation = m.conversation.length > 0 || outbox.length > 0;
        if (!log.children.length) addLine({ id: 'welcome', from: 'agent', text: t.welcome, agentName: ' ' });
        for (var i = 0; i < m.conversation.length; i++) addLine(m.conversation[i]);
        render();
        flush();
      } else if (m.type === 'message') {
        addLine(m);
      } else if (m.type === 'ack') {
        outbox = outbox.filter(function (o) { return o.clientId !== m.clientId; });
      } else if (m.type === 'typing') {
        typingEl.hidden = !m.typing;
        clearTimeout(typingTimer);
        if (m.typing) typingTimer = setTimeout(function () { typingEl.hidden = true; }, 10000);
      } else if (m.type === 'availability') {
        online = m.online;
        render();
      } else if (m.type === 'survey') {
        showSurvey(m);
      } else if (m.type === 'survey_answered') {
        surveyDone(t.sThanks);
      } else if (m.type === 'offline_received') {
        offlineSent = true;
        $('.thanks').textContent = t.thanks.replace('{n}', m.ticketNumber);
        offline.hidden = true;
      } else if (m.type === 'error') {
        if (survey && m.code === 'conflict') surveyDone(m.message);
        else status(m.code === 'too_many_requests' ? t.wait.replace('{s}', m.retryAfterSeconds) : m.message);
      }
    };
    ws.onclose = function (ev) {
      ready = false;
      if (ev.code === 4404 || ev.code === 4403) { status(ev.reason); return; }
      status(t.reconnecting);
      var delay = Math.min(30000, 500 * Math.pow(2, attempt++)) * (0.75 + Math.random() * 0.5);
      setTimeout(connect, delay);
    };
  }
  $('.send').addEventListener('submit', function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    var clientId = Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
    outbox.push({ text: text, clientId: clientId });
    hasConversation = true;
    send({ type: 'message', text: text, clientId: clientId });
    send({ type: 'typing', typing: false });
    input.value = '';
  });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); $('.send button').click(); }
  });
  input.addEventListener('input', function () {
    var now = Date.now();
    if (now - lastTypingSent > 3000) { lastTypingSent = now; send({ type: 'typing', typing: true }); }
  });
  sForm.addEventListener('submit', function (e) {
    e.preventDefault();
    var picked = sForm.querySelector('input[name=score]:checked');
    if (!survey) return;
    if (!picked) { status(t.sPick); return; }
    status('');
    send({ type: 'survey_answer', invitationId: survey.invitationId, score: Number(picked.value), comment: sForm.elements.comment.value.trim() || undefined });
  });
  offline.addEventListener('submit', function (e) {
    e.preventDefault();
    if (offlineSent) return;
    var f = offline.elements;
    send({ type: 'offline', name: f.name.value.trim(), email: f.email.value.trim(), message: f.message.value.trim() });
  });
  connect();
})();
