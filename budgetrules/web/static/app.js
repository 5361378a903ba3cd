// budgetrules pages: a little help, nothing required (every page works without script).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // A choice that changes the other fields (fund, COG) reloads the form with what was already typed.
  document.querySelectorAll("select[data-reload]").forEach(function (select) {
    select.addEventListener("change", function () {
      var form = select.form;
      ["from", "to", "line"].forEach(function (name) {
        var field = form.elements[name];
        if (field) { field.value = ""; }
      });
      var params = new URLSearchParams(new FormData(form));
      Array.from(params.keys()).forEach(function (key) {
        if (!params.get(key)) { params.delete(key); }
      });
      window.location.search = params.toString();
    });
  });
  // The page's link, made absolute, to paste in an e-mail; selected when clicked.
  document.querySelectorAll("input[data-absolute]").forEach(function (input) {
    input.value = new URL(input.value, window.location.href).href;
    input.addEventListener("focus", function () { input.select(); });
  });
  // A scenario file chosen on the disk fills the text area it names (read here, sent with the form).
  document.querySelectorAll("input[type=file][data-fill]").forEach(function (input) {
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      var target = input.form.elements[input.dataset.fill];
      if (!file || !target) { return; }
      if (file.size > 1000000) { target.value = ""; alert(input.dataset.tooLarge || "> 1 MB"); return; }
      file.text().then(function (text) { target.value = text; });
    });
  });
});
