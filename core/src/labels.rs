//! The words of the briefing note in Spanish and English: its own headings and labels, the
//! records' enum values (read back from a spreadsheet's cells too) (the same words the interface uses; `tests/ui/enums.test.mjs` keeps
//! them equal to `ui/i18n.js`), dates as the office writes them, and names of languages and countries.

use crate::text::fold_words;
use serde::Serialize;

/// The language a note is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Es,
    En,
}

impl Lang {
    /// `es` or `en` (as in the settings); anything else is Spanish.
    pub fn from_code(code: &str) -> Lang {
        if code == "en" { Lang::En } else { Lang::Es }
    }

    /// The note's own words.
    pub fn t(self, key: &str) -> &'static str {
        let table = match self {
            Lang::Es => NOTE_ES,
            Lang::En => NOTE_EN,
        };
        table.iter().find(|(k, _)| *k == key).map_or("", |(_, v)| v)
    }

    /// The label of an enum value of the records: `label("orgKind", &OrgKind::UnAgency)`.
    pub fn label(self, group: &str, value: &impl Serialize) -> &'static str {
        let name =
            serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        let key = format!("{group}.{name}");
        let table = match self {
            Lang::Es => ENUMS_ES,
            Lang::En => ENUMS_EN,
        };
        table.iter().find(|(k, _)| *k == key).map_or("", |(_, v)| v)
    }

    /// `2026-11-24` → `24 nov 2026` (Spanish) or `24 Nov 2026` (English); other text as is.
    pub fn date(self, iso: &str) -> String {
        let Ok(date) = iso.parse::<jiff::civil::Date>() else { return iso.to_owned() };
        let months = match self {
            Lang::Es => ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"],
            Lang::En => ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
        };
        format!("{} {} {}", date.day(), months[usize::from(date.month().unsigned_abs()) - 1], date.year())
    }

    /// A day count as a short phrase: `vence en 5 días`, `venció hace 2 días`, `vence hoy`.
    pub fn days(self, days: i32, ended_word: bool) -> String {
        let n = days.unsigned_abs();
        match (self, days.signum(), ended_word) {
            (Lang::Es, 0, _) => "vence hoy".into(),
            (Lang::En, 0, _) => "due today".into(),
            (Lang::Es, 1, _) => format!("faltan {n} {}", if n == 1 { "día" } else { "días" }),
            (Lang::En, 1, _) => format!("{n} {} left", if n == 1 { "day" } else { "days" }),
            (Lang::Es, _, false) => format!("venció hace {n} {}", if n == 1 { "día" } else { "días" }),
            (Lang::Es, _, true) => format!("concluyó hace {n} {}", if n == 1 { "día" } else { "días" }),
            (Lang::En, _, false) => format!("{n} {} overdue", if n == 1 { "day" } else { "days" }),
            (Lang::En, _, true) => format!("ended {n} {} ago", if n == 1 { "day" } else { "days" }),
        }
    }

    /// `en` → `inglés` / `English`; unknown codes as they are.
    pub fn language_name(self, code: &str) -> String {
        let base = code.split('-').next().unwrap_or(code);
        LANGUAGES
            .iter()
            .find(|(c, _, _)| *c == base)
            .map_or_else(|| code.to_owned(), |(_, es, en)| if self == Lang::Es { es } else { en }.to_string())
    }

    /// The value (its JSON name) of enum `group` that `text` names, in either language or as
    /// the JSON name itself, compared folded: `("agreementStatus", "Vigente")` → `inForce`.
    pub fn enum_value(group: &str, text: &str) -> Option<&'static str> {
        let wanted = fold_words(text);
        let prefix = format!("{group}.");
        ENUMS_ES.iter().chain(ENUMS_EN).find_map(|(key, label)| {
            let name = key.strip_prefix(&prefix)?;
            (fold_words(label) == wanted || fold_words(name) == wanted).then_some(name)
        })
    }

    /// The values (JSON names) of enum `group`, in the order the labels list them.
    pub fn enum_values(group: &str) -> Vec<&'static str> {
        let prefix = format!("{group}.");
        ENUMS_ES.iter().filter_map(|(key, _)| key.strip_prefix(&prefix)).collect()
    }

    /// The ISO code of the country `text` names (a code, or its Spanish or English name).
    pub fn country_code(text: &str) -> Option<&'static str> {
        let wanted = fold_words(text);
        COUNTRIES.iter().find_map(|(code, es, en)| {
            (fold_words(code) == wanted || fold_words(es) == wanted || fold_words(en) == wanted)
                .then_some(*code)
        })
    }

    /// The code of the language `text` names (a code, or its Spanish or English name).
    pub fn language_code(text: &str) -> Option<&'static str> {
        let wanted = fold_words(text);
        LANGUAGES.iter().find_map(|(code, es, en)| {
            (fold_words(code) == wanted || fold_words(es) == wanted || fold_words(en) == wanted)
                .then_some(*code)
        })
    }

    /// `MX` → `México` / `Mexico`; unknown codes as they are.
    pub fn country_name(self, code: &str) -> String {
        COUNTRIES
            .iter()
            .find(|(c, _, _)| c.eq_ignore_ascii_case(code))
            .map_or_else(|| code.to_owned(), |(_, es, en)| if self == Lang::Es { es } else { en }.to_string())
    }
}

