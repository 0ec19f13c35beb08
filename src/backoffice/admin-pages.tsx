import { formatDurationSeconds } from '../platform/i18n/time.ts';
import type { DepartmentFigures } from '../cases/figures.ts';
import type { Catalogue } from '../catalogue/registry.ts';
import type { Lang } from '../catalogue/service-definition.ts';
import type { StaffListEntry } from '../identity/staff-admin.ts';
import type { FieldProblem } from '../platform/errors.ts';
import type { StaffRole } from '../schema.ts';
import { Alert, Button, ChoiceGroup, CsrfField, ErrorSummary, SelectInput, SummaryList, TextInput } from '../platform/views/components.tsx';

const ROLE_LABELS: Readonly<Record<StaffRole, { de: string; en: string }>> = {
  clerk: { de: 'Sachbearbeitung', en: 'Clerk' },
  supervisor: { de: 'Sachgebietsleitung', en: 'Supervisor' },
  department_admin: { de: 'Verwaltung der Abteilung', en: 'Department administrator' },
  system_admin: { de: 'Systemverwaltung', en: 'System administrator' },
};

const deptName = (catalogue: Catalogue, id: string, lang: Lang) => catalogue.city.departments.find((d) => d.id === id)?.name[lang] ?? id;

/* ---------- figures ---------- */

