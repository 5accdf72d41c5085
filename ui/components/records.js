// Detail views and edit forms of every record kind, with delete and conflict handling.

import { h } from '../dom.js';
import { t, label, message } from '../i18n.js';
import * as api from '../api.js';
import { formatDate, formatInstant, formatMeetingWhen, countryName, languageName } from '../format.js';
import { changedFields, recordHash, mailtoHref, telHref } from '../logic.js';
import { Form } from './form.js';
import { ENUMS } from '../enums.js';
import {
  pageHead, card, items, recordLink, joinLinks, statusBadge, badge, daysBadge, toast, showError,
  openDialog, confirmDialog, externalLink,
} from './ui.js';
import { commitmentLine, markDone } from './commitments.js';
import { exportControl } from './export.js';


const sel = (name, group) => ({ name, type: 'select', group, values: ENUMS[group] });

export const SPECS = {
  organization: [
    { name: 'nameEs', full: true }, { name: 'nameEn', full: true },
    { name: 'acronymEs' }, { name: 'acronymEn' },
    sel('kind', 'orgKind'), sel('relationship', 'relationship'), sel('scope', 'scope'), sel('sector', 'sector'),
    { name: 'country', hint: 'f.countryHint' }, { name: 'city' },
    { name: 'website', full: true },
    { name: 'themes', type: 'checks', group: 'theme', values: ENUMS.theme, full: true },
    { name: 'responsibleId', type: 'ref', kind: 'contact' }, { name: 'tags', type: 'tags', hint: 'f.tagsHint' },
    { name: 'notes', type: 'textarea', full: true },
  ],
  contact: [
    { name: 'honorific' }, { name: 'fullName', required: true },
    { name: 'post' }, { name: 'organizationId', type: 'ref', kind: 'organization' },
    { name: 'postSince', type: 'date' }, { name: 'languages', type: 'list', hint: 'f.languagesHint' },
    { name: 'emails', type: 'labeled', full: true }, { name: 'phones', type: 'labeled', full: true },
    { name: 'preferredLanguage' }, { name: 'tags', type: 'tags', hint: 'f.tagsHint' },
    { name: 'privacyNoticeGiven', type: 'checkbox' }, { name: 'privacyNoticeDate', type: 'date' },
    { name: 'sensitiveData', type: 'checkbox' },
    { name: 'notes', type: 'textarea', full: true },
  ],
  meeting: [
    { name: 'title', required: true, full: true },
    { name: 'date', type: 'date', required: true, optional: false }, { name: 'time', type: 'time' },
    { name: 'durationMinutes', type: 'number' }, { name: 'timeZone' },
    sel('modality', 'modality'), { name: 'place' },
    { name: 'link', full: true },
    { name: 'organizationIds', type: 'refs', kind: 'organization', full: true },
    { name: 'counterpartAttendees', type: 'refs', kind: 'contact' }, { name: 'iecmDelegation', type: 'refs', kind: 'contact' },
    { name: 'objective', type: 'textarea', full: true }, { name: 'agenda', type: 'textarea', full: true },
    { name: 'talkingPoints', type: 'textarea', full: true }, { name: 'sensitiveTopics', type: 'textarea', full: true },
    { name: 'minutes', type: 'textarea', long: true, full: true },
  ],
  agreement: [
    sel('kind', 'agreementKind'), { name: 'folio' },
    { name: 'title', required: true, full: true },
    { name: 'purpose', type: 'textarea', full: true },
    { name: 'counterpartIds', type: 'refs', kind: 'organization', required: true }, { name: 'parentId', type: 'ref', kind: 'agreement' },
    sel('status', 'agreementStatus'), { name: 'signedOn', type: 'date' },
    { name: 'validFrom', type: 'date' }, { name: 'validUntil', type: 'date', hint: 'f.validUntilHint' },
    sel('renewal', 'renewal'), { name: 'noticeDays', type: 'number', hint: 'f.noticeDaysHint' },
    { name: 'iecmArea' }, { name: 'publicMoney', type: 'checkbox' },
    { name: 'iecmContactId', type: 'ref', kind: 'contact' }, { name: 'counterpartContactId', type: 'ref', kind: 'contact' },
    { name: 'documentRefs', type: 'lines', hint: 'f.documentRefsHint', full: true },
    { name: 'notes', type: 'textarea', full: true },
  ],
  commitment: [
    { name: 'description', type: 'textarea', required: true, full: true },
    sel('party', 'party'), { name: 'ownerId', type: 'ref', kind: 'contact' },
    { name: 'dueOn', type: 'date' }, sel('status', 'commitmentStatus'),
    { name: 'evidence', type: 'textarea', full: true },
  ],
};

