import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';

/**
 * The development identity provider's own pages: server-rendered, no script, no inline style
 * (the stylesheet comes from /assets/devidp.css), German first with English beside it (marked
 * with `lang="en"` for screen readers), one fieldset per choice, error summary on top.
 */

export type Bi = { readonly de: string; readonly en: string };

export const CSS = `
html { font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a1a; background: #fff; }
body { margin: 0; }
header { background: #5a2d82; color: #fff; padding: .75rem 1rem; }
header p { margin: 0; font-weight: 600; }
main { max-width: 44rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; line-height: 1.25; }
.en { color: #4a4a4a; font-weight: normal; }
h1 .en, legend .en { display: block; font-size: .85em; }
fieldset { border: 1px solid #767676; border-radius: 4px; margin: 0 0 1.25rem; padding: .75rem 1rem; }
legend { font-weight: 700; padding: 0 .25rem; }
.choice { display: flex; gap: .5rem; align-items: flex-start; margin: .5rem 0; }
.choice input { width: 1.25rem; height: 1.25rem; margin-top: .2rem; }
.hint { color: #4a4a4a; font-size: .95rem; }
label { cursor: pointer; }
input[type=text] { font: inherit; padding: .4rem; border: 2px solid #1a1a1a; border-radius: 3px; width: 10rem; }
.actions { display: flex; flex-wrap: wrap; gap: .75rem; margin-top: 1rem; }
button { font: inherit; font-weight: 600; padding: .6rem 1.2rem; border-radius: 4px; border: 2px solid #5a2d82; cursor: pointer; }
button.primary { background: #5a2d82; color: #fff; }
button.secondary { background: #fff; color: #5a2d82; }
button .en, header .en { color: inherit; }
:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; box-shadow: 0 0 0 5px #1a1a1a; }
.errors { border: 4px solid #b00020; padding: .75rem 1rem; margin-bottom: 1.25rem; }
.errors h2 { margin-top: 0; font-size: 1.2rem; }
.error { color: #b00020; font-weight: 600; }
.code { font-family: ui-monospace, monospace; font-size: 1.3rem; letter-spacing: .15em; font-weight: 700; }
dl { display: grid; grid-template-columns: minmax(8rem, 14rem) 1fr; gap: .25rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; }
`;

/** German text, then the English one marked as such. */
export function T(props: { t: Bi }) {
  return (
    <>
      {props.t.de} <span class="en" lang="en">{props.t.en}</span>
    </>
  );
}

export function page(title: Bi, body: ComponentChildren): string {
  return `<!doctype html>${renderToString(
    <html lang="de">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${title.de} – Test-Identitätsanbieter`}</title>
        <link rel="stylesheet" href="/assets/devidp.css" />
      </head>
      <body>
        <header>
          <p>
            Test-Identitätsanbieter – nur für die Entwicklung <span lang="en">· Test identity provider – development only</span>
          </p>
        </header>
        <main id="main">
          <h1>
            <T t={title} />
          </h1>
          {body}
        </main>
      </body>
    </html>,
  )}`;
}

export function ErrorSummary(props: { errors: ReadonlyArray<{ href: string; text: Bi }> }) {
  if (props.errors.length === 0) return null;
  return (
    <div class="errors" role="alert" aria-labelledby="errors-title">
      <h2 id="errors-title">
        Bitte korrigieren Sie Folgendes <span class="en" lang="en">There is a problem</span>
      </h2>
      <ul>
        {props.errors.map((e) => (
          <li>
            <a href={e.href}>
              <T t={e.text} />
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export interface Option {
  readonly value: string;
  readonly label: Bi | string;
  readonly hint?: Bi;
}

/** A radio group: fieldset and legend, each radio with its own label, the error inside the group. */
export function RadioGroup(props: { name: string; legend: Bi; options: readonly Option[]; selected?: string | undefined; error?: Bi | undefined }) {
  return (
    <fieldset aria-describedby={props.error ? `${props.name}-error` : undefined}>
      <legend>
        <T t={props.legend} />
      </legend>
      {props.error ? (
        <p class="error" id={`${props.name}-error`}>
          <T t={props.error} />
        </p>
      ) : null}
      {props.options.map((o, i) => {
        const id = i === 0 ? props.name : `${props.name}-${i}`;
        return (
          <div class="choice">
            <input type="radio" id={id} name={props.name} value={o.value} checked={props.selected === o.value} aria-describedby={o.hint ? `${id}-hint` : undefined} />
            <label for={id}>
              {typeof o.label === 'string' ? o.label : <T t={o.label} />}
              {o.hint ? (
                <span class="hint" id={`${id}-hint`}>
                  {' '}
                  – <T t={o.hint} />
                </span>
              ) : null}
            </label>
          </div>
        );
      })}
    </fieldset>
  );
}

export function Button(props: { kind: 'primary' | 'secondary'; formAction?: string; children: ComponentChildren }) {
  return (
    <button type="submit" class={props.kind} formAction={props.formAction}>
      {props.children}
    </button>
  );
}

/** The form's main button. */
export function PrimaryAction(props: { label: Bi }) {
  return (
    <div class="actions">
      <Button kind="primary">
        <T t={props.label} />
      </Button>
    </div>
  );
}

/** "Abbrechen": its own form, so cancelling never sends the other form's answers. */
export function CancelForm(props: { action: string }) {
  return (
    <form method="post" action={props.action}>
      <div class="actions">
        <Button kind="secondary">
          <T t={{ de: 'Abbrechen', en: 'Cancel' }} />
        </Button>
      </div>
    </form>
  );
}
