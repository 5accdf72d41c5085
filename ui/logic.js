// Pure helpers the screens share, kept free of the DOM so `node --test` can check them.

import { fold } from './format.js';

/** "emails[1].value" → {name: "emails", index: 1, sub: "value"}; "commitments[0].dueOn" likewise. */
export function parseFieldPath(path) {
  const m = /^([A-Za-z]+)(?:\[(\d+)\])?(?:\.(.+))?$/.exec(path || '');
  if (!m) return { name: path || '', index: null, sub: null };
  return { name: m[1], index: m[2] === undefined ? null : Number(m[2]), sub: m[3] ?? null };
}

/** "a, b ,, c" → ["a", "b", "c"]. */
export function splitList(text) {
  return String(text ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** Non-empty trimmed lines. */
export function splitLines(text) {
  return String(text ?? '').split('\n').map((s) => s.trim()).filter(Boolean);
}

/** Empty string → null, for optional values. */
export function orNull(value) {
  const v = typeof value === 'string' ? value.trim() : value;
  return v === '' || v === undefined ? null : v;
}

/**
 * A decimal number or null; NaN for text that is not one. The point is the decimal separator
 * (as in Mexico); commas may group thousands ("150,000.50"), nothing else: "7,5" is not a number.
 */
export function decimalOrNull(value) {
  const v = String(value ?? '').trim();
  if (v === '') return null;
  if (!/^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/.test(v)) return NaN;
  return Number(v.replaceAll(',', ''));
}

/** A whole number or null; NaN for text that is not one (the form refuses it before sending). */
export function intOrNull(value) {
  const v = String(value ?? '').trim();
  if (v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? Math.trunc(n) : NaN;
}

/** Top-level fields whose values differ between two records (bookkeeping ignored). */
export function changedFields(mine, theirs) {
  const skip = new Set(['id', 'revision', 'createdAt', 'updatedAt', 'sample']);
  const keys = new Set([...Object.keys(mine || {}), ...Object.keys(theirs || {})]);
  return [...keys].filter((k) => !skip.has(k) && JSON.stringify(norm(mine?.[k])) !== JSON.stringify(norm(theirs?.[k])));
}

function norm(v) {
  if (v === undefined || v === null || v === '') return null;
  if (Array.isArray(v) && v.length === 0) return null;
  return v;
}

/**
 * The sections of the home view that list records: the kind they list and their title. The
 * home shows the first of each; "#/list/<kind>/<section>" all of it (`home_section`).
 */
export const HOME_SECTIONS = {
  upcomingMeetings: { kind: 'meeting', title: 'home.meetings' },
  activities: { kind: 'activity', title: 'home.activities' },
  overdueCommitments: { kind: 'commitment', title: 'home.overdue' },
  dueSoonCommitments: { kind: 'commitment', title: 'home.dueSoon' },
  expiringAgreements: { kind: 'agreement', title: 'home.expiring' },
  expiredAgreements: { kind: 'agreement', title: 'home.expired' },
};

/** The kinds of record, each with its list, page and form. */
export const KINDS = ['organization', 'contact', 'meeting', 'agreement', 'activity', 'commitment', 'document'];

/** Parses the router's hash: "#/organization/org_1/edit" → {view, kind, id, action}. */
export function parseRoute(hash) {
  const parts = String(hash || '').replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const kinds = KINDS;
  if (!parts.length || parts[0] === 'home') return { view: 'home' };
  if (parts[0] === 'list' && kinds.includes(parts[1])) {
    const section = Object.hasOwn(HOME_SECTIONS, parts[2]) && HOME_SECTIONS[parts[2]].kind === parts[1] ? parts[2] : null;
    return section ? { view: 'list', kind: parts[1], section } : { view: 'list', kind: parts[1] };
  }
  if (['settings', 'about', 'invitation', 'report'].includes(parts[0])) return { view: parts[0] };
  // "#/import/vcard": contacts from a vCard file; "#/import": a spreadsheet.
  if (parts[0] === 'import') return parts[1] === 'vcard' ? { view: 'import', vcard: true } : { view: 'import' };
  // "#/audit/<id>": the audit log of one record.
  if (parts[0] === 'audit') return parts[1] ? { view: 'audit', record: parts[1] } : { view: 'audit' };
  if (kinds.includes(parts[0])) {
    // "#/meeting/new/org_…": a new record that starts out linked to that organization (an
    // activity, "#/activity/new/agr_…", to that instrument and its counterparts).
    // A document is attached from its record's page, never made blank.
    if (parts[1] === 'new') return parts[0] === 'document' ? { view: 'list', kind: 'document' } : { view: 'edit', kind: parts[0], id: null, from: parts[2] ?? null };
    if (parts[1] && parts[2] === 'edit') return { view: 'edit', kind: parts[0], id: parts[1] };
    if (parts[1]) return { view: 'detail', kind: parts[0], id: parts[1] };
    return { view: 'list', kind: parts[0] };
  }
  return { view: 'home' };
}

/** The kind of record an id names, by its prefix ("agr_0193…" → "agreement"); null when none. */
export function kindOfId(id) {
  const prefix = String(id ?? '').split('_')[0];
  return { org: 'organization', per: 'contact', mtg: 'meeting', agr: 'agreement', cmt: 'commitment', act: 'activity', doc: 'document' }[prefix] ?? null;
}

/** The hash of a record's detail view. */
export function recordHash(kind, id) {
  return `#/${kind}/${encodeURIComponent(id)}`;
}

/**
 * Whether a link built from the records may leave the app: web pages, e-mail and phone only.
 * The Rust side checks again before the system opens it.
 */
export function isExternalHref(href) {
  return /^(https?:\/\/[^\s/?#]+[^\s]*|mailto:[^\s@]+@[^\s@]+|tel:\+?\d[\d;=a-z]*)$/i.test(String(href ?? ''));
}

/** "+52 (55) 5483-3800 ext. 123" → "tel:+525554833800;ext=123" (null when it has no digits). */
export function telHref(phone) {
  const [number, ext] = String(phone ?? '').split(/\s*(?:extensi[oó]n|ext\.?|x|#)\s*/i);
  const digits = number.replace(/[^\d+]/g, '').replace(/(?!^)\+/g, '');
  if (!/\d/.test(digits)) return null;
  const extDigits = (ext || '').replace(/\D/g, '');
  return `tel:${digits}${extDigits ? `;ext=${extDigits}` : ''}`;
}

/** An e-mail address as a mailto: link (null when it is not one). */
export function mailtoHref(email) {
  const href = `mailto:${String(email ?? '').trim()}`;
  return isExternalHref(href) ? href : null;
}

/** The sidebar: each entry's key (its label is `nav.<key>`) and address; `null` is a gap. */
export const NAV = [
  ['home', '#/home'],
  ['organization', '#/list/organization'],
  ['contact', '#/list/contact'],
  ['meeting', '#/list/meeting'],
  ['agreement', '#/list/agreement'],
  ['activity', '#/list/activity'],
  ['commitment', '#/list/commitment'],
  ['document', '#/list/document'],
  ['report', '#/report'],
  null,
  ['audit', '#/audit'],
  ['settings', '#/settings'],
  ['about', '#/about'],
];

/**
 * A refused mapping's violations split into those of a column (`mapping[3]` → [3, v]) and the
 * rest (the sheet, the mapping as a whole).
 */
export function mappingErrors(violations) {
  const columns = [];
  const rest = [];
  for (const v of violations) {
    const { name, index, sub } = parseFieldPath(v.field);
    if (name === 'mapping' && index !== null && sub === null) columns.push([index, v]);
    else rest.push(v);
  }
  return { columns, rest };
}

/**
 * The periods a report is usually asked for, from the office's day `today` ("2026-12-06"): this
 * year, last year, this quarter and last quarter, each as `{key, from, until}`.
 */
export function reportPeriods(today) {
  const year = Number(today.slice(0, 4));
  const quarter = Math.floor((Number(today.slice(5, 7)) - 1) / 3);
  const lastDay = (y, month) => new Date(Date.UTC(y, month, 0)).getUTCDate();
  const quarterOf = (y, q) => {
    const first = q * 3 + 1;
    const pad = (n) => String(n).padStart(2, '0');
    return { from: `${y}-${pad(first)}-01`, until: `${y}-${pad(first + 2)}-${lastDay(y, first + 2)}` };
  };
  const previous = quarter === 0 ? quarterOf(year - 1, 3) : quarterOf(year, quarter - 1);
  return [
    { key: 'thisYear', from: `${year}-01-01`, until: `${year}-12-31` },
    { key: 'lastYear', from: `${year - 1}-01-01`, until: `${year - 1}-12-31` },
    { key: 'thisQuarter', ...quarterOf(year, quarter) },
    { key: 'lastQuarter', ...previous },
  ];
}
