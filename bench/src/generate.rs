//! The benchmark's data: a deterministic generator of a liaison office's records.
//!
//! One seed, one anchor day and one size (the number of contacts) give the same records on
//! every run and every machine: organizations of every kind with names and acronyms in both
//! languages, people with Spanish (and some foreign) names, posts, e-mails and phones, three
//! meetings per contact with minutes of realistic length and their commitments, and one
//! agreement per ten contacts of every type and status. Dates are spread over twelve years
//! before the anchor and two months after it, so the home view has the week it would have.
//! Ids are UUIDv7 like the store's own, made from the record's date and the seeded generator.

use jiff::civil::Date;
use jiff::{Span, Timestamp};
use vinculo_core::{
    Activity, ActivityKind, ActivityStatus, Agreement, AgreementKind, AgreementStatus, AnyRecord,
    Beneficiary, Commitment, CommitmentSource, CommitmentStatus, Contact, Id, Labeled, Meeting, Modality,
    OrgKind, Organization, Participant, Party, PostRecord, RecordKind, RelationshipStatus, Renewal, Resource,
    ResourceKind, Scope, Sector, Theme,
};

/// SplitMix64: tiny, fast, and its sequence for a seed never changes (a crate's generator may
/// change its algorithm between versions, and the data with it).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * n as f64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An index in `0..n` skewed towards 0: a few organizations hold most people and meetings,
    /// as the strategic allies do.
    pub fn skewed(&mut self, n: usize) -> usize {
        let u = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        ((u * u * u) * n as f64) as usize
    }
}

/// How many records of each kind a size holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    pub organizations: usize,
    pub meetings: usize,
    pub agreements: usize,
    pub activities: usize,
}

impl Shape {
    pub fn of(contacts: usize) -> Shape {
        Shape {
            organizations: (contacts / 20).max(STRATEGIC.len() + 4),
            meetings: contacts * 3,
            agreements: (contacts / 10).max(5),
            activities: (contacts / 5).max(5),
        }
    }
}

/// The generated records, each group in an order the store accepts batch by batch (what a
/// record refers to comes in an earlier group, or earlier in the same one).
#[derive(Debug, Default)]
pub struct Dataset {
    pub organizations: Vec<AnyRecord>,
    pub contacts: Vec<AnyRecord>,
    pub agreements: Vec<AnyRecord>,
    pub meetings: Vec<AnyRecord>,
    pub activities: Vec<AnyRecord>,
    pub commitments: Vec<AnyRecord>,
    /// The words and names the query mix is made of, taken from the data.
    pub probes: Probes,
}

/// Values from the data that the queries ask for, so every query has answers.
#[derive(Debug, Default, Clone)]
pub struct Probes {
    pub email: String,
    pub folio: String,
}

impl Dataset {
    pub fn len(&self) -> usize {
        self.groups().iter().map(|g| g.len()).sum()
    }

    pub fn groups(&self) -> [&Vec<AnyRecord>; 6] {
        [
            &self.organizations,
            &self.contacts,
            &self.agreements,
            &self.meetings,
            &self.activities,
            &self.commitments,
        ]
    }

    pub fn all(&self) -> impl Iterator<Item = &AnyRecord> {
        self.groups().into_iter().flatten()
    }
}

/// The raw size of the records: their JSON, as the export writes them.
pub fn raw_bytes<'a>(records: impl Iterator<Item = &'a AnyRecord>) -> u64 {
    records.map(|r| serde_json::to_vec(r).map_or(0, |v| v.len() as u64)).sum()
}

// ------------------------------------------------------------------------------------ words

const GIVEN: &[&str] = &[
    "Ana",
    "Luis",
    "María",
    "José",
    "Sofía",
    "Carlos",
    "Lucía",
    "Jorge",
    "Elena",
    "Miguel",
    "Beatriz",
    "Raúl",
    "Fernanda",
    "Andrés",
    "Mónica",
    "Héctor",
    "Gabriela",
    "Iván",
    "Verónica",
    "Óscar",
    "Patricia",
    "Ramón",
    "Ximena",
    "Tomás",
    "Adriana",
    "Julián",
    "Rocío",
    "Ángel",
    "Inés",
    "Sebastián",
    "Leticia",
    "Joaquín",
    "Paulina",
    "Germán",
    "Marisol",
    "Efraín",
    "Itzel",
    "Nicolás",
    "Araceli",
    "Jesús",
    "Citlali",
    "Begoña",
    "John",
    "Sarah",
    "Pierre",
    "Ingrid",
    "Kenji",
    "Amina",
    "Giulia",
    "Hans",
    "Dmitri",
    "Ελένη",
    "Ольга",
    "Zoë",
];

const FAMILY: &[&str] = &[
    "García",
    "Hernández",
    "López",
    "Martínez",
    "González",
    "Pérez",
    "Rodríguez",
    "Sánchez",
    "Ramírez",
    "Cruz",
    "Núñez",
    "Ortiz",
    "Castillo",
    "Reyes",
    "Morales",
    "Jiménez",
    "Díaz",
    "Vázquez",
    "Gómez",
    "Ruiz",
    "Mendoza",
    "Aguilar",
    "Álvarez",
    "Romero",
    "Herrera",
    "Medina",
    "Guzmán",
    "Peña",
    "Ríos",
    "Domínguez",
    "Vargas",
    "Muñoz",
    "Salazar",
    "Cortés",
    "Ibáñez",
    "Zúñiga",
    "Ávila",
    "Ochoa",
    "Treviño",
    "Villaseñor",
    "Quiñones",
    "Beltrán",
    "Cervantes",
    "Espinosa",
    "Fuentes",
    "Lara",
    "Maldonado",
    "Navarro",
    "Olvera",
    "Pacheco",
    "Rangel",
    "Solís",
    "Tapia",
    "Uribe",
    "Valdés",
    "Yáñez",
    "Zamora",
    "Smith",
    "Müller",
    "Dubois",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Nakamura",
    "Papadopoulou",
    "Иванова",
];

const HONORIFICS: &[&str] =
    &["Mtra.", "Mtro.", "Dra.", "Dr.", "Lic.", "Ing.", "Embajadora", "Embajador", "Sra.", "Sr.", "Prof."];

