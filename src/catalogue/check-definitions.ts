import { addDuration, isSupportedDuration } from '../platform/i18n/time.ts';
import type { CityConfig } from './city.ts';
import { feeFaults } from './fees.ts';
import { DECIDE_AUTOMATICALLY_EFFECT, ISSUE_DOCUMENTS_EFFECT, MAX_UPLOAD_BYTES, UPLOAD_TYPES, VERIFIED_CLAIM_NAMES, type ServiceDefinition, type Text } from './service-definition.ts';

/**
 * Start-up checks of every service definition. A broken definition stops the start with a
 * message naming the service and the fault, so a typo never reaches a citizen.
 */
export class DefinitionError extends Error {
  constructor(readonly faults: string[]) {
    super(`Service definitions are broken:\n${faults.map((f) => `  - ${f}`).join('\n')}`);
    this.name = 'DefinitionError';
  }
}

const ID = /^[a-z][a-zA-Z0-9_-]*$/;
const ACTORS = new Set(['applicant', 'clerk', 'supervisor', 'system']);

export function checkDefinition(def: ServiceDefinition, knownEffects: ReadonlySet<string>, city: CityConfig): string[] {
  const faults: string[] = [];
  const fault = (where: string, what: string) => faults.push(`${def.id || '(no id)'}: ${where}: ${what}`);
  const text = (where: string, value: Text | undefined) => {
    if (!value) return fault(where, 'label missing');
    if (!value.de?.trim()) fault(where, 'German text (de) missing');
    if (!value.en?.trim()) fault(where, 'English text (en) missing');
  };

  if (!/^[a-z][a-z0-9-]*$/.test(def.id)) fault('id', `"${def.id}" must be lower-case letters, digits and hyphens`);
  if (!Number.isInteger(def.version) || def.version < 1) fault('version', 'must be a whole number ≥ 1');
  if (!/^99\d{12}$/.test(def.leikaKey)) fault('leikaKey', `"${def.leikaKey}" is not a 14-digit LeiKa key starting with 99`);
  text('title', def.title);
  text('summary', def.summary);
  if (!Number.isInteger(def.feeCents) || def.feeCents < 0) fault('feeCents', 'must be a whole number of cents ≥ 0');
  if (def.fee) {
    // feeCents is the "from" amount shown before the answers are known: a fee rule on a service
    // that says it is free would contradict it. The rule itself is tried on an empty form.
    if (def.feeCents === 0) fault('fee', 'a fee rule needs feeCents > 0 (the lowest fee, shown as "from" on the service page)');
    try {
      for (const f of feeFaults(def.fee({}, { now: new Date(), timeZone: city.timeZone }))) fault('fee', `on an empty form: ${f}`);
    } catch (err) {
      fault('fee', `the rule throws on an empty form (${(err as Error).message})`);
    }
  }
  if (!/^P\d+Y$/.test(def.retention)) fault('retention', `"${def.retention}" must be a number of years such as P5Y`);
  const department = city.services[def.id]?.receivingDepartment ?? def.receivingDepartment;
  if (!city.departments.some((d) => d.id === department)) fault('receivingDepartment', `department "${department}" does not exist in the city configuration "${city.id}"`);

  // Form
  if (def.pages.length === 0) fault('pages', 'the form has no page');
  const fieldIds = new Set<string>();
  const pageIds = new Set<string>();
  for (const page of def.pages) {
    if (!ID.test(page.id)) fault(`page ${page.id}`, 'id must start with a letter and use letters, digits, - or _');
    if (pageIds.has(page.id)) fault(`page ${page.id}`, 'id is used twice');
    pageIds.add(page.id);
    text(`page ${page.id} title`, page.title);
    if (page.intro) text(`page ${page.id} intro`, page.intro);
    if (page.fields.length === 0) fault(`page ${page.id}`, 'has no field');
    for (const field of page.fields) {
      const where = `field ${field.id}`;
      if (!ID.test(field.id)) fault(where, 'id must start with a letter and use letters, digits, - or _');
      if (fieldIds.has(field.id)) fault(where, 'id is used twice');
      fieldIds.add(field.id);
      text(`${where} label`, field.label);
      if (field.hint) text(`${where} hint`, field.hint);
      if (field.type === 'integer' && !(field.min <= field.max)) fault(where, 'min must not exceed max');
      if ((field.type === 'radio' || field.type === 'select' || field.type === 'checkboxes')) {
        if (field.choices.length === 0) fault(where, 'has no choices');
        const values = new Set<string>();
        for (const c of field.choices) {
          if (values.has(c.value)) fault(where, `choice "${c.value}" appears twice`);
          values.add(c.value);
          text(`${where} choice ${c.value}`, c.label);
        }
      }
      if ('maxLength' in field && !(field.maxLength > 0)) fault(where, 'maxLength must be positive');
      if (field.type === 'file') {
        if (field.accept.length === 0 || field.accept.some((a) => !(UPLOAD_TYPES as readonly string[]).includes(a))) fault(where, `accept must list types out of ${UPLOAD_TYPES.join(', ')}`);
        if (!(Number.isInteger(field.maxBytes) && field.maxBytes > 0 && field.maxBytes <= MAX_UPLOAD_BYTES)) fault(where, `maxBytes must be between 1 and ${MAX_UPLOAD_BYTES}`);
      }
      if (field.prefill !== undefined) {
        if (!(VERIFIED_CLAIM_NAMES as readonly string[]).includes(field.prefill)) fault(where, `prefill "${field.prefill}" is not a verified claim (known: ${VERIFIED_CLAIM_NAMES.join(', ')})`);
        if (!['text', 'date', 'postcode'].includes(field.type)) fault(where, `prefill needs a text, date or postcode field, not ${field.type}`);
      }
    }
  }
  if (!fieldIds.has(def.applicantNameField)) fault('applicantNameField', `field "${def.applicantNameField}" does not exist`);
  if (def.applicantEmailField && !fieldIds.has(def.applicantEmailField)) fault('applicantEmailField', `field "${def.applicantEmailField}" does not exist`);

  // Process
  const states = new Map(def.process.states.map((s) => [s.id, s]));
  if (states.size !== def.process.states.length) fault('process', 'a state id is used twice');
  if (!states.has(def.process.initial)) fault('process.initial', `state "${def.process.initial}" does not exist`);
  for (const s of def.process.states) {
    text(`state ${s.id} publicLabel`, s.publicLabel);
    text(`state ${s.id} next`, s.next);
    if (!s.final && !s.expectedDuration && !s.deadline) fault(`state ${s.id}`, 'needs an expectedDuration or a deadline (or final: true)');
    if (s.expectedDuration && !isSupportedDuration(s.expectedDuration)) fault(`state ${s.id}`, `expectedDuration "${s.expectedDuration}" must be like P2D or PT12H`);
    // A deadline sets the due date (ADR 0020): binding, so never on a final state, and an
    // estimate beyond it would promise the citizen a date the office may not take.
    if (s.deadline !== undefined) {
      if (!isSupportedDuration(s.deadline)) fault(`state ${s.id}`, `deadline "${s.deadline}" must be like P3D or PT12H`);
      else if (s.final) fault(`state ${s.id}`, 'is final and cannot have a deadline');
      else if (s.expectedDuration && isSupportedDuration(s.expectedDuration) && addDuration(new Date(0), s.expectedDuration) > addDuration(new Date(0), s.deadline))
        fault(`state ${s.id}`, `expectedDuration "${s.expectedDuration}" is longer than the deadline "${s.deadline}"`);
    }
  }
  for (const effect of def.process.onSubmit) if (!knownEffects.has(effect)) fault('process.onSubmit', `effect "${effect}" is unknown`);
  const transitionIds = new Set<string>();
  for (const tr of def.process.transitions) {
    const where = `transition ${tr.id}`;
    if (transitionIds.has(tr.id)) fault(where, 'id is used twice');
    transitionIds.add(tr.id);
    text(`${where} label`, tr.label);
    if (tr.publicEvent) text(`${where} publicEvent`, tr.publicEvent);
    if (!states.has(tr.to)) fault(where, `target state "${tr.to}" does not exist`);
    if (tr.from.length === 0) fault(where, 'has no source state');
    for (const f of tr.from) {
      if (!states.has(f)) fault(where, `source state "${f}" does not exist`);
      else if (states.get(f)?.final) fault(where, `source state "${f}" is final`);
    }
    if (tr.allowed.length === 0) fault(where, 'nobody may take it');
    for (const a of tr.allowed) if (!ACTORS.has(a)) fault(where, `actor "${a}" is unknown`);
    for (const e of tr.effects) if (!knownEffects.has(e)) fault(where, `effect "${e}" is unknown`);
    for (const input of tr.inputs ?? []) {
      text(`${where} input ${input.id}`, input.label);
      if (input.publicLabel) text(`${where} input ${input.id} publicLabel`, input.publicLabel);
    }
  }
  // Issued documents: each on the submission or an existing transition that carries the effect.
  const templateIds = new Set<string>();
  const issuing = new Set<string>();
  for (const tpl of def.documents ?? []) {
    const where = `document ${tpl.id}`;
    if (!ID.test(tpl.id)) fault(where, 'id must start with a letter and use letters, digits, - or _');
    if (templateIds.has(tpl.id)) fault(where, 'id is used twice');
    templateIds.add(tpl.id);
    if (tpl.kind !== 'receipt' && tpl.kind !== 'decision') fault(where, `kind "${String(tpl.kind)}" must be receipt or decision`);
    text(`${where} title`, tpl.title);
    issuing.add(tpl.issuedOn);
    const effects = tpl.issuedOn === 'submit' ? def.process.onSubmit : def.process.transitions.find((tr) => tr.id === tpl.issuedOn)?.effects;
    if (!effects) fault(where, `issuedOn "${tpl.issuedOn}" is neither "submit" nor a transition`);
    else if (!effects.includes(ISSUE_DOCUMENTS_EFFECT)) fault(where, `${tpl.issuedOn === 'submit' ? 'process.onSubmit' : `transition ${tpl.issuedOn}`} must name the effect "${ISSUE_DOCUMENTS_EFFECT}" to issue it`);
  }
  if (def.process.onSubmit.includes(ISSUE_DOCUMENTS_EFFECT) && !issuing.has('submit')) fault('process.onSubmit', `effect "${ISSUE_DOCUMENTS_EFFECT}" but no document is issued on submit`);
  for (const tr of def.process.transitions)
    if (tr.effects.includes(ISSUE_DOCUMENTS_EFFECT) && !issuing.has(tr.id)) fault(`transition ${tr.id}`, `effect "${ISSUE_DOCUMENTS_EFFECT}" but no document is issued on it`);

  // Required documents: tried on an empty form, each named in German and English.
  if (def.requiredDocuments) {
    try {
      def.requiredDocuments({}, { now: new Date(), timeZone: city.timeZone }).forEach((d, i) => {
        text(`requiredDocuments[${i}] label`, d.label);
        if (d.hint) text(`requiredDocuments[${i}] hint`, d.hint);
      });
    } catch (err) {
      fault('requiredDocuments', `the rule throws on an empty form (${(err as Error).message})`);
    }
  }

  // Automatic decisions (ADR 0022): the rule, its effect on submission and a way for the system to take it.
  const decides = def.process.onSubmit.includes(DECIDE_AUTOMATICALLY_EFFECT);
  if (def.process.automatic && !decides) fault('process.onSubmit', `an automatic rule needs the effect "${DECIDE_AUTOMATICALLY_EFFECT}" to run`);
  if (decides && !def.process.automatic) fault('process.onSubmit', `effect "${DECIDE_AUTOMATICALLY_EFFECT}" but the process has no automatic rule`);
  if (def.process.automatic && !def.process.transitions.some((tr) => tr.allowed.includes('system') && tr.from.includes(def.process.initial)))
    fault('process.automatic', `no transition from "${def.process.initial}" may be taken by "system"`);
  for (const tr of def.process.transitions)
    if (tr.effects.includes(DECIDE_AUTOMATICALLY_EFFECT)) fault(`transition ${tr.id}`, `effect "${DECIDE_AUTOMATICALLY_EFFECT}" belongs to the submission only`);

  // Appointments (ADR 0018): sane numbers and locations the city has.
  if (def.appointment) {
    const a = def.appointment;
    text('appointment purpose', a.purpose);
    if (!(Number.isInteger(a.slotMinutes) && a.slotMinutes >= 5 && a.slotMinutes <= 480)) fault('appointment.slotMinutes', 'must be a whole number of minutes between 5 and 480');
    if (!(Number.isInteger(a.capacityPerSlot) && a.capacityPerSlot >= 1 && a.capacityPerSlot <= 100)) fault('appointment.capacityPerSlot', 'must be a whole number between 1 and 100');
    if (!(Number.isInteger(a.bookAheadDays) && a.bookAheadDays >= 1 && a.bookAheadDays <= 366)) fault('appointment.bookAheadDays', 'must be a whole number of days between 1 and 366');
    if (a.minNoticeHours !== undefined && !(Number.isInteger(a.minNoticeHours) && a.minNoticeHours >= 0 && a.minNoticeHours <= 24 * 60)) fault('appointment.minNoticeHours', 'must be a whole number of hours ≥ 0');
    if (a.locations.length === 0) fault('appointment.locations', 'names no location');
    for (const id of a.locations) if (!(city.locations ?? []).some((l) => l.id === id)) fault('appointment.locations', `location "${id}" does not exist in the city configuration "${city.id}"`);
  }

  // Every state reachable from the initial one; every non-final state has a way out.
  const reachable = new Set([def.process.initial]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const tr of def.process.transitions)
      if (tr.from.some((f) => reachable.has(f)) && !reachable.has(tr.to)) {
        reachable.add(tr.to);
        grew = true;
      }
  }
  for (const s of def.process.states) {
    if (!reachable.has(s.id)) fault(`state ${s.id}`, `cannot be reached from "${def.process.initial}"`);
    if (!s.final && !def.process.transitions.some((tr) => tr.from.includes(s.id))) fault(`state ${s.id}`, 'is not final but no transition leaves it');
  }
  return faults;
}

export function checkDefinitions(defs: readonly ServiceDefinition[], knownEffects: ReadonlySet<string>, city: CityConfig): void {
  const faults: string[] = [];
  const ids = new Set<string>();
  for (const def of defs) {
    if (ids.has(def.id)) faults.push(`${def.id}: id: two services use this id`);
    ids.add(def.id);
    faults.push(...checkDefinition(def, knownEffects, city));
  }
  if (faults.length > 0) throw new DefinitionError(faults);
}
