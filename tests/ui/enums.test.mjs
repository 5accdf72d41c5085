import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ENUMS } from '../../ui/enums.js';
import { LANGUAGES } from '../../ui/i18n.js';
import { rustVariants } from './sources.mjs';

const RUST = {
  orgKind: 'OrgKind', scope: 'Scope', sector: 'Sector', theme: 'Theme', relationship: 'RelationshipStatus',
  modality: 'Modality', agreementKind: 'AgreementKind', agreementStatus: 'AgreementStatus', renewal: 'Renewal',
  party: 'Party', commitmentStatus: 'CommitmentStatus', activityKind: 'ActivityKind',
  activityStatus: 'ActivityStatus', beneficiary: 'Beneficiary', resourceKind: 'ResourceKind', auditEvent: ['store/', 'AuditEvent'],
};

test('the UI knows every enum value the core has, in the same order, with labels in both languages', () => {
  for (const [group, rust] of Object.entries(RUST)) {
    const [dir, name] = Array.isArray(rust) ? rust : ['model/', rust];
    assert.deepEqual(ENUMS[group], rustVariants(dir, name), group);
    for (const value of ENUMS[group]) {
      for (const lang of ['es', 'en']) assert.ok(`${group}.${value}` in LANGUAGES[lang], `${lang}: ${group}.${value}`);
    }
  }
});

/** The `("group.value", "Label")` pairs of the briefing note's `const NAME` table. */
function noteLabels(name) {
  const text = readFileSync(new URL('../../core/src/labels.rs', import.meta.url), 'utf8');
  const at = text.indexOf(`const ${name}: &[(&str, &str)] = &[`);
  assert.ok(at >= 0, `${name} not found`);
  const body = text.slice(at, text.indexOf('\n];', at));
  return [...body.matchAll(/^    \("([^"]+)", "((?:[^"\\]|\\.)*)"\),$/gm)].map((m) => [m[1], m[2]]);
}

test('the briefing note labels every enum value with the words the interface uses', () => {
  for (const [lang, table] of [['es', 'ENUMS_ES'], ['en', 'ENUMS_EN']]) {
    const labels = noteLabels(table);
    const expected = Object.entries(ENUMS).flatMap(([group, values]) => values.map((v) => `${group}.${v}`));
    assert.deepEqual(labels.map(([key]) => key).sort(), [...expected].sort(), `${lang}: the same values`);
    for (const [key, label] of labels) assert.equal(label, LANGUAGES[lang][key], `${lang}: ${key}`);
  }
});
