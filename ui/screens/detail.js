// The page of one record of each kind, with its links, and deleting it from there.

import { h, append } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import { formatBytes, formatDate, formatDateRange, formatInstant, formatMeetingWhen, formatMoney, formatHours, formatCount, countryName, languageName } from '../format.js';
import { recordHash, kindOfId, mailtoHref, telHref } from '../logic.js';
import { office } from '../office.js';
import {
  pageHead, card, items, recordLink, joinLinks, statusBadge, badge, daysBadge, toast, showError,
  openDialog, confirmDialog, externalLink,
} from '../widgets/ui.js';
import { commitmentRow, markDone } from '../flows/commitments.js';
import { combobox } from '../widgets/picker.js';
import { finder } from '../flows/records.js';
import { activityLine } from '../widgets/activity-line.js';
import { exportControl } from '../flows/export.js';
import { historyCard } from '../flows/audit.js';
import { eraseForGood } from '../flows/erase.js';
import { vcardButton, meetingCalendarButton } from '../flows/files.js';
import { documentsCard, openDocument } from '../flows/documents.js';
import { recordSharingCard } from '../flows/sharing.js';

/** The record `id` of `kind` on its page. */
export async function renderDetail(main, kind, id, refresh) {
  const loaded = await api.getRecord(kind, id);
  const record = loaded.record ?? loaded;
  // What this record points at, named by the core: links on its page.
  const named = new Map((await api.links(id)).map((r) => [r.id, r]));
  const page = {
    id,
    loaded,
    record,
    refresh,
    linksTo: (ids) => joinLinks(ids.map((i) => named.get(i)).filter(Boolean)),
    linkTo: (rid) => (rid && named.has(rid) ? recordLink(named.get(rid)) : null),
    sample: record.sample ? badge(t('sampleBadge'), 'muted') : null,
  };
  // Any record but a document can have documents attached.
  const documents = kind === 'document' ? null : await documentsCard(id, refresh);
  // What a colleague's changes left to settle, first after the record's head.
  const settle = await recordSharingCard(record, { refresh, onDelete: () => deleteRecord(kind, record, refresh) });
  const [head, ...rest] = [await PAGES[kind](page)].flat();
  append(main, [head, settle, ...rest, documents, historyCard(id)]);
}

function fieldList(pairs) {
  const shown = pairs.filter(([, v]) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && !v.length));
  return h('section', { class: 'card', 'aria-label': t('section.details') },
    h('dl', { class: 'fields' }, shown.map(([key, v]) => [h('dt', {}, t(key)), h('dd', {}, v)])));
}

/** E-mails or phones, one per line, each a link the system opens, with its label. */
function labeledLinks(entries, hrefOf) {
  if (!entries.length) return null;
  return h('ul', { class: 'plain' }, entries.map((e) => h('li', {}, externalLink(hrefOf(e.value), e.value), e.label ? ` (${e.label})` : '')));
}

function editDeleteActions(kind, { record, refresh }) {
  return [
    h('a', { class: 'button', href: `${recordHash(kind, record.id)}/edit` }, t('action.edit')),
    h('button', { type: 'button', class: 'danger', onclick: () => deleteRecord(kind, record, refresh) }, t('action.delete')),
  ];
}

/** What a person took in an activity: hours, whether completed, the certificate. */
function trainingOf(p) {
  return [p.hours !== null ? formatHours(p.hours) : null, p.completed ? t('f.completed') : null, p.certificate || null].filter(Boolean).join(' · ');
}

/** The commitments of a meeting, agreement or activity, on its page. */
async function commitmentsCard({ id, refresh }) {
  return card(t('section.commitments'), items(await api.sourceCommitments(id),
    (c) => commitmentRow(c, refresh, { withSource: false }), t('section.empty')));
}

