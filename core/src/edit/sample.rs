//! Sample data: the eleven strategic allies of the IECM's cooperation strategy, the IECM
//! itself, and a small scenario around UN Women and International IDEA (people, past and
//! upcoming meetings, an overdue commitment, an agreement *por vencer*, joint activities and
//! the staff trained in them, the signed agreement as a document). Dates are relative to
//! the day it is loaded, so the scenario always reads as current. Every record is marked as
//! sample; the people are fictional and their e-mail addresses use an example domain.

use super::delete::{DeleteReport, Plan};
use crate::clock::office_today;
use crate::error::Result;
use crate::index::catalog::Detail;
use crate::index::key::Slot;
use crate::model::{
    Activity, ActivityKind, ActivityStatus, Agreement, AgreementKind, AgreementStatus, AnyRecord,
    Beneficiary, Commitment, CommitmentSource, CommitmentStatus, Contact, Document, Id, Labeled, Meeting,
    Modality, OrgKind, Organization, Participant, Party, RecordKind, RelationshipStatus, Renewal, Resource,
    ResourceKind, Scope, Sector, Theme,
};
use crate::store::{Audit, AuditEvent, Files, Store, content_hash};
use jiff::Timestamp;
use jiff::civil::Date;
use std::collections::HashSet;

struct Ally {
    acronym_es: &'static str,
    acronym_en: &'static str,
    name_es: &'static str,
    name_en: &'static str,
    kind: OrgKind,
    scope: Scope,
    sector: Sector,
    country: &'static str,
    city: &'static str,
    website: &'static str,
    themes: &'static [Theme],
    relationship: RelationshipStatus,
}

use OrgKind as K;
use RelationshipStatus as R;
use Theme as T;