const COMMITMENT_ROW = SPECS.commitment;

const EMPTY = {
  organization: { kind: 'ngo', scope: 'national', sector: 'public', relationship: 'prospect', themes: [], tags: [] },
  contact: { emails: [{ label: '', value: '' }], phones: [], languages: ['es'], tags: [] },
  meeting: { date: '', timeZone: 'America/Mexico_City', modality: 'inPerson', organizationIds: [], counterpartAttendees: [], iecmDelegation: [] },
  agreement: { kind: 'frameworkAgreement', status: 'negotiation', renewal: 'none', counterpartIds: [], documentRefs: [] },
};

const GETTERS = {
  organization: api.getOrganization, contact: api.getContact, meeting: api.getMeeting,
  agreement: api.getAgreement, commitment: api.getCommitment,
};

/** What the ref pickers offer: every organization, person and agreement. */
async function pickerOptions() {
  const [orgs, people, agreements] = await Promise.all([
    api.listRecords('organization'), api.listRecords('contact'), api.listRecords('agreement'),
  ]);
  const opt = (list, withSub) => list.items.map((i) => ({ id: i.id, title: withSub ? `${i.title}${withSub(i)}` : i.title }));
  return {
    organization: opt(orgs, (o) => (o.acronym && o.acronym !== o.title ? ` (${o.acronym})` : '')),
    contact: opt(people, (p) => (p.organization ? ` — ${p.organization.title}` : '')),
    agreement: opt(agreements, (a) => (a.folio ? ` (${a.folio})` : '')),
  };
}

// ------------------------------------------------------------------ detail views

function fieldList(pairs) {
  const shown = pairs.filter(([, v]) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && !v.length));
  return h('dl', { class: 'fields' }, shown.map(([key, v]) => [h('dt', {}, t(key)), h('dd', {}, v)]));
}

/** E-mails or phones, one per line, each a link the system opens, with its label. */
function labeledLinks(entries, hrefOf) {
  if (!entries.length) return null;
  return h('ul', { class: 'plain' }, entries.map((e) => h('li', {}, externalLink(hrefOf(e.value), e.value), e.label ? ` (${e.label})` : '')));
}

function editDeleteActions(kind, record, refresh) {
  return [
    h('a', { class: 'button', href: `${recordHash(kind, record.id)}/edit` }, t('action.edit')),
    h('button', { type: 'button', class: 'danger', onclick: () => deleteRecord(kind, record, refresh) }, t('action.delete')),
  ];
}

