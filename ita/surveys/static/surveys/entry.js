// A slip's QR code opens /s/#CODE. The fragment never reaches the server; this script moves the
// code into the form, removes it from the address bar and the history, and sends the form, so
// the code travels only in a post body. Without JavaScript the person types the code instead.
(function () {
  "use strict";
  var form = document.getElementById("code-form");
  var raw = location.hash.slice(1);
  if (!form || !raw) { return; }
  try { raw = decodeURIComponent(raw); } catch (e) { return; }
  var alphabet = form.getAttribute("data-alphabet");
  var length = parseInt(form.getAttribute("data-length"), 10);
  var code = raw.toUpperCase().replace(/[^0-9A-Z]/g, "");
  var valid = code.length === length && code.split("").every(function (ch) { return alphabet.indexOf(ch) >= 0; });
  if (!valid) { return; }  // some other fragment, such as the skip link's #main
  history.replaceState(null, "", location.pathname + location.search);
  form.elements.code.value = code;
  form.submit();
})();
