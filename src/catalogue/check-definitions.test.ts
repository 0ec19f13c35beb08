import assert from 'node:assert/strict';
import { test } from 'node:test';
import { knownEffects } from '../cases/effects.ts';
import { serviceDefinitions } from '../services/index.ts';
import { versammlungsanzeige } from '../services/versammlungsanzeige/definition.ts';
import { checkDefinition, checkDefinitions, DefinitionError } from './check-definitions.ts';
import { loadCity } from './city.ts';
import type { ServiceDefinition } from './service-definition.ts';

const halle = loadCity('halle');

test('every shipped service definition passes the start-up checks', () => {
  assert.doesNotThrow(() => checkDefinitions(serviceDefinitions, knownEffects, halle));
  for (const def of serviceDefinitions) assert.deepEqual(checkDefinition(def, knownEffects, halle), [], def.id);
});

function broken(change: (d: any) => void): ServiceDefinition {
  const copy = structuredClone({ ...versammlungsanzeige, caseSummary: undefined, pages: versammlungsanzeige.pages.map((p) => ({ ...p, validate: undefined, notices: undefined, fields: p.fields.map((f) => ({ ...f, when: undefined })) })), process: { ...versammlungsanzeige.process, transitions: versammlungsanzeige.process.transitions.map((t) => ({ ...t, guard: undefined })) }, documents: versammlungsanzeige.documents?.map((d) => ({ ...d, content: undefined })) }) as any;
  change(copy);
  return copy as ServiceDefinition;
}

test('a broken definition stops the start with a message naming the service and the fault', () => {
  const cases: Array<[string, (d: any) => void, RegExp]> = [
    ['unreachable state', (d) => d.process.states.push({ id: 'lost', publicLabel: { de: 'Verloren', en: 'Lost' }, next: { de: 'x', en: 'x' }, final: true }), /versammlungsanzeige: state lost: cannot be reached/],
    ['unknown effect', (d) => (d.process.transitions[0].effects = ['send_fax']), /versammlungsanzeige: transition start_review: effect "send_fax" is unknown/],
    ['missing English label', (d) => (d.pages[0].fields[0].label = { de: 'Name', en: '' }), /versammlungsanzeige: field organiserName label: English text \(en\) missing/],
    ['unknown department', (d) => (d.receivingDepartment = 'nowhere'), /versammlungsanzeige: receivingDepartment: department "nowhere" does not exist in the city configuration "halle"/],
    ['unknown target state', (d) => (d.process.transitions[0].to = 'nirvana'), /transition start_review: target state "nirvana" does not exist/],
    ['dead end', (d) => (d.process.transitions = d.process.transitions.filter((t: any) => !t.from.includes('cooperation_talk'))), /state cooperation_talk: (is not final but no transition leaves it|cannot be reached)/],
    ['duplicate field', (d) => d.pages[1].fields.push({ ...d.pages[0].fields[0] }), /field organiserName: id is used twice/],
    ['bad LeiKa key', (d) => (d.leikaKey = '12345'), /leikaKey: "12345" is not a 14-digit LeiKa key/],
    ['state without duration', (d) => delete d.process.states[0].expectedDuration, /state received: needs an expectedDuration/],
    ['unknown prefill claim', (d) => (d.pages[0].fields[0].prefill = 'shoe_size'), /field organiserName: prefill "shoe_size" is not a verified claim/],
    ['prefill on a choice', (d) => (d.pages[4].fields.find((f: any) => f.type === 'checkboxes').prefill = 'given_name'), /prefill needs a text, date or postcode field, not checkboxes/],
    ['document template id twice', (d) => d.documents.push({ ...d.documents[0] }), /versammlungsanzeige: document eingangsbestaetigung: id is used twice/],
    ['document on an unknown transition', (d) => (d.documents[1].issuedOn = 'approve'), /document bestaetigung: issuedOn "approve" is neither "submit" nor a transition/],
    ['document on a transition without the effect', (d) => (d.documents[1].issuedOn = 'start_review'), /document bestaetigung: transition start_review must name the effect "issue_documents"/],
    ['effect without a document', (d) => (d.documents = d.documents.filter((t: any) => t.issuedOn !== 'ban')), /transition ban: effect "issue_documents" but no document is issued on it/],
    ['automatic rule without its effect', (d) => (d.process.automatic = () => undefined), /process.onSubmit: an automatic rule needs the effect "decide_automatically"/],
    ['automatic effect without a rule', (d) => d.process.onSubmit.push('decide_automatically'), /process.onSubmit: effect "decide_automatically" but the process has no automatic rule/],
    [
      'automatic rule the system may not take',
      (d) => {
        d.process.automatic = () => ({ transition: 'start_review' });
        d.process.onSubmit.push('decide_automatically');
        for (const tr of d.process.transitions) tr.allowed = tr.allowed.filter((a: string) => a !== 'system');
      },
      /process.automatic: no transition from "received" may be taken by "system"/,
    ],
    ['automatic effect on a transition', (d) => d.process.transitions[0].effects.push('decide_automatically'), /transition start_review: effect "decide_automatically" belongs to the submission only/],
    ['document title without English', (d) => (d.documents[0].title = { de: 'Eingang', en: '' }), /document eingangsbestaetigung title: English text \(en\) missing/],
  ];
  const cityWithoutOverrides = { ...halle, services: {} };
  for (const [name, change, expected] of cases) {
    assert.throws(
      () => checkDefinitions([broken(change)], knownEffects, cityWithoutOverrides),
      (err: unknown) => err instanceof DefinitionError && expected.test(err.message),
      name,
    );
  }
});

test("a city's override of the receiving department must name one of its departments", () => {
  const city = { ...halle, services: { versammlungsanzeige: { receivingDepartment: 'polizei' } } };
  assert.throws(() => checkDefinitions(serviceDefinitions, knownEffects, city), /receivingDepartment: department "polizei" does not exist/);
});