export async function renderDetail(main, kind, id, refresh) {
  const raw = await GETTERS[kind](id);
  const record = raw.record ?? raw;
  // What this record points at, named by the core: links on its page.
  const named = new Map((await api.links(id)).map((r) => [r.id, r]));
  const linksTo = (ids) => joinLinks(ids.map((i) => named.get(i)).filter(Boolean));
  const linkTo = (rid) => (rid && named.has(rid) ? recordLink(named.get(rid)) : null);
  const sample = record.sample ? badge(t('sampleBadge'), 'muted') : null;
  if (kind === 'organization') {
    const view = await api.organizationOverview(id);
    const o = view.organization;
    main.append(
      pageHead(o.nameEs || o.nameEn, [o.acronymEs, o.acronymEn].filter(Boolean).join(' · '), [sample,
        h('a', { class: 'button', href: `#/meeting/new/${encodeURIComponent(o.id)}` }, t('new.meeting')),
        h('a', { class: 'button', href: `#/agreement/new/${encodeURIComponent(o.id)}` }, t('new.agreement')),
        ...editDeleteActions(kind, o, refresh)]),
      await exportControl(o.id, true),
      h('section', { class: 'card', 'aria-label': t('section.details') }, fieldList([
        ['f.nameEn', o.nameEn], ['f.kind', label('orgKind', o.kind)], ['f.scope', label('scope', o.scope)],
        ['f.sector', label('sector', o.sector)], ['f.country', countryName(o.country)], ['f.city', o.city],
        ['f.website', externalLink(o.website)], ['f.themes', o.themes.map((x) => label('theme', x)).join(', ')],
        ['f.relationship', statusBadge('relationship', o.relationship)],
        ['f.responsibleId', linkTo(o.responsibleId)],
        ['f.tags', o.tags.join(', ')], ['f.notes', o.notes], ['f.updatedAt', formatInstant(o.updatedAt)],
      ])),
      h('div', { class: 'grid-2' },
        card(t('section.openCommitments'), items(view.openCommitments, (c) => commitmentLine(c, refresh), t('section.empty'))),
        card(t('section.people'), items(view.people, (p) => [h('div', { class: 'item-main' }, recordLink(p), h('div', { class: 'item-meta' }, p.post))], t('section.empty')),
          h('p', {}, h('a', { href: `#/contact/new/${encodeURIComponent(o.id)}` }, t('new.contact')))),
        card(t('section.meetings'), items(view.meetings, (m) => [h('div', { class: 'item-main' }, h('a', { href: recordHash('meeting', m.id) }, m.title), h('div', { class: 'item-meta' }, formatMeetingWhen(m)))], t('section.empty'))),
        card(t('section.agreements'), items(view.agreements, (a) => [
          h('div', { class: 'item-main' }, h('a', { href: recordHash('agreement', a.id) }, a.title), h('div', { class: 'item-meta' }, [a.folio, a.validUntil ? ` · ${formatDate(a.validUntil)}` : ''])),
          h('div', { class: 'item-side' }, a.expiring || a.expired ? daysBadge(a.daysLeft, { ended: true, warnWithin: a.noticeDays }) : null, statusBadge('agreementStatus', a.status)),
        ], t('section.empty'))),
        view.formerPeople.length ? card(t('section.formerPeople'), items(view.formerPeople, (p) => [h('div', { class: 'item-main' }, recordLink(p), h('div', { class: 'item-meta' }, p.post))])) : null,
      ),
    );
    return;
  }
  if (kind === 'contact') {
    const c = record;
    const refs = await api.references(id);
    main.append(
      pageHead([c.honorific, c.fullName].filter(Boolean).join(' '), c.post, [sample, ...editDeleteActions(kind, c, refresh)]),
      h('section', { class: 'card', 'aria-label': t('section.details') }, fieldList([
        ['f.organizationId', linkTo(c.organizationId)],
        ['f.postSince', formatDate(c.postSince)],
        ['f.emails', labeledLinks(c.emails, mailtoHref)],
        ['f.phones', labeledLinks(c.phones, telHref)],
        ['f.languages', c.languages.map((l) => languageName(l)).join(', ')], ['f.preferredLanguage', languageName(c.preferredLanguage)],
        ['f.privacyNoticeGiven', c.privacyNoticeGiven ? `${t('yes')}${c.privacyNoticeDate ? ` · ${formatDate(c.privacyNoticeDate)}` : ''}` : t('no')],
        ['f.sensitiveData', c.sensitiveData ? t('yes') : null],
        ['f.tags', c.tags.join(', ')], ['f.notes', c.notes], ['f.updatedAt', formatInstant(c.updatedAt)],
      ])),
      h('div', { class: 'grid-2' },
        c.postHistory.length ? card(t('section.postHistory'), items(c.postHistory, (p) => [h('div', { class: 'item-main' }, h('strong', {}, p.post || t('none')),
          h('div', { class: 'item-meta' }, [linkTo(p.organizationId) ?? p.organizationName, ' · ', formatDate(p.from) || '…', ' – ', formatDate(p.until) || '…']))])) : null,
        card(t('section.appearsIn'), items(refs.filter((r) => r.kind !== 'organization'), (r) => [h('div', { class: 'item-main' }, recordLink(r), h('div', { class: 'item-meta' }, label('kind', r.kind)))], t('section.empty'))),
      ),
    );
    return;
  }
  if (kind === 'meeting') {
    const m = record;
    main.append(
      pageHead(m.title, formatMeetingWhen(m), [sample, ...editDeleteActions(kind, m, refresh)]),
      await exportControl(m.id),
      h('section', { class: 'card', 'aria-label': t('section.details') }, fieldList([
        ['f.modality', label('modality', m.modality)],
        ['f.durationMinutes', m.durationMinutes], ['f.place', m.place], ['f.link', externalLink(m.link)],
        ['f.organizationIds', m.organizationIds.length ? linksTo(m.organizationIds) : null],
        ['f.counterpartAttendees', m.counterpartAttendees.length ? linksTo(m.counterpartAttendees) : null],
        ['f.iecmDelegation', m.iecmDelegation.length ? linksTo(m.iecmDelegation) : null],
        ['f.objective', m.objective], ['f.agenda', m.agenda], ['f.talkingPoints', m.talkingPoints],
        ['f.sensitiveTopics', m.sensitiveTopics], ['f.minutes', m.minutes], ['f.updatedAt', formatInstant(m.updatedAt)],
      ])),
      card(t('section.commitments'), items(await api.sourceCommitments(id), (c) => commitmentLine(c, refresh, { withSource: false }), t('section.empty'))),
    );
    return;
  }
  if (kind === 'agreement') {
    const a = record;
    const children = (await api.references(id)).filter((r) => r.kind === 'agreement');
    main.append(
      pageHead(a.title, [label('agreementKind', a.kind), a.folio].filter(Boolean).join(' · '), [sample, statusBadge('agreementStatus', a.status), ...editDeleteActions(kind, a, refresh)]),
      h('section', { class: 'card', 'aria-label': t('section.details') }, fieldList([
        ['f.counterpartIds', linksTo(a.counterpartIds)],
        ['f.parentId', linkTo(a.parentId)],
        ['f.purpose', a.purpose], ['f.signedOn', formatDate(a.signedOn)], ['f.validFrom', formatDate(a.validFrom)],
        ['f.validUntil', a.validUntil ? formatDate(a.validUntil) : a.status === 'signed' || a.status === 'inForce' ? t('f.openEnded') : null],
        ['f.renewal', label('renewal', a.renewal)], ['f.noticeDays', a.noticeDays ?? 90], ['f.iecmArea', a.iecmArea],
        ['f.iecmContactId', linkTo(a.iecmContactId)],
        ['f.counterpartContactId', linkTo(a.counterpartContactId)],
        ['f.publicMoney', a.publicMoney ? t('yes') : t('no')], ['f.documentRefs', a.documentRefs.length ? h('ul', { class: 'plain' }, a.documentRefs.map((r) => h('li', {}, externalLink(r)))) : null],
        ['f.notes', a.notes], ['f.updatedAt', formatInstant(a.updatedAt)],
      ])),
      h('div', { class: 'grid-2' },
        card(t('section.commitments'), items(await api.sourceCommitments(id), (c) => commitmentLine(c, refresh, { withSource: false }), t('section.empty'))),
        children.length ? card(t('section.childAgreements'), items(children, (r) => [h('div', { class: 'item-main' }, recordLink(r))])) : null,
      ),
    );
    return;
  }
  // A commitment on its own.
  const c = record;
  main.append(
    pageHead(t('kind.commitment'), null, [sample,
      c.status === 'pending' || c.status === 'inProgress'
        ? h('button', { type: 'button', class: 'primary', onclick: () => markDone(c.id, refresh) }, t('action.markDone'))
        : null,
      h('a', { class: 'button', href: `${recordHash(kind, c.id)}/edit` }, t('action.edit')),
      h('button', { type: 'button', class: 'danger', onclick: () => deleteRecord(kind, c, refresh) }, t('action.delete'))]),
    h('section', { class: 'card', 'aria-label': t('section.details') }, fieldList([
      ['f.description', c.description],
      ['f.source', linkTo(c.source?.id)],
      ['f.party', label('party', c.party)], ['f.ownerId', linkTo(c.ownerId)],
      ['f.dueOn', formatDate(c.dueOn)], ['f.status', statusBadge('commitmentStatus', c.status)],
      ['f.evidence', c.evidence], ['f.updatedAt', formatInstant(c.updatedAt)],
    ])),
  );
}

