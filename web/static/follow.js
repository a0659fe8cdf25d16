// coopdir: a Copy button beside each fediverse address ([data-copy]).
// Without JavaScript the address stays plain text, which people select
// and copy themselves.
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Plain http (a LAN instance): the older way, through a selection.
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy refused")); }
    });
  }

  document.querySelectorAll("[data-copy]").forEach(function (el) {
    var text = el.textContent.trim();
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary copy";
    button.textContent = coopdirText("Copy");
    button.setAttribute("aria-label", coopdirText("Copy the address %s", text));
    var status = document.createElement("span");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      copyText(text).then(function () {
        status.textContent = coopdirText("Copied %s", text);
      }, function () {
        // Select the address, so that the visitor's own copy works.
        var range = document.createRange();
        range.selectNodeContents(el);
        var sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
        status.textContent = coopdirText("Press Ctrl+C (or ⌘C) to copy the selected address");
      });
    });
    el.insertAdjacentElement("afterend", status);
    el.insertAdjacentElement("afterend", button);
    el.insertAdjacentText("afterend", " ");
  });
})();
