import type { ComponentChildren } from 'preact';

type Lang = 'de' | 'en';

export interface LayoutProps {
  readonly lang: Lang;
  readonly title: string;
  readonly siteName: string;
  /** Path of the current page, for the language switch. */
  readonly path: string;
  readonly nav: ReadonlyArray<{ href: string; label: string; current?: boolean }>;
  readonly footer: ComponentChildren;
  readonly children: ComponentChildren;
  /** Error pages and failed forms prefix the title so screen readers hear it first. */
  readonly hasErrors?: boolean;
}

/** The page frame: skip link, header with navigation and language switch, main, footer. */
export function Layout(props: LayoutProps) {
  const other: Lang = props.lang === 'de' ? 'en' : 'de';
  const errorPrefix = props.hasErrors ? (props.lang === 'de' ? 'Fehler: ' : 'Error: ') : '';
  return (
    <html lang={props.lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${errorPrefix}${props.title} – ${props.siteName}`}</title>
        <link rel="stylesheet" href="/assets/kern/kern.min.css" />
        <link rel="stylesheet" href="/assets/kern/fonts/fira-sans.css" />
        <link rel="stylesheet" href="/assets/app.css" />
        <link rel="manifest" href="/manifest.webmanifest" />
        <meta name="theme-color" content="#0b3d6b" />
        <script src="/assets/app.js" defer></script>
      </head>
      <body>
        <a class="aw-skip-link" href="#main">
          {props.lang === 'de' ? 'Zum Inhalt springen' : 'Skip to content'}
        </a>
        <header class="aw-header">
          <div class="kern-container aw-header__inner">
            <a class="aw-brand" href="/">
              <span class="aw-brand__name">Amtsweg</span>
              <span class="aw-brand__city">{props.siteName}</span>
            </a>
            <nav aria-label={props.lang === 'de' ? 'Hauptnavigation' : 'Main navigation'}>
              <ul class="aw-nav">
                {props.nav.map((item) => (
                  <li>
                    <a class="kern-link" href={item.href} aria-current={item.current ? 'page' : undefined}>
                      {item.label}
                    </a>
                  </li>
                ))}
                <li>
                  <a class="kern-link" href={`/lang?to=${other}&back=${encodeURIComponent(props.path)}`} lang={other} hrefLang={other}>
                    {other === 'en' ? 'English' : 'Deutsch'}
                  </a>
                </li>
              </ul>
            </nav>
          </div>
        </header>
        <main id="main" class="kern-container aw-main" tabIndex={-1}>
          {props.children}
        </main>
        <footer class="aw-footer">
          <div class="kern-container">{props.footer}</div>
        </footer>
      </body>
    </html>
  );
}