// ------------------------------------------------------------------ delete

async function deleteRecord(kind, record, refresh) {
  const title = record.nameEs || record.nameEn || record.fullName || record.title || record.description;
  try {
    const refs = await api.references(record.id);
    if (kind === 'organization' && refs.length) {
      const policy = await chooseOrgPolicy(record, title, refs);
      if (!policy) return;
      await api.deleteOrganization(record.id, record.revision, policy);
    } else {
      const extra = refs.length
        ? [h('p', {}, t('confirm.deleteWithRefs', { title, n: refs.length })), h('ul', {}, refs.map((r) => h('li', {}, `${label('kind', r.kind)}: ${r.title}`)))]
        : [];
      if (!(await confirmDialog(t('confirm.delete', { title }), { danger: true, confirmLabel: t('action.delete'), extra }))) return;
      const del = { organization: (id, rev) => api.deleteOrganization(id, rev, { policy: 'refuse' }), contact: api.deleteContact,
        meeting: api.deleteMeeting, agreement: api.deleteAgreement, commitment: api.deleteCommitment }[kind];
      await del(record.id, record.revision);
    }
    toast(t('deleted'));
    location.hash = kind === 'commitment' ? '#/list/commitment' : `#/list/${kind}`;
  } catch (err) {
    showError(err);
    refresh();
  }
}