const POSTS: &[&str] = &[
    "Directora de Asuntos Internacionales",
    "Oficial de programa",
    "Coordinador de proyectos",
    "Asesora jurídica",
    "Jefe de cooperación",
    "Consejera electoral",
    "Secretario ejecutivo",
    "Titular de la Unidad de Vinculación",
    "Representante residente adjunta",
    "Especialista en gobernanza democrática",
    "Oficial de igualdad de género",
    "Investigadora titular",
    "Director de Educación Cívica",
    "Analista de participación ciudadana",
    "Coordinadora de capacitación",
    "Enlace institucional",
    "Subdirector de Tecnologías de la Información",
    "Oficial de derechos humanos",
    "Consultora en gestión de riesgos",
    "Directora ejecutiva",
    "Presidente del consejo",
    "Asistente de programa",
    "Jefa de departamento de estudios comparados",
    "Secretaria técnica",
    "Observador electoral",
];

const STATES: &[&str] = &[
    "Aguascalientes",
    "Baja California",
    "Campeche",
    "Chiapas",
    "Chihuahua",
    "Coahuila",
    "Colima",
    "Durango",
    "Guanajuato",
    "Guerrero",
    "Hidalgo",
    "Jalisco",
    "México",
    "Michoacán",
    "Morelos",
    "Nayarit",
    "Nuevo León",
    "Oaxaca",
    "Puebla",
    "Querétaro",
    "Quintana Roo",
    "San Luis Potosí",
    "Sinaloa",
    "Sonora",
    "Tabasco",
    "Tamaulipas",
    "Tlaxcala",
    "Veracruz",
    "Yucatán",
    "Zacatecas",
];

const CITIES: &[&str] = &[
    "Ciudad de México",
    "Guadalajara",
    "Monterrey",
    "Puebla",
    "Mérida",
    "Oaxaca de Juárez",
    "Querétaro",
    "Toluca",
    "Morelia",
    "Tijuana",
    "León",
    "Xalapa",
    "Cuernavaca",
    "San Cristóbal de las Casas",
];

/// Foreign countries: Spanish name, English name, ISO code, capital.
const COUNTRIES: &[(&str, &str, &str, &str)] = &[
    ("Argentina", "Argentina", "AR", "Buenos Aires"),
    ("Brasil", "Brazil", "BR", "Brasilia"),
    ("Chile", "Chile", "CL", "Santiago"),
    ("Colombia", "Colombia", "CO", "Bogotá"),
    ("Costa Rica", "Costa Rica", "CR", "San José"),
    ("Ecuador", "Ecuador", "EC", "Quito"),
    ("España", "Spain", "ES", "Madrid"),
    ("Estados Unidos", "United States", "US", "Washington"),
    ("Francia", "France", "FR", "París"),
    ("Alemania", "Germany", "DE", "Berlín"),
    ("Guatemala", "Guatemala", "GT", "Ciudad de Guatemala"),
    ("Panamá", "Panama", "PA", "Panamá"),
    ("Perú", "Peru", "PE", "Lima"),
    ("Suecia", "Sweden", "SE", "Estocolmo"),
    ("Uruguay", "Uruguay", "UY", "Montevideo"),
    ("Canadá", "Canada", "CA", "Ottawa"),
];

/// Topics: Spanish, English.
const TOPICS: &[(&str, &str)] = &[
    ("participación ciudadana", "citizen participation"),
    ("derechos humanos", "human rights"),
    ("igualdad de género", "gender equality"),
    ("educación cívica", "civic education"),
    ("fortalecimiento democrático", "democratic strengthening"),
    ("tecnología electoral", "electoral technology"),
    ("capacitación electoral", "electoral training"),
    ("investigación comparada", "comparative research"),
    ("gestión de riesgos", "risk management"),
    ("violencia política contra las mujeres en razón de género", "political violence against women"),
    ("presupuesto participativo", "participatory budgeting"),
    ("voto de las personas mexicanas residentes en el extranjero", "out-of-country voting"),
    ("inclusión de personas con discapacidad", "inclusion of persons with disabilities"),
    ("consulta a pueblos y comunidades indígenas", "consultation of indigenous peoples"),
    ("observación electoral", "electoral observation"),
    ("urna electrónica", "electronic voting machines"),
    ("juventudes y democracia", "youth and democracy"),
    ("transparencia y rendición de cuentas", "transparency and accountability"),
    ("desinformación en procesos electorales", "disinformation in elections"),
    ("datos abiertos electorales", "open electoral data"),
];

/// Activities, every one masculine: the sentences say «el taller», «del foro».
const ACTIVITIES: &[&str] = &[
    "taller",
    "foro",
    "seminario",
    "conversatorio",
    "diplomado",
    "curso en línea",
    "diálogo público",
    "programa de capacitación",
    "estudio comparado",
    "programa de difusión",
    "concurso de ensayo",
    "parlamento juvenil",
    "ejercicio de observación",
    "encuentro regional",
    "informe conjunto",
];

const DOCUMENTS: &[&str] = &[
    "la propuesta de programa de trabajo",
    "el anexo técnico",
    "la nota conceptual",
    "el proyecto de convenio específico",
    "la relatoría del encuentro",
    "el informe de resultados",
    "la lista de personas participantes",
    "el calendario de actividades",
    "los materiales didácticos",
    "la presentación institucional",
    "el cuestionario de diagnóstico",
    "la carta de intención firmada",
];

