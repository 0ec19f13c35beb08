// Passkeys (WebAuthn) for the account pages. Needs JavaScript by nature: the server renders the
// passkey buttons hidden, with a note that offers the e-mail link instead; this script shows the
// buttons only where the browser supports passkeys. It uses @simplewebauthn/browser
// (/assets/vendor/simplewebauthn-browser.js, loaded before this file) for navigator.credentials.
(function () {
  'use strict';
  var roots = document.querySelectorAll('[data-module="passkey"]');
  var lib = window.SimpleWebAuthnBrowser;
  if (roots.length === 0 || !lib || !window.fetch || !lib.browserSupportsWebAuthn()) return;

  var ENDPOINTS = {
    authenticate: { options: '/account/passkey/sign-in/options', verify: '/account/passkey/sign-in' },
    register: { options: '/account/passkey/sign-up/options', verify: '/account/passkey/sign-up' },
    add: { options: '/account/passkeys/add/options', verify: '/account/passkeys/add' },
  };

  var TEXT = {
    de: {
      cancelled: 'Der Vorgang wurde abgebrochen oder hat zu lange gedauert. Bitte versuchen Sie es noch einmal.',
      exists: 'Auf diesem Gerät gibt es schon einen Passkey für dieses Konto.',
      failed: 'Das hat nicht geklappt. Bitte versuchen Sie es noch einmal oder melden Sie sich mit einem Link per E-Mail an.',
      working: 'Bitte folgen Sie den Hinweisen Ihres Geräts …',
    },
    en: {
      cancelled: 'The request was cancelled or took too long. Please try again.',
      exists: 'This device already has a passkey for this account.',
      failed: 'That did not work. Please try again, or sign in with a link by email.',
      working: 'Please follow the prompts on your device …',
    },
  };

  function post(url, token, body) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': token, accept: 'application/json' },
      body: JSON.stringify(body || {}),
    }).then(function (res) {
      var type = res.headers.get('content-type') || '';
      if (type.indexOf('application/json') === -1) return { error: null };
      return res.json();
    });
  }

  Array.prototype.forEach.call(roots, function (root) {
    var form = root.querySelector('[data-passkey-form]');
    var note = root.querySelector('[data-passkey-unavailable]');
    var box = root.querySelector('[data-passkey-message]');
    var ceremony = root.getAttribute('data-ceremony');
    var endpoints = ENDPOINTS[ceremony];
    var text = TEXT[root.getAttribute('data-lang') === 'en' ? 'en' : 'de'];
    if (!form || !endpoints) return;
    var tokenInput = form.querySelector('input[name="_csrf"]');
    var token = tokenInput ? tokenInput.value : '';
    var button = form.querySelector('button');
    if (note) note.hidden = true;
    form.hidden = false;

    function show(message) {
      box.textContent = message;
      box.className = 'aw-passkey__message kern-alert kern-alert--danger';
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (button.disabled) return;
      button.disabled = true;
      box.textContent = '';
      box.className = 'aw-passkey__message';
      post(endpoints.options, token)
        .then(function (answer) {
          if (!answer || !answer.options) throw { server: answer && answer.error };
          box.textContent = text.working;
          return ceremony === 'authenticate'
            ? lib.startAuthentication({ optionsJSON: answer.options })
            : lib.startRegistration({ optionsJSON: answer.options });
        })
        .then(function (response) {
          return post(endpoints.verify, token, { response: response });
        })
        .then(function (answer) {
          if (answer && answer.redirect) {
            window.location.assign(answer.redirect);
            return;
          }
          throw { server: answer && answer.error };
        })
        .catch(function (err) {
          button.disabled = false;
          if (err && err.server) return show(err.server);
          var name = err && err.name;
          if (name === 'NotAllowedError' || name === 'AbortError') return show(text.cancelled);
          if (name === 'InvalidStateError') return show(text.exists);
          show(text.failed);
        });
    });
  });
})();