async function chooseOrgPolicy(record, title, refs) {
  const orgs = (await api.listRecords('organization')).items.filter((o) => o.id !== record.id);
  const reassign = h('input', { type: 'radio', name: 'org-policy', id: 'policy-reassign', value: 'reassign', checked: true });
  const cascade = h('input', { type: 'radio', name: 'org-policy', id: 'policy-cascade', value: 'cascade' });
  const target = h('select', { id: 'policy-target' }, orgs.map((o) => h('option', { value: o.id }, o.title)));
  if (!orgs.length) {
    reassign.disabled = true;
    cascade.checked = true;
  }
  const chosen = await openDialog({
    title: t('confirm.title'),
    content: [
      h('p', {}, t('confirm.orgRefs', { title, n: refs.length })),
      h('ul', {}, refs.map((r) => h('li', {}, `${label('kind', r.kind)}: ${r.title}`))),
      h('div', { class: 'field' }, h('label', { class: 'check', for: 'policy-reassign' }, reassign, t('confirm.orgReassign')),
        h('label', { for: 'policy-target' }, t('confirm.orgTarget')), target),
      h('div', { class: 'field' }, h('label', { class: 'check', for: 'policy-cascade' }, cascade, t('confirm.orgCascade'))),
    ],
    buttons: [
      { label: t('action.cancel'), value: null },
      { label: t('action.delete'), class: 'danger primary', onValue: () => (cascade.checked ? { policy: 'cascade' } : { policy: 'reassign', to: target.value }) },
    ],
  });
  return chosen;
}

