// Materials and opinions: mark this device's own opinions and agreements (a broadcast
// is the same for everyone), close the opinion forms when the deadline passes, clear an
// opinion form once it was posted, and check a file's size before it is uploaded.
(function () {
  "use strict";
  var body = document.body;
  var me = body ? body.getAttribute("data-person-id") : null;
  var clockOffset = 0; // server time minus this device's time

  function agreedIds() {
    var mine = document.getElementById("mine");
    var found = {};
    var ids = mine ? (mine.getAttribute("data-agreed") || "").split(",") : [];
    for (var i = 0; i < ids.length; i++) if (ids[i]) found[ids[i]] = true;
    return found;
  }

  function checkDeadline() {
    var items = document.getElementById("items");
    if (!items) return;
    var deadline = parseInt(items.getAttribute("data-deadline-ms"), 10);
    if (deadline && Date.now() + clockOffset > deadline) {
      items.setAttribute("data-comments-open", "false");
    }
  }

  function refresh() {
    var items = document.getElementById("items");
    if (!items) return;
    var serverNow = parseInt(items.getAttribute("data-server-now"), 10);
    if (serverNow) clockOffset = serverNow - Date.now();
    checkDeadline();
    var agreed = agreedIds();
    var entries = items.querySelectorAll(".opinion[data-author-id]");
    for (var i = 0; i < entries.length; i++) {
      var entry = entries[i];
      var mine = me !== null && entry.getAttribute("data-author-id") === me;
      var on = !!agreed[entry.getAttribute("data-opinion-id")];
      entry.classList.toggle("mine", mine);
      entry.classList.toggle("agreed", on);
      var label = entry.querySelector(".mine-label");
      if (label) label.hidden = !mine;
      var own = entry.querySelector(".own-only");
      if (own) own.hidden = !mine;
      var form = entry.querySelector(".agree-form");
      if (form) {
        form.hidden = mine;
        var agree = form.querySelector(".agree");
        var unagree = form.querySelector(".unagree");
        if (agree) agree.hidden = on;
        if (unagree) unagree.hidden = !on;
      }
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    refresh();
    window.setInterval(checkDeadline, 15000);
  });
  document.addEventListener("htmx:after:swap", refresh);
  document.addEventListener("htmx:ws:after:message:incoming", refresh);

  document.addEventListener("htmx:after:request", function (event) {
    var ctx = event.detail && event.detail.ctx;
    var form = event.target && event.target.closest ? event.target.closest("form.compose") : null;
    // Forms with a draft are cleared by board.js, which also gives them a new client key.
    if (form && !form.hasAttribute("data-draft") && ctx && ctx.response && ctx.response.status < 400) form.reset();
  });

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input || !input.matches || !input.matches('input[type="file"]')) return;
    var limit = parseInt(body.getAttribute("data-max-upload"), 10);
    var file = input.files && input.files[0];
    var tooLarge = !!(file && limit && file.size > limit);
    input.setCustomValidity(tooLarge ? body.getAttribute("data-too-large") : "");
    if (tooLarge) input.reportValidity();
  });
})();
