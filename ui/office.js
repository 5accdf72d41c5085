// The office's rules as the core owns them (the `office` of `app_info`): its time zone, the
// days that count as "soon", an agreement's notice window when it sets none. Set once when the
// app starts, before the first screen is drawn; nothing in the UI keeps copies of its own.

let rules = null;

/** Takes the rules the core sent. */
export function setOffice(fromCore) {
  rules = Object.freeze({ ...fromCore });
}

/** The rules: {timeZone, horizonDays, defaultNoticeDays}. */
export function office() {
  if (!rules) throw new Error('the office rules were not loaded from the core');
  return rules;
}