const ALLIES: [Ally; 12] = [
    Ally {
        acronym_es: "IECM",
        acronym_en: "IECM",
        name_es: "Instituto Electoral de la Ciudad de México",
        name_en: "Electoral Institute of Mexico City",
        kind: K::ElectoralOple,
        scope: Scope::Local,
        sector: Sector::Public,
        country: "MX",
        city: "Ciudad de México",
        website: "https://www.iecm.mx",
        themes: &[T::CitizenParticipation, T::CivicEducation, T::DemocraticStrengthening],
        relationship: R::ActiveCollaboration,
    },
    Ally {
        acronym_es: "ONU Mujeres",
        acronym_en: "UN Women",
        name_es: "Entidad de las Naciones Unidas para la Igualdad de Género y el Empoderamiento de las Mujeres",
        name_en: "United Nations Entity for Gender Equality and the Empowerment of Women",
        kind: K::UnAgency,
        scope: Scope::International,
        sector: Sector::Public,
        country: "MX",
        city: "Ciudad de México",
        website: "https://mexico.unwomen.org",
        themes: &[T::GenderEquality, T::HumanRights, T::CitizenParticipation],
        relationship: R::ActiveCollaboration,
    },
    Ally {
        acronym_es: "PNUD",
        acronym_en: "UNDP",
        name_es: "Programa de las Naciones Unidas para el Desarrollo",
        name_en: "United Nations Development Programme",
        kind: K::UnAgency,
        scope: Scope::International,
        sector: Sector::Public,
        country: "MX",
        city: "Ciudad de México",
        website: "https://www.undp.org/es/mexico",
        themes: &[T::DemocraticStrengthening, T::ElectoralTechnology, T::Training],
        relationship: R::InContact,
    },
    Ally {
        acronym_es: "IDEA Internacional",
        acronym_en: "International IDEA",
        name_es: "Instituto Internacional para la Democracia y la Asistencia Electoral",
        name_en: "International Institute for Democracy and Electoral Assistance",
        kind: K::Intergovernmental,
        scope: Scope::International,
        sector: Sector::Public,
        country: "SE",
        city: "Estocolmo",
        website: "https://www.idea.int",
        themes: &[T::DemocraticStrengthening, T::ElectoralTechnology, T::Research, T::RiskManagement],
        relationship: R::ActiveCollaboration,
    },
    Ally {
        acronym_es: "NDI",
        acronym_en: "NDI",
        name_es: "Instituto Nacional Demócrata para Asuntos Internacionales",
        name_en: "National Democratic Institute",
        kind: K::Ngo,
        scope: Scope::International,
        sector: Sector::Social,
        country: "US",
        city: "Washington, D. C.",
        website: "https://www.ndi.org",
        themes: &[T::CitizenParticipation, T::DemocraticStrengthening, T::Training],
        relationship: R::Prospect,
    },
    Ally {
        acronym_es: "OIDP",
        acronym_en: "IOPD",
        name_es: "Observatorio Internacional de la Democracia Participativa",
        name_en: "International Observatory on Participatory Democracy",
        kind: K::Ngo,
        scope: Scope::International,
        sector: Sector::Social,
        country: "ES",
        city: "Barcelona",
        website: "https://oidp.net",
        themes: &[T::CitizenParticipation, T::Research],
        relationship: R::InContact,
    },
    Ally {
        acronym_es: "OEA",
        acronym_en: "OAS",
        name_es: "Organización de los Estados Americanos",
        name_en: "Organization of American States",
        kind: K::Intergovernmental,
        scope: Scope::International,
        sector: Sector::Public,
        country: "US",
        city: "Washington, D. C.",
        website: "https://www.oas.org",
        themes: &[T::DemocraticStrengthening, T::ElectoralTechnology, T::RiskManagement],
        relationship: R::InContact,
    },
    Ally {
        acronym_es: "OSF",
        acronym_en: "OSF",
        name_es: "Open Society Foundations",
        name_en: "Open Society Foundations",
        kind: K::Foundation,
        scope: Scope::International,
        sector: Sector::Private,
        country: "US",
        city: "Nueva York",
        website: "https://www.opensocietyfoundations.org",
        themes: &[T::HumanRights, T::CitizenParticipation],
        relationship: R::Prospect,
    },
    Ally {
        acronym_es: "CEPAL",
        acronym_en: "ECLAC",
        name_es: "Comisión Económica para América Latina y el Caribe",
        name_en: "Economic Commission for Latin America and the Caribbean",
        kind: K::UnAgency,
        scope: Scope::International,
        sector: Sector::Public,
        country: "CL",
        city: "Santiago",
        website: "https://www.cepal.org",
        themes: &[T::Research, T::GenderEquality],
        relationship: R::Prospect,
    },
    Ally {
        acronym_es: "UNICEF",
        acronym_en: "UNICEF",
        name_es: "Fondo de las Naciones Unidas para la Infancia",
        name_en: "United Nations Children's Fund",
        kind: K::UnAgency,
        scope: Scope::International,
        sector: Sector::Public,
        country: "MX",
        city: "Ciudad de México",
        website: "https://www.unicef.org/mexico",
        themes: &[T::CivicEducation, T::HumanRights],
        relationship: R::InContact,
    },
    Ally {
        acronym_es: "ACNUDH",
        acronym_en: "OHCHR",
        name_es: "Oficina del Alto Comisionado de las Naciones Unidas para los Derechos Humanos",
        name_en: "Office of the United Nations High Commissioner for Human Rights",
        kind: K::UnAgency,
        scope: Scope::International,
        sector: Sector::Public,
        country: "MX",
        city: "Ciudad de México",
        website: "https://hchr.org.mx",
        themes: &[T::HumanRights],
        relationship: R::Prospect,
    },
    Ally {
        acronym_es: "KAS",
        acronym_en: "KAS",
        name_es: "Fundación Konrad Adenauer",
        name_en: "Konrad-Adenauer-Stiftung",
        kind: K::Foundation,
        scope: Scope::International,
        sector: Sector::Private,
        country: "MX",
        city: "Ciudad de México",
        website: "https://www.kas.de/es/web/mexiko",
        themes: &[T::DemocraticStrengthening, T::CivicEducation, T::Training],
        relationship: R::ActiveCollaboration,
    },
];

fn organization(a: &Ally) -> Organization {
    Organization {
        id: Id::new(RecordKind::Organization),
        sample: true,
        name_es: a.name_es.into(),
        name_en: a.name_en.into(),
        acronym_es: a.acronym_es.into(),
        acronym_en: a.acronym_en.into(),
        kind: a.kind,
        scope: a.scope,
        sector: a.sector,
        country: a.country.into(),
        city: a.city.into(),
        website: a.website.into(),
        themes: a.themes.to_vec(),
        relationship: a.relationship,
        ..Organization::default()
    }
}