export function FiguresView(p: { lang: Lang; catalogue: Catalogue; figures: readonly DepartmentFigures[] }) {
  const de = p.lang === 'de';
  const stateLabel = (serviceId: string, state: string) => p.catalogue.get(serviceId)?.process.states.find((s) => s.id === state)?.publicLabel[p.lang] ?? state;
  return (
    <>
      <h1 class="kern-heading-large">{de ? 'Kennzahlen' : 'Figures'}</h1>
      {p.figures.map((f) => (
        <section aria-labelledby={`dept-${f.departmentId}`}>
          <h2 class="kern-heading-medium" id={`dept-${f.departmentId}`}>
            {deptName(p.catalogue, f.departmentId, p.lang)}
          </h2>
          <SummaryList
            rows={[
              { key: de ? 'Offene Vorgänge' : 'Open cases', value: <span data-testid={`open-${f.departmentId}`}>{f.open}</span> },
              { key: de ? 'davon überfällig' : 'of which overdue', value: String(f.overdue) },
              { key: de ? 'davon niemandem zugewiesen' : 'of which not assigned', value: String(f.unassigned) },
              { key: de ? 'Eingänge in 7 Tagen' : 'Received in 7 days', value: String(f.receivedLast7Days) },
              { key: de ? 'Eingänge in 30 Tagen' : 'Received in 30 days', value: String(f.receivedLast30Days) },
              { key: de ? 'Abgeschlossen in 30 Tagen' : 'Closed in 30 days', value: String(f.decidedLast30Days) },
              {
                key: de ? 'Bearbeitungszeit bis zum Abschluss (Median)' : 'Time to closing (median)',
                value: f.medianDaysToDecision === null ? '—' : de ? `${String(f.medianDaysToDecision).replace('.', ',')} Tage` : `${f.medianDaysToDecision} days`,
              },
              { key: de ? 'Empfangsbestätigungen in 30 Tagen' : 'Receipts issued in 30 days', value: String(f.receiptsLast30Days) },
              {
                key: de ? 'Zeit vom Absenden bis zur Empfangsbestätigung (Median / längste)' : 'Time from sending to receipt (median / longest)',
                value:
                  f.medianSecondsToReceipt === null || f.maxSecondsToReceipt === null ? '—' : <span data-testid={`receipt-time-${f.departmentId}`}>{`${formatDurationSeconds(f.medianSecondsToReceipt, p.lang)} / ${formatDurationSeconds(f.maxSecondsToReceipt, p.lang)}`}</span>,
              },
            ]}
          />
          <h3 class="kern-heading-small">{de ? 'Offene Vorgänge nach Stand' : 'Open cases by state'}</h3>
          {f.openByState.length === 0 ? (
            <p class="kern-body">{de ? 'Keine offenen Vorgänge.' : 'No open cases.'}</p>
          ) : (
            <table class="kern-table">
              <caption class="kern-sr-only">{de ? 'Offene Vorgänge nach Leistung und Stand' : 'Open cases by service and state'}</caption>
              <thead class="kern-table__header">
                <tr class="kern-table__row">
                  <th class="kern-table__header" scope="col">{de ? 'Leistung' : 'Service'}</th>
                  <th class="kern-table__header" scope="col">{de ? 'Stand' : 'State'}</th>
                  <th class="kern-table__header" scope="col">{de ? 'Anzahl' : 'Count'}</th>
                </tr>
              </thead>
              <tbody class="kern-table__body">
                {f.openByState.map((r) => (
                  <tr class="kern-table__row">
                    <td class="kern-table__cell">{p.catalogue.get(r.serviceId)?.title[p.lang] ?? r.serviceId}</td>
                    <td class="kern-table__cell">{stateLabel(r.serviceId, r.state)}</td>
                    <td class="kern-table__cell">{r.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h3 class="kern-heading-small">{de ? 'Offene Vorgänge je Person' : 'Open cases per person'}</h3>
          {f.workload.length === 0 ? (
            <p class="kern-body">{de ? 'Niemandem sind offene Vorgänge zugewiesen.' : 'Nobody has open cases assigned.'}</p>
          ) : (
            <ul class="kern-list">
              {f.workload.map((w) => (
                <li>
                  {w.name}: {w.open}
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </>
  );
}

/* ---------- staff administration ---------- */

export interface NewStaffForm {
  readonly username: string;
  readonly displayName: string;
  readonly departmentId: string;
  readonly roles: readonly string[];
}

export function StaffAdminView(p: {
  lang: Lang;
  catalogue: Catalogue;
  staff: readonly StaffListEntry[];
  departments: readonly string[];
  roles: readonly StaffRole[];
  csrfToken: string;
  form: NewStaffForm;
  errors: readonly FieldProblem[];
  message?: string | undefined;
  done?: string | undefined;
}) {
  const de = p.lang === 'de';
  const err = (f: string) => p.errors.filter((e) => e.field === f).map((e) => e.message[p.lang]).join(' ') || undefined;
  const summary = [...p.errors.map((e) => ({ href: `#${e.field === 'grants' ? 'roles' : e.field}`, text: e.message[p.lang] })), ...(p.message ? [{ href: '#username', text: p.message }] : [])];
  return (
    <>
      {p.done ? <Alert kind="success" title={p.done} role="status" /> : null}
      <ErrorSummary title={de ? 'Bitte korrigieren Sie Folgendes' : 'There is a problem'} errors={summary} />
      <h1 class="kern-heading-large">{de ? 'Mitarbeitende verwalten' : 'Manage staff'}</h1>
      <div class="kern-table-responsive">
        <table class="kern-table kern-table--striped">
          <caption class="kern-sr-only">{de ? 'Mitarbeitende Ihrer Abteilungen' : "Your departments' staff"}</caption>
          <thead class="kern-table__header">
            <tr class="kern-table__row">
              <th class="kern-table__header" scope="col">{de ? 'Name' : 'Name'}</th>
              <th class="kern-table__header" scope="col">{de ? 'Benutzername' : 'Username'}</th>
              <th class="kern-table__header" scope="col">{de ? 'Rollen' : 'Roles'}</th>
              <th class="kern-table__header" scope="col">{de ? 'Konto' : 'Account'}</th>
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {p.staff.map((s) => (
              <tr class="kern-table__row">
                <td class="kern-table__cell">
                  <a class="kern-link" href={`/staff/admin/users/${s.id}`}>
                    {s.displayName}
                  </a>
                </td>
                <td class="kern-table__cell">{s.username}</td>
                <td class="kern-table__cell">{s.grants.map((g) => `${ROLE_LABELS[g.role][p.lang]} (${deptName(p.catalogue, g.departmentId, p.lang)})`).join(', ')}</td>
                <td class="kern-table__cell">
                  {s.active ? (de ? 'aktiv' : 'active') : de ? 'gesperrt' : 'deactivated'}
                  {s.signsInWith === 'sso' ? (de ? ' · Anmeldung über das Verzeichnis' : ' · signs in through the directory') : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2 class="kern-heading-medium">{de ? 'Neues Konto anlegen' : 'Create an account'}</h2>
      <form method="post" action="/staff/admin/users" novalidate>
        <CsrfField token={p.csrfToken} />
        <TextInput id="username" label={de ? 'Benutzername' : 'Username'} value={p.form.username} error={err('username')} autocomplete="off" required />
        <TextInput id="displayName" label={de ? 'Name' : 'Name'} value={p.form.displayName} error={err('displayName')} autocomplete="off" required />
        <TextInput
          id="password"
          type="password"
          label={de ? 'Erstes Passwort (mindestens 12 Zeichen)' : 'First password (at least 12 characters)'}
          hint={de ? 'Geben Sie es der Person auf sicherem Weg weiter.' : 'Hand it to the person securely.'}
          value=""
          error={err('password')}
          autocomplete="new-password"
          required
        />
        <SelectInput
          id="departmentId"
          legend={de ? 'Abteilung' : 'Department'}
          selected={p.form.departmentId}
          emptyLabel={de ? 'Bitte wählen' : 'Choose'}
          choices={p.departments.map((d) => ({ value: d, label: deptName(p.catalogue, d, p.lang) }))}
          error={err('departmentId')}
        />
        <ChoiceGroup id="roles" legend={de ? 'Rollen' : 'Roles'} multiple selected={p.form.roles} choices={p.roles.map((r) => ({ value: r, label: ROLE_LABELS[r][p.lang] }))} error={err('grants')} />
        <Button>{de ? 'Konto anlegen' : 'Create account'}</Button>
      </form>
    </>
  );
}

export function StaffCreatedView(p: { lang: Lang; username: string; totpSecret: string; otpauthUri: string }) {
  const de = p.lang === 'de';
  return (
    <>
      <Alert kind="success" title={de ? `Das Konto „${p.username}“ ist angelegt.` : `The account “${p.username}” was created.`} role="status" />
      <h1 class="kern-heading-large">{de ? 'Zweiten Faktor einrichten' : 'Set up the second factor'}</h1>
      <p class="kern-body">
        {de
          ? 'Dieser Schlüssel wird nur jetzt angezeigt. Die Person trägt ihn in ihre Authenticator-App ein (TOTP, 6 Ziffern, 30 Sekunden).'
          : 'This key is shown only now. The person enters it into their authenticator app (TOTP, 6 digits, 30 seconds).'}
      </p>
      <SummaryList
        rows={[
          { key: de ? 'Schlüssel' : 'Key', value: <code data-testid="totp-secret">{p.totpSecret}</code> },
          { key: de ? 'Einrichtungs-Adresse' : 'Set-up address', value: <code class="aw-break">{p.otpauthUri}</code> },
        ]}
      />
      <p class="kern-body">
        <a class="kern-link" href="/staff/admin">
          {de ? 'Zurück zur Übersicht' : 'Back to the overview'}
        </a>
      </p>
    </>
  );
}

export function StaffEditView(p: {
  lang: Lang;
  catalogue: Catalogue;
  entry: StaffListEntry;
  /** Per department the actor manages: the roles they may grant there. */
  editable: ReadonlyArray<{ departmentId: string; roles: readonly StaffRole[] }>;
  csrfToken: string;
  isSelf: boolean;
  errors: readonly FieldProblem[];
  errorDepartment?: string | undefined;
  done?: string | undefined;
}) {
  const de = p.lang === 'de';
  return (
    <>
      <p class="kern-body">
        <a class="kern-link" href="/staff/admin">
          {de ? 'Zurück zur Übersicht' : 'Back to the overview'}
        </a>
      </p>
      {p.done ? <Alert kind="success" title={p.done} role="status" /> : null}
      <ErrorSummary
        title={de ? 'Bitte korrigieren Sie Folgendes' : 'There is a problem'}
        errors={p.errors.map((e) => ({ href: e.field === 'active' ? '#active' : `#roles-${p.errorDepartment ?? ''}`, text: e.message[p.lang] }))}
      />
      <h1 class="kern-heading-large">{p.entry.displayName}</h1>
      <p class="kern-body">
        {p.entry.username} · {p.entry.active ? (de ? 'aktiv' : 'active') : de ? 'gesperrt' : 'deactivated'}
      </p>
      {p.entry.signsInWith === 'sso' ? (
        <Alert kind="info" title={de ? 'Rollen aus dem Verzeichnis' : 'Roles from the directory'}>
          <p class="kern-body">
            {de
              ? 'Diese Person meldet sich über das Verzeichnis der Stadt an. Ihre Rollen kommen aus den Gruppen dort und werden bei jeder Anmeldung übernommen.'
              : "This person signs in through the city's directory. Their roles come from its groups and are taken over at every sign-in."}
          </p>
          <ul class="kern-list">
            {p.entry.grants.map((g) => (
              <li>
                {ROLE_LABELS[g.role][p.lang]} ({deptName(p.catalogue, g.departmentId, p.lang)})
              </li>
            ))}
          </ul>
        </Alert>
      ) : null}
      {(p.entry.signsInWith === 'sso' ? [] : p.editable).map((d) => {
        const current = p.entry.grants.filter((g) => g.departmentId === d.departmentId).map((g) => g.role);
        const id = `roles-${d.departmentId}`;
        const error = p.errorDepartment === d.departmentId ? p.errors.map((e) => e.message[p.lang]).join(' ') : undefined;
        return (
          <form method="post" action={`/staff/admin/users/${p.entry.id}/roles`} novalidate>
            <CsrfField token={p.csrfToken} />
            <input type="hidden" name="departmentId" value={d.departmentId} />
            <ChoiceGroup
              id={id}
              legend={de ? `Rollen in „${deptName(p.catalogue, d.departmentId, p.lang)}“` : `Roles in “${deptName(p.catalogue, d.departmentId, p.lang)}”`}
              multiple
              selected={current}
              choices={d.roles.map((r) => ({ value: r, label: ROLE_LABELS[r][p.lang] }))}
              error={error}
            />
            <Button kind="secondary">{de ? 'Rollen speichern' : 'Save roles'}</Button>
          </form>
        );
      })}
      {p.isSelf ? null : (
        <form method="post" action={`/staff/admin/users/${p.entry.id}/active`} novalidate>
          <CsrfField token={p.csrfToken} />
          <input type="hidden" name="active" id="active" value={p.entry.active ? 'false' : 'true'} />
          <Button kind="secondary">{p.entry.active ? (de ? 'Konto sperren (beendet alle Sitzungen)' : 'Deactivate account (ends all sessions)') : de ? 'Konto wieder freigeben' : 'Reactivate account'}</Button>
        </form>
      )}
    </>
  );
}

export function SystemView(p: { lang: Lang; audit: { rows: number; problems: number; pending: number }; jobs: Record<string, number> }) {
  const de = p.lang === 'de';
  return (
    <>
      <h1 class="kern-heading-large">{de ? 'Systemzustand' : 'System state'}</h1>
      <h2 class="kern-heading-medium">{de ? 'Protokoll (Hash-Kette)' : 'Audit log (hash chain)'}</h2>
      <SummaryList
        rows={[
          { key: de ? 'Versiegelte Einträge' : 'Sealed entries', value: String(p.audit.rows) },
          { key: de ? 'Noch nicht versiegelt' : 'Not sealed yet', value: String(p.audit.pending) },
          {
            key: de ? 'Prüfung' : 'Check',
            value: <strong data-testid="audit-state">{p.audit.problems === 0 ? (de ? 'unverändert' : 'intact') : de ? `${p.audit.problems} Abweichungen` : `${p.audit.problems} problems`}</strong>,
          },
        ]}
      />
      <h2 class="kern-heading-medium">{de ? 'Hintergrundaufträge' : 'Background jobs'}</h2>
      <SummaryList rows={Object.entries(p.jobs).map(([state, n]) => ({ key: state, value: String(n) }))} />
      <p class="kern-body">
        <a class="kern-link" href="/staff/admin/jobs">
          {de ? 'Aufträge je Warteschlange und fehlgeschlagene Aufträge' : 'Jobs per queue and failed jobs'}
        </a>
      </p>
    </>
  );
}