const PAGES = {
  async organization(page) {
    const { id, refresh, linkTo, sample } = page;
    const view = await api.organizationOverview(id);
    const o = view.organization;
    const org = encodeURIComponent(o.id);
    const person = (p) => [h('div', { class: 'item-main' }, recordLink(p), h('div', { class: 'item-meta' }, p.post))];
    return [
      pageHead(o.nameEs || o.nameEn, [o.acronymEs, o.acronymEn].filter(Boolean).join(' · '), [sample,
        h('a', { class: 'button', href: `#/meeting/new/${org}` }, t('new.meeting')),
        h('a', { class: 'button', href: `#/agreement/new/${org}` }, t('new.agreement')),
        h('a', { class: 'button', href: `#/activity/new/${org}` }, t('new.activity')),
        ...editDeleteActions('organization', { ...page, record: o })]),
      await exportControl(o.id, 'organization'),
      fieldList([
        ['f.nameEn', o.nameEn], ['f.kind', label('orgKind', o.kind)], ['f.scope', label('scope', o.scope)],
        ['f.sector', label('sector', o.sector)], ['f.country', countryName(o.country)], ['f.city', o.city],
        ['f.website', externalLink(o.website)], ['f.themes', o.themes.map((x) => label('theme', x)).join(', ')],
        ['f.relationship', statusBadge('relationship', o.relationship)],
        ['f.responsibleId', linkTo(o.responsibleId)],
        ['f.tags', o.tags.join(', ')], ['f.notes', o.notes], ['f.updatedAt', formatInstant(o.updatedAt)],
      ]),
      h('div', { class: 'grid-2' },
        card(t('section.openCommitments'), items(view.openCommitments, (c) => commitmentRow(c, refresh), t('section.empty'))),
        card(t('section.people'), items(view.people, person, t('section.empty')),
          h('p', {}, h('a', { href: `#/contact/new/${org}` }, t('new.contact')))),
        card(t('section.meetings'), items(view.meetings, (m) => [h('div', { class: 'item-main' }, h('a', { href: recordHash('meeting', m.id) }, m.title), h('div', { class: 'item-meta' }, formatMeetingWhen(m)))], t('section.empty'))),
        card(t('section.agreements'), items(view.agreements, (a) => [
          h('div', { class: 'item-main' }, h('a', { href: recordHash('agreement', a.id) }, a.title), h('div', { class: 'item-meta' }, [a.folio, a.validUntil ? ` · ${formatDate(a.validUntil)}` : ''])),
          h('div', { class: 'item-side' }, a.expiring || a.expired ? daysBadge(a.daysLeft, { ended: true, warnWithin: a.noticeDays }) : null, statusBadge('agreementStatus', a.status)),
        ], t('section.empty'))),
        card(t('section.activities'), items(view.activities, (a) => activityLine(a), t('section.empty'))),
        view.formerPeople.length ? card(t('section.formerPeople'), items(view.formerPeople, person)) : null,
      ),
    ];
  },

  async contact(page) {
    const { id, record: c, linkTo, sample } = page;
    const [refs, training] = await Promise.all([api.references(id), api.participations(id)]);
    const taken = training.items;
    const posts = c.postHistory.length ? card(t('section.postHistory'), items(c.postHistory, (p) => [h('div', { class: 'item-main' }, h('strong', {}, p.post || t('none')),
      h('div', { class: 'item-meta' }, [linkTo(p.organizationId) ?? p.organizationName, ' · ', formatDate(p.from) || '…', ' – ', formatDate(p.until) || '…']))])) : null;
    return [
      pageHead([c.honorific, c.fullName].filter(Boolean).join(' '), c.post, [sample, vcardButton(() => [c.id]), ...editDeleteActions('contact', page)]),
      await exportControl(c.id, 'contact'),
      fieldList([
        ['f.organizationId', linkTo(c.organizationId)],
        ['f.postSince', formatDate(c.postSince)],
        ['f.emails', labeledLinks(c.emails, mailtoHref)],
        ['f.phones', labeledLinks(c.phones, telHref)],
        ['f.languages', c.languages.map((l) => languageName(l)).join(', ')], ['f.preferredLanguage', languageName(c.preferredLanguage)],
        ['f.privacyNoticeGiven', c.privacyNoticeGiven ? `${t('yes')}${c.privacyNoticeDate ? ` · ${formatDate(c.privacyNoticeDate)}` : ''}` : t('no')],
        ['f.sensitiveData', c.sensitiveData ? t('yes') : null],
        ['f.tags', c.tags.join(', ')], ['f.notes', c.notes], ['f.updatedAt', formatInstant(c.updatedAt)],
      ]),
      h('div', { class: 'grid-2' }, posts,
        taken.length ? card(t('section.training'), items(taken, (p) => activityLine(p.activity, { side: h('span', { class: 'item-meta' }, trainingOf(p)) })), training.hours ? h('p', { class: 'more' }, t('training.total', { hours: formatHours(training.hours), n: formatCount(training.completed) })) : null) : null,
        card(t('section.appearsIn'), items(refs.filter((r) => !['organization', 'activity', 'document'].includes(r.kind)), (r) => [h('div', { class: 'item-main' }, recordLink(r), h('div', { class: 'item-meta' }, label('kind', r.kind)))], t('section.empty'))),
      ),
    ];
  },

  async meeting(page) {
    const { record: m, linksTo, sample } = page;
    return [
      pageHead(m.title, formatMeetingWhen(m), [sample, meetingCalendarButton(m.id), ...editDeleteActions('meeting', page)]),
      await exportControl(m.id, 'meeting'),
      fieldList([
        ['f.modality', label('modality', m.modality)],
        ['f.durationMinutes', m.durationMinutes], ['f.place', m.place], ['f.link', externalLink(m.link)],
        ['f.organizationIds', m.organizationIds.length ? linksTo(m.organizationIds) : null],
        ['f.counterpartAttendees', m.counterpartAttendees.length ? linksTo(m.counterpartAttendees) : null],
        ['f.iecmDelegation', m.iecmDelegation.length ? linksTo(m.iecmDelegation) : null],
        ['f.objective', m.objective], ['f.agenda', m.agenda], ['f.talkingPoints', m.talkingPoints],
        ['f.sensitiveTopics', m.sensitiveTopics], ['f.minutes', m.minutes], ['f.updatedAt', formatInstant(m.updatedAt)],
      ]),
      await commitmentsCard(page),
    ];
  },

  async agreement(page) {
    const { id, record: a, linkTo, linksTo, sample } = page;
    const [refs, activities] = await Promise.all([api.references(id), api.agreementActivities(id)]);
    const children = refs.filter((r) => r.kind === 'agreement');
    const live = a.status === 'signed' || a.status === 'inForce';
    return [
      pageHead(a.title, [label('agreementKind', a.kind), a.folio].filter(Boolean).join(' · '), [sample, statusBadge('agreementStatus', a.status),
        h('a', { class: 'button', href: `#/activity/new/${encodeURIComponent(a.id)}`, id: 'agreement-new-activity' }, t('new.activity')),
        ...editDeleteActions('agreement', page)]),
      fieldList([
        ['f.counterpartIds', linksTo(a.counterpartIds)],
        ['f.parentId', linkTo(a.parentId)],
        ['f.purpose', a.purpose], ['f.signedOn', formatDate(a.signedOn)], ['f.validFrom', formatDate(a.validFrom)],
        ['f.validUntil', a.validUntil ? formatDate(a.validUntil) : live ? t('f.openEnded') : null],
        ['f.renewal', label('renewal', a.renewal)], ['f.noticeDays', a.noticeDays ?? office().defaultNoticeDays], ['f.iecmArea', a.iecmArea],
        ['f.iecmContactId', linkTo(a.iecmContactId)],
        ['f.counterpartContactId', linkTo(a.counterpartContactId)],
        ['f.publicMoney', a.publicMoney ? t('yes') : t('no')], ['f.documentRefs', a.documentRefs.length ? h('ul', { class: 'plain' }, a.documentRefs.map((r) => h('li', {}, externalLink(r)))) : null],
        ['f.notes', a.notes], ['f.updatedAt', formatInstant(a.updatedAt)],
      ]),
      h('div', { class: 'grid-2' },
        await commitmentsCard(page),
        card(t('section.activitiesExecuting'), items(activities, (a) => activityLine(a), t('section.empty'))),
        children.length ? card(t('section.childAgreements'), items(children, (r) => [h('div', { class: 'item-main' }, recordLink(r))])) : null,
      ),
    ];
  },

  async activity(page) {
    const { record: a, loaded, linkTo, linksTo, sample } = page;
    // The people reached (the core counts them: as recorded, or women and men added up), then
    // those of them recorded as women and men.
    const split = [[a.womenReached, 'f.womenShort'], [a.menReached, 'f.menShort']]
      .filter(([n]) => n !== null).map(([n, key]) => t(key, { n: formatCount(n) }));
    const reached = loaded.reached === null ? null : `${formatCount(loaded.reached)}${split.length ? ` (${split.join(', ')})` : ''}`;
    const list = (entries, render) => (entries.length ? h('ul', { class: 'plain' }, entries.map((e) => h('li', {}, render(e)))) : null);
    return [
      pageHead(a.title, [label('activityKind', a.kind), formatDateRange(a.startsOn, a.endsOn)].filter(Boolean).join(' · '),
        [sample, statusBadge('activityStatus', a.status), ...editDeleteActions('activity', page)]),
      fieldList([
        ['f.partnerIds', linksTo(a.partnerIds)],
        ['f.agreementId', linkTo(a.agreementId)],
        ['f.place', a.place], ['f.link', externalLink(a.link)], ['f.iecmArea', a.iecmArea],
        ['f.themes', a.themes.map((x) => label('theme', x)).join(', ')],
        ['f.description', a.description],
        ['f.beneficiaries', a.beneficiaries.map((x) => label('beneficiary', x)).join(', ')],
        ['f.peopleReached', reached],
        ['f.products', a.products],
        ['f.participants', list(a.participants, (p) => [linkTo(p.contactId) ?? t('none'), trainingOf(p) ? ` — ${trainingOf(p)}` : ''])],
        ['f.resources', list(a.resources, (r) => `${label('party', r.party)} · ${label('resourceKind', r.kind)}${r.description ? `: ${r.description}` : ''}${r.amount !== null ? ` (${formatMoney(r.amount)})` : ''}`)],
        ['f.notes', a.notes], ['f.updatedAt', formatInstant(a.updatedAt)],
      ]),
      await commitmentsCard(page),
    ];
  },

  async document(page) {
    const { record: d, refresh, linkTo, sample } = page;
    return [
      pageHead(d.name, t('kind.document'), [sample,
        h('button', { type: 'button', class: 'primary', onclick: () => openDocument(d.id) }, t('documents.open')),
        h('a', { class: 'button', href: `${recordHash('document', d.id)}/edit` }, t('documents.rename')),
        h('button', { type: 'button', class: 'danger', onclick: () => deleteRecord('document', d, refresh) }, t('action.delete'))]),
      fieldList([
        ['f.recordId', linkTo(d.recordId)], ['f.size', formatBytes(d.size)], ['f.note', d.note],
        ['f.attachedAt', formatInstant(d.createdAt)],
      ]),
    ];
  },

  async commitment(page) {
    const { record: c, refresh, linkTo, sample } = page;
    const open = c.status === 'pending' || c.status === 'inProgress';
    return [
      pageHead(t('kind.commitment'), null, [sample,
        open ? h('button', { type: 'button', class: 'primary', onclick: () => markDone(c.id, refresh) }, t('action.markDone')) : null,
        ...editDeleteActions('commitment', page)]),
      fieldList([
        ['f.description', c.description],
        ['f.source', linkTo(c.source?.id)],
        ['f.party', label('party', c.party)], ['f.ownerId', linkTo(c.ownerId)],
        ['f.dueOn', formatDate(c.dueOn)], ['f.status', statusBadge('commitmentStatus', c.status)], ['f.doneOn', formatDate(c.doneOn)],
        ['f.evidence', c.evidence], ['f.updatedAt', formatInstant(c.updatedAt)],
      ]),
    ];
  },
};

