// The one module that talks to the Rust side. One async function per command; failures are
// rethrown as AppError with the contract's {kind, code, field, params} (and violations,
// current, references when the kind carries them).

export class AppError extends Error {
  constructor({ kind = 'internal', code = 'internal', field = null, params = {}, violations = [], current = null, references = [] } = {}) {
    super(`${kind}:${code}`);
    this.kind = kind;
    this.code = code;
    this.field = field;
    this.params = params || {};
    this.violations = violations.length ? violations : field ? [{ code, field, params: this.params }] : [];
    this.current = current;
    this.references = references;
  }
}

/** Turns whatever the IPC layer threw into an AppError. */
export function toAppError(raw) {
  if (raw instanceof AppError) return raw;
  if (raw && typeof raw === 'object' && typeof raw.kind === 'string') return new AppError(raw);
  // Tauri rejects arguments that do not deserialize before the command runs, with a plain
  // string ("invalid args `record` for command …"): that is bad input, not a crash.
  if (typeof raw === 'string' && /invalid (args|type|channel value)|missing (field|required key)|unknown variant/i.test(raw)) {
    return new AppError({ kind: 'invalid', code: 'badInput' });
  }
  return new AppError({ kind: 'internal', code: 'internal' });
}

// Commands sent and not answered yet (a native file dialog open, an import running): the
// window is in use though no key is pressed.
let inFlight = 0;

/** Whether a command is still running. */
export const busy = () => inFlight > 0;

function invoke(cmd, args = {}) {
  const tauri = globalThis.window?.__TAURI__;
  if (!tauri?.core?.invoke) return Promise.reject(new AppError({ kind: 'internal', code: 'internal' }));
  inFlight += 1;
  return tauri.core.invoke(cmd, args).catch((raw) => {
    throw toAppError(raw);
  }).finally(() => {
    inFlight -= 1;
  });
}

export const storeStatus = () => invoke('store_status');
export const retryStore = () => invoke('retry_store');
export const shown = () => invoke('shown');
export const appInfo = () => invoke('app_info');
export const getSettings = () => invoke('get_settings');
export const saveSettings = (settings) => invoke('save_settings', { settings });
export const home = () => invoke('home');
/** One window of a list: `query` is {kind, section?, text?, filters?, sort?, offset?, limit}; answers {kind, items, total, offset}. */
export const listPage = (query) => invoke('list_page', { query });
/** The ids of every row of a list as `query` filters it. */
export const listIds = (query) => invoke('list_ids', { query });
/** The records of `ids` that exist, named ({kind, id, title}). */
export const names = (ids) => invoke('names', { ids });
export const search = (query, limit) => invoke('search', { query, limit });
export const references = (id) => invoke('references', { id });
export const links = (id) => invoke('links', { id });
export const organizationOverview = (id) => invoke('organization_overview', { id });
export const sourceCommitments = (id) => invoke('source_commitments', { id });
export const getOrganization = (id) => invoke('get_organization', { id });
export const getContact = (id) => invoke('get_contact', { id });
export const getMeeting = (id) => invoke('get_meeting', { id });
export const getAgreement = (id) => invoke('get_agreement', { id });
export const getCommitment = (id) => invoke('get_commitment', { id });
export const getActivity = (id) => invoke('get_activity', { id });
export const getDocument = (id) => invoke('get_document', { id });
/** The documents attached to record `id`, newest first. */
export const documents = (id) => invoke('documents', { id });
/** Asks for a file (any kind) and attaches it to record `id`; the document, or null when cancelled. */
export const attachDocument = (id, dialogTitle) => invoke('attach_document', { id, dialogTitle });
export const saveDocument = (record) => invoke('save_document', { record });
export const deleteDocument = (id, revision) => invoke('delete_document', { id, revision });
/** Opens document `id` in the system's program for it: `{openFailed}`. */
export const openDocument = (id) => invoke('open_document', { id });
/** The activities that carry out the instrument `id`, newest first. */
export const agreementActivities = (id) => invoke('agreement_activities', { id });
/** Person `id`'s training: `{items, hours, completed}`, each item an activity with her hours, completion and certificate. */
export const participations = (id) => invoke('participations', { id });
/** The figures of the strategy's report for `{from, until}`. */
export const strategyReport = (period) => invoke('strategy_report', { period });
/** The strategy's report for `{from, until}` as `'pdf'` or `'xlsx'`, where the save dialog says. */
export const exportReport = (period, format, dialogTitle) => invoke('export_report', { period, format, dialogTitle });

