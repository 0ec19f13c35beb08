import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Lang } from '../catalogue/service-definition.ts';
import { verifyIssued, type VerifiedDocument } from '../efile/issued-documents.ts';
import { formatDate } from '../platform/i18n/time.ts';
import { Alert, Button, CsrfField, ErrorSummary, SummaryList } from '../platform/views/components.tsx';
import type { Runtime } from '../runtime.ts';
import { sendPage } from './shell.tsx';
import { UploadedFile } from '../platform/http/multipart.ts';

/**
 * The public verification page of issued documents (ADR 0013), reached through the QR code on
 * every sealed PDF: `/verify/<id>`. Public by design, so it shows only what is not personal:
 * whether the office issued a document under this id, its kind and title, the issuing office,
 * the issue date and the SHA-256 of the sealed file. Never the reference, names or case data.
 * A PDF can be checked against the recorded fingerprint with a plain file upload (no JavaScript).
 * The posted file arrives through the app-wide multipart parser (`platform/http/multipart.ts`) as an
 * `UploadedFile`, read only up to the route's `uploadLimit`.
 */
const KIND = {
  receipt: { de: 'Eingangsbestätigung', en: 'Receipt' },
  decision: { de: 'Bescheid', en: 'Decision' },
} as const;

/** Larger files cannot be one of our PDFs; they are cut off here and so simply do not match. */
const MAX_FILE_BYTES = 10 * 1024 * 1024;

type Outcome = { kind: 'match' | 'mismatch' } | { kind: 'missing' };

/** The posted file's bytes from either parser; undefined when none was chosen. */
function postedFile(value: unknown): UploadedFile | undefined {
  return value instanceof UploadedFile && !value.empty ? value : undefined;
}

const groups = (hex: string) => hex.match(/.{1,8}/g)?.join(' ') ?? hex;

function VerifyView(p: { lang: Lang; id: string; doc: VerifiedDocument; cityName: string; timeZone: string; csrfToken: string; outcome?: Outcome | undefined }) {
  const de = p.lang === 'de';
  const { doc } = p;
  const missing = p.outcome?.kind === 'missing' ? (de ? 'Bitte wählen Sie die PDF-Datei aus, die Sie prüfen möchten.' : 'Choose the PDF file you want to check.') : undefined;
  return (
    <>
      <ErrorSummary title={de ? 'Bitte korrigieren Sie Folgendes' : 'There is a problem'} errors={missing ? [{ href: '#file', text: missing }] : []} />
      <h1 class="kern-heading-large">{de ? 'Echtheit eines Dokuments prüfen' : 'Check that a document is genuine'}</h1>
      <div data-testid="verdict">
        <Alert kind="success" title={de ? 'Echtes Dokument' : 'Genuine document'} role="status">
          <p class="kern-body">
            {de
              ? `${p.cityName} hat unter dieser Prüfnummer ein Dokument ausgestellt und elektronisch gesiegelt.`
              : `${p.cityName} issued and electronically sealed a document under this verification number.`}
          </p>
        </Alert>
      </div>
      <SummaryList
        rows={[
          { key: de ? 'Art' : 'Kind', value: KIND[doc.kind][p.lang] },
          { key: de ? 'Titel' : 'Title', value: doc.title[p.lang] },
          { key: de ? 'Ausgestellt von' : 'Issued by', value: `${doc.departmentName[p.lang]}, ${p.cityName}` },
          { key: de ? 'Ausgestellt am' : 'Issued on', value: <time dateTime={doc.issuedAt.toISOString()}>{formatDate(doc.issuedAt, p.lang, p.timeZone)}</time> },
          { key: de ? 'Fingerabdruck (SHA-256) der Datei' : 'Fingerprint (SHA-256) of the file', value: <code data-testid="sha256">{groups(doc.sha256)}</code> },
        ]}
      />
      <p class="kern-body">
        {de
          ? 'Diese Seite zeigt keine persönlichen Daten und kein Aktenzeichen. Ob der Inhalt Ihres Exemplars unverändert ist, prüfen Sie mit der PDF-Datei: Sie wird nur verglichen, nicht gespeichert.'
          : 'This page shows no personal data and no reference. To check that the content of your copy is unchanged, use the PDF file: it is only compared, never stored.'}
      </p>
      {p.outcome?.kind === 'match' ? (
        <div data-testid="file-result">
          <Alert kind="success" title={de ? 'Die Datei stimmt mit dem ausgestellten Dokument überein.' : 'The file matches the issued document.'} role="status" />
        </div>
      ) : null}
      {p.outcome?.kind === 'mismatch' ? (
        <div data-testid="file-result">
          <Alert kind="danger" title={de ? 'Die Datei stimmt nicht mit dem ausgestellten Dokument überein.' : 'The file does not match the issued document.'} role="alert">
            <p class="kern-body">
              {de
                ? 'Sie wurde nach dem Ausstellen verändert oder ist ein anderes Dokument. Verlassen Sie sich nicht auf ihren Inhalt und fragen Sie im Zweifel bei der ausstellenden Stelle nach.'
                : 'It was changed after it was issued, or it is a different document. Do not rely on its content; if in doubt, ask the issuing office.'}
            </p>
          </Alert>
        </div>
      ) : null}
      <h2 class="kern-heading-medium">{de ? 'PDF-Datei prüfen' : 'Check a PDF file'}</h2>
      <form method="post" action={`/verify/${p.id}`} enctype="multipart/form-data" novalidate>
        <CsrfField token={p.csrfToken} />
        <div class={`kern-form-input${missing ? ' kern-form-input--error' : ''}`}>
          <label class="kern-label" for="file">
            {de ? 'PDF-Datei' : 'PDF file'}
          </label>
          <div class="kern-hint" id="file-hint">
            {de ? 'Die Datei, die Sie erhalten haben, zum Beispiel Bescheid-….pdf' : 'The file you received, for example Bescheid-….pdf'}
          </div>
          {missing ? (
            <p class="kern-error" id="file-error">
              <span class="kern-icon kern-icon--danger" aria-hidden="true"></span>
              <span class="kern-body">{missing}</span>
            </p>
          ) : null}
          <input
            id="file"
            name="file"
            type="file"
            accept="application/pdf,.pdf"
            class={`kern-form-input__input${missing ? ' kern-form-input__input--error' : ''}`}
            aria-describedby={missing ? 'file-hint file-error' : 'file-hint'}
            aria-invalid={missing ? 'true' : undefined}
          />
        </div>
        <Button>{de ? 'Datei prüfen' : 'Check file'}</Button>
      </form>
    </>
  );
}

