// Finding records for a picker as the user types: the core holds every word of the text as a
// prefix (accents and case ignored), names first, in the list's order, a few at a time.

import * as api from '../api.js';
import { SHOWN } from '../widgets/picker.js';

/** How a choice reads: organizations with their acronym, people with their organization, instruments with their folio. */
const SUBTITLE = {
  organization: (o) => (o.acronym && o.acronym !== o.title ? ` (${o.acronym})` : ''),
  contact: (p) => (p.organization ? ` — ${p.organization.title}` : ''),
  agreement: (a) => (a.folio ? ` (${a.folio})` : ''),
};

/** The first records of `kind` holding every word of `text`, as {id, title} choices, leaving out the ids in `exclude`. */
export async function findRecords(kind, text, exclude = []) {
  const page = await api.listPage({ kind, text, limit: Math.min(SHOWN + exclude.length, 500) });
  const subtitle = SUBTITLE[kind] ?? (() => '');
  return page.items.filter((i) => !exclude.includes(i.id)).slice(0, SHOWN)
    .map((i) => ({ id: i.id, title: `${i.title}${subtitle(i)}` }));
}

/** A picker's way of finding records of `kind`. */
export const finder = (kind) => (text, exclude) => findRecords(kind, text, exclude);