const NOTE_ES: &[(&str, &str)] = &[
    ("calendar.due", "Vence compromiso"),
    ("calendar.owner", "Responsable"),
    ("calendar.ends", "Fin de vigencia"),
    ("calendar.notice", "Aviso ({n} días antes del fin)"),
    ("calendar.untitled", "Reunión"),
    ("calendar.others", "Otros invitados (sin ficha en Vínculo)"),
    ("vcard.sheet", "Contactos"),
    ("vcard.fullName", "Nombre"),
    ("vcard.honorific", "Tratamiento"),
    ("vcard.organization", "Organización"),
    ("vcard.post", "Cargo"),
    ("vcard.languages", "Idiomas"),
    ("vcard.notes", "Notas"),
    ("vcard.tags", "Categorías"),
    ("vcard.uid", "UID"),
    ("vcard.revisedOn", "Modificada"),
    ("vcard.email", "Correo"),
    ("vcard.phone", "Teléfono"),
    ("vcard.work", "Oficina"),
    ("vcard.home", "Personal"),
    ("vcard.cell", "Móvil"),
    ("vcard.fax", "Fax"),
    ("vcard.pager", "Localizador"),
    ("title.meeting", "Nota informativa"),
    ("title.organization", "Ficha informativa"),
    ("fileWord", "nota-informativa"),
    ("internal", "Uso interno"),
    ("takenAt", "Datos al {date}, {time} h (Ciudad de México)"),
    ("page", "Página {n} de {m}"),
    ("openEnded", "Indefinida"),
    ("section.meeting", "Datos de la reunión"),
    ("section.objective", "Objetivo de la reunión"),
    ("section.agenda", "Orden del día"),
    ("section.profile", "Perfil de la contraparte"),
    ("section.attendees", "Asistentes"),
    ("section.people", "Personas de contacto"),
    ("section.history", "Antecedentes"),
    ("section.agreements", "Instrumentos jurídicos"),
    ("section.commitments", "Compromisos abiertos"),
    ("section.activities", "Actividades conjuntas"),
    ("col.activity", "Actividad"),
    ("col.dates", "Fechas"),
    ("col.results", "Resultados"),
    ("reached", "{n} personas"),
    ("reachedSplit", "{w} mujeres, {m} hombres"),
    ("moreActivities", "Se muestran las {shown} más recientes de {total}."),
    ("section.talkingPoints", "Puntos de conversación"),
    ("section.sensitive", "Temas sensibles"),
    ("section.talk", "Puntos de conversación y temas sensibles"),
    ("f.date", "Fecha y hora"),
    ("f.officeTime", "En Ciudad de México"),
    ("f.duration", "Duración"),
    ("f.minutes", "{n} min"),
    ("f.modality", "Modalidad"),
    ("f.place", "Lugar"),
    ("f.link", "Enlace"),
    ("f.counterpartDelegation", "Delegación de la contraparte"),
    ("f.iecmDelegation", "Delegación del IECM"),
    ("f.manyPeople", "{n} personas (véase «Asistentes»)"),
    ("f.nameEs", "Nombre (español)"),
    ("f.nameEn", "Nombre (inglés)"),
    ("f.acronyms", "Acrónimos"),
    ("f.kind", "Tipo"),
    ("f.scope", "Ámbito"),
    ("f.sector", "Sector"),
    ("f.country", "País y ciudad"),
    ("f.website", "Sitio web"),
    ("f.themes", "Áreas temáticas"),
    ("f.relationship", "Estado de la relación"),
    ("f.responsible", "Responsable en el IECM"),
    ("col.name", "Nombre"),
    ("col.post", "Cargo"),
    ("col.organization", "Organismo"),
    ("col.languages", "Idiomas"),
    ("col.contact", "Contacto"),
    ("col.agreement", "Instrumento"),
    ("col.status", "Estado"),
    ("col.validity", "Vigencia"),
    ("col.expiry", "Vencimiento"),
    ("col.commitment", "Compromiso"),
    ("col.owner", "Responsable"),
    ("col.due", "Fecha límite"),
    ("col.situation", "Situación"),
    ("preferred", "preferido"),
    ("from", "desde"),
    ("until", "hasta"),
    ("title.titular", "Informe del titular"),
    ("titularFileWord", "informe-titular"),
    (
        "titular.intro",
        "Datos personales que el IECM trata sobre la persona titular, para atender su solicitud de acceso (derechos ARCO). Incluye el registro completo, los registros en que se le nombra y el historial de cambios de la bitácora.",
    ),
    ("section.personalData", "Datos personales"),
    ("section.postHistory", "Cargos anteriores"),
    ("section.meetingsAttended", "Reuniones en que participó"),
    ("section.agreementsNamed", "Instrumentos en que se le nombra"),
    ("section.commitmentsOwned", "Compromisos a su cargo"),
    ("section.activitiesTaken", "Actividades y formación"),
    ("col.training", "Formación"),
    ("hours", "{n} h"),
    ("completed", "Concluida"),
    ("section.organizations", "Organismos"),
    ("section.recordHistory", "Historial del registro"),
    ("f.fullName", "Nombre completo"),
    ("f.honorific", "Tratamiento"),
    ("f.post", "Cargo"),
    ("f.organization", "Organismo"),
    ("f.organizationId", "Organismo"),
    ("f.postSince", "En el cargo desde"),
    ("f.postHistory", "Cargos anteriores"),
    ("f.emails", "Correos electrónicos"),
    ("f.phones", "Teléfonos"),
    ("f.languages", "Idiomas"),
    ("f.preferredLanguage", "Idioma preferido"),
    ("f.privacyNotice", "Aviso de privacidad entregado"),
    ("f.privacyNoticeGiven", "Aviso de privacidad entregado"),
    ("f.privacyNoticeDate", "Fecha del aviso de privacidad"),
    ("f.sensitiveData", "Datos sensibles"),
    ("f.tags", "Etiquetas"),
    ("f.uids", "Identificadores en otras libretas (UID)"),
    ("f.notes", "Notas"),
    ("f.createdAt", "Registrado el"),
    ("f.updatedAt", "Última modificación"),
    ("yes", "Sí"),
    ("no", "No"),
    ("col.period", "Periodo"),
    ("col.date", "Fecha"),
    ("col.meeting", "Reunión"),
    ("col.role", "Participación"),
    ("col.who", "Quién"),
    ("col.event", "Evento"),
    ("col.fields", "Campos"),
    ("role.counterpart", "Contraparte"),
    ("role.iecm", "Delegación del IECM"),
    ("role.iecmContact", "Enlace del IECM"),
    ("role.counterpartContact", "Enlace de la contraparte"),
    ("role.responsible", "Responsable en el IECM de"),
];