function UnknownView(p: { lang: Lang }) {
  const de = p.lang === 'de';
  return (
    <>
      <h1 class="kern-heading-large">{de ? 'Echtheit eines Dokuments prüfen' : 'Check that a document is genuine'}</h1>
      <div data-testid="verdict">
        <Alert kind="danger" title={de ? 'Kein Dokument unter dieser Prüfnummer' : 'No document under this verification number'} role="alert">
          <p class="kern-body">
            {de
              ? 'Unter dieser Adresse ist kein von uns ausgestelltes Dokument verzeichnet. Prüfen Sie, ob Sie die Adresse vollständig übernommen haben. Ist sie richtig, stammt das Dokument nicht von uns: Verlassen Sie sich nicht darauf.'
              : 'No document issued by us is recorded under this address. Check that you copied the whole address. If it is right, the document does not come from us: do not rely on it.'}
          </p>
        </Alert>
      </div>
    </>
  );
}

export async function registerVerifyRoutes(app: FastifyInstance, deps: Pick<Runtime, 'db' | 'catalogue' | 'config'>): Promise<void> {
  const { db, catalogue, config } = deps;
  const limit = { max: config.statusLookupsPerMinute, timeWindow: 60_000 };

  const render = async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, outcome?: Outcome) => {
    const doc = await verifyIssued(db, req.params.id);
    const title = req.lang === 'de' ? 'Dokument prüfen' : 'Check a document';
    if (!doc) return sendPage(req, reply, catalogue, { title, status: 404, body: <UnknownView lang={req.lang} /> });
    return sendPage(req, reply, catalogue, {
      title,
      status: outcome?.kind === 'missing' ? 422 : 200,
      hasErrors: outcome?.kind === 'missing',
      body: <VerifyView lang={req.lang} id={doc.id} doc={doc} cityName={catalogue.city.name[req.lang]} timeZone={catalogue.city.timeZone} csrfToken={reply.generateCsrf()} outcome={outcome} />,
    });
  };

  app.get('/verify/:id', { config: { rateLimit: limit } }, async (req: FastifyRequest<{ Params: { id: string } }>, reply) => render(req, reply));

  // An oversized file is read no further: it cannot match, and the page says so.
  const postConfig = { rateLimit: limit, uploadLimit: (_req: FastifyRequest, field: string) => (field === 'file' ? MAX_FILE_BYTES : undefined) };
  app.post('/verify/:id', { config: postConfig }, async (req: FastifyRequest<{ Params: { id: string }; Body: { file?: unknown } }>, reply) => {
    const file = postedFile(req.body?.file);
    if (!file) return render(req, reply, { kind: 'missing' });
    const doc = await verifyIssued(db, req.params.id);
    if (!doc) return render(req, reply);
    const sha256 = createHash('sha256').update(file.bytes).digest('hex');
    return render(req, reply, { kind: !file.tooLarge && sha256 === doc.sha256 ? 'match' : 'mismatch' });
  });
}
