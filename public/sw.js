// The service worker of the installed app: it shows Web Push notifications and opens the status
// page when one is clicked. Nothing is cached and no request goes through it (no fetch handler):
// every page still comes from the server. Served as /sw.js so that its scope is the whole site.
'use strict';

self.addEventListener('install', function () {
  self.skipWaiting();
});

self.addEventListener('activate', function (event) {
  event.waitUntil(self.clients.claim());
});

// Only pages of this site are opened: a payload cannot send the person elsewhere.
function sameOrigin(url) {
  try {
    var u = new URL(url, self.location.origin);
    return u.origin === self.location.origin ? u.href : self.location.origin + '/';
  } catch (e) {
    return self.location.origin + '/';
  }
}

self.addEventListener('push', function (event) {
  var data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (e) {
    data = {};
  }
  var title = typeof data.title === 'string' && data.title ? data.title : 'Amtsweg';
  event.waitUntil(
    self.registration.showNotification(title, {
      body: typeof data.body === 'string' ? data.body : '',
      icon: '/assets/icon.svg',
      lang: 'de',
      data: { url: sameOrigin(typeof data.url === 'string' ? data.url : '/') },
    }),
  );
});

self.addEventListener('notificationclick', function (event) {
  event.notification.close();
  var url = sameOrigin(event.notification.data && event.notification.data.url);
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then(function (list) {
      for (var i = 0; i < list.length; i++) {
        if (list[i].url === url && 'focus' in list[i]) return list[i].focus();
      }
      return self.clients.openWindow(url);
    }),
  );
});
