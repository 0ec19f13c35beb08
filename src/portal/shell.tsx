import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import type {} from '../backoffice/staff-links.ts';
import type { Catalogue } from '../catalogue/registry.ts';
import type { Lang } from '../platform/http/lang.ts';
import { Layout } from '../platform/views/layout.tsx';
import { renderPage } from '../platform/views/render.ts';

/** Wraps a page body in the site frame and sends it. */
export interface ShellOptions {
  readonly title: string;
  readonly body: ComponentChildren;
  readonly status?: number;
  readonly hasErrors?: boolean;
  readonly area?: 'portal' | 'staff';
}

export function shellHtml(req: FastifyRequest, catalogue: Catalogue, opts: ShellOptions): string {
  const lang: Lang = req.lang;
  const path = req.url.split('?')[0] ?? '/';
  const de = lang === 'de';
  const nav =
    opts.area === 'staff'
      ? [
          // The areas this person's roles open (set by the back office once signed in).
          ...(req.staffLinks ?? []).map((l) => ({ href: l.href, label: l.label, current: path === l.href })),
          { href: '/', label: de ? 'Zum Portal' : 'To the portal' },
        ]
      : [
          { href: '/services', label: de ? 'Leistungen' : 'Services', current: path.startsWith('/services') },
          { href: '/status', label: de ? 'Stand abfragen' : 'Check status', current: path.startsWith('/status') },
          ...(req.session?.kind === 'citizen'
            ? [
                { href: '/my-cases', label: de ? 'Meine Anliegen' : 'My matters', current: path.startsWith('/my-cases') },
                { href: '/account', label: de ? 'Mein Konto' : 'My account', current: path === '/account' },
              ]
            : [{ href: '/account/sign-in', label: de ? 'Anmelden' : 'Sign in', current: path.startsWith('/account') }]),
          { href: '/staff', label: de ? 'Für Mitarbeitende' : 'For staff' },
        ];
  const city = catalogue.city;
  return renderPage(
    <Layout
      lang={lang}
      title={opts.title}
      siteName={city.name[lang]}
      path={path}
      nav={nav}
      hasErrors={opts.hasErrors ?? false}
      footer={
        <>
          <p class="kern-body kern-body--small">{city.contact[lang]}</p>
          <p class="kern-body kern-body--small">
            <a class="kern-link" href="/api/docs">
              {de ? 'Programmierschnittstelle (API)' : 'Programming interface (API)'}
            </a>
          </p>
        </>
      }
    >
      {opts.body}
    </Layout>,
  );
}

export function sendPage(req: FastifyRequest, reply: FastifyReply, catalogue: Catalogue, opts: ShellOptions): FastifyReply {
  return reply
    .status(opts.status ?? 200)
    .type('text/html; charset=utf-8')
    .send(shellHtml(req, catalogue, opts));
}