// ------------------------------------------------------------------ edit

export async function renderEdit(main, kind, id, organization = null) {
  const options = await pickerOptions();
  const loaded = id ? await GETTERS[kind](id) : null;
  const record = loaded ? (loaded.record ?? loaded) : structuredClone(EMPTY[kind]);
  if (!loaded && organization) {
    const field = { contact: 'organizationId', meeting: 'organizationIds', agreement: 'counterpartIds' }[kind];
    if (field) record[field] = field === 'organizationId' ? organization : [organization];
  }
  const commitments = loaded?.commitments ?? [];
  const withCommitments = kind === 'meeting' || kind === 'agreement';
  const form = new Form(SPECS[kind], record, options);
  const editor = withCommitments ? new CommitmentsEditor(commitments, options) : null;
  const formError = h('p', { class: 'form-error', role: 'alert' });
  const saveButton = h('button', { type: 'submit', class: 'primary' }, t('action.save'));
  const cancel = h('a', { class: 'button', href: id ? recordHash(kind, id) : `#/list/${kind}`,
    onclick: () => { delete formEl.dataset.dirty; } }, t('action.cancel'));
  const formEl = h('form', { class: 'record', novalidate: true },
    form.elements(),
    editor ? h('fieldset', { class: 'full' }, h('legend', {}, t('section.commitments')), editor.el) : null,
    formError,
    h('div', { class: 'form-actions' }, saveButton, cancel));

  const save = async (overwriteRevision = null) => {
    formError.textContent = '';
    form.clearErrors();
    editor?.clearErrors();
    const local = [...form.localErrors(), ...(editor ? editor.localErrors() : [])];
    if (local.length) {
      form.showErrors(local);
      editor?.showErrors(local);
      formError.textContent = t('err.formHasErrors');
      return;
    }
    const values = form.read();
    if (overwriteRevision !== null) values.revision = overwriteRevision;
    saveButton.disabled = true;
    saveButton.textContent = t('saving');
    try {
      let saved;
      if (kind === 'meeting') saved = await api.saveMeeting(values, editor.read(), editor.removed());
      else if (kind === 'agreement') saved = await api.saveAgreement(values, editor.read(), editor.removed());
      else saved = await { organization: api.saveOrganization, contact: api.saveContact, commitment: api.saveCommitment }[kind](values);
      const savedId = (saved.record ?? saved).id;
      delete formEl.dataset.dirty;
      toast(t('saved'));
      location.hash = recordHash(kind, savedId);
    } catch (err) {
      if (err.kind === 'invalid' && err.violations.length) {
        const rest = form.showErrors(err.violations);
        const left = editor ? editor.showErrors(rest) : rest;
        formError.textContent = left.length ? left.map((v) => message(v.code, v.params)).join(' ') : t('err.formHasErrors');
      } else if (err.kind === 'conflict' && err.current?.kind === kind) {
        await resolveConflict(values, err.current.record, save, () => renderAgain(main, kind, id));
      } else if (err.kind === 'conflict' && err.current) {
        // One of its commitments changed elsewhere: the form must be reloaded to see it.
        if (await confirmDialog(t('err.staleRevision'), { confirmLabel: t('action.reload') })) await renderAgain(main, kind, id);
      } else {
        formError.textContent = message(err.code, err.params);
      }
    } finally {
      saveButton.disabled = false;
      saveButton.textContent = t('action.save');
    }
  };
  // Unsaved edits: the router asks before leaving a form marked dirty.
  const markDirty = () => { formEl.dataset.dirty = 'true'; };
  formEl.addEventListener('input', markDirty);
  formEl.addEventListener('change', markDirty);
  formEl.addEventListener('click', (e) => { if (e.target.closest('button[type="button"]')) markDirty(); });
  formEl.addEventListener('submit', (e) => {
    e.preventDefault();
    save();
  });
  const title = kind === 'commitment' ? t('kind.commitment') : t(id ? `edit.${kind}` : `new.${kind}`);
  main.append(pageHead(title, id ? (record.nameEs || record.nameEn || record.fullName || record.title || '') : null), formEl);
}