const NOTE_EN: &[(&str, &str)] = &[
    ("calendar.due", "Commitment due"),
    ("calendar.owner", "Owner"),
    ("calendar.ends", "Validity ends"),
    ("calendar.notice", "Notice ({n} days before the end)"),
    ("calendar.untitled", "Meeting"),
    ("calendar.others", "Other invitees (not in Vínculo)"),
    ("vcard.sheet", "Contacts"),
    ("vcard.fullName", "Name"),
    ("vcard.honorific", "Honorific"),
    ("vcard.organization", "Organization"),
    ("vcard.post", "Post"),
    ("vcard.languages", "Languages"),
    ("vcard.notes", "Notes"),
    ("vcard.tags", "Categories"),
    ("vcard.uid", "UID"),
    ("vcard.revisedOn", "Revised"),
    ("vcard.email", "E-mail"),
    ("vcard.phone", "Phone"),
    ("vcard.work", "Work"),
    ("vcard.home", "Home"),
    ("vcard.cell", "Mobile"),
    ("vcard.fax", "Fax"),
    ("vcard.pager", "Pager"),
    ("title.meeting", "Briefing note"),
    ("title.organization", "Organization brief"),
    ("fileWord", "nota-informativa"),
    ("internal", "Internal use"),
    ("takenAt", "Data as of {date}, {time} (Mexico City)"),
    ("page", "Page {n} of {m}"),
    ("openEnded", "Open-ended"),
    ("section.meeting", "Meeting details"),
    ("section.objective", "Objective of the meeting"),
    ("section.agenda", "Agenda"),
    ("section.profile", "Counterpart profile"),
    ("section.attendees", "Attendees"),
    ("section.people", "Contact people"),
    ("section.history", "Background"),
    ("section.agreements", "Agreements"),
    ("section.commitments", "Open commitments"),
    ("section.activities", "Joint activities"),
    ("col.activity", "Activity"),
    ("col.dates", "Dates"),
    ("col.results", "Results"),
    ("reached", "{n} people"),
    ("reachedSplit", "{w} women, {m} men"),
    ("moreActivities", "The {shown} most recent of {total} are shown."),
    ("section.talkingPoints", "Talking points"),
    ("section.sensitive", "Sensitive topics"),
    ("section.talk", "Talking points and sensitive topics"),
    ("f.date", "Date and time"),
    ("f.officeTime", "In Mexico City"),
    ("f.duration", "Duration"),
    ("f.minutes", "{n} min"),
    ("f.modality", "Modality"),
    ("f.place", "Place"),
    ("f.link", "Link"),
    ("f.counterpartDelegation", "Counterpart delegation"),
    ("f.iecmDelegation", "IECM delegation"),
    ("f.manyPeople", "{n} people (see “Attendees”)"),
    ("f.nameEs", "Name (Spanish)"),
    ("f.nameEn", "Name (English)"),
    ("f.acronyms", "Acronyms"),
    ("f.kind", "Kind"),
    ("f.scope", "Scope"),
    ("f.sector", "Sector"),
    ("f.country", "Country and city"),
    ("f.website", "Website"),
    ("f.themes", "Thematic areas"),
    ("f.relationship", "Relationship status"),
    ("f.responsible", "Responsible at the IECM"),
    ("col.name", "Name"),
    ("col.post", "Post"),
    ("col.organization", "Organization"),
    ("col.languages", "Languages"),
    ("col.contact", "Contact"),
    ("col.agreement", "Agreement"),
    ("col.status", "Status"),
    ("col.validity", "Validity"),
    ("col.expiry", "Expiry"),
    ("col.commitment", "Commitment"),
    ("col.owner", "Owed by"),
    ("col.due", "Due"),
    ("col.situation", "Situation"),
    ("preferred", "preferred"),
    ("from", "from"),
    ("until", "until"),
    ("title.titular", "Data subject report"),
    ("titularFileWord", "informe-titular"),
    (
        "titular.intro",
        "Personal data the IECM processes about the data subject, in answer to their access request (ARCO rights). It holds the whole record, the records that name them and the history of changes from the audit log.",
    ),
    ("section.personalData", "Personal data"),
    ("section.postHistory", "Earlier posts"),
    ("section.meetingsAttended", "Meetings attended"),
    ("section.agreementsNamed", "Agreements that name them"),
    ("section.commitmentsOwned", "Commitments they owe"),
    ("section.activitiesTaken", "Activities and training"),
    ("col.training", "Training"),
    ("hours", "{n} h"),
    ("completed", "Completed"),
    ("section.organizations", "Organizations"),
    ("section.recordHistory", "History of the record"),
    ("f.fullName", "Full name"),
    ("f.honorific", "Honorific"),
    ("f.post", "Post"),
    ("f.organization", "Organization"),
    ("f.organizationId", "Organization"),
    ("f.postSince", "In the post since"),
    ("f.postHistory", "Earlier posts"),
    ("f.emails", "E-mails"),
    ("f.phones", "Phones"),
    ("f.languages", "Languages"),
    ("f.preferredLanguage", "Preferred language"),
    ("f.privacyNotice", "Privacy notice given"),
    ("f.privacyNoticeGiven", "Privacy notice given"),
    ("f.privacyNoticeDate", "Date of the privacy notice"),
    ("f.sensitiveData", "Sensitive data"),
    ("f.tags", "Tags"),
    ("f.uids", "Identifiers in other address books (UID)"),
    ("f.notes", "Notes"),
    ("f.createdAt", "Recorded on"),
    ("f.updatedAt", "Last changed"),
    ("yes", "Yes"),
    ("no", "No"),
    ("col.period", "Period"),
    ("col.date", "Date"),
    ("col.meeting", "Meeting"),
    ("col.role", "Part"),
    ("col.who", "Who"),
    ("col.event", "Event"),
    ("col.fields", "Fields"),
    ("role.counterpart", "Counterpart"),
    ("role.iecm", "IECM delegation"),
    ("role.iecmContact", "IECM contact"),
    ("role.counterpartContact", "Counterpart contact"),
    ("role.responsible", "Responsible at the IECM for"),
];