const MONTHS: &[&str] = &[
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

const AREAS: &[&str] = &[
    "Unidad Técnica de Vinculación con Organismos Externos",
    "Dirección Ejecutiva de Educación Cívica y Construcción de Ciudadanía",
    "Dirección Ejecutiva de Participación Ciudadana y Capacitación",
    "Unidad Técnica de Servicios Informáticos",
    "Secretaría Ejecutiva",
    "Unidad Técnica de Género y Derechos Humanos",
    "Dirección Ejecutiva de Organización Electoral y Geoestadística",
];

const PLACES: &[&str] = &[
    "Sala de Consejo del IECM, Huizaches 25, Rancho Los Colorines, Tlalpan",
    "Oficinas de la contraparte",
    "Auditorio del IECM",
    "Casa de la Primera Imprenta de América",
    "Centro de Convenciones de la ciudad sede",
    "Sala de juntas de la Unidad Técnica de Vinculación",
];

/// The strategic allies of DOMAIN.md, first among the organizations (after the IECM).
const STRATEGIC: &[(&str, &str, &str, &str, OrgKind, &str)] = &[
    (
        "IECM",
        "IECM",
        "Instituto Electoral de la Ciudad de México",
        "Electoral Institute of Mexico City",
        OrgKind::ElectoralOple,
        "iecm.mx",
    ),
    (
        "ONU Mujeres",
        "UN Women",
        "Entidad de las Naciones Unidas para la Igualdad de Género y el Empoderamiento de las Mujeres",
        "United Nations Entity for Gender Equality and the Empowerment of Women",
        OrgKind::UnAgency,
        "unwomen.org",
    ),
    (
        "PNUD",
        "UNDP",
        "Programa de las Naciones Unidas para el Desarrollo",
        "United Nations Development Programme",
        OrgKind::UnAgency,
        "undp.org",
    ),
    (
        "IDEA Internacional",
        "International IDEA",
        "Instituto Internacional para la Democracia y la Asistencia Electoral",
        "International Institute for Democracy and Electoral Assistance",
        OrgKind::Intergovernmental,
        "idea.int",
    ),
    (
        "NDI",
        "NDI",
        "Instituto Nacional Demócrata para Asuntos Internacionales",
        "National Democratic Institute",
        OrgKind::Ngo,
        "ndi.org",
    ),
    (
        "OIDP",
        "IOPD",
        "Observatorio Internacional de la Democracia Participativa",
        "International Observatory on Participatory Democracy",
        OrgKind::Ngo,
        "oidp.net",
    ),
    (
        "OEA",
        "OAS",
        "Organización de los Estados Americanos",
        "Organization of American States",
        OrgKind::Intergovernmental,
        "oas.org",
    ),
    (
        "OSF",
        "OSF",
        "Open Society Foundations",
        "Open Society Foundations",
        OrgKind::Foundation,
        "opensocietyfoundations.org",
    ),
    (
        "CEPAL",
        "ECLAC",
        "Comisión Económica para América Latina y el Caribe",
        "Economic Commission for Latin America and the Caribbean",
        OrgKind::UnAgency,
        "cepal.org",
    ),
    (
        "UNICEF",
        "UNICEF",
        "Fondo de las Naciones Unidas para la Infancia",
        "United Nations Children's Fund",
        OrgKind::UnAgency,
        "unicef.org",
    ),
    (
        "ACNUDH",
        "OHCHR",
        "Oficina del Alto Comisionado de las Naciones Unidas para los Derechos Humanos",
        "Office of the United Nations High Commissioner for Human Rights",
        OrgKind::UnAgency,
        "ohchr.org",
    ),
    ("KAS", "KAS", "Fundación Konrad Adenauer", "Konrad-Adenauer-Stiftung", OrgKind::Foundation, "kas.de"),
];

/// The first letters of the words of a name that count for an acronym.
fn initials(name: &str) -> String {
    const SKIP: &[&str] =
        &["de", "del", "la", "las", "los", "el", "y", "para", "por", "en", "of", "the", "and", "for"];
    name.split_whitespace()
        .filter(|w| !SKIP.contains(&w.to_lowercase().as_str()))
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_uppercase)
        .collect()
}

/// ASCII, lower case, no spaces: for e-mail addresses and web domains.
fn slug(s: &str) -> String {
    vinculo_core::text::fold(s).chars().filter(char::is_ascii_alphanumeric).collect()
}

// ------------------------------------------------------------------------------- generator

struct Gen {
    rng: Rng,
    anchor: Date,
}

/// What the generator keeps of an organization to make its people and meetings.
struct OrgInfo {
    id: Id,
    acronym: String,
    domain: String,
    /// Its people, filled as contacts are made.
    people: Vec<(Id, String)>,
}

impl Gen {
    /// A day `back` days before the anchor (negative: after).
    fn day(&self, back: i64) -> Date {
        self.anchor.checked_sub(Span::new().days(back)).expect("dates within range")
    }

