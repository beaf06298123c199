// Votes (採決) on this device: show the ballot to those entitled, mark one's own choice
// (a named vote's from the server's per-person fragment, a secret one's from this device's
// own receipt, which never leaves it but to change the choice), and tell screen readers
// when a vote opens, closes and when its result is announced.
(function () {
  "use strict";
  var body = document.body;
  var me = body ? body.getAttribute("data-person-id") : null;
  var lastOpen = null;
  var lastResult = null;
  var started = false;

  function announce(text) {
    var region = document.getElementById("announcer");
    if (!region || !text) return;
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  function key(voteId) { return "board:vote:" + location.pathname + ":" + voteId; }

  function stored(voteId) {
    try { return JSON.parse(localStorage.getItem(key(voteId)) || "null"); } catch (e) { return null; }
  }

  function keep(voteId, value) {
    try { localStorage.setItem(key(voteId), JSON.stringify(value)); } catch (e) { /* disabled */ }
  }

  function namedBallots() {
    var mine = document.getElementById("mine");
    try { return JSON.parse((mine && mine.getAttribute("data-ballots")) || "{}"); } catch (e) { return {}; }
  }

  // The reply to this device's own ballot.
  function takeReceipt() {
    var reply = document.getElementById("vote-receipt");
    if (!reply || !reply.getAttribute("data-vote-id")) return;
    var voteId = reply.getAttribute("data-vote-id");
    keep(voteId, { choice: reply.getAttribute("data-choice"), receipt: reply.getAttribute("data-receipt") });
    reply.removeAttribute("data-vote-id");
  }

  function refresh() {
    var votes = document.getElementById("votes");
    if (!votes) return;
    var ballots = namedBallots();
    var template = votes.getAttribute("data-your-choice") || "";
    var sheets = votes.querySelectorAll(".vote-ballot");
    for (var i = 0; i < sheets.length; i++) {
      var sheet = sheets[i];
      var voteId = sheet.getAttribute("data-vote-id");
      var article = sheet.closest(".vote");
      var entitled = (article.getAttribute("data-entitled") || "").split(",");
      sheet.hidden = !me || entitled.indexOf(me) < 0;
      var own = stored(voteId);
      var choice = ballots[voteId] || (own && own.choice) || null;
      var receipt = sheet.querySelectorAll("input[name=receipt]");
      for (var r = 0; r < receipt.length; r++) receipt[r].value = (own && own.receipt) || "";
      var label = null;
      var buttons = sheet.querySelectorAll("button.vote-choice");
      for (var b = 0; b < buttons.length; b++) {
        var chosen = buttons[b].getAttribute("data-choice") === choice;
        buttons[b].setAttribute("aria-pressed", chosen ? "true" : "false");
        if (chosen) label = buttons[b].textContent.trim();
      }
      var line = sheet.querySelector(".vote-mine");
      if (line) line.textContent = label ? template.replace("{choice}", label) : "";
    }
    var open = votes.getAttribute("data-open-vote") || "";
    var result = votes.getAttribute("data-last-result") || "";
    if (started && open && open !== lastOpen) {
      announce(votes.getAttribute("data-vote-opened") + " " + votes.getAttribute("data-open-question"));
    } else if (started && lastOpen && !open) {
      announce(votes.getAttribute("data-vote-closed"));
    }
    if (started && result && result !== lastResult) {
      var shown = document.getElementById("vote-result-" + result);
      var outcome = shown ? shown.querySelector(".vote-outcome") : null;
      announce(votes.getAttribute("data-vote-result") + " " + (outcome ? outcome.textContent.trim() : ""));
    }
    lastOpen = open;
    lastResult = result;
    started = true;
  }

  document.addEventListener("DOMContentLoaded", refresh);
  document.addEventListener("htmx:after:swap", function () { takeReceipt(); refresh(); });
  document.addEventListener("htmx:after:request", function () {
    window.setTimeout(function () { takeReceipt(); refresh(); }, 0);
  });
  document.addEventListener("htmx:ws:after:message:incoming", refresh);
})();