fn person(name: &str, honorific: &str, post: &str, org: &Id, email: &str, languages: &[&str]) -> Contact {
    Contact {
        id: Id::new(RecordKind::Contact),
        sample: true,
        full_name: name.into(),
        honorific: honorific.into(),
        post: post.into(),
        organization_id: Some(org.clone()),
        emails: vec![Labeled { label: "Oficina".into(), value: email.into() }],
        languages: languages.iter().map(|l| (*l).to_owned()).collect(),
        preferred_language: languages.first().map(|l| (*l).to_owned()),
        ..Contact::default()
    }
}

fn commitment(
    source: CommitmentSource,
    party: Party,
    owner: &Id,
    text: &str,
    due: Date,
    status: CommitmentStatus,
) -> Commitment {
    Commitment {
        id: Id::new(RecordKind::Commitment),
        sample: true,
        description: text.into(),
        source: Some(source),
        party,
        owner_id: Some(owner.clone()),
        due_on: Some(due.to_string()),
        status,
        ..Commitment::default()
    }
}

/// The sample records for a store loaded on `today`.
pub(crate) fn sample_records(today: Date) -> Vec<AnyRecord> {
    let day = |offset: i32| today.saturating_add(jiff::Span::new().days(offset));
    let orgs: Vec<Organization> = ALLIES.iter().map(organization).collect();
    let id_of = |acronym: &str| {
        orgs.iter().find(|o| o.acronym_es == acronym).map(|o| o.id.clone()).expect("listed above")
    };
    let (iecm, unw, idea) = (id_of("IECM"), id_of("ONU Mujeres"), id_of("IDEA Internacional"));
    let (pnud, kas) = (id_of("PNUD"), id_of("KAS"));

    let laura = person(
        "Laura Méndez Ortiz",
        "Mtra.",
        "Titular de la Unidad Técnica de Vinculación con Organismos Externos",
        &iecm,
        "laura.mendez@iecm.ejemplo.mx",
        &["es", "en"],
    );
    let diego = person(
        "Diego Hernández Ruiz",
        "Lic.",
        "Subdirector de Cooperación Internacional",
        &iecm,
        "diego.hernandez@iecm.ejemplo.mx",
        &["es", "en", "fr"],
    );
    let ana = person(
        "Ana Sofía Castillo Reyes",
        "Dra.",
        "Especialista de Programa en Participación Política",
        &unw,
        "ana.castillo@unwomen.ejemplo.org",
        &["es", "en"],
    );
    let mut mariana = person(
        "Mariana Quiroga Núñez",
        "Lic.",
        "Oficial de Programa, Gobernanza y Liderazgo",
        &unw,
        "mariana.quiroga@unwomen.ejemplo.org",
        &["es", "en", "pt"],
    );
    mariana.phones = vec![Labeled { label: "Oficina".into(), value: "+52 (55) 5000-1234 ext. 215".into() }];
    mariana.privacy_notice_given = true;
    mariana.privacy_notice_date = Some(day(-40).to_string());
    let tomas = person(
        "Tomás Lindqvist",
        "Dr.",
        "Jefe del Programa para América Latina y el Caribe",
        &idea,
        "t.lindqvist@idea.ejemplo.int",
        &["en", "es", "sv"],
    );

    let mut unw_org = orgs.iter().find(|o| o.id == unw).cloned().expect("listed");
    unw_org.responsible_id = Some(diego.id.clone());
    unw_org.notes = "Aliado prioritario para la agenda de participación política de las mujeres y la prevención de la violencia política en razón de género.".into();

    let past_unw = Meeting {
        id: Id::new(RecordKind::Meeting),
        sample: true,
        title: "Seguimiento de la agenda de participación política de las mujeres".into(),
        date: day(-40).to_string(),
        time: Some("10:00".into()),
        duration_minutes: Some(90),
        modality: Modality::InPerson,
        place: "Oficinas de ONU Mujeres, Ciudad de México".into(),
        organization_ids: vec![unw.clone()],
        counterpart_attendees: vec![ana.id.clone(), mariana.id.clone()],
        iecm_delegation: vec![laura.id.clone(), diego.id.clone()],
        objective: "Revisar los avances del programa conjunto y acordar el calendario de talleres sobre violencia política contra las mujeres en razón de género.".into(),
        agenda: "1. Avances del programa conjunto.\n2. Calendario de talleres 2027.\n3. Guía regional de buenas prácticas.".into(),
        minutes: "Se revisaron los avances del programa conjunto. ONU Mujeres compartirá la guía regional de buenas prácticas; el IECM enviará la propuesta de calendario de talleres para las 16 demarcaciones.".into(),
        ..Meeting::default()
    };
    let next_unw = Meeting {
        id: Id::new(RecordKind::Meeting),
        sample: true,
        title: "Segunda sesión de trabajo: programa de capacitación 2027".into(),
        date: day(6).to_string(),
        time: Some("11:30".into()),
        duration_minutes: Some(60),
        modality: Modality::Hybrid,
        place: "Sala de juntas de la Unidad Técnica de Vinculación, IECM".into(),
        link: "https://reuniones.ejemplo.org/iecm-onu-mujeres".into(),
        organization_ids: vec![unw.clone()],
        counterpart_attendees: vec![ana.id.clone()],
        iecm_delegation: vec![laura.id.clone(), diego.id.clone()],
        objective: "Acordar el contenido y las sedes del programa de capacitación 2027 para el funcionariado electoral.".into(),
        talking_points: "• Agradecer la guía regional recibida.\n• Proponer tres sedes en alcaldías con baja participación.\n• Explorar la renovación del convenio marco antes de su vencimiento.".into(),
        sensitive_topics: "El calendario de talleres comprometido por el IECM está retrasado.".into(),
        ..Meeting::default()
    };
    let past_idea = Meeting {
        id: Id::new(RecordKind::Meeting),
        sample: true,
        title: "Videoconferencia sobre gestión de riesgos electorales".into(),
        date: day(-15).to_string(),
        time: Some("09:00".into()),
        duration_minutes: Some(45),
        modality: Modality::Virtual,
        link: "https://reuniones.ejemplo.org/idea-iecm".into(),
        organization_ids: vec![idea.clone()],
        counterpart_attendees: vec![tomas.id.clone()],
        iecm_delegation: vec![diego.id.clone()],
        objective: "Conocer la Herramienta de Gestión de Riesgos Electorales y su posible adaptación a la Ciudad de México.".into(),
        minutes: "IDEA Internacional presentó la herramienta; ofreció enviar la versión en español y acompañar un piloto en el proceso de participación ciudadana.".into(),
        ..Meeting::default()
    };
    let next_idea = Meeting {
        id: Id::new(RecordKind::Meeting),
        sample: true,
        title: "Presentación del estudio comparado sobre voto electrónico".into(),
        date: day(12).to_string(),
        time: Some("17:00".into()),
        time_zone: "Europe/Stockholm".into(),
        duration_minutes: Some(60),
        modality: Modality::Virtual,
        link: "https://reuniones.ejemplo.org/idea-estudio".into(),
        organization_ids: vec![idea.clone()],
        counterpart_attendees: vec![tomas.id.clone()],
        iecm_delegation: vec![laura.id.clone()],
        objective: "Recibir los hallazgos del estudio comparado y valorar una carta de intención.".into(),
        ..Meeting::default()
    };

    let marco = Agreement {
        id: Id::new(RecordKind::Agreement),
        sample: true,
        kind: AgreementKind::FrameworkAgreement,
        folio: "IECM/CM/012/2022".into(),
        title: "Convenio marco de colaboración entre el IECM y ONU Mujeres".into(),
        purpose: "Establecer las bases de colaboración para promover la participación política de las mujeres y prevenir la violencia política en razón de género.".into(),
        counterpart_ids: vec![unw.clone()],
        status: AgreementStatus::InForce,
        signed_on: Some(day(45 - 4 * 365).to_string()),
        valid_from: Some(day(45 - 4 * 365).to_string()),
        valid_until: Some(day(45).to_string()),
        renewal: Renewal::WrittenAgreement,
        notice_days: Some(90),
        iecm_area: "Unidad Técnica de Vinculación con Organismos Externos".into(),
        iecm_contact_id: Some(diego.id.clone()),
        counterpart_contact_id: Some(ana.id.clone()),
        document_refs: vec!["Archivo de la UTVOE, expediente CM-012-2022".into()],
        ..Agreement::default()
    };
    let especifico = Agreement {
        id: Id::new(RecordKind::Agreement),
        sample: true,
        kind: AgreementKind::SpecificAgreement,
        folio: "IECM/CE/031/2024".into(),
        title: "Convenio específico para el programa de formación en liderazgo político de mujeres".into(),
        counterpart_ids: vec![unw.clone()],
        parent_id: Some(marco.id.clone()),
        status: AgreementStatus::InForce,
        signed_on: Some(day(-500).to_string()),
        valid_from: Some(day(-500).to_string()),
        valid_until: Some(day(230).to_string()),
        iecm_area: "Unidad Técnica de Vinculación con Organismos Externos".into(),
        ..Agreement::default()
    };
    let carta = Agreement {
        id: Id::new(RecordKind::Agreement),
        sample: true,
        kind: AgreementKind::LetterOfIntent,
        folio: "IECM/CI/004/2026".into(),
        title: "Carta de intención con IDEA Internacional sobre gestión de riesgos electorales".into(),
        counterpart_ids: vec![idea.clone()],
        status: AgreementStatus::Negotiation,
        iecm_area: "Unidad Técnica de Vinculación con Organismos Externos".into(),
        ..Agreement::default()
    };

    let commitments = vec![
        commitment(
            CommitmentSource::Meeting(past_unw.id.clone()),
            Party::Iecm,
            &diego.id,
            "Enviar a ONU Mujeres la propuesta de calendario de talleres sobre violencia política contra las mujeres en razón de género.",
            day(-7),
            CommitmentStatus::Pending,
        ),
        Commitment {
            evidence: "Guía recibida por correo electrónico y compartida con las áreas.".into(),
            done_on: Some(day(-22).to_string()),
            ..commitment(
                CommitmentSource::Meeting(past_unw.id.clone()),
                Party::Counterpart,
                &mariana.id,
                "Compartir la guía regional de buenas prácticas.",
                day(-20),
                CommitmentStatus::Done,
            )
        },
        commitment(
            CommitmentSource::Meeting(past_idea.id.clone()),
            Party::Counterpart,
            &tomas.id,
            "Enviar la versión en español de la Herramienta de Gestión de Riesgos Electorales.",
            day(5),
            CommitmentStatus::InProgress,
        ),
        commitment(
            CommitmentSource::Agreement(marco.id.clone()),
            Party::Iecm,
            &laura.id,
            "Presentar el informe anual de actividades conjuntas.",
            day(30),
            CommitmentStatus::Pending,
        ),
    ];

    let area = "Unidad Técnica de Vinculación con Organismos Externos";
    let trained = |who: &Contact, hours: f64, completed: bool, certificate: &str| Participant {
        contact_id: who.id.clone(),
        hours: Some(hours),
        completed,
        certificate: certificate.into(),
    };
    let resource = |party: Party, kind: ResourceKind, description: &str, amount: Option<f64>| Resource {
        party,
        kind,
        description: description.into(),
        amount,
    };
    let activity = |title: &str,
                    kind: ActivityKind,
                    status: ActivityStatus,
                    partners: &[&Id],
                    (from, to): (i32, i32)| {
        Activity {
            id: Id::new(RecordKind::Activity),
            sample: true,
            title: title.into(),
            kind,
            status,
            partner_ids: partners.iter().map(|&id| id.clone()).collect(),
            starts_on: Some(day(from).to_string()),
            ends_on: (to != from).then(|| day(to).to_string()),
            iecm_area: area.into(),
            ..Activity::default()
        }
    };
    let workshop = Activity {
        agreement_id: Some(especifico.id.clone()),
        themes: vec![Theme::GenderEquality, Theme::Training],
        place: "Auditorio del IECM, Huizaches 25, Ciudad de México".into(),
        description: "Taller para el funcionariado de las direcciones distritales sobre la identificación, atención y canalización de casos de violencia política contra las mujeres en razón de género.".into(),
        beneficiaries: vec![Beneficiary::ElectoralStaff],
        people_reached: Some(48),
        women_reached: Some(31),
        men_reached: Some(17),
        products: "Memoria del taller\nCarpeta de materiales didácticos".into(),
        resources: vec![
            resource(Party::Counterpart, ResourceKind::Experts, "Dos facilitadoras especialistas en violencia política", None),
            resource(Party::Iecm, ResourceKind::Venue, "Auditorio y equipo audiovisual", None),
        ],
        participants: vec![
            trained(&laura, 8.0, true, "Constancia ONU Mujeres MX-2026-014"),
            trained(&diego, 8.0, true, "Constancia ONU Mujeres MX-2026-015"),
        ],
        ..activity(
            "Taller sobre violencia política contra las mujeres en razón de género",
            ActivityKind::Workshop,
            ActivityStatus::Concluded,
            &[&unw],
            (-60, -59),
        )
    };
    let course = Activity {
        agreement_id: Some(especifico.id.clone()),
        themes: vec![Theme::GenderEquality, Theme::Training],
        link: "https://aprendizaje.ejemplo.org/liderazgo-politico".into(),
        description:
            "Curso en línea de seis semanas del programa de formación en liderazgo político de mujeres."
                .into(),
        beneficiaries: vec![Beneficiary::ElectoralStaff],
        participants: vec![trained(&diego, 12.0, false, "")],
        resources: vec![resource(
            Party::Counterpart,
            ResourceKind::Materials,
            "Plataforma y contenidos del curso",
            None,
        )],
        ..activity(
            "Curso en línea: liderazgo político de las mujeres",
            ActivityKind::Course,
            ActivityStatus::InProgress,
            &[&unw],
            (-20, 22),
        )
    };
    let study = Activity {
        themes: vec![Theme::ElectoralTechnology, Theme::Research],
        description: "Estudio comparado de los sistemas de voto electrónico y por internet en seis países de América Latina, con recomendaciones para los ejercicios de participación ciudadana de la Ciudad de México.".into(),
        beneficiaries: vec![Beneficiary::ElectoralStaff, Beneficiary::Citizens],
        resources: vec![
            resource(Party::Counterpart, ResourceKind::Experts, "Equipo de investigación de IDEA Internacional", None),
            resource(Party::Iecm, ResourceKind::Materials, "Datos de las consultas ciudadanas 2020–2025", None),
        ],
        ..activity(
            "Estudio comparado sobre voto electrónico en América Latina",
            ActivityKind::ComparativeStudy,
            ActivityStatus::InProgress,
            &[&idea],
            (-90, 12),
        )
    };
    let pilot = Activity {
        agreement_id: Some(carta.id.clone()),
        themes: vec![Theme::RiskManagement],
        place: "Direcciones distritales 5, 12 y 27".into(),
        description: "Piloto de la Herramienta de Gestión de Riesgos Electorales en la próxima consulta de presupuesto participativo.".into(),
        beneficiaries: vec![Beneficiary::ElectoralStaff, Beneficiary::Citizens],
        resources: vec![
            resource(Party::Counterpart, ResourceKind::Experts, "Acompañamiento técnico de IDEA Internacional", None),
            resource(Party::Iecm, ResourceKind::Money, "Viáticos y logística de las sesiones", Some(150_000.0)),
        ],
        ..activity(
            "Piloto de gestión de riesgos electorales",
            ActivityKind::RiskManagement,
            ActivityStatus::Planned,
            &[&idea],
            (10, 80),
        )
    };
    let forum = Activity {
        themes: vec![Theme::CitizenParticipation, Theme::DemocraticStrengthening],
        place: "Museo de la Ciudad de México".into(),
        description: "Foro con juventudes de las 16 alcaldías sobre participación ciudadana y confianza en las instituciones.".into(),
        beneficiaries: vec![Beneficiary::Citizens],
        people_reached: Some(220),
        women_reached: Some(118),
        men_reached: Some(97),
        products: "Relatoría del foro".into(),
        resources: vec![
            resource(Party::Counterpart, ResourceKind::Money, "Apoyo para traslados de participantes", Some(80_000.0)),
            resource(Party::Iecm, ResourceKind::Experts, "Moderación y relatoría", None),
        ],
        participants: vec![trained(&laura, 4.0, true, "")],
        ..activity(
            "Foro «Juventudes y participación ciudadana»",
            ActivityKind::Forum,
            ActivityStatus::Concluded,
            &[&pnud, &kas],
            (-120, -120),
        )
    };
    let follow_up = commitment(
        CommitmentSource::Activity(course.id.clone()),
        Party::Iecm,
        &diego.id,
        "Enviar a ONU Mujeres la lista final de participantes que concluyeron el curso.",
        day(25),
        CommitmentStatus::Pending,
    );

    let mut records: Vec<AnyRecord> =
        orgs.into_iter().map(|o| if o.id == unw { unw_org.clone().into() } else { o.into() }).collect();
    records.extend([laura, diego, ana, mariana, tomas].map(AnyRecord::from));
    records.extend([past_unw, next_unw, past_idea, next_idea].map(AnyRecord::from));
    let signed = Document {
        id: Id::new(RecordKind::Document),
        sample: true,
        record_id: especifico.id.clone(),
        name: "Convenio específico IECM–ONU Mujeres, firmado.pdf".into(),
        hash: content_hash(SIGNED_SAMPLE),
        size: SIGNED_SAMPLE.len() as u64,
        note: "Documento de ejemplo".into(),
        ..Document::default()
    };
    records.extend([marco, especifico, carta].map(AnyRecord::from));
    records.push(signed.into());
    records.extend([workshop, course, study, pilot, forum].map(AnyRecord::from));
    records.extend(commitments.into_iter().chain([follow_up]).map(AnyRecord::from));
    records
}

