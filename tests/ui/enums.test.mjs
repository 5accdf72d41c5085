import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { ENUMS } from '../../ui/enums.js';
import { LANGUAGES } from '../../ui/i18n.js';

const RUST = {
  orgKind: 'OrgKind', scope: 'Scope', sector: 'Sector', theme: 'Theme', relationship: 'RelationshipStatus',
  modality: 'Modality', agreementKind: 'AgreementKind', agreementStatus: 'AgreementStatus', renewal: 'Renewal',
  party: 'Party', commitmentStatus: 'CommitmentStatus',
};

/** Variants of `pub enum NAME` in the core's model, as serde spells them (camelCase). */
function rustVariants(name) {
  const dir = new URL('../../core/src/model/', import.meta.url);
  for (const file of readdirSync(dir)) {
    const text = readFileSync(new URL(file, dir), 'utf8');
    const at = text.indexOf(`pub enum ${name} {`);
    if (at < 0) continue;
    const body = text.slice(at, text.indexOf('\n}', at));
    return [...body.matchAll(/^    ([A-Z]\w*),$/gm)].map((m) => m[1][0].toLowerCase() + m[1].slice(1));
  }
  throw new Error(`enum ${name} not found`);
}

test('the UI knows every enum value the core has, in the same order, with labels in both languages', () => {
  for (const [group, rust] of Object.entries(RUST)) {
    assert.deepEqual(ENUMS[group], rustVariants(rust), group);
    for (const value of ENUMS[group]) {
      for (const lang of ['es', 'en']) assert.ok(`${group}.${value}` in LANGUAGES[lang], `${lang}: ${group}.${value}`);
    }
  }
});