/** The record `id` of `kind` as its getter gives it (meetings, agreements and activities with their commitments). */
export function getRecord(kind, id) {
  const get = { organization: getOrganization, contact: getContact, meeting: getMeeting, agreement: getAgreement, commitment: getCommitment, activity: getActivity, document: getDocument }[kind];
  return get(id);
}
export const saveOrganization = (record) => invoke('save_organization', { record });
export const saveContact = (record) => invoke('save_contact', { record });
export const saveMeeting = (record, commitments = [], removed = []) => invoke('save_meeting', { record, commitments, removed });
export const saveAgreement = (record, commitments = [], removed = []) => invoke('save_agreement', { record, commitments, removed });
export const saveActivity = (record, commitments = [], removed = []) => invoke('save_activity', { record, commitments, removed });
export const saveCommitment = (record) => invoke('save_commitment', { record });
export const deleteOrganization = (id, revision, policy) => invoke('delete_organization', { id, revision, policy });
export const deleteContact = (id, revision) => invoke('delete_contact', { id, revision });
export const deleteMeeting = (id, revision) => invoke('delete_meeting', { id, revision });
export const deleteAgreement = (id, revision) => invoke('delete_agreement', { id, revision });
export const deleteCommitment = (id, revision) => invoke('delete_commitment', { id, revision });
export const deleteActivity = (id, revision) => invoke('delete_activity', { id, revision });
export const officeStatus = () => invoke('office_status');
export const officeChanges = () => invoke('office_changes');
export const createOffice = (name, dialogTitle) => invoke('create_office', { name, dialogTitle });
export const joinOffice = (code, name, dialogTitle) => invoke('join_office', { code, name, dialogTitle });
export const inviteLaptop = () => invoke('invite_laptop');
export const removeLaptop = (laptop) => invoke('remove_laptop', { laptop });
export const syncNow = () => invoke('sync_now');
export const recordSharing = (id) => invoke('record_sharing', { id });
export const settleConflict = (id, revision, field, revert) => invoke('settle_conflict', { id, revision, field, revert });
export const keepRecord = (id) => invoke('keep_record', { id });
export const loadSample = () => invoke('load_sample');
export const removeSample = () => invoke('remove_sample');
export const openExternal = (url) => invoke('open_external', { url });
export const exportBriefing = (id, dialogTitle) => invoke('export_briefing', { id, dialogTitle });
export const fontLicenses = () => invoke('font_licenses');
export const backups = () => invoke('backups');
export const backupNow = () => invoke('backup_now');
export const restoreBackup = (name) => invoke('restore_backup', { name });
export const restoreSetAside = (name) => invoke('restore_set_aside', { name });
export const startFresh = () => invoke('start_fresh');
/** Everything to a file; protected when a passphrase (and its confirmation) is given. */
export const exportAll = (dialogTitle, passphrase = null, confirmation = null) => invoke('export_all', { dialogTitle, passphrase, confirmation });
export const importOpen = (dialogTitle) => invoke('import_open', { dialogTitle });
export const importCancel = () => invoke('import_cancel');
export const importPassphrase = (passphrase) => invoke('import_passphrase', { passphrase });
export const setPassphrase = (passphrase, confirmation) => invoke('set_passphrase', { passphrase, confirmation });
/** Unlocks with `{passphrase}` or `{recoveryKey}`. */
export const unlock = ({ passphrase = null, recoveryKey = null }) => invoke('unlock', { passphrase, recoveryKey });
export const lock = () => invoke('lock');
/** The audit log as `{record, events, from, to}` narrows it, and whether its chain verifies. */
export const auditLog = (filter) => invoke('audit_log', { filter });
/** Deletes a person and erases them from the backups and the stores set aside (ARCO). */
export const eraseContact = (id, revision) => invoke('erase_contact', { id, revision });
/** Exports the informe del titular of a person as a PDF (save dialog); null when cancelled. */
export const titularReport = (id, dialogTitle) => invoke('titular_report', { id, dialogTitle });
export const changePassphrase = (current, newPassphrase, confirmation) => invoke('change_passphrase', { current, newPassphrase, confirmation });

/** A channel whose messages go to `onProgress({step, done, of})`. */
function progressChannel(onProgress) {
  const Channel = globalThis.window?.__TAURI__?.core?.Channel;
  const channel = Channel ? new Channel() : null;
  if (channel) channel.onmessage = onProgress;
  return channel;
}

/** Imports the file read by importOpen; `onProgress({step, done, of})` hears how far it got. */
export const importApply = (choices, onProgress) => invoke('import_apply', { choices, onProgress: progressChannel(onProgress) });

/** Asks for a workbook or CSV file (a vCard file when `vcard`) and reads it: `{fileName, format, sheets, targets, skipped}`; null when cancelled. */
export const tableOpen = (dialogTitle, vcard = false) => invoke('table_open', { dialogTitle, vcard });
/** The fields the columns of sheet `sheet` (its table from row `start`, or where it most likely begins) most likely fill as `target`: `{headers, mapping, fields, start, first}`. */
export const tableOffer = (sheet, target, headers, start = null) => invoke('table_offer', { sheet, target, headers, start });
/** What importing `{sheet, target, headers, mapping}` would do, row by row. */
export const tablePlan = (request) => invoke('table_plan', { request });
/** Imports the sheet as `request` maps it; `onProgress` hears how far it got. */
export const tableImport = (request, onProgress) => invoke('table_import', { request, onProgress: progressChannel(onProgress) });

/** People as one vCard file (`version` '4.0' or '3.0'); `{fileName, count}`, null when cancelled. */
export const exportVcards = (ids, version, dialogTitle) => invoke('export_vcards', { ids, version, dialogTitle });
/** One meeting as an iCalendar file; `{fileName, count}`, null when cancelled. */
export const exportMeetingCalendar = (id, dialogTitle) => invoke('export_meeting_calendar', { id, dialogTitle });
/** The meetings and deadlines of `{from, until, meetings, commitments, agreements}` as an iCalendar file. */
export const exportCalendar = (request, dialogTitle) => invoke('export_calendar', { request, dialogTitle });
/** The instruments signed in `{year, quarter}` in the transparency format (`format` 'xlsx' or 'csv'). */
export const exportTransparency = (request, format, dialogTitle) => invoke('export_transparency', { request, format, dialogTitle });
/** Asks for an invitation (.ics) and reads it: `{fileName, plan}`; null when cancelled. */
export const invitationOpen = (dialogTitle) => invoke('invitation_open', { dialogTitle });
/** Imports the invitation `invitationOpen` read; the plan it carried out. */
export const invitationImport = () => invoke('invitation_import');
