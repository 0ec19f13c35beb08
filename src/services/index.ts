import type { ServiceDefinition } from '../catalogue/service-definition.ts';
import { anwohnerparkausweis } from './anwohnerparkausweis/definition.ts';
import { bewohnerparkenAenderung } from './bewohnerparken-aenderung/definition.ts';
import { hundesteuer } from './hundesteuer/definition.ts';
import { sondernutzungHalteverbot } from './sondernutzung-halteverbot/definition.ts';
import { sperrmuell } from './sperrmuell/definition.ts';
import { beglaubigung } from './beglaubigung/definition.ts';
import { eheschliessung } from './eheschliessung/definition.ts';
import { unternehmensgruendung } from './unternehmensgruendung/definition.ts';
import { fuehrungszeugnis } from './fuehrungszeugnis/definition.ts';
import { fundsache } from './fundsache/definition.ts';
import { kinderreisepass } from './kinderreisepass/definition.ts';
import { wohngeld } from './wohngeld/definition.ts';
import { personalausweis } from './personalausweis/definition.ts';
import { reisepass } from './reisepass/definition.ts';
import { gewerbeabmeldung } from './gewerbeabmeldung/definition.ts';
import { gewerbeanmeldung } from './gewerbeanmeldung/definition.ts';
import { gewerbeummeldung } from './gewerbeummeldung/definition.ts';
import { terminBuergerservice } from './termin-buergerservice/definition.ts';
import { versammlungsanzeige } from './versammlungsanzeige/definition.ts';
import { wohnsitzanmeldung } from './wohnsitzanmeldung/definition.ts';
import { abmeldung } from './abmeldung/definition.ts';
import { meldebescheinigung } from './meldebescheinigung/definition.ts';

/** Every procedure Amtsweg knows. Adding one: a folder beside this file and a line here. */
export const serviceDefinitions: readonly ServiceDefinition[] = [versammlungsanzeige, terminBuergerservice, eheschliessung, unternehmensgruendung, personalausweis, reisepass, fuehrungszeugnis, fundsache, wohngeld, beglaubigung, kinderreisepass, anwohnerparkausweis, bewohnerparkenAenderung, sondernutzungHalteverbot, sperrmuell, hundesteuer, gewerbeanmeldung, gewerbeummeldung, gewerbeabmeldung, wohnsitzanmeldung, abmeldung, meldebescheinigung];
