// Copy the embed code: progressive enhancement. Without JavaScript the code stays in a read-only
// text area to select and copy; with it a button copies the code and says so in a status message.
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copy);
    var status = document.getElementById("embed-status");
    if (!field) { return; }
    button.hidden = false;
    function say(text) { if (status) { status.textContent = text; } }
    button.addEventListener("click", function () {
      field.focus();
      field.select();
      var done = function () { say(button.dataset.copied); };
      var fallback = function () {
        var copied = false;
        try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
        say(copied ? button.dataset.copied : button.dataset.failed);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, fallback);
      } else {
        fallback();
      }
    });
  });
  document.querySelectorAll("textarea[readonly][data-select]").forEach(function (field) {
    field.addEventListener("focus", function () { field.select(); });
  });
}());
