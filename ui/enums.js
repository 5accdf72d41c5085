// The values of every enum of the records, as the Rust side spells them (camelCase). A test
// keeps this list equal to the Rust enums.

export const ENUMS = {
  orgKind: ['unAgency', 'intergovernmental', 'electoralIne', 'electoralOple', 'electoralForeign', 'government', 'legislature', 'university', 'ngo', 'foundation', 'private'],
  scope: ['local', 'national', 'international'],
  sector: ['public', 'private', 'social'],
  theme: ['citizenParticipation', 'humanRights', 'genderEquality', 'civicEducation', 'democraticStrengthening', 'electoralTechnology', 'training', 'research', 'riskManagement'],
  relationship: ['prospect', 'inContact', 'activeCollaboration', 'inactive'],
  modality: ['inPerson', 'virtual', 'hybrid'],
  agreementKind: ['frameworkAgreement', 'specificAgreement', 'supportAgreement', 'letterOfIntent', 'memorandum', 'interinstitutionalAgreement', 'addendum'],
  agreementStatus: ['negotiation', 'legalReview', 'signed', 'inForce', 'concluded', 'rescinded'],
  renewal: ['none', 'automatic', 'writtenAgreement'],
  party: ['iecm', 'counterpart'],
  commitmentStatus: ['pending', 'inProgress', 'done', 'cancelled'],
  activityKind: ['workshop', 'course', 'forum', 'comparativeStudy', 'research', 'technicalAssistance', 'goodPracticeExchange', 'observationMission', 'jointProject', 'riskManagement', 'other'],
  activityStatus: ['planned', 'inProgress', 'concluded', 'cancelled'],
  beneficiary: ['citizens', 'electoralStaff'],
  resourceKind: ['money', 'experts', 'venue', 'materials', 'other'],
  // What an entry of the audit log records.
  auditEvent: ['created', 'updated', 'deleted', 'erased', 'imported', 'exported', 'sampleLoaded', 'backupTaken', 'restored', 'startedAfresh', 'locked', 'unlocked', 'encrypted', 'passphraseChanged', 'briefingExported', 'titularReport', 'documentOpened'],
};
