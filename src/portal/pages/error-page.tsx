import type { FastifyRequest } from 'fastify';
import type { Catalogue } from '../../catalogue/registry.ts';
import type { Bilingual } from '../../platform/errors.ts';
import { shellHtml } from '../shell.tsx';

const TITLES: Record<number, Bilingual> = {
  400: { de: 'Anfrage nicht lesbar', en: 'Request could not be read' },
  401: { de: 'Anmeldung nötig', en: 'Sign-in needed' },
  403: { de: 'Nicht erlaubt', en: 'Not allowed' },
  404: { de: 'Seite nicht gefunden', en: 'Page not found' },
  409: { de: 'Inzwischen geändert', en: 'Changed in the meantime' },
  422: { de: 'Angaben prüfen', en: 'Check what you entered' },
  429: { de: 'Zu viele Versuche', en: 'Too many attempts' },
  500: { de: 'Technischer Fehler', en: 'Technical error' },
  503: { de: 'Gerade überlastet', en: 'Busy right now' },
};

export function renderErrorPage(req: FastifyRequest, deps: { catalogue: Catalogue }, status: number, message: Bilingual): string {
  const lang = req.lang ?? 'de';
  const title = (TITLES[status] ?? TITLES[500]!)[lang];
  const staff = req.url.startsWith('/staff');
  return shellHtml(req, deps.catalogue, {
    title,
    area: staff ? 'staff' : 'portal',
    body: (
      <>
        <h1 class="kern-heading-large">{title}</h1>
        <p class="kern-body">{message[lang]}</p>
        <p class="kern-body">
          <a class="kern-link" href={staff ? '/staff' : '/'}>
            {lang === 'de' ? 'Zur Startseite' : 'Go to the start page'}
          </a>
        </p>
      </>
    ),
  });
}
