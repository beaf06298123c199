// The small amount of script the board needs beside htmx: the countdown, marking the
// device's own place in the queue, polite announcements, and the connection banner.
(function () {
  "use strict";
  var body = document.body;
  var me = body ? body.getAttribute("data-person-id") : null;
  var clockOffset = 0; // server time minus this device's time, from the last fragment
  var lastSpeaker = null;
  var lastItem = null;
  var lastQueue = null;

  function announce(text) {
    var region = document.getElementById("announcer");
    if (!region || !text) return;
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  function format(seconds) {
    var sign = seconds < 0 ? "-" : "";
    seconds = Math.abs(seconds);
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return sign + m + ":" + (s < 10 ? "0" : "") + s;
  }

  function tick() {
    var timers = document.querySelectorAll(".timer[data-ends-at]");
    for (var i = 0; i < timers.length; i++) {
      var timer = timers[i];
      var endsAt = parseInt(timer.getAttribute("data-ends-at"), 10);
      if (!endsAt) continue;
      var left = Math.round((endsAt - (Date.now() + clockOffset)) / 1000);
      timer.textContent = format(left);
      timer.classList.toggle("overtime", left < 0);
    }
  }

  function refresh() {
    var floor = document.getElementById("floor");
    if (floor) {
      var timer = floor.querySelector(".timer[data-server-now]");
      if (timer) clockOffset = parseInt(timer.getAttribute("data-server-now"), 10) - Date.now();
      var speaker = floor.getAttribute("data-speaker-id") || "";
      var queue = (floor.getAttribute("data-queue") || "").split(",").filter(Boolean);
      if (me) {
        var entries = floor.querySelectorAll(".queue-entry");
        var place = 0;
        for (var i = 0; i < entries.length; i++) {
          var mine = entries[i].getAttribute("data-person-id") === me;
          entries[i].classList.toggle("mine", mine);
          var label = entries[i].querySelector(".mine-label");
          if (label) label.hidden = !mine;
          if (mine) place = i + 1;
        }
        var placeText = floor.querySelector(".my-place");
        if (placeText) {
          placeText.textContent = place ? body.getAttribute("data-your-place").replace("{n}", place) : "";
        }
        var waiting = place > 0 || speaker === me;
        var requestForm = floor.querySelector(".request-form");
        var withdraw = floor.querySelector(".withdraw-form");
        if (requestForm) requestForm.hidden = waiting;
        if (withdraw) withdraw.closest("form").hidden = place === 0;
        if (speaker === me && lastSpeaker !== null && lastSpeaker !== me) {
          announce(body.getAttribute("data-your-turn"));
        }
      }
      if (body.getAttribute("data-view") === "chair" && lastQueue !== null && queue.length > lastQueue.length) {
        var added = floor.querySelector('.queue-entry[data-person-id="' + queue.filter(function (id) { return lastQueue.indexOf(id) < 0; })[0] + '"] .who');
        if (added) announce(body.getAttribute("data-new-request") + " " + added.textContent.trim());
      }
      lastSpeaker = speaker;
      lastQueue = queue;
    }
    var current = document.getElementById("current");
    if (current) {
      var item = current.getAttribute("data-current-item-id") || "";
      if (lastItem !== null && item !== lastItem) {
        var title = current.querySelector("[data-item-title]");
        if (title) announce(body.getAttribute("data-current-label") + " " + title.textContent);
      }
      lastItem = item;
    }
    tick();
    restoreFocus();
  }

  // Keep keyboard users in place: when the control they were on is replaced by a live
  // update, move focus to the same control, else to the first control of its region.
  var lastFocus = null;
  document.addEventListener("focusin", function (event) {
    var target = event.target;
    var region = target.closest ? target.closest("[data-seq][id]") : null;
    lastFocus = region ? { element: target, region: region.id,
      key: target.getAttribute("data-focus-key") } : null;
  });

  function visible(element) {
    return element && !element.disabled && element.offsetParent !== null;
  }

  function restoreFocus() {
    if (!lastFocus) return;
    var active = document.activeElement;
    if (active && active !== document.body) return; // focus is still somewhere real
    var region = document.getElementById(lastFocus.region);
    if (!region) return;
    var target = null;
    if (visible(lastFocus.element) && lastFocus.element.isConnected) target = lastFocus.element;
    if (!target && lastFocus.key) {
      var same = region.querySelector('[data-focus-key="' + CSS.escape(lastFocus.key) + '"]');
      if (visible(same)) target = same;
    }
    if (!target) {
      var controls = region.querySelectorAll("button, a[href], input, select, textarea, summary");
      for (var i = 0; i < controls.length && !target; i++) {
        if (visible(controls[i])) target = controls[i];
      }
    }
    if (!target) {
      target = region.querySelector("h2, h3");
      if (target) target.setAttribute("tabindex", "-1");
    }
    if (target) target.focus({ preventScroll: true });
  }
  // Pointer users put focus where they like; restoring is for keyboard users only.
  document.addEventListener("pointerdown", function () { lastFocus = null; }, true);

  // A tap that lands on a form a push has just put in place, before htmx has taken it
  // over, would post it the plain way and reload the page: let htmx take it first.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!window.htmx || !form.hasAttribute || !form.hasAttribute("hx-post")) return;
    if (form.hasAttribute("data-htmx-powered") || form._boardRetried) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    form._boardRetried = true;
    htmx.process(form);
    var submitter = event.submitter && event.submitter.form === form ? event.submitter : null;
    window.setTimeout(function () {
      if (submitter) form.requestSubmit(submitter); else form.requestSubmit();
    }, 0);
  }, true);

  // Drafts: what is typed into a form marked data-draft stays in this browser until the
  // server confirms it was saved. A submission that cannot reach the server is marked
  // pending and sent again, with the same client_key, when the connection returns.
  function draftKey(form) {
    return "board:draft:" + location.pathname + ":" + form.getAttribute("data-draft");
  }

  function readDraft(form) {
    try { return JSON.parse(localStorage.getItem(draftKey(form)) || "null"); } catch (e) { return null; }
  }

  function saveDraft(form, pending) {
    var values = {};
    var fields = form.querySelectorAll("textarea[name], input[name], select[name]");
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      if ((field.type === "radio" || field.type === "checkbox") && !field.checked) continue;
      values[field.name] = field.value;
    }
    var previous = readDraft(form) || {};
    try {
      localStorage.setItem(draftKey(form), JSON.stringify({
        values: values, pending: pending === undefined ? !!previous.pending : pending }));
    } catch (e) { /* storage full or disabled: the form still works */ }
  }

  function clearDraft(form) {
    try { localStorage.removeItem(draftKey(form)); } catch (e) { /* ignore */ }
    var key = form.querySelector("input[name=client_key]");
    if (key) key.value = newKey();
  }

  function newKey() {
    return (window.crypto && crypto.randomUUID) ? crypto.randomUUID() :
      String(Date.now()) + Math.random().toString(16).slice(2);
  }

  function restoreDrafts() {
    var forms = document.querySelectorAll("form[data-draft]");
    for (var i = 0; i < forms.length; i++) {
      var form = forms[i];
      var key = form.querySelector("input[name=client_key]");
      var draft = readDraft(form);
      if (draft && draft.values) {
        Object.keys(draft.values).forEach(function (name) {
          var fields = form.querySelectorAll('[name="' + CSS.escape(name) + '"]');
          for (var j = 0; j < fields.length; j++) {
            var field = fields[j];
            if (field.type === "radio" || field.type === "checkbox") {
              field.checked = field.value === draft.values[name];
            } else if (!field.value || field.type === "hidden" || field.tagName === "TEXTAREA") {
              var keep = field.type !== "hidden" || name === "client_key";
              if (keep && field.value !== draft.values[name]) field.value = draft.values[name];
            }
          }
        });
      }
      if (key && !key.value) key.value = newKey();
      form.classList.toggle("pending", !!(draft && draft.pending));
    }
  }

  function sendPending() {
    if (!navigator.onLine) return;
    var forms = document.querySelectorAll("form[data-draft].pending");
    for (var i = 0; i < forms.length; i++) {
      if (forms[i].requestSubmit) forms[i].requestSubmit();
    }
  }

  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form[data-draft]");
    if (form) saveDraft(form);
  });
  document.addEventListener("htmx:before:request", function (event) {
    var form = event.target.closest && event.target.closest("form[data-draft]");
    if (form) saveDraft(form, true);
  });
  document.addEventListener("htmx:after:request", function (event) {
    var form = event.target.closest && event.target.closest("form[data-draft]");
    var ctx = event.detail && event.detail.ctx;
    if (!form || !ctx || !ctx.response) return;
    if (ctx.response.status < 400) {
      clearDraft(form);
      // A form that writes something new starts empty again; an edit keeps what was saved.
      if (form.hasAttribute("data-clear-on-save")) form.reset();
      var key = form.querySelector("input[name=client_key]");
      if (key) key.value = newKey();
      form.classList.remove("pending");
    } else if (ctx.response.status < 500) {
      saveDraft(form, false); // refused: keep the text so it can be corrected
      form.classList.remove("pending");
    }
    banner();
  });
  document.addEventListener("htmx:error", function (event) {
    var form = event.target.closest && event.target.closest("form[data-draft]");
    if (!form) return;
    saveDraft(form, true);
    form.classList.add("pending");
    banner();
  });
  window.addEventListener("online", function () {
    banner();
    sendPending();
  });

  // The banner shows while the live connection is down, the device is offline, or a
  // submission is still waiting to be sent.
  function banner() {
    var element = document.getElementById("connection");
    if (!element) return;
    var live = body.getAttribute("data-live");
    var down = (live && live !== "connected") || !navigator.onLine ||
      !!document.querySelector("form[data-draft].pending");
    element.hidden = !down;
  }

  document.addEventListener("DOMContentLoaded", function () {
    restoreDrafts();
    banner();
    refresh();
    window.setInterval(tick, 1000);
  });
  // A summary form loaded beside the live minutes panel takes the focus once.
  function focusSummary() {
    var editor = document.getElementById("minutes-editor");
    var field = editor ? editor.querySelector("textarea:not([data-focused])") : null;
    if (field) {
      field.setAttribute("data-focused", "");
      field.focus();
    }
  }

  document.addEventListener("htmx:after:swap", function () {
    restoreDrafts();
    refresh();
  });
  document.addEventListener("htmx:after:swap", focusSummary);
  document.addEventListener("htmx:ws:after:message:incoming", refresh);
  document.addEventListener("htmx:ws:after:connection", function () {
    body.setAttribute("data-live", "connected");
    banner();
    sendPending();
  });
  // Close codes the server sends (board/live/hub.py): 4401, this person's access changed
  // (removed, link revoked, new role): load the page again, and the server answers as it
  // now must (sign in again, or the new role's page); 4429, too many connections open for
  // this person: stay closed (hx-ws does not reconnect on either).
  var SIGN_IN_AGAIN = 4401;
  document.addEventListener("htmx:ws:close", function (event) {
    var detail = event.detail || {};
    if (detail.reason === "removed") return;
    if (detail.code === SIGN_IN_AGAIN) {
      window.location.reload();
      return;
    }
    body.setAttribute("data-live", "closed");
    banner();
  });
  window.addEventListener("offline", banner);
})();
