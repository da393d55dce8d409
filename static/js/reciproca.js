/* Reciproca's small progressive enhancements; every page works without them.
 * - The phone menu: under 40rem the account and navigation fold behind a "Menu" button
 *   (the header stays under 80 px); without JavaScript they stay open.
 * - Tables wider than the screen scroll inside their frame with a visible hint, and the
 *   frame can be scrolled from the keyboard. */
(function () {
  "use strict";
  var phone = window.matchMedia("(max-width: 40rem)");

  function setupMenu() {
    var toggle = document.querySelector(".menu-toggle");
    var header = document.querySelector(".site-header");
    if (!toggle || !header) return;
    toggle.hidden = false;
    function apply(open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      header.setAttribute("data-menu", open ? "open" : "closed");
    }
    apply(!phone.matches);
    toggle.addEventListener("click", function () {
      apply(toggle.getAttribute("aria-expanded") !== "true");
    });
    phone.addEventListener("change", function () {
      apply(!phone.matches);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && phone.matches && toggle.getAttribute("aria-expanded") === "true") {
        apply(false);
        toggle.focus();
      }
    });
  }

  function markScrollable(root) {
    var hint = document.body.getAttribute("data-table-hint") || "";
    (root || document).querySelectorAll(".table-wrap").forEach(function (frame) {
      var wider = frame.scrollWidth > frame.clientWidth + 1;
      if (wider) {
        frame.setAttribute("data-scrollable", "");
        frame.setAttribute("data-hint", hint);
        frame.setAttribute("tabindex", "0");
        frame.setAttribute("role", "region");
        var caption = frame.querySelector("caption");
        frame.setAttribute("aria-label", (caption ? caption.textContent.trim() + " — " : "") + hint);
      } else if (frame.hasAttribute("data-scrollable")) {
        ["data-scrollable", "data-hint", "tabindex", "role", "aria-label"].forEach(function (name) {
          frame.removeAttribute(name);
        });
      }
    });
  }

  function start() {
    setupMenu();
    markScrollable();
    var pending;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(markScrollable, 150);
    });
    document.body.addEventListener("htmx:afterSettle", function () {
      markScrollable();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
