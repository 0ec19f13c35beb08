// Progressive enhancement only: every page works without this file.
(function () {
  'use strict';
  if (!('querySelector' in document) || !('addEventListener' in window)) return;

  // Move focus to the error summary so screen readers announce it (GOV.UK pattern).
  var summary = document.querySelector('[data-module="error-summary"]');
  if (summary && typeof summary.focus === 'function') summary.focus();

  // Prevent accidental double submission; the server is idempotent anyway.
  var forms = document.querySelectorAll('form[data-module="submit-once"]');
  Array.prototype.forEach.call(forms, function (form) {
    form.addEventListener('submit', function (event) {
      if (form.getAttribute('data-submitted') === 'true') {
        event.preventDefault();
        return;
      }
      form.setAttribute('data-submitted', 'true');
    });
  });
})();
