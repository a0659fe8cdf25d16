// coopdirText(format, args…) gives a text of our scripts in the page's
// language: the page holds them in #coopdir-text (web/script_text.go),
// keyed by the English format, with {1}, {2}… for the arguments. Without
// it the English format is filled in.
(function () {
  "use strict";
  var island = document.getElementById("coopdir-text");
  var texts = {};
  try {
    texts = island ? JSON.parse(island.textContent) : {};
  } catch (e) {
    texts = {};
  }
  window.coopdirText = function (format) {
    var args = Array.prototype.slice.call(arguments, 1);
    if (Object.prototype.hasOwnProperty.call(texts, format)) {
      return texts[format].replace(/\{(\d+)\}/g, function (m, i) {
        return i - 1 < args.length ? String(args[i - 1]) : m;
      });
    }
    var k = 0;
    return format.replace(/%s/g, function () { return k < args.length ? String(args[k++]) : "%s"; });
  };
})();