const ENUMS_ES: &[(&str, &str)] = &[
    ("orgKind.unAgency", "Agencia de la ONU"),
    ("orgKind.intergovernmental", "Intergubernamental"),
    ("orgKind.electoralIne", "Órgano electoral: INE"),
    ("orgKind.electoralOple", "Órgano electoral: OPLE"),
    ("orgKind.electoralForeign", "Órgano electoral extranjero"),
    ("orgKind.government", "Gobierno"),
    ("orgKind.legislature", "Poder legislativo"),
    ("orgKind.university", "Universidad"),
    ("orgKind.ngo", "Organización de la sociedad civil"),
    ("orgKind.foundation", "Fundación"),
    ("orgKind.private", "Privado"),
    ("scope.local", "Local"),
    ("scope.national", "Nacional"),
    ("scope.international", "Internacional"),
    ("sector.public", "Público"),
    ("sector.private", "Privado"),
    ("sector.social", "Social"),
    ("theme.citizenParticipation", "Participación ciudadana"),
    ("theme.humanRights", "Derechos humanos"),
    ("theme.genderEquality", "Igualdad de género"),
    ("theme.civicEducation", "Educación cívica"),
    ("theme.democraticStrengthening", "Fortalecimiento democrático"),
    ("theme.electoralTechnology", "Tecnología electoral"),
    ("theme.training", "Capacitación"),
    ("theme.research", "Investigación"),
    ("theme.riskManagement", "Gestión de riesgos"),
    ("relationship.prospect", "Prospecto"),
    ("relationship.inContact", "En contacto"),
    ("relationship.activeCollaboration", "Colaboración activa"),
    ("relationship.inactive", "Inactiva"),
    ("modality.inPerson", "Presencial"),
    ("modality.virtual", "Virtual"),
    ("modality.hybrid", "Híbrida"),
    ("agreementKind.frameworkAgreement", "Convenio marco"),
    ("agreementKind.specificAgreement", "Convenio específico de colaboración"),
    ("agreementKind.supportAgreement", "Convenio de apoyo y colaboración"),
    ("agreementKind.letterOfIntent", "Carta de intención"),
    ("agreementKind.memorandum", "Memorándum de entendimiento"),
    ("agreementKind.interinstitutionalAgreement", "Acuerdo interinstitucional"),
    ("agreementKind.addendum", "Adenda / convenio modificatorio"),
    ("agreementStatus.negotiation", "En gestión"),
    ("agreementStatus.legalReview", "Revisión jurídica"),
    ("agreementStatus.signed", "Firmado"),
    ("agreementStatus.inForce", "Vigente"),
    ("agreementStatus.concluded", "Concluido"),
    ("agreementStatus.rescinded", "Rescindido"),
    ("renewal.none", "Sin renovación"),
    ("renewal.automatic", "Automática"),
    ("renewal.writtenAgreement", "Por acuerdo escrito"),
    ("party.iecm", "IECM"),
    ("party.counterpart", "Contraparte"),
    ("commitmentStatus.pending", "Pendiente"),
    ("commitmentStatus.inProgress", "En curso"),
    ("commitmentStatus.done", "Cumplido"),
    ("commitmentStatus.cancelled", "Cancelado"),
    ("activityKind.workshop", "Taller"),
    ("activityKind.course", "Curso"),
    ("activityKind.forum", "Foro"),
    ("activityKind.comparativeStudy", "Estudio comparado"),
    ("activityKind.research", "Investigación"),
    ("activityKind.technicalAssistance", "Asistencia técnica"),
    ("activityKind.goodPracticeExchange", "Intercambio de buenas prácticas"),
    ("activityKind.observationMission", "Misión de observación"),
    ("activityKind.jointProject", "Proyecto conjunto"),
    ("activityKind.riskManagement", "Gestión de riesgos"),
    ("activityKind.other", "Otra"),
    ("activityStatus.planned", "Planeada"),
    ("activityStatus.inProgress", "En curso"),
    ("activityStatus.concluded", "Concluida"),
    ("activityStatus.cancelled", "Cancelada"),
    ("beneficiary.citizens", "Ciudadanía"),
    ("beneficiary.electoralStaff", "Funcionariado electoral"),
    ("resourceKind.money", "Recursos económicos"),
    ("resourceKind.experts", "Personas expertas"),
    ("resourceKind.venue", "Sede"),
    ("resourceKind.materials", "Materiales"),
    ("resourceKind.other", "Otro"),
    ("auditEvent.created", "Creado"),
    ("auditEvent.updated", "Modificado"),
    ("auditEvent.deleted", "Eliminado"),
    ("auditEvent.erased", "Borrado definitivo"),
    ("auditEvent.imported", "Importación"),
    ("auditEvent.exported", "Exportación de todo"),
    ("auditEvent.sampleLoaded", "Datos de ejemplo cargados"),
    ("auditEvent.backupTaken", "Copia de seguridad"),
    ("auditEvent.restored", "Restauración"),
    ("auditEvent.startedAfresh", "Nuevo almacén tras daño"),
    ("auditEvent.locked", "Bloqueo"),
    ("auditEvent.unlocked", "Desbloqueo"),
    ("auditEvent.encrypted", "Datos cifrados"),
    ("auditEvent.passphraseChanged", "Cambio de frase de acceso"),
    ("auditEvent.briefingExported", "Nota informativa exportada"),
    ("auditEvent.titularReport", "Informe del titular"),
];