function renderAgain(main, kind, id) {
  main.replaceChildren();
  return renderEdit(main, kind, id);
}

/** Shows what changed behind the form and lets the user reload or overwrite knowingly. */
async function resolveConflict(mine, theirs, save, reload) {
  const fields = changedFields(mine, theirs);
  const show = (v) => (Array.isArray(v) ? v.map((x) => (typeof x === 'object' ? x.value ?? JSON.stringify(x) : x)).join(', ') : v === null || v === undefined ? '' : String(v));
  const choice = await openDialog({
    title: t('conflict.title'),
    content: [
      h('p', {}, t('conflict.body')),
      h('table', { class: 'diff' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('conflict.field'))), h('th', { scope: 'col' }, t('conflict.theirs')), h('th', { scope: 'col' }, t('conflict.yours')))),
        h('tbody', {}, fields.map((f) => h('tr', {}, h('th', { scope: 'row' }, t(`f.${f}`)), h('td', {}, show(theirs[f])), h('td', {}, show(mine[f])))))),
    ],
    buttons: [
      { label: t('action.reload'), value: 'reload' },
      { label: t('action.overwrite'), value: 'overwrite', class: 'primary' },
    ],
  });
  if (choice === 'reload') await reload();
  else if (choice === 'overwrite') await save(theirs.revision);
}

/** The commitments of a meeting or agreement inside its form. */
class CommitmentsEditor {
  constructor(commitments, options) {
    this.options = options;
    this.rows = [];
    this.removedList = [];
    this.list = h('div', { class: 'rows' });
    this.add = h('button', { type: 'button', class: 'small', onclick: () => this.addRow({ party: 'iecm', status: 'pending' }, true) }, `${t('action.add')}: ${t('kind.commitment').toLowerCase()}`);
    this.el = h('div', {}, this.list, this.add);
    commitments.forEach((c) => this.addRow(c, false));
  }

  addRow(record, focus) {
    const form = new Form(COMMITMENT_ROW, record, this.options);
    const row = { record, form };
    const removeButton = h('button', { type: 'button', class: 'small danger', onclick: () => {
      if (record.id) this.removedList.push({ id: record.id, revision: record.revision });
      this.rows.splice(this.rows.indexOf(row), 1);
      row.el.remove();
      this.add.focus();
    } }, t('action.remove'));
    row.el = h('div', { class: 'commitment-row' }, form.elements().map((el, i) => {
      if (i === 0 || i === COMMITMENT_ROW.length - 1) el.classList.add('wide');
      return el;
    }), h('div', { class: 'wide' }, removeButton));
    this.rows.push(row);
    this.list.append(row.el);
    if (focus) row.el.querySelector('textarea')?.focus();
  }

  read() {
    return this.rows.map((r) => r.form.read());
  }

  /** Values the UI can tell are malformed before sending, at `commitments[i].field`. */
  localErrors() {
    return this.rows.flatMap((r, i) => r.form.localErrors().map((v) => ({ ...v, field: `commitments[${i}].${v.field}` })));
  }

  removed() {
    return [...this.removedList];
  }

  clearErrors() {
    this.rows.forEach((r) => r.form.clearErrors());
  }

  /** Shows `commitments[i].field` violations in row i; returns the others. */
  showErrors(violations) {
    const rest = [];
    const perRow = new Map();
    for (const v of violations) {
      const m = /^commitments\[(\d+)\]\.(.+)$/.exec(v.field);
      const row = m && this.rows[Number(m[1])];
      if (!row) {
        rest.push(v);
        continue;
      }
      if (!perRow.has(row)) perRow.set(row, []);
      perRow.get(row).push({ ...v, field: m[2] });
    }
    for (const [row, list] of perRow) rest.push(...row.form.showErrors(list));
    return rest;
  }
}