    /// A day in the twelve years before the anchor and the two months after, recent years
    /// denser (the office records more each year).
    fn some_day(&mut self) -> Date {
        let span = 12 * 365;
        let u = (self.rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let back = (u.sqrt() * (span + 60) as f64) as i64;
        self.day(span - back)
    }

    /// A day in the twelve years before the anchor.
    fn past_day(&mut self) -> Date {
        let back = self.rng.range(1, 12 * 365) as i64;
        self.day(back)
    }

    fn some_instant(&mut self) -> Timestamp {
        let day = self.some_day();
        self.instant(day)
    }

    /// Between `lo` and `hi` sentences of text.
    fn text(&mut self, lo: usize, hi: usize, people: &[String], org: &str) -> String {
        let n = self.rng.range(lo, hi);
        self.paragraphs(n, people, org)
    }

    fn instant(&mut self, day: Date) -> Timestamp {
        let time = jiff::civil::Time::new(self.rng.range(8, 19) as i8, self.rng.range(0, 59) as i8, 0, 0)
            .expect("a valid time");
        day.to_datetime(time)
            .in_tz("America/Mexico_City")
            .map(|z| z.timestamp())
            .unwrap_or(Timestamp::UNIX_EPOCH)
    }

    /// A UUIDv7 id stamped with `at`, its random part from the seeded generator.
    fn id(&mut self, kind: RecordKind, at: Timestamp) -> Id {
        let mut random = [0u8; 10];
        random[..8].copy_from_slice(&self.rng.next_u64().to_le_bytes());
        random[8..].copy_from_slice(&self.rng.next_u64().to_le_bytes()[..2]);
        let millis = u64::try_from(at.as_millisecond()).unwrap_or(0);
        let uuid = uuid::Builder::from_unix_timestamp_millis(millis, &random).into_uuid();
        Id::parse(&format!("{}_{}", kind.prefix(), uuid.simple())).expect("the store's id shape")
    }

    fn person_name(&mut self) -> String {
        let given = *self.rng.pick(GIVEN);
        let middle = if self.rng.chance(0.2) { format!(" {}", self.rng.pick(GIVEN)) } else { String::new() };
        let first = *self.rng.pick(FAMILY);
        let second = *self.rng.pick(FAMILY);
        format!("{given}{middle} {first} {second}")
    }

    fn topic(&mut self) -> (&'static str, &'static str) {
        *self.rng.pick(TOPICS)
    }

    /// A sentence of minutes, naming people, organizations, topics, dates and figures.
    fn sentence(&mut self, people: &[String], org: &str) -> String {
        let person = if people.is_empty() {
            format!("la delegación de {org}")
        } else {
            self.rng.pick(people).clone()
        };
        let (topic, _) = self.topic();
        let activity = *self.rng.pick(ACTIVITIES);
        let document = *self.rng.pick(DOCUMENTS);
        let month = *self.rng.pick(MONTHS);
        let state = *self.rng.pick(STATES);
        let n = self.rng.range(12, 480);
        let year = self.anchor.year() as usize - self.rng.below(4);
        let day = self.rng.range(1, 28);
        match self.rng.below(24) {
            0 => format!(
                "{person} presentó los avances del programa de {topic} y destacó la participación de {n} personas en {state}."
            ),
            1 => format!("Se acordó que {org} enviará {document} a más tardar el {day} de {month}."),
            2 => {
                format!("El IECM expuso su experiencia en {topic} durante el proceso electoral local {year}.")
            }
            3 => format!(
                "{person} propuso organizar un {activity} sobre {topic} dirigido a personas servidoras públicas."
            ),
            4 => format!(
                "Ambas partes coincidieron en la importancia de sistematizar las buenas prácticas en {topic}."
            ),
            5 => format!(
                "Se revisó el calendario de actividades del segundo semestre de {year}, incluida la sede en {state}."
            ),
            6 => format!(
                "{org} informó que cuenta con recursos para financiar parcialmente el {activity} previsto para {month}."
            ),
            7 => format!(
                "La Unidad de Vinculación dará seguimiento a los acuerdos y circulará la minuta en un plazo de {} días hábiles.",
                self.rng.range(3, 10)
            ),
            8 => format!(
                "Se comentaron los hallazgos del estudio sobre {topic}, con una muestra de {n} casos."
            ),
            9 => format!(
                "{person} subrayó la necesidad de incorporar la perspectiva intercultural y el lenguaje incluyente en los materiales."
            ),
            10 => format!(
                "Se discutió la posibilidad de firmar un convenio específico de colaboración en materia de {topic}."
            ),
            11 => "La contraparte solicitó información sobre el uso de la urna electrónica y los mecanismos de auditoría ciudadana.".to_owned(),
            12 => format!(
                "Se identificaron riesgos logísticos para el {activity} en {state} y se propusieron alternativas virtuales."
            ),
            13 => format!(
                "{person} agradeció la disposición del IECM y reiteró el interés de {org} en ampliar la cooperación."
            ),
            14 => format!(
                "Se presentó {document}, que será revisado por las áreas jurídicas de ambas instituciones."
            ),
            15 => format!(
                "La reunión concluyó con el compromiso de sostener una sesión de seguimiento en {month} de {year}."
            ),
            16 => format!(
                "El área de Educación Cívica compartió los resultados de la consulta infantil y juvenil, con {n} mil participaciones."
            ),
            17 => format!(
                "Se propuso traducir al inglés los materiales sobre {topic} para su difusión regional."
            ),
            18 => format!(
                "{person} señaló que la convocatoria del {activity} se publicará en el sitio de {org} el {day} de {month}."
            ),
            19 => format!(
                "Se analizaron indicadores de seguimiento y evaluación para medir el impacto del programa en {state}."
            ),
            20 => "Las partes revisaron el estado de los compromisos pendientes derivados de la reunión anterior.".to_owned(),
            21 => format!(
                "Se mencionó el interés de incluir a organizaciones de la sociedad civil de {state} en el {activity}."
            ),
            22 => {
                format!("{org} ofreció acompañamiento técnico en {topic} y acceso a su red de especialistas.")
            }
            _ => format!(
                "Se acordó intercambiar contactos de enlace y definir una ruta de trabajo para {year}."
            ),
        }
    }

    /// `sentences` sentences in paragraphs of three to five.
    fn paragraphs(&mut self, sentences: usize, people: &[String], org: &str) -> String {
        let mut out = String::new();
        let mut in_paragraph = 0;
        let mut paragraph_len = self.rng.range(3, 5);
        for _ in 0..sentences {
            if in_paragraph == paragraph_len {
                out.push_str("\n\n");
                in_paragraph = 0;
                paragraph_len = self.rng.range(3, 5);
            } else if in_paragraph > 0 {
                out.push(' ');
            }
            out.push_str(&self.sentence(people, org));
            in_paragraph += 1;
        }
        out
    }

    fn organization(&mut self, i: usize) -> (Organization, OrgInfo) {
        use OrgKind as K;
        let created = self.some_instant();
        let id = self.id(RecordKind::Organization, created);
        let (mut name_es, mut name_en, acronym_es, mut acronym_en, kind, domain);
        let (mut country, mut city) = ("MX".to_owned(), self.rng.pick(CITIES).to_string());
        if let Some(&(aes, aen, nes, nen, k, d)) = STRATEGIC.get(i) {
            (name_es, name_en, acronym_es, acronym_en, kind) =
                (nes.to_owned(), nen.to_owned(), aes.to_owned(), aen.to_owned(), k);
            domain = d.to_owned();
        } else {
            let state = *self.rng.pick(STATES);
            let (topic_es, topic_en) = self.topic();
            let (country_es, country_en, code, capital) = *self.rng.pick(COUNTRIES);
            let surname = *self.rng.pick(FAMILY);
            let other = *self.rng.pick(FAMILY);
            kind = *self.rng.pick(&[
                K::ElectoralOple,
                K::ElectoralForeign,
                K::Government,
                K::Legislature,
                K::University,
                K::University,
                K::Ngo,
                K::Ngo,
                K::Ngo,
                K::Foundation,
                K::Private,
                K::Intergovernmental,
                K::ElectoralIne,
            ]);
            (name_es, name_en) = match kind {
                K::ElectoralOple => (
                    format!("Instituto Electoral del Estado de {state}"),
                    format!("Electoral Institute of the State of {state}"),
                ),
                K::ElectoralIne => (
                    format!("Junta Local Ejecutiva del INE en {state}"),
                    format!("INE Local Executive Board in {state}"),
                ),
                K::ElectoralForeign => (
                    format!("Comisión Electoral de {country_es}"),
                    format!("Electoral Commission of {country_en}"),
                ),
                K::Government => (
                    format!("Secretaría de Gobierno del Estado de {state}"),
                    format!("Government Office of the State of {state}"),
                ),
                K::Legislature => {
                    (format!("Congreso del Estado de {state}"), format!("Congress of the State of {state}"))
                }
                K::University => {
                    let adjective = *self.rng.pick(&[
                        "Autónoma",
                        "Iberoamericana",
                        "Pedagógica",
                        "Tecnológica",
                        "Intercultural",
                    ]);
                    (
                        format!("Universidad {adjective} de {state}"),
                        format!("{adjective} University of {state}"),
                    )
                }
                K::Foundation => {
                    (format!("Fundación {surname} {other}"), format!("{surname} {other} Foundation"))
                }
                K::Private => (
                    format!("{surname}, {other} y Asociados, S.C."),
                    format!("{surname}, {other} & Associates"),
                ),
                K::Intergovernmental => {
                    (format!("Oficina Regional para {topic_es}"), format!("Regional Office for {topic_en}"))
                }
                _ => {
                    let what = *self.rng.pick(&["Red", "Colectivo", "Centro", "Asociación", "Observatorio"]);
                    let what_en = match what {
                        "Red" => "Network",
                        "Colectivo" => "Collective",
                        "Centro" => "Centre",
                        "Asociación" => "Association",
                        _ => "Observatory",
                    };
                    (
                        format!("{what} por la {} en {state}", capitalize(topic_es)),
                        format!("{what_en} for {topic_en} in {state}"),
                    )
                }
            };
            if matches!(kind, K::ElectoralForeign) {
                country = code.to_owned();
                city = capital.to_owned();
            }
            if self.rng.chance(0.15) {
                name_es.push_str(&format!(" {}", roman(self.rng.range(2, 9))));
                name_en = format!("{name_en} {}", roman(self.rng.range(2, 9)));
            }
            acronym_es = initials(&name_es);
            acronym_en = initials(&name_en);
            if self.rng.chance(0.3) {
                acronym_en.clear();
            }
            domain = format!(
                "{}{}.{}",
                slug(&acronym_es),
                i,
                match kind {
                    K::University => "edu.mx",
                    K::Government | K::Legislature | K::ElectoralOple | K::ElectoralIne => "gob.mx",
                    _ => "org",
                }
            );
        }
        let themes: Vec<Theme> = (0..self.rng.range(1, 4)).map(|_| *self.rng.pick(&Theme::ALL)).collect();
        let scope = match kind {
            K::UnAgency | K::Intergovernmental | K::ElectoralForeign => Scope::International,
            K::ElectoralOple | K::Legislature | K::Government => Scope::Local,
            _ => *self.rng.pick(&[Scope::Local, Scope::National, Scope::International]),
        };
        let sector = match kind {
            K::Ngo | K::Foundation => Sector::Social,
            K::Private => Sector::Private,
            _ => Sector::Public,
        };
        let notes = if self.rng.chance(0.4) { self.text(1, 3, &[], &acronym_es) } else { String::new() };
        let org = Organization {
            id: id.clone(),
            revision: 1,
            created_at: Some(created),
            updated_at: Some(created),
            name_es,
            name_en,
            acronym_es: acronym_es.clone(),
            acronym_en,
            kind,
            scope,
            sector,
            country,
            city,
            website: format!("https://www.{domain}"),
            themes,
            relationship: *self.rng.pick(&[
                RelationshipStatus::Prospect,
                RelationshipStatus::InContact,
                RelationshipStatus::ActiveCollaboration,
                RelationshipStatus::ActiveCollaboration,
                RelationshipStatus::Inactive,
            ]),
            notes,
            tags: if self.rng.chance(0.3) {
                vec![
                    self.rng
                        .pick(&[
                            "aliado estratégico",
                            "prioritario",
                            "internacional",
                            "academia",
                            "sociedad civil",
                        ])
                        .to_string(),
                ]
            } else {
                vec![]
            },
            ..Organization::default()
        };
        (org, OrgInfo { id, acronym: acronym_es, domain, people: Vec::new() })
    }

    fn contact(&mut self, i: usize, org: &OrgInfo, others: &[OrgInfo]) -> Contact {
        let created = self.some_instant();
        let id = self.id(RecordKind::Contact, created);
        let full_name = self.person_name();
        let mut parts = full_name.split(' ');
        // Names in other scripts have no ASCII letters: their address uses a role instead.
        let ascii =
            |s: &str, or: &str| Some(slug(s)).filter(|s| !s.is_empty()).unwrap_or_else(|| or.to_owned());
        let local = format!(
            "{}.{}{}",
            ascii(parts.next().unwrap_or(""), "enlace"),
            ascii(parts.next_back().unwrap_or(""), "oficina"),
            i
        );
        let mut emails = vec![Labeled { label: "Oficina".into(), value: format!("{local}@{}", org.domain) }];
        if self.rng.chance(0.25) {
            emails.push(Labeled { label: "Personal".into(), value: format!("{local}@correo.ejemplo.mx") });
        }
        let mut phones = vec![Labeled {
            label: "Oficina".into(),
            value: format!("+52 55 {:04} {:04}", self.rng.range(1000, 9999), self.rng.range(0, 9999)),
        }];
        if self.rng.chance(0.3) {
            phones[0].value.push_str(&format!(" ext. {}", self.rng.range(100, 9999)));
        }
        if self.rng.chance(0.4) {
            phones.push(Labeled {
                label: "Móvil".into(),
                value: format!("+52 1 55 {:04} {:04}", self.rng.range(1000, 9999), self.rng.range(0, 9999)),
            });
        }
        let mut languages = vec!["es".to_owned()];
        if self.rng.chance(0.5) {
            languages.push(self.rng.pick(&["en", "fr", "pt", "de"]).to_string());
        }
        let post_history = if self.rng.chance(0.1) && !others.is_empty() {
            let before = &others[self.rng.below(others.len())];
            let from = self.past_day();
            vec![PostRecord {
                post: self.rng.pick(POSTS).to_string(),
                organization_id: Some(before.id.clone()),
                organization_name: before.acronym.clone(),
                from: Some(from.to_string()),
                until: Some(
                    from.checked_add(Span::new().days(self.rng.range(200, 900) as i64))
                        .expect("date")
                        .to_string(),
                ),
            }]
        } else {
            Vec::new()
        };
        let notice = self.rng.chance(0.8);
        Contact {
            id,
            revision: 1,
            created_at: Some(created),
            updated_at: Some(created),
            honorific: self.rng.pick(HONORIFICS).to_string(),
            full_name,
            post: self.rng.pick(POSTS).to_string(),
            organization_id: Some(org.id.clone()),
            post_since: Some(self.past_day().to_string()),
            post_history,
            emails,
            phones,
            preferred_language: Some(languages[languages.len() - 1].clone()),
            languages,
            notes: if self.rng.chance(0.3) { self.text(1, 2, &[], &org.acronym) } else { String::new() },
            tags: if self.rng.chance(0.2) {
                vec![self.rng.pick(&["enlace", "decisora", "técnica", "prensa"]).to_string()]
            } else {
                vec![]
            },
            privacy_notice_given: notice,
            privacy_notice_date: notice.then(|| self.past_day().to_string()),
            sensitive_data: self.rng.chance(0.05),
            ..Contact::default()
        }
    }
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn roman(n: usize) -> &'static str {
    ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"][n.min(9)]
}

/// The records for `contacts` contacts, from `seed`, with dates around `anchor`.
pub fn generate(contacts: usize, seed: u64, anchor: Date) -> Dataset {
    let shape = Shape::of(contacts);
    let mut g = Gen { rng: Rng::new(seed), anchor };
    let mut data = Dataset::default();

    let mut orgs: Vec<OrgInfo> = Vec::with_capacity(shape.organizations);
    for i in 0..shape.organizations {
        let (org, info) = g.organization(i);
        data.organizations.push(org.into());
        orgs.push(info);
    }

    // The IECM's own staff first (its delegation at every meeting), then everyone else,
    // most of them at the big partners.
    let iecm_staff = (contacts / 100).max(5);
    for i in 0..contacts {
        let at = if i < iecm_staff { 0 } else { 1 + g.rng.skewed(orgs.len() - 1) };
        let contact = {
            let (before, rest) = orgs.split_at(at);
            let (org, after) = rest.split_first().expect("an organization at `at`");
            let pool = if before.len() > after.len() { before } else { after };
            g.contact(i, org, pool)
        };
        let short = format!("{} {}", contact.honorific, contact.full_name);
        orgs[at].people.push((contact.id.clone(), short));
        data.contacts.push(contact.into());
    }

    // Agreements: frameworks first, so specific ones and addenda can hang from them.
    let mut frameworks: Vec<(Id, usize)> = Vec::new();
    let mut agreement_sources: Vec<(Id, usize, Date)> = Vec::new();
    for i in 0..shape.agreements {
        let at = 1 + g.rng.skewed(orgs.len() - 1);
        let signed = g.some_day();
        let created = g.instant(signed.checked_sub(Span::new().days(60)).expect("date"));
        let id = g.id(RecordKind::Agreement, created);
        let kind = if i < shape.agreements / 5 {
            AgreementKind::FrameworkAgreement
        } else {
            *g.rng.pick(&AgreementKind::ALL)
        };
        let parent_id = match kind {
            AgreementKind::SpecificAgreement | AgreementKind::Addendum if !frameworks.is_empty() => {
                let (parent, org) = frameworks[g.rng.below(frameworks.len())].clone();
                Some((parent, org))
            }
            _ => None,
        };
        let at = parent_id.as_ref().map_or(at, |(_, org)| *org);
        let years = g.rng.range(1, 5) as i64;
        let until = signed.checked_add(Span::new().days(365 * years)).expect("date");
        let status = if signed > anchor {
            *g.rng.pick(&[AgreementStatus::Negotiation, AgreementStatus::LegalReview])
        } else if until < anchor {
            *g.rng.pick(&[
                AgreementStatus::Concluded,
                AgreementStatus::Concluded,
                AgreementStatus::Concluded,
                AgreementStatus::Rescinded,
                AgreementStatus::InForce,
            ])
        } else {
            *g.rng.pick(&[AgreementStatus::InForce, AgreementStatus::InForce, AgreementStatus::Signed])
        };
        let (topic, _) = g.topic();
        let org = &orgs[at];
        let kind_label = match kind {
            AgreementKind::FrameworkAgreement => "Convenio marco de colaboración",
            AgreementKind::SpecificAgreement => "Convenio específico de colaboración",
            AgreementKind::SupportAgreement => "Convenio de apoyo y colaboración",
            AgreementKind::LetterOfIntent => "Carta de intención",
            AgreementKind::Memorandum => "Memorándum de entendimiento",
            AgreementKind::InterinstitutionalAgreement => "Acuerdo interinstitucional",
            AgreementKind::Addendum => "Adenda",
        };
        let people: Vec<String> = org.people.iter().take(3).map(|(_, n)| n.clone()).collect();
        let purpose = g.text(2, 4, &people, &org.acronym);
        let counterpart_contact_id =
            (!org.people.is_empty()).then(|| org.people[g.rng.below(org.people.len())].0.clone());
        let iecm_contact_id = Some(orgs[0].people[g.rng.below(orgs[0].people.len())].0.clone());
        let agreement = Agreement {
            id: id.clone(),
            revision: 1,
            created_at: Some(created),
            updated_at: Some(g.instant(signed.min(anchor))),
            kind,
            folio: format!("IECM/UTVOE/{}/{:05}", signed.year(), i + 1),
            title: format!("{kind_label} en materia de {topic} entre el IECM y {}", org.acronym),
            purpose,
            counterpart_ids: vec![org.id.clone()],
            parent_id: parent_id.map(|(p, _)| p),
            status,
            signed_on: (!matches!(status, AgreementStatus::Negotiation | AgreementStatus::LegalReview))
                .then(|| signed.to_string()),
            valid_from: Some(signed.to_string()),
            valid_until: (!g.rng.chance(0.1)).then(|| until.to_string()),
            renewal: *g.rng.pick(&[Renewal::None, Renewal::Automatic, Renewal::WrittenAgreement]),
            notice_days: Some(*g.rng.pick(&[30, 60, 90, 90, 120])),
            iecm_area: g.rng.pick(AREAS).to_string(),
            iecm_contact_id,
            counterpart_contact_id,
            public_money: g.rng.chance(0.2),
            notes: if g.rng.chance(0.3) { g.paragraphs(1, &[], &org.acronym) } else { String::new() },
            document_refs: if status == AgreementStatus::InForce {
                vec![format!("Expediente UTVOE/{}/{:05}", signed.year(), i + 1)]
            } else {
                vec![]
            },
            ..Agreement::default()
        };
        if kind == AgreementKind::FrameworkAgreement {
            frameworks.push((id.clone(), at));
        }
        agreement_sources.push((id, at, signed));
        data.agreements.push(agreement.into());
    }
    if let Some(AnyRecord::Agreement(a)) = data.agreements.last() {
        data.probes.folio = a.folio.clone();
    }

    let mut meeting_sources: Vec<(Id, usize, Date)> = Vec::with_capacity(shape.meetings);
    for _ in 0..shape.meetings {
        let at = 1 + g.rng.skewed(orgs.len() - 1);
        let date = g.some_day();
        let start = g.instant(date);
        let id = g.id(RecordKind::Meeting, start);
        let org = &orgs[at];
        let mut organization_ids = vec![org.id.clone()];
        if g.rng.chance(0.12) {
            let other = &orgs[1 + g.rng.below(orgs.len() - 1)];
            if other.id != org.id {
                organization_ids.push(other.id.clone());
            }
        }
        let attendees: Vec<(Id, String)> = (0..g.rng.range(1, 4).min(org.people.len()))
            .map(|_| org.people[g.rng.below(org.people.len())].clone())
            .collect();
        let delegation: Vec<(Id, String)> = (0..g.rng.range(1, 3))
            .map(|_| orgs[0].people[g.rng.below(orgs[0].people.len())].clone())
            .collect();
        let names: Vec<String> = attendees.iter().chain(&delegation).map(|(_, n)| n.clone()).collect();
        let (topic, _) = g.topic();
        let acronym = org.acronym.clone();
        let title = match g.rng.below(6) {
            0 => format!("Reunión de seguimiento del programa de {topic} con {acronym}"),
            1 => format!("Mesa de trabajo sobre {topic}"),
            2 => format!("Visita de cortesía de {acronym} al IECM"),
            3 => format!("Videoconferencia de planeación {} con {acronym}", date.year()),
            4 => format!("Preparación del {} sobre {topic}", g.rng.pick(ACTIVITIES)),
            _ => format!("Sesión del grupo de trabajo de {topic}"),
        };
        let modality =
            *g.rng.pick(&[Modality::InPerson, Modality::InPerson, Modality::Virtual, Modality::Hybrid]);
        let past = date < anchor;
        let objective = g.text(1, 2, &names, &acronym);
        let agenda = (1..=g.rng.range(3, 6))
            .map(|n| format!("{n}. {}", capitalize(g.rng.pick::<&str>(DOCUMENTS))))
            .collect::<Vec<_>>()
            .join("\n");
        let talking_points =
            (0..g.rng.range(2, 4)).map(|_| g.sentence(&names, &acronym)).collect::<Vec<_>>().join("\n");
        let minutes = if past { g.text(6, 24, &names, &acronym) } else { String::new() };
        let meeting = Meeting {
            id: id.clone(),
            revision: 1,
            created_at: Some(start),
            updated_at: Some(start),
            title,
            date: date.to_string(),
            time: Some(format!("{:02}:{:02}", g.rng.range(8, 18), *g.rng.pick(&[0, 15, 30, 45]))),
            duration_minutes: Some(*g.rng.pick(&[30, 60, 60, 90, 120, 240])),
            time_zone: if g.rng.chance(0.1) { "Europe/Madrid".into() } else { "America/Mexico_City".into() },
            modality,
            place: if modality == Modality::Virtual { String::new() } else { g.rng.pick(PLACES).to_string() },
            link: if modality == Modality::InPerson {
                String::new()
            } else {
                format!("https://reuniones.ejemplo.org/{}", g.rng.next_u64() % 1_000_000_000)
            },
            organization_ids,
            counterpart_attendees: attendees.into_iter().map(|(id, _)| id).collect(),
            iecm_delegation: delegation.into_iter().map(|(id, _)| id).collect(),
            objective,
            agenda,
            talking_points,
            sensitive_topics: if g.rng.chance(0.15) { g.sentence(&names, &acronym) } else { String::new() },
            minutes,
            ..Meeting::default()
        };
        meeting_sources.push((id, at, date));
        data.meetings.push(meeting.into());
    }

    // Activities with the partners, some carrying out an instrument of theirs; courses and
    // workshops train a few of the IECM's people.
    let mut activity_sources: Vec<(Id, usize, Date)> = Vec::new();
    for _ in 0..shape.activities {
        let at = 1 + g.rng.skewed(orgs.len() - 1);
        let start = g.some_day();
        let end = start.checked_add(Span::new().days(*g.rng.pick(&[0, 0, 1, 2, 30, 90]))).expect("date");
        let kind = *g.rng.pick(&ActivityKind::ALL);
        let status = if start > anchor {
            ActivityStatus::Planned
        } else if end >= anchor {
            ActivityStatus::InProgress
        } else if g.rng.chance(0.05) {
            ActivityStatus::Cancelled
        } else {
            ActivityStatus::Concluded
        };
        let agreement_id = agreement_sources
            .iter()
            .skip(g.rng.below(agreement_sources.len().max(1)))
            .find(|(_, org, _)| *org == at)
            .filter(|_| g.rng.chance(0.5))
            .map(|(id, _, _)| id.clone());
        let (topic, _) = g.topic();
        let created = g.instant(start.checked_sub(Span::new().days(20)).expect("date"));
        let id = g.id(RecordKind::Activity, created);
        let trains = kind.is_training() && status != ActivityStatus::Planned;
        let staff = &orgs[0].people;
        let mut participants: Vec<Participant> = Vec::new();
        for _ in 0..if trains { g.rng.range(1, 8) } else { 0 } {
            let who = staff[g.rng.below(staff.len())].0.clone();
            if participants.iter().all(|p| p.contact_id != who) {
                participants.push(Participant {
                    contact_id: who,
                    hours: Some(f64::from(*g.rng.pick(&[2u8, 4, 8, 12, 20, 40]))),
                    completed: status == ActivityStatus::Concluded && g.rng.chance(0.8),
                    certificate: String::new(),
                });
            }
        }
        let (women, men) = if status == ActivityStatus::Concluded && g.rng.chance(0.7) {
            (Some(g.rng.range(5, 200) as u32), Some(g.rng.range(5, 200) as u32))
        } else {
            (None, None)
        };
        let activity = Activity {
            id: id.clone(),
            revision: 1,
            created_at: Some(created),
            updated_at: Some(created),
            title: format!("{} sobre {topic}", capitalize(g.rng.pick::<&str>(ACTIVITIES))),
            kind,
            status,
            partner_ids: vec![orgs[at].id.clone()],
            agreement_id,
            themes: vec![*g.rng.pick(&Theme::ALL)],
            starts_on: Some(start.to_string()),
            ends_on: (end != start).then(|| end.to_string()),
            iecm_area: "Unidad Técnica de Vinculación con Organismos Externos".into(),
            beneficiaries: vec![*g.rng.pick(&[Beneficiary::Citizens, Beneficiary::ElectoralStaff])],
            people_reached: women.zip(men).map(|(w, m)| w + m),
            women_reached: women,
            men_reached: men,
            resources: vec![Resource {
                party: Party::Counterpart,
                kind: ResourceKind::Experts,
                description: format!("Especialistas de {}", orgs[at].acronym),
                amount: None,
            }],
            participants,
            ..Activity::default()
        };
        activity_sources.push((id, at, end));
        data.activities.push(activity.into());
    }

    // Commitments: most meetings leave one or two, agreements and activities a few; the old
    // ones are mostly closed (most on time), recent ones open, a few overdue.
    let per_meeting = [0, 0, 0, 0, 1, 1, 1, 2, 2, 3];
    let per_agreement = [0, 1, 2, 3, 4];
    let sources = meeting_sources
        .iter()
        .map(|(id, at, d)| (CommitmentSource::Meeting(id.clone()), *at, *d, *g.rng.pick(&per_meeting)))
        .collect::<Vec<_>>();
    let sources = sources
        .into_iter()
        .chain(
            agreement_sources
                .iter()
                .map(|(id, at, d)| {
                    (CommitmentSource::Agreement(id.clone()), *at, *d, *g.rng.pick(&per_agreement))
                })
                .collect::<Vec<_>>(),
        )
        .chain(
            activity_sources
                .iter()
                .map(|(id, at, d)| {
                    (CommitmentSource::Activity(id.clone()), *at, *d, *g.rng.pick(&[0, 1, 1, 2]))
                })
                .collect::<Vec<_>>(),
        );
    for (source, at, date, n) in sources {
        for _ in 0..n {
            let due = date.checked_add(Span::new().days(g.rng.range(7, 90) as i64)).expect("date");
            let late = anchor.since(due).map(|s| s.get_days()).unwrap_or(0);
            let status = if late > 365 {
                if g.rng.chance(0.002) {
                    CommitmentStatus::Pending
                } else if g.rng.chance(0.9) {
                    CommitmentStatus::Done
                } else {
                    CommitmentStatus::Cancelled
                }
            } else if late > 0 {
                if g.rng.chance(0.04) {
                    *g.rng.pick(&[CommitmentStatus::Pending, CommitmentStatus::InProgress])
                } else {
                    CommitmentStatus::Done
                }
            } else {
                *g.rng.pick(&[
                    CommitmentStatus::Pending,
                    CommitmentStatus::Pending,
                    CommitmentStatus::InProgress,
                    CommitmentStatus::Done,
                ])
            };
            let party = *g.rng.pick(&[Party::Iecm, Party::Counterpart]);
            let owner_pool = if party == Party::Iecm { &orgs[0].people } else { &orgs[at].people };
            let owner_id =
                (!owner_pool.is_empty()).then(|| owner_pool[g.rng.below(owner_pool.len())].0.clone());
            let (topic, _) = g.topic();
            let description = match g.rng.below(6) {
                0 => format!("Enviar {} sobre {topic}", g.rng.pick(DOCUMENTS)),
                1 => format!("Organizar el {} de {topic} en {}", g.rng.pick(ACTIVITIES), g.rng.pick(MONTHS)),
                2 => format!("Revisar {} y enviar observaciones", g.rng.pick(DOCUMENTS)),
                3 => format!("Gestionar la firma del convenio específico en materia de {topic}"),
                4 => format!("Designar enlaces técnicos para el {}", g.rng.pick(ACTIVITIES)),
                _ => format!("Compartir {} con las áreas del IECM", g.rng.pick(DOCUMENTS)),
            };
            let created = g.instant(date);
            let id = g.id(RecordKind::Commitment, created);
            let done = status == CommitmentStatus::Done;
            let commitment = Commitment {
                id,
                revision: 1,
                created_at: Some(created),
                updated_at: Some(if done { g.instant(due.min(anchor)) } else { created }),
                description,
                source: Some(source.clone()),
                party,
                owner_id,
                due_on: Some(due.to_string()),
                status,
                done_on: done.then(|| {
                    let days = if g.rng.chance(0.8) {
                        -(g.rng.range(0, 10) as i64)
                    } else {
                        g.rng.range(1, 40) as i64
                    };
                    due.checked_add(Span::new().days(days)).expect("date").min(anchor).to_string()
                }),
                evidence: if done {
                    format!(
                        "Oficio IECM/UTVOE/{}/{} del {} de {}.",
                        g.rng.range(100, 999),
                        due.year(),
                        g.rng.range(1, 28),
                        g.rng.pick(MONTHS)
                    )
                } else {
                    String::new()
                },
                ..Commitment::default()
            };
            data.commitments.push(commitment.into());
        }
    }

    if let Some(AnyRecord::Contact(c)) = data.contacts.get(contacts / 2) {
        data.probes.email = c.emails[0].value.clone();
    }
    data
}
