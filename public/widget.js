/* Chatbot Platform web widget. Embed: <script src="https://YOUR-APP/widget.js" data-key="wk_..." async></script>
 * Visitor and bot text is always inserted with textContent, never as HTML. */
(function () {
  var script = document.currentScript;
  if (!script || !script.dataset.key) return;
  var key = script.dataset.key;
  var base = new URL(script.src).origin;
  var storeKey = "cbp:" + key;
  var saved = {};
  try { saved = JSON.parse(localStorage.getItem(storeKey) || "{}"); } catch (e) { saved = {}; }
  if (!saved.visitor) saved.visitor = (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2) + Date.now());
  function persist() { try { localStorage.setItem(storeKey, JSON.stringify(saved)); } catch (e) { /* private mode */ } }
  persist();

  function el(tag, style, text, testId) {
    var node = document.createElement(tag);
    if (style) node.setAttribute("style", style);
    if (text !== undefined) node.textContent = text;
    if (testId) node.setAttribute("data-testid", testId);
    return node;
  }

  // Answers use the API's envelope: { status, data, meta } or { status: "error", error: { code, message } }.
  fetch(base + "/api/widget/" + encodeURIComponent(key) + "/config").then(function (r) { return r.ok ? r.json() : null; }, function () { return null; /* not offered to this site */ }).then(function (body) {
    var cfg = body && body.data;
    if (!cfg) return;
    var host = el("div");
    document.body.appendChild(host);
    host.setAttribute("data-chatbot-widget", key);
    var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
    var side = cfg.position === "left" ? "left:20px;" : "right:20px;";
    var launcher = el("button", "position:fixed;bottom:20px;" + side + "width:56px;height:56px;border-radius:50%;border:0;cursor:pointer;display:flex;align-items:center;justify-content:center;box-shadow:0 4px 14px rgba(0,0,0,.2);background:" + cfg.brand_color, undefined, "chat-launcher");
    var svgNs = "http://www.w3.org/2000/svg";
    var icon = document.createElementNS(svgNs, "svg");
    icon.setAttribute("viewBox", "0 0 24 24"); icon.setAttribute("width", "26"); icon.setAttribute("height", "26");
    var path = document.createElementNS(svgNs, "path");
    path.setAttribute("fill", "#fff");
    path.setAttribute("d", "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z");
    icon.appendChild(path); launcher.appendChild(icon);
    launcher.setAttribute("aria-label", cfg.title);
    var panel = el("div", "position:fixed;bottom:88px;" + side + "width:340px;max-width:calc(100vw - 40px);height:460px;display:none;flex-direction:column;background:#fff;border-radius:12px;overflow:hidden;box-shadow:0 8px 30px rgba(0,0,0,.2);font:14px system-ui,sans-serif;color:#16161d", undefined, "chat-widget");
    var header = el("div", "display:flex;align-items:center;gap:8px;padding:12px 14px;color:#fff;font-weight:600;background:" + cfg.brand_color);
    header.appendChild(el("span", "flex:1", cfg.title));
    var restart = el("button", "border:1px solid rgba(255,255,255,.7);border-radius:6px;background:transparent;color:#fff;font:12px system-ui,sans-serif;padding:3px 8px;cursor:pointer", "New conversation", "new-conversation");
    restart.type = "button";
    header.appendChild(restart);
    var log = el("div", "flex:1;overflow-y:auto;padding:10px;display:flex;flex-direction:column;gap:6px");
    var form = el("form", "display:flex;border-top:1px solid #e3e3ec");
    var input = el("input", "flex:1;border:0;padding:12px;font:inherit;outline:none", undefined, "chat-input");
    input.setAttribute("placeholder", "Type a message…");
    input.setAttribute("maxlength", "4000");
    var send = el("button", "border:0;padding:0 16px;color:#fff;cursor:pointer;background:" + cfg.brand_color, "Send", "send-message");
    form.appendChild(input); form.appendChild(send);
    panel.appendChild(header); panel.appendChild(log); panel.appendChild(form);
    root.appendChild(panel); root.appendChild(launcher);

    var bubbleStyle = "max-width:80%;padding:8px 11px;border-radius:12px;white-space:pre-wrap;word-wrap:break-word;";
    function show(node) {
      log.appendChild(node);
      log.scrollTop = log.scrollHeight;
      return node;
    }
    function bubble(text, mine, testId) {
      return show(el("div", bubbleStyle + (mine ? "align-self:flex-end;background:#e8e8f5" : "align-self:flex-start;background:#f1f1f4"), text, testId));
    }
    // A person's message: a bot-side bubble with their name above it (outside the bubble, so its text is the message).
    function agentMessage(m) {
      var wrap = el("div", "align-self:flex-start;max-width:80%;display:flex;flex-direction:column");
      wrap.appendChild(el("div", "font-size:11px;color:#5b5b6b;margin:0 0 2px 4px", m.agent_name || "Support team", "agent-name"));
      wrap.appendChild(el("div", bubbleStyle + "max-width:none;background:#f1f1f4", m.text, "bot-response"));
      show(wrap);
    }
    function notice(text) {
      show(el("div", "align-self:center;font-size:12px;color:#5b5b6b;padding:2px 8px", text, "chat-notice"));
    }
    function botMessage(m, into) {
      var b = into || bubble("", false, "bot-response");
      b.textContent = m.text || "";
      (m.items || []).forEach(function (item) { b.appendChild(el("div", "margin-top:6px;padding:6px;border:1px solid #e3e3ec;border-radius:8px", item.title + (item.subtitle ? " — " + item.subtitle : ""))); });
      (m.quick_replies || []).forEach(function (q) {
        var qb = el("button", "margin:6px 4px 0 0;padding:3px 9px;border-radius:99px;border:1px solid " + cfg.brand_color + ";background:#fff;color:" + cfg.brand_color + ";cursor:pointer", q);
        qb.type = "button";
        qb.onclick = function () { submit(q); };
        b.appendChild(qb);
      });
    }
    bubble(cfg.welcome_message, false, "welcome-message");
    // A new conversation is asked for explicitly, so the server starts one on the live flow version
    // instead of continuing the visitor's last one.
    function reset() {
      closeLive();
      delete saved.conversation; delete saved.seq; delete saved.status; saved.fresh = true; persist();
      while (log.firstChild) log.removeChild(log.firstChild);
      bubble(cfg.welcome_message, false, "welcome-message");
    }
    restart.onclick = function () { reset(); input.focus(); };
    var api = window.ChatbotWidget = window.ChatbotWidget || { instances: {} };
    api.instances[key] = { reset: reset };
    api.reset = function (which) { Object.keys(api.instances).forEach(function (k) { if (!which || which === k) api.instances[k].reset(); }); };
    launcher.onclick = function () { panel.style.display = panel.style.display === "none" ? "flex" : "none"; if (panel.style.display === "flex") input.focus(); };

    var busy = false;
    function submit(text) {
      text = (text || "").trim();
      if (!text || busy) return;
      busy = true;
      bubble(text, true, "user-message");
      var messageId = (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()));
      typing(true);
      post(text, messageId, true).catch(function () { bubble("We could not reach the chat service. Please try again.", false); })
        .then(function () { typing(false); busy = false; });
    }
    var typingNode = el("div", bubbleStyle + "align-self:flex-start;background:#f1f1f4;color:#5b5b6b", "…", "typing-indicator");
    typingNode.setAttribute("role", "status");
    typingNode.setAttribute("aria-label", "The assistant is typing");
    // Shown at the end of the log while an answer is awaited and no model text is arriving.
    function typing(on) {
      if (on) show(typingNode); else if (typingNode.parentNode) typingNode.parentNode.removeChild(typingNode);
    }
    // Reads the answer's server-sent events: model text grows in its bubble token by token, complete replies
    // replace it; resolves with `done`'s body (the envelope a plain answer has). `shown` marks replies drawn.
    function readTurn(body, shown) {
      var reader = body.getReader(), decoder = new TextDecoder(), buffer = "", growing = {}, done = null, failure = null;
      function handle(name, data) {
        if (name === "token") {
          var b = growing[data.index];
          if (!b) { typing(false); b = growing[data.index] = bubble("", false, "bot-response"); b.setAttribute("aria-busy", "true"); }
          b.textContent += data.delta;
          log.scrollTop = log.scrollHeight;
        } else if (name === "message") {
          var into = growing[data.index];
          if (into) { into.removeAttribute("aria-busy"); delete growing[data.index]; } else typing(false);
          botMessage(data.message, into);
          shown[data.index] = true;
          typing(true);
        } else if (name === "error" && data.index === undefined) failure = data; // the turn failed: answered like a refusal
        else if (name === "error") {
          var cut = growing[data.index];
          if (cut) { cut.removeAttribute("aria-busy"); cut.setAttribute("data-cut-off", "true"); cut.style.borderLeft = "3px solid #b42318"; }
          typing(false);
          show(el("div", "align-self:flex-start;font-size:12px;color:#b42318;padding:2px 8px", data.message, "stream-error"));
          typing(true);
        } else if (name === "done") done = data;
      }
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) return done || { status: "error", error: failure || { message: "Sorry, something went wrong." } };
          buffer += decoder.decode(chunk.value, { stream: true });
          var end;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            var name = "message", data = "";
            buffer.slice(0, end).split("\n").forEach(function (line) {
              if (line.indexOf("event: ") === 0) name = line.slice(7);
              else if (line.indexOf("data: ") === 0) data += line.slice(6);
            });
            buffer = buffer.slice(end + 2);
            if (data) handle(name, JSON.parse(data));
          }
          return pump();
        });
      }
      return pump();
    }
    function post(text, messageId, mayRestart) {
      var shown = {};
      return fetch(base + "/api/widget/" + encodeURIComponent(key) + "/messages", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream, application/json" },
        body: JSON.stringify({ visitor_id: saved.visitor, conversation_id: saved.conversation, message_id: messageId, text: text, new_conversation: !!saved.fresh })
      }).then(function (r) {
        // A refusal (limits, a conversation that is gone) is still a plain JSON envelope.
        var streamed = r.ok && r.body && (r.headers.get("content-type") || "").indexOf("text/event-stream") === 0;
        var body = streamed ? readTurn(r.body, shown) : r.json();
        return body.then(function (b) { return { ok: b.status === "success", body: b }; });
      }).then(function (res) {
        var error = res.body.error;
        // A remembered conversation that is gone (or no longer this visitor's) starts a new one.
        if (!res.ok && mayRestart && saved.conversation && error && error.code === "NOT_FOUND" && error.details && error.details.field === "conversation_id") {
          closeLive();
          delete saved.conversation; delete saved.seq; delete saved.status; persist();
          return post(text, messageId, false);
        }
        if (!res.ok) { bubble(error ? error.message : "Sorry, something went wrong.", false); return; }
        if (saved.conversation !== res.body.data.conversation_id) { closeLive(); delete saved.seq; delete saved.status; }
        saved.conversation = res.body.data.conversation_id; delete saved.fresh; persist();
        res.body.data.messages.forEach(function (m, i) { if (!shown[i]) botMessage(m); });
        openLive();
        input.value = "";
      });
    }
    form.onsubmit = function (e) { e.preventDefault(); submit(input.value); };

    // Live messages from a person (and the away timer) arrive over server-sent events; the bot's own
    // answers come back in the POST. `saved.seq` is the last streamed sequence, so a reload shows nothing twice.
    var live = null, retryTimer = null, backoff = 1000;
    function closeLive() {
      if (retryTimer) { clearTimeout(retryTimer); retryTimer = null; }
      if (live) { live.close(); live = null; }
    }
    function statusNotice(s) {
      if (s.status === "with_agent") return (s.agent_name || "A member of our team") + " joined the conversation";
      if (s.status === "in_progress" && (saved.status === "with_agent" || saved.status === "escalated")) return "You're back with the assistant";
      if (s.status === "resolved") return "This conversation was closed";
      return null;
    }
    function openLive() {
      if (live || !saved.conversation || !window.EventSource) return;
      var url = base + "/api/widget/" + encodeURIComponent(key) + "/conversations/" + encodeURIComponent(saved.conversation) + "/events?visitor_id=" + encodeURIComponent(saved.visitor) + "&after=" + (saved.seq || 0);
      var source = live = new EventSource(url);
      source.onopen = function () { backoff = 1000; };
      source.addEventListener("message", function (e) {
        var m = JSON.parse(e.data);
        if (m.sequence <= (saved.seq || 0)) return;
        saved.seq = m.sequence; persist();
        if (m.author === "agent") agentMessage(m); else botMessage(m);
      });
      source.addEventListener("status", function (e) {
        var s = JSON.parse(e.data);
        if (s.status === saved.status) return;
        var text = statusNotice(s);
        saved.status = s.status; persist();
        if (text) notice(text);
      });
      // EventSource retries a dropped stream itself; one it gave up on (an error answer) is reopened here, ever more slowly.
      source.onerror = function () {
        if (source.readyState !== 2 || live !== source) return;
        live = null;
        retryTimer = setTimeout(function () { retryTimer = null; openLive(); }, backoff);
        backoff = Math.min(backoff * 2, 60000);
      };
    }
    openLive();
  });
})();