const ENUMS_EN: &[(&str, &str)] = &[
    ("orgKind.unAgency", "UN agency"),
    ("orgKind.intergovernmental", "Intergovernmental"),
    ("orgKind.electoralIne", "Electoral body: INE"),
    ("orgKind.electoralOple", "Electoral body: OPLE"),
    ("orgKind.electoralForeign", "Foreign electoral body"),
    ("orgKind.government", "Government"),
    ("orgKind.legislature", "Legislature"),
    ("orgKind.university", "University"),
    ("orgKind.ngo", "NGO"),
    ("orgKind.foundation", "Foundation"),
    ("orgKind.private", "Private"),
    ("scope.local", "Local"),
    ("scope.national", "National"),
    ("scope.international", "International"),
    ("sector.public", "Public"),
    ("sector.private", "Private"),
    ("sector.social", "Social"),
    ("theme.citizenParticipation", "Citizen participation"),
    ("theme.humanRights", "Human rights"),
    ("theme.genderEquality", "Gender equality"),
    ("theme.civicEducation", "Civic education"),
    ("theme.democraticStrengthening", "Democratic strengthening"),
    ("theme.electoralTechnology", "Electoral technology"),
    ("theme.training", "Training"),
    ("theme.research", "Research"),
    ("theme.riskManagement", "Risk management"),
    ("relationship.prospect", "Prospect"),
    ("relationship.inContact", "In contact"),
    ("relationship.activeCollaboration", "Active collaboration"),
    ("relationship.inactive", "Inactive"),
    ("modality.inPerson", "In person"),
    ("modality.virtual", "Virtual"),
    ("modality.hybrid", "Hybrid"),
    ("agreementKind.frameworkAgreement", "Framework agreement"),
    ("agreementKind.specificAgreement", "Specific collaboration agreement"),
    ("agreementKind.supportAgreement", "Support and collaboration agreement"),
    ("agreementKind.letterOfIntent", "Letter of intent"),
    ("agreementKind.memorandum", "Memorandum of understanding"),
    ("agreementKind.interinstitutionalAgreement", "Inter-institutional agreement"),
    ("agreementKind.addendum", "Addendum"),
    ("agreementStatus.negotiation", "In negotiation"),
    ("agreementStatus.legalReview", "Legal review"),
    ("agreementStatus.signed", "Signed"),
    ("agreementStatus.inForce", "In force"),
    ("agreementStatus.concluded", "Concluded"),
    ("agreementStatus.rescinded", "Rescinded"),
    ("renewal.none", "No renewal"),
    ("renewal.automatic", "Automatic"),
    ("renewal.writtenAgreement", "By written agreement"),
    ("party.iecm", "IECM"),
    ("party.counterpart", "Counterpart"),
    ("commitmentStatus.pending", "Pending"),
    ("commitmentStatus.inProgress", "In progress"),
    ("commitmentStatus.done", "Done"),
    ("commitmentStatus.cancelled", "Cancelled"),
    ("activityKind.workshop", "Workshop"),
    ("activityKind.course", "Course"),
    ("activityKind.forum", "Forum"),
    ("activityKind.comparativeStudy", "Comparative study"),
    ("activityKind.research", "Research"),
    ("activityKind.technicalAssistance", "Technical assistance"),
    ("activityKind.goodPracticeExchange", "Exchange of good practices"),
    ("activityKind.observationMission", "Observation mission"),
    ("activityKind.jointProject", "Joint project"),
    ("activityKind.riskManagement", "Risk management"),
    ("activityKind.other", "Other"),
    ("activityStatus.planned", "Planned"),
    ("activityStatus.inProgress", "In progress"),
    ("activityStatus.concluded", "Concluded"),
    ("activityStatus.cancelled", "Cancelled"),
    ("beneficiary.citizens", "Citizens"),
    ("beneficiary.electoralStaff", "Electoral staff"),
    ("resourceKind.money", "Funding"),
    ("resourceKind.experts", "Experts"),
    ("resourceKind.venue", "Venue"),
    ("resourceKind.materials", "Materials"),
    ("resourceKind.other", "Other"),
    ("auditEvent.created", "Created"),
    ("auditEvent.updated", "Changed"),
    ("auditEvent.deleted", "Deleted"),
    ("auditEvent.erased", "Erased for good"),
    ("auditEvent.imported", "Import"),
    ("auditEvent.exported", "Export of everything"),
    ("auditEvent.sampleLoaded", "Sample data loaded"),
    ("auditEvent.backupTaken", "Backup"),
    ("auditEvent.restored", "Restore"),
    ("auditEvent.startedAfresh", "Fresh store after damage"),
    ("auditEvent.locked", "Lock"),
    ("auditEvent.unlocked", "Unlock"),
    ("auditEvent.encrypted", "Data encrypted"),
    ("auditEvent.passphraseChanged", "Passphrase changed"),
    ("auditEvent.briefingExported", "Briefing note exported"),
    ("auditEvent.titularReport", "Data subject report"),
];