async function deleteRecord(kind, record, refresh) {
  const title = record.nameEs || record.nameEn || record.fullName || record.title || record.name || record.description;
  try {
    // Its own documents go with it (or move with an organization merged into another).
    const all = await api.references(record.id);
    const refs = all.filter((r) => r.kind !== 'document');
    const documents = all.length - refs.length;
    if (kind === 'organization' && refs.length) {
      const policy = await chooseOrgPolicy(record, title, refs, documents);
      if (!policy) return;
      await api.deleteOrganization(record.id, record.revision, policy);
    } else {
      const extra = refs.length
        ? [h('p', {}, t('confirm.deleteWithRefs', { title, n: refs.length })), refsList(refs)]
        : [];
      if (documents) extra.push(h('p', {}, t('confirm.documentsGo', { n: documents })));
      // A person may also be erased for good from the backups and the stores set aside (ARCO).
      const erase = kind === 'contact' ? h('input', { type: 'checkbox', id: 'erase-for-good' }) : null;
      if (erase) {
        extra.push(h('div', { class: 'field' }, h('label', { class: 'check', for: 'erase-for-good' }, erase, t('erase.option')),
          h('p', { class: 'hint' }, t('erase.explain'))));
      }
      if (!(await confirmDialog(t('confirm.delete', { title }), { danger: true, confirmLabel: t('action.delete'), extra }))) return;
      if (erase?.checked) {
        await eraseForGood(record.id, record.revision, title);
        location.hash = `#/list/${kind}`;
        return;
      }
      const del = { organization: (id, rev) => api.deleteOrganization(id, rev, { policy: 'refuse' }), contact: api.deleteContact,
        meeting: api.deleteMeeting, agreement: api.deleteAgreement, activity: api.deleteActivity, commitment: api.deleteCommitment,
        document: api.deleteDocument }[kind];
      await del(record.id, record.revision);
    }
    toast(t('deleted'));
    // A document's page leads back to the record it was attached to.
    location.hash = kind === 'document' ? recordHash(kindOfId(record.recordId), record.recordId) : `#/list/${kind}`;
  } catch (err) {
    showError(err);
    refresh();
  }
}

