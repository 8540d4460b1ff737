// The desk's words in both languages: Indonesian (the reference) and English. Each part is typed
// after its Indonesian table, so an English key that is missing (or extra) fails the type check.
// Data from the server (plan titles, OPD names, narratives) stays as entered; labels the API
// answers (dimension labels) come in the requested language already.
import type { Lang } from '../../i18n';
import * as assessment from './assessment';
import * as chase from './chase';
import * as common from './common';
import * as national from './national';
import * as reporting from './reporting';
import * as reports from './reports';
import * as risks from './risks';
import * as screens from './screens';
import * as users from './users';
import * as verify from './verify';

const id = {
  ...common.id,
  reporting: reporting.id,
  verify: verify.id,
  chase: chase.id,
  users: users.id,
  screens: screens.id,
  risks: risks.id,
  national: national.id,
  assessment: assessment.id,
  reports: reports.id,
};

/** The desk's words of one language. */
export type DeskWords = typeof id;

const en: DeskWords = {
  ...common.en,
  reporting: reporting.en,
  verify: verify.en,
  chase: chase.en,
  users: users.en,
  screens: screens.en,
  risks: risks.en,
  national: national.en,
  assessment: assessment.en,
  reports: reports.en,
};

/** The desk's words by language. */
export const DESK_WORDS: Record<Lang, DeskWords> = { id, en };