/// Languages a partner is likely to speak: code, Spanish name, English name.
const LANGUAGES: &[(&str, &str, &str)] = &[
    ("es", "español", "Spanish"),
    ("en", "inglés", "English"),
    ("fr", "francés", "French"),
    ("pt", "portugués", "Portuguese"),
    ("de", "alemán", "German"),
    ("it", "italiano", "Italian"),
    ("sv", "sueco", "Swedish"),
    ("nl", "neerlandés", "Dutch"),
    ("ca", "catalán", "Catalan"),
    ("eu", "euskera", "Basque"),
    ("gl", "gallego", "Galician"),
    ("ru", "ruso", "Russian"),
    ("uk", "ucraniano", "Ukrainian"),
    ("el", "griego", "Greek"),
    ("pl", "polaco", "Polish"),
    ("ar", "árabe", "Arabic"),
    ("he", "hebreo", "Hebrew"),
    ("zh", "chino", "Chinese"),
    ("ja", "japonés", "Japanese"),
    ("ko", "coreano", "Korean"),
    ("hi", "hindi", "Hindi"),
    ("tr", "turco", "Turkish"),
    ("nah", "náhuatl", "Nahuatl"),
    ("yua", "maya yucateco", "Yucatec Maya"),
    ("zap", "zapoteco", "Zapotec"),
    ("mix", "mixteco", "Mixtec"),
    ("otm", "otomí", "Otomi"),
    ("tzo", "tsotsil", "Tzotzil"),
    ("tzh", "tseltal", "Tzeltal"),
    ("qu", "quechua", "Quechua"),
    ("gn", "guaraní", "Guarani"),
    ("ht", "criollo haitiano", "Haitian Creole"),
    ("lsm", "lengua de señas mexicana", "Mexican Sign Language"),
];

