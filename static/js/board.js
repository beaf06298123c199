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
  }

  function banner(show) {
    var element = document.getElementById("connection");
    if (element) element.hidden = !show;
  }

  document.addEventListener("DOMContentLoaded", function () {
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

  document.addEventListener("htmx:after:swap", refresh);
  document.addEventListener("htmx:after:swap", focusSummary);
  document.addEventListener("htmx:ws:after:message:incoming", refresh);
  document.addEventListener("htmx:ws:after:connection", function () {
    banner(false);
    body.setAttribute("data-live", "connected");
  });
  document.addEventListener("htmx:ws:close", function (event) {
    var detail = event.detail || {};
    body.setAttribute("data-live", "closed");
    if (detail.reason !== "removed") banner(true);
  });
  window.addEventListener("offline", function () { banner(true); });
})();
