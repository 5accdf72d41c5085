// About: the version, the fonts of the briefing notes and the licences of what is included.

import { h } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { pageHead } from '../widgets/ui.js';
import licenses from '../licenses.js';

export async function renderAbout(main) {
  const [info, fonts] = await Promise.all([api.appInfo(), api.fontLicenses()]);
  main.append(
    pageHead(t('about.title'), t('about.version', { v: info.version })),
    h('section', { class: 'card' }, h('p', {}, t('about.body'))),
    h('section', { class: 'card', 'aria-label': t('about.fonts') }, h('h2', {}, t('about.fonts')),
      fonts.map((f) => h('details', { class: 'license' },
        h('summary', {}, `${f.name} ${f.version} · ${f.license}`),
        h('pre', { 'aria-label': `${t('about.fontLicenseText')}: ${f.name}` }, f.text)))),
    h('section', { class: 'card', 'aria-label': t('about.licenses') }, h('h2', {}, t('about.licenses')),
      h('table', { class: 'list licenses' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Software'), h('th', { scope: 'col' }, t('about.license')))),
        h('tbody', {}, licenses.map((l) => h('tr', {}, h('td', {}, `${l.name} ${l.version}`), h('td', {}, l.license)))))),
  );
}