/// Countries of the office's partners: ISO code, Spanish name, English name.
const COUNTRIES: &[(&str, &str, &str)] = &[
    ("MX", "México", "Mexico"),
    ("US", "Estados Unidos", "United States"),
    ("CA", "Canadá", "Canada"),
    ("GT", "Guatemala", "Guatemala"),
    ("BZ", "Belice", "Belize"),
    ("SV", "El Salvador", "El Salvador"),
    ("HN", "Honduras", "Honduras"),
    ("NI", "Nicaragua", "Nicaragua"),
    ("CR", "Costa Rica", "Costa Rica"),
    ("PA", "Panamá", "Panama"),
    ("CU", "Cuba", "Cuba"),
    ("DO", "República Dominicana", "Dominican Republic"),
    ("HT", "Haití", "Haiti"),
    ("JM", "Jamaica", "Jamaica"),
    ("PR", "Puerto Rico", "Puerto Rico"),
    ("TT", "Trinidad y Tobago", "Trinidad and Tobago"),
    ("CO", "Colombia", "Colombia"),
    ("VE", "Venezuela", "Venezuela"),
    ("EC", "Ecuador", "Ecuador"),
    ("PE", "Perú", "Peru"),
    ("BO", "Bolivia", "Bolivia"),
    ("BR", "Brasil", "Brazil"),
    ("PY", "Paraguay", "Paraguay"),
    ("UY", "Uruguay", "Uruguay"),
    ("AR", "Argentina", "Argentina"),
    ("CL", "Chile", "Chile"),
    ("ES", "España", "Spain"),
    ("PT", "Portugal", "Portugal"),
    ("FR", "Francia", "France"),
    ("DE", "Alemania", "Germany"),
    ("IT", "Italia", "Italy"),
    ("GB", "Reino Unido", "United Kingdom"),
    ("IE", "Irlanda", "Ireland"),
    ("NL", "Países Bajos", "Netherlands"),
    ("BE", "Bélgica", "Belgium"),
    ("LU", "Luxemburgo", "Luxembourg"),
    ("CH", "Suiza", "Switzerland"),
    ("AT", "Austria", "Austria"),
    ("SE", "Suecia", "Sweden"),
    ("NO", "Noruega", "Norway"),
    ("DK", "Dinamarca", "Denmark"),
    ("FI", "Finlandia", "Finland"),
    ("PL", "Polonia", "Poland"),
    ("GR", "Grecia", "Greece"),
    ("UA", "Ucrania", "Ukraine"),
    ("RU", "Rusia", "Russia"),
    ("TR", "Turquía", "Türkiye"),
    ("IL", "Israel", "Israel"),
    ("MA", "Marruecos", "Morocco"),
    ("ZA", "Sudáfrica", "South Africa"),
    ("KE", "Kenia", "Kenya"),
    ("IN", "India", "India"),
    ("CN", "China", "China"),
    ("JP", "Japón", "Japan"),
    ("KR", "Corea del Sur", "South Korea"),
    ("AU", "Australia", "Australia"),
    ("NZ", "Nueva Zelanda", "New Zealand"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CommitmentStatus, OrgKind};

    #[test]
    fn dates_days_and_names_read_as_the_office_writes_them() {
        assert_eq!(Lang::Es.date("2026-11-24"), "24 nov 2026");
        assert_eq!(Lang::En.date("2026-01-05"), "5 Jan 2026");
        assert_eq!(Lang::Es.days(-1, false), "venció hace 1 día");
        assert_eq!(Lang::Es.days(45, true), "faltan 45 días");
        assert_eq!(Lang::En.days(-3, true), "ended 3 days ago");
        assert_eq!(Lang::Es.label("orgKind", &OrgKind::UnAgency), "Agencia de la ONU");
        assert_eq!(Lang::En.label("commitmentStatus", &CommitmentStatus::InProgress), "In progress");
        assert_eq!(Lang::Es.language_name("sv"), "sueco");
        assert_eq!(Lang::En.country_name("mx"), "Mexico");
        assert_eq!(Lang::Es.country_name("XK"), "XK");
        for key in NOTE_ES.iter().map(|(k, _)| k) {
            assert!(!Lang::En.t(key).is_empty(), "{key} in English");
        }
        assert_eq!(NOTE_ES.len(), NOTE_EN.len());
    }
}
