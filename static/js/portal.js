// Portal-wide behaviour, served by the portal (no framework, no CDN; the CSP allows no
// inline script). Without JavaScript the navigation simply stays open and wide tables
// still scroll inside themselves.
//
// 1. On narrow screens the main navigation and the signed-in user's links collapse behind
//    the "Menu" button (aria-expanded says whether it is open; Escape closes it).
// 2. A table (or code block) wider than its container scrolls inside itself; when it does, it becomes
//    focusable so keyboard users can scroll it too (WCAG 2.1.1).
(function () {
  "use strict";
  var button = document.querySelector(".nav-toggle");
  var menu = document.getElementById("site-menu");
  if (button && menu) {
    document.documentElement.classList.add("has-nav-toggle");
    button.hidden = false;
    var setOpen = function (open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("is-open", open);
    };
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        button.focus();
      }
    });
  }

  var markScrollable = function () {
    var boxes = document.querySelectorAll("main table, main .table-wrap, main pre");
    Array.prototype.forEach.call(boxes, function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-scrolls", "");
      } else if (!scrolls && box.hasAttribute("data-scrolls")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-scrolls");
      }
    });
  };
  markScrollable();
  var timer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(markScrollable, 100);
  });
})();
