// Web Push for the notification settings page. Needs JavaScript by nature: the server renders the
// button hidden, with a note saying what is needed; this script shows it only where the browser
// has service workers and the Push API. It registers /sw.js, subscribes with the server's VAPID
// key and posts the subscription to /account/push-subscriptions with the page's CSRF token.
(function () {
  'use strict';
  var root = document.querySelector('[data-module="push"]');
  if (!root || !window.fetch || !('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) return;

  var TEXT = {
    de: {
      denied: 'Ihr Browser hat Benachrichtigungen für diese Seite blockiert. Sie können das in den Einstellungen des Browsers ändern.',
      failed: 'Das hat nicht geklappt. Bitte versuchen Sie es später noch einmal. E-Mails bekommen Sie in jedem Fall.',
      working: 'Einen Moment bitte …',
    },
    en: {
      denied: 'Your browser blocks notifications for this site. You can change that in the browser settings.',
      failed: 'That did not work. Please try again later. You get emails in any case.',
      working: 'One moment, please …',
    },
  };
  var text = TEXT[root.getAttribute('data-lang') === 'en' ? 'en' : 'de'];
  var key = root.getAttribute('data-vapid-key') || '';
  var token = root.getAttribute('data-csrf') || '';
  var button = root.querySelector('[data-push-button]');
  var note = root.querySelector('[data-push-unavailable]');
  var active = root.querySelector('[data-push-active]');
  var box = root.querySelector('[data-push-message]');
  if (!button || !key) return;

  function keyBytes(b64url) {
    var b64 = (b64url + '==='.slice((b64url.length + 3) % 4)).replace(/-/g, '+').replace(/_/g, '/');
    var raw = window.atob(b64);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  function sameKey(subscription) {
    var have = subscription.options && subscription.options.applicationServerKey;
    if (!have) return true;
    var a = new Uint8Array(have);
    var b = keyBytes(key);
    if (a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  function show(message) {
    box.textContent = message;
    box.className = 'aw-passkey__message kern-alert kern-alert--danger';
  }

  function send(subscription) {
    return fetch('/account/push-subscriptions', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'csrf-token': token, accept: 'application/json' },
      body: JSON.stringify(subscription.toJSON()),
    }).then(function (res) {
      var type = res.headers.get('content-type') || '';
      return (type.indexOf('application/json') === -1 ? Promise.resolve({}) : res.json()).then(function (answer) {
        if (!res.ok) throw { server: answer && answer.error };
        return answer;
      });
    });
  }

  if (note) note.hidden = true;
  button.hidden = false;

  // Already subscribed in this browser: say so (the server keeps the list; the button stays, to
  // set the device up again after it was removed there).
  navigator.serviceWorker.getRegistration('/').then(function (reg) {
    return reg && reg.pushManager.getSubscription();
  }).then(function (sub) {
    if (sub && active) active.hidden = false;
  }).catch(function () {});

  button.addEventListener('click', function () {
    if (button.disabled) return;
    button.disabled = true;
    box.textContent = text.working;
    box.className = 'aw-passkey__message';
    Notification.requestPermission()
      .then(function (permission) {
        if (permission !== 'granted') throw { denied: true };
        return navigator.serviceWorker.register('/sw.js', { scope: '/' });
      })
      .then(function () {
        return navigator.serviceWorker.ready;
      })
      .then(function (reg) {
        return reg.pushManager
          .getSubscription()
          .then(function (existing) {
            // A subscription made for an older server key cannot be reused: drop it first.
            if (existing && !sameKey(existing)) return existing.unsubscribe().then(function () { return null; });
            return existing;
          })
          .then(function (existing) {
            return existing || reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
          });
      })
      .then(send)
      .then(function (answer) {
        window.location.assign((answer && answer.redirect) || '/account/notifications');
      })
      .catch(function (err) {
        button.disabled = false;
        if (err && err.denied) return show(text.denied);
        if (err && err.server) return show(err.server);
        show(text.failed);
      });
  });
})();
