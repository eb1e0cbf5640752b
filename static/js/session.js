// Sessions end after TRACKER_SESSION_IDLE_MINUTES without a request (tracker/session_keep.py).
// While the user types in a form this pings the keep-alive address, at most once every few
// minutes, so a long form is not cut off; when nothing happened for a while it shows a
// warning shortly before the end, with a button to stay signed in. Without this script a
// late form is still kept across the sign-in by the server.
(function () {
  "use strict";
  var body = document.body;
  var idle = parseInt(body.getAttribute("data-session-idle") || "", 10) * 1000;
  var url = body.getAttribute("data-keep-alive");
  var banner = document.querySelector("[data-session-warning]");
  if (!idle || !url || !banner || !window.fetch) {
    return;
  }
  var text = banner.querySelector("[data-session-text]");
  var stay = banner.querySelector("[data-session-stay]");
  var WARN_BEFORE = Math.min(120000, idle / 2);
  var PING_EVERY = Math.min(180000, idle / 3);
  var SHARED = "tracker-session-last-request"; // other tabs of the same session count too
  var lastRequest = Date.now(); // this page's own request moved the expiry on
  var ended = false;
  var pinging = false;

  function remember(time) {
    lastRequest = Math.max(lastRequest, time);
    try {
      window.localStorage.setItem(SHARED, String(lastRequest));
    } catch (error) {
      // storage may be off; this tab's own count is enough
    }
  }

  function latest() {
    try {
      var shared = parseInt(window.localStorage.getItem(SHARED) || "0", 10);
      if (shared > lastRequest && shared <= Date.now()) {
        lastRequest = shared;
      }
    } catch (error) {
      // as above
    }
    return lastRequest;
  }

  function show(message, canStay) {
    text.textContent = message;
    stay.hidden = !canStay;
    banner.hidden = false;
  }

  function end() {
    ended = true;
    show(
      "Your session has ended. Nothing is lost: when you save, you are asked to sign in " +
        "and your entries are shown again to check and save.",
      false
    );
  }

  function ping() {
    if (pinging || ended) {
      return;
    }
    pinging = true;
    var sent = Date.now();
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": body.getAttribute("data-csrf") || "" },
    })
      .then(function (response) {
        if (response.status === 204) {
          remember(sent);
          banner.hidden = true;
        } else if (response.status === 401 || response.status === 403) {
          end();
        }
      })
      .catch(function () {
        // offline for a moment: the next keystroke or the button tries again
      })
      .then(function () {
        pinging = false;
      });
  }

  function typed(event) {
    if (!ended && event.target && event.target.form && Date.now() - latest() >= PING_EVERY) {
      ping();
    }
  }

  function tick() {
    if (ended) {
      return;
    }
    var left = idle - (Date.now() - latest());
    if (left <= 0) {
      end();
    } else if (left <= WARN_BEFORE) {
      var minutes = Math.max(1, Math.round(left / 60000));
      show(
        "Your session ends in about " + minutes + (minutes === 1 ? " minute" : " minutes") +
          " for lack of activity.",
        true
      );
    } else {
      banner.hidden = true;
    }
  }

  remember(lastRequest);
  document.addEventListener("input", typed, true);
  document.addEventListener("change", typed, true);
  stay.addEventListener("click", ping);
  window.setInterval(tick, 10000);
})();
