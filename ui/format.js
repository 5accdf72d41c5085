// Dates, times and day counts as the office reads them: "24 nov 2026", 24-hour times.

import { language, t } from './i18n.js';
import { office } from './office.js';

const MONTHS = {
  es: ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sep', 'oct', 'nov', 'dic'],
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
};

/** "2026-11-24" → "24 nov 2026" (Spanish) or "24 Nov 2026" (English). Empty → "". */
export function formatDate(iso, lang = language()) {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  const months = MONTHS[lang] || MONTHS.es;
  return `${Number(m[3])} ${months[Number(m[2]) - 1]} ${m[1]}`;
}

/** "24 nov – 26 nov 2026"-like: the first and last day of an activity; one day when they are the same. */
export function formatDateRange(from, to, lang = language()) {
  if (!from) return '';
  return to && to !== from ? `${formatDate(from, lang)} – ${formatDate(to, lang)}` : formatDate(from, lang);
}

/** An amount in pesos: "$150,000.00". */
export function formatMoney(amount, lang = language()) {
  return new Intl.NumberFormat(lang === 'en' ? 'en-US' : 'es-MX', { style: 'currency', currency: 'MXN' }).format(amount);
}

/** Hours of training: "7.5 h". */
export function formatHours(hours, lang = language()) {
  return `${new Intl.NumberFormat(lang === 'en' ? 'en-US' : 'es-MX', { maximumFractionDigits: 2 }).format(hours)} h`;
}

/** The office's clock at `d` (its time zone): year, month, day, hour and minute, as digits. */
function officeClock(d) {
  return Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: office().timeZone, year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    }).formatToParts(d).map((p) => [p.type, p.value]),
  );
}

/** An RFC 3339 instant → "24 nov 2026, 14:05" on the office's clock (its time zone). */
export function formatInstant(iso, lang = language()) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = officeClock(d);
  return `${formatDate(`${parts.year}-${parts.month}-${parts.day}`, lang)}, ${parts.hour}:${parts.minute}`;
}

/** The office's day `days` after `now` (its calendar, in its time zone), as "2026-11-24". */
export function officeDay(days = 0, now = new Date()) {
  const parts = officeClock(now);
  const day = new Date(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day) + days));
  return day.toISOString().slice(0, 10);
}

/**
 * A meeting's date, time and zone: "30 nov 2026, 11:30". A meeting in another zone also says
 * when that is in the office's zone, when the instant is known.
 */
export function formatMeetingWhen(item, lang = language()) {
  const date = formatDate(item.date, lang);
  const time = item.time ? `, ${item.time}` : '';
  if (!item.timeZone || item.timeZone === office().timeZone) return `${date}${time}`;
  const inOffice = item.startsAt && item.time ? ` · ${t('time.office', { time: formatInstant(item.startsAt, lang) })}` : '';
  return `${date}${time} (${item.timeZone})${inOffice}`;
}

/** "MX" → "México" in the interface language (the code itself when unknown). */
export function countryName(code, lang = language()) {
  return displayName('region', code, lang);
}

/** "en" → "inglés" in the interface language (the code itself when unknown). */
export function languageName(code, lang = language()) {
  return displayName('language', code, lang);
}

function displayName(type, code, lang) {
  if (!code) return '';
  try {
    return new Intl.DisplayNames([lang], { type }).of(code) || code;
  } catch {
    return code;
  }
}

/** A count as the office reads it, grouped by thousands: "24,587" (Mexico's grouping in both languages). */
export function formatCount(n, lang = language()) {
  return new Intl.NumberFormat(lang === 'en' ? 'en-US' : 'es-MX').format(n);
}

/** A file's size as people read it: "850 B", "340 KB", "2.4 MB" (units of 1,024). */
export function formatBytes(bytes, lang = language()) {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${new Intl.NumberFormat(lang === 'en' ? 'en-US' : 'es-MX', { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}

/** Days to a due date or end date, as a short phrase. */
export function formatDays(days, { ended = false } = {}) {
  if (days === null || days === undefined) return '';
  if (days < 0) return t(ended ? 'days.ended' : 'days.overdue', { n: -days });
  if (days === 0) return t('days.today');
  return t('days.left', { n: days });
}

/** Folds text for matching as the core does: no accents, lower case. */
export function fold(text) {
  return String(text ?? '').normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}