/// The file of the sample's one document: a one-page PDF that says it is an example, attached
/// to the specific agreement with UN Women.
const SIGNED_SAMPLE: &[u8] = include_bytes!("sample/convenio-especifico-ejemplo.pdf");

impl Store {
    /// Loads the sample into an empty store ([`Error::NotEmpty`] otherwise), dated from `now`.
    /// Returns how many records were added.
    pub fn load_sample(&self, now: Timestamp) -> Result<usize> {
        let files = Files([(content_hash(SIGNED_SAMPLE), SIGNED_SAMPLE.to_vec())].into());
        self.insert_batch_checked(
            sample_records(office_today(now)),
            &files,
            true,
            Audit::Summary(AuditEvent::SampleLoaded),
        )
    }

    /// Removes every record still marked as sample. A sample record that one of the user's
    /// own records refers to (a sample organization the user added a contact to, say) is
    /// kept and becomes the user's. Returns what was removed and what was updated.
    pub fn remove_sample(&self) -> Result<DeleteReport> {
        let mut writer = self.lock_writer();
        let (doomed, kept) = {
            let projection = self.projection();
            // Keep the sample records the user's own records point at, and what those need to
            // stay valid (an agreement's or activity's organizations, a commitment's source);
            // their other references to removed records are dropped like any deleted reference.
            let catalog = &projection.catalog;
            let is_sample = |slot: Slot| catalog.at(slot).is_some_and(|t| t.sample);
            let mut keep: HashSet<Slot> = catalog
                .all()
                .filter(|s| !s.sample)
                .flat_map(|s| s.refs().iter().copied())
                .filter(|&slot| is_sample(slot))
                .collect();
            let mut stack: Vec<Slot> = keep.iter().copied().collect();
            while let Some(slot) = stack.pop() {
                let required: Vec<Slot> = match catalog.at(slot) {
                    Some(s) if matches!(s.detail, Detail::Commitment { .. }) => {
                        s.source().into_iter().collect()
                    }
                    Some(s) if matches!(s.detail, Detail::Agreement { .. } | Detail::Activity { .. }) => {
                        s.organizations().to_vec()
                    }
                    _ => Vec::new(),
                };
                for r in required {
                    if is_sample(r) && keep.insert(r) {
                        stack.push(r);
                    }
                }
            }
            let doomed: Vec<Id> =
                catalog.all().filter(|s| s.sample && !keep.contains(&s.slot)).map(|s| s.id()).collect();
            let kept: Vec<Id> = keep.into_iter().filter_map(|slot| catalog.id_at(slot)).collect();
            (doomed, kept)
        };
        let mut plan = Plan::new(self);
        self.with_catalog(|catalog| doomed.iter().try_for_each(|id| plan.delete(catalog, id)))?;
        for id in kept {
            let mut record = match plan.changed.remove(&id) {
                Some(r) => r,
                None => self.get_any(&id)?,
            };
            record.set_sample(false);
            plan.changed.insert(id, record);
        }
        self.commit_plan(&mut writer, plan)
    }
}