/** The records a delete touches: a list that scrolls when long, so it takes the focus to be read by keyboard. */
function refsList(refs) {
  return h('ul', { class: 'refs', tabindex: '0', 'aria-label': t('confirm.touched') }, refs.map((r) => h('li', {}, `${label('kind', r.kind)}: ${r.title}`)));
}

async function chooseOrgPolicy(record, title, refs, documents) {
  // Another organization to move them to, found by typing; «Eliminar» waits for one.
  const others = (await api.listPage({ kind: 'organization', limit: 2 })).total > 1;
  let to = null;
  let toTitle = '';
  const reassign = h('input', { type: 'radio', name: 'org-policy', id: 'policy-reassign', value: 'reassign', checked: others });
  const cascade = h('input', { type: 'radio', name: 'org-policy', id: 'policy-cascade', value: 'cascade', checked: !others });
  reassign.disabled = !others;
  const target = combobox({ id: 'policy-target', name: 'policy-target', find: finder('organization'), exclude: () => [record.id, to].filter(Boolean), onChoose: (c) => {
    [to, toTitle] = [c.id, c.title];
    target.input.value = c.title;
    reassign.checked = true;
    ready();
  } });
  // Text typed but not chosen is put back.
  target.input.addEventListener('blur', () => { target.input.value = toTitle; });
  const answer = openDialog({
    title: t('confirm.title'),
    content: [
      h('p', {}, t('confirm.orgRefs', { title, n: refs.length })),
      refsList(refs),
      documents ? h('p', {}, t('confirm.orgDocuments', { n: documents })) : null,
      h('div', { class: 'field' }, h('label', { class: 'check', for: 'policy-reassign' }, reassign, t('confirm.orgReassign')),
        h('label', { for: 'policy-target' }, t('confirm.orgTarget')), target.el),
      h('div', { class: 'field' }, h('label', { class: 'check', for: 'policy-cascade' }, cascade, t('confirm.orgCascade'))),
    ],
    buttons: [
      { label: t('action.cancel'), value: null },
      { label: t('action.delete'), class: 'danger primary', onValue: () => (cascade.checked ? { policy: 'cascade' } : { policy: 'reassign', to }) },
    ],
  });
  const remove = document.querySelector('#dialog button.danger');
  const ready = () => { remove.disabled = reassign.checked && !to; };
  reassign.addEventListener('change', ready);
  cascade.addEventListener('change', ready);
  ready();
  return answer;
}
