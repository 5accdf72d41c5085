// Erasing a person for good (ARCO cancelación): the command, then what it did, told — how many
// backups were rewritten or deleted, how many versions set aside went, and which other records
// still have the person's name in their text (the office's writing, for the user to review).

import { h } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import { openDialog } from '../widgets/ui.js';

/**
 * Erases the person `id` (deleting her first when `revision` is given; `null` for one deleted
 * before) and shows what was done. `name` is searched for in other records when known.
 */
export async function eraseForGood(id, revision, name) {
  const { erased } = await api.eraseContact(id, revision);
  const mentions = name
    ? await api.search(name, 50).then((r) => r.hits.filter((x) => x.id !== id), () => [])
    : [];
  await openDialog({
    title: t('erase.doneTitle'),
    content: [h('p', {}, name ? t('erase.done', { title: name }) : t('erase.doneUnnamed')), h('ul', {}, [
      h('li', {}, t('erase.backupsRewritten', { n: erased.backupsRewritten })),
      erased.backupsRemoved ? h('li', {}, t('erase.backupsRemoved', { n: erased.backupsRemoved })) : null,
      h('li', {}, t('erase.setAsideRemoved', { n: erased.setAsideRemoved })),
    ]),
    ...(mentions.length ? [h('p', {}, t('erase.mentions', { n: mentions.length })),
      h('ul', {}, mentions.map((m) => h('li', {}, `${label('kind', m.kind)}: ${m.title}`)))] : [])],
    buttons: [{ label: t('action.close'), value: true, class: 'primary' }],
  });
}
