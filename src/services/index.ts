import type { ServiceDefinition } from '../catalogue/service-definition.ts';
import { eheschliessung } from './eheschliessung/definition.ts';
import { terminBuergerservice } from './termin-buergerservice/definition.ts';
import { versammlungsanzeige } from './versammlungsanzeige/definition.ts';

/** Every procedure Amtsweg knows. Adding one: a folder beside this file and a line here. */
export const serviceDefinitions: readonly ServiceDefinition[] = [versammlungsanzeige, terminBuergerservice, eheschliessung];
