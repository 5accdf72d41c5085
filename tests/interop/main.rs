//! Our files read by independent, strict parsers: every iCalendar file through Python's
//! `icalendar` and `vobject` (which must agree on each event's start), every vCard through
//! `vobject` with validation, both pinned on PyPI and installed by `cargo xtask test` into
//! `target/interop-venv` (`check.py` beside this file says what each checks). What they read
//! must be what was written: titles, instants in UTC, time zones, people, e-mails.

#![allow(clippy::unwrap_used)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use vinculo_core::briefing::Lang;
use vinculo_core::calendar::CalendarRequest;
use vinculo_core::vcard::{VcardVersion, uid_of};
use vinculo_core::*;

fn python() -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap().to_owned();
    target.join("interop-venv/bin/python")
}

/// What `check.py` read in `text` (written to a file named `name`); fails with the parsers'
/// complaint.
fn check(kind: &str, name: &str, text: &str) -> Value {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("interop");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/interop/check.py");
    let out =
        std::process::Command::new(python()).arg(script).arg(kind).arg(&path).output().unwrap_or_else(|e| {
            panic!("{} is missing ({e}): run `cargo xtask test`, which installs it", python().display())
        });
    assert!(
        out.status.success(),
        "the independent parsers refused {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

struct Office {
    store: Store,
    _dir: tempfile::TempDir,
    ana: Contact,
    laura: Contact,
    madrid: Meeting,
    here: Meeting,
}

/// A partner's person, an IECM colleague, a meeting in Madrid and one in Mexico City with a
/// commitment, and an instrument that ends in the period.
fn office() -> Office {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let save_org = |acronym: &str, name: &str| {
        store
            .save_organization(Organization {
                acronym_es: acronym.into(),
                name_es: name.into(),
                ..Organization::default()
            })
            .unwrap()
    };
    let unw =
        save_org("ONU Mujeres", "Entidad de las Naciones Unidas para la Igualdad de Género «ONU Mujeres»");
    let iecm = save_org("IECM", "Instituto Electoral de la Ciudad de México");
    let ana = store
        .save_contact(Contact {
            full_name: "Ana Sofía Núñez; «Nana», Peña".into(),
            honorific: "Mtra.".into(),
            post: "Directora, Oficina de País".into(),
            organization_id: Some(unw.id.clone()),
            emails: vec![Labeled { label: "Oficina".into(), value: "ana.nunez@unwomen.org".into() }],
            phones: vec![Labeled { label: "Móvil".into(), value: "+52 55 1234 5678".into() }],
            languages: vec!["es".into(), "en".into()],
            notes: "Línea uno\nLínea dos: ¿sí? ¡sí!".into(),
            tags: vec!["género".into(), "aliada, clave".into()],
            ..Contact::default()
        })
        .unwrap();
    let laura = store
        .save_contact(Contact {
            full_name: "Laura Méndez".into(),
            organization_id: Some(iecm.id.clone()),
            emails: vec![Labeled { label: "Oficina".into(), value: "laura.mendez@iecm.mx".into() }],
            ..Contact::default()
        })
        .unwrap();
    let madrid = store
        .save_meeting(
            WithCommitments {
                record: Meeting {
                    title: "Reunión de trabajo; «ONU Mujeres», Madrid".into(),
                    date: "2027-03-29".into(),
                    time: Some("10:30".into()),
                    duration_minutes: Some(90),
                    time_zone: "Europe/Madrid".into(),
                    organization_ids: vec![unw.id.clone()],
                    counterpart_attendees: vec![ana.id.clone()],
                    iecm_delegation: vec![laura.id.clone()],
                    objective: "Acordar el plan 2027.\nSegunda línea, con comas; y punto y coma.".into(),
                    talking_points: "No sale en el calendario".into(),
                    ..Meeting::default()
                },
                commitments: vec![],
            },
            &[],
        )
        .unwrap()
        .record;
    let here = store
        .save_meeting(
            WithCommitments {
                record: Meeting {
                    title: "Seguimiento en la CDMX".into(),
                    date: "2027-03-30".into(),
                    time: Some("09:00".into()),
                    organization_ids: vec![unw.id.clone()],
                    link: "https://meet.example.org/abc".into(),
                    modality: Modality::Virtual,
                    ..Meeting::default()
                },
                commitments: vec![Commitment {
                    description: "Enviar la propuesta de programa".into(),
                    due_on: Some("2027-04-15".into()),
                    owner_id: Some(laura.id.clone()),
                    ..Commitment::default()
                }],
            },
            &[],
        )
        .unwrap()
        .record;
    store
        .save_agreement(
            WithCommitments {
                record: Agreement {
                    title: "Convenio marco de colaboración".into(),
                    folio: "IECM/CM/2024-01".into(),
                    counterpart_ids: vec![unw.id.clone()],
                    status: AgreementStatus::InForce,
                    valid_until: Some("2027-06-30".into()),
                    notice_days: Some(60),
                    ..Agreement::default()
                },
                commitments: vec![],
            },
            &[],
        )
        .unwrap();
    Office { store, _dir: dir, ana, laura, madrid, here }
}

#[test]
fn our_calendars_parse_in_icalendar_and_vobject_as_written() {
    let o = office();
    let request = CalendarRequest {
        from: "2027-03-01".into(),
        until: "2027-06-30".into(),
        meetings: true,
        commitments: true,
        agreements: true,
    };
    let file = o.store.calendar(&request, Lang::Es, "2027-03-01T12:00:00Z".parse().unwrap()).unwrap();
    assert_eq!(file.events, 5, "two meetings, a commitment's due date, an instrument's end and its notice");
    let seen = check("ics", "period.ics", &file.text);
    // The zone of each timed event, with its summer time (Madrid changes on 28 March 2027).
    assert_eq!(seen["tzids"], serde_json::json!(["America/Mexico_City", "Europe/Madrid"]));
    let event = |uid: String| {
        seen["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["uid"] == uid.as_str())
            .cloned()
            .unwrap_or_else(|| panic!("{uid} in {seen}"))
    };
    let madrid = event(format!("{}@vinculo.iecm.mx", o.madrid.id));
    assert_eq!(madrid["summary"], o.madrid.title);
    assert_eq!(
        (madrid["start"].as_str(), madrid["end"].as_str()),
        (Some("2027-03-29T08:30:00Z"), Some("2027-03-29T10:00:00Z")),
        "10:30 CEST"
    );
    assert!(madrid["description"].as_str().unwrap().contains("Segunda línea, con comas; y punto y coma."));
    assert!(!madrid["description"].as_str().unwrap().contains("No sale"), "talking points stay home");
    assert_eq!(
        madrid["attendees"],
        serde_json::json!(["mailto:ana.nunez@unwomen.org", "mailto:laura.mendez@iecm.mx"])
    );
    assert_eq!(madrid["sequence"], 1);
    let here = event(format!("{}@vinculo.iecm.mx", o.here.id));
    assert_eq!(here["start"], "2027-03-30T15:00:00Z", "09:00 in Mexico City, UTC−6 all year");
    let due = seen["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["uid"].as_str().unwrap().ends_with("-due@vinculo.iecm.mx"))
        .unwrap();
    assert_eq!(
        (due["start"].as_str(), due["end"].as_str(), due["transparent"].as_bool()),
        (Some("2027-04-15"), Some("2027-04-16"), Some(true))
    );
    assert!(due["description"].as_str().unwrap().contains("Laura Méndez"));
    let ends: Vec<&str> = seen["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["uid"].as_str().unwrap().starts_with("agr_"))
        .map(|e| e["start"].as_str().unwrap())
        .collect();
    assert_eq!(ends, ["2027-06-30", "2027-05-01"], "the end, and 60 days before it");

    // One meeting alone, in English; then changed and exported again: the same UID, a new SEQUENCE.
    let one =
        o.store.meeting_calendar(&o.madrid.id, Lang::En, "2027-03-01T12:00:00Z".parse().unwrap()).unwrap();
    let seen = check("ics", "one.ics", &one.text);
    assert_eq!(
        seen["tzids"],
        serde_json::json!(["America/Mexico_City", "Europe/Madrid"]),
        "the office's zone, and the meeting's"
    );
    assert!(
        seen["events"][0]["description"].as_str().unwrap().starts_with("Objective of the meeting:"),
        "{seen}"
    );
    let mut changed = o.madrid.clone();
    changed.time = Some("11:00".into());
    o.store.save_meeting(WithCommitments { record: changed, commitments: vec![] }, &[]).unwrap();
    let again =
        o.store.meeting_calendar(&o.madrid.id, Lang::Es, "2027-03-02T12:00:00Z".parse().unwrap()).unwrap();
    let seen = check("ics", "again.ics", &again.text);
    assert_eq!(seen["events"][0]["uid"], format!("{}@vinculo.iecm.mx", o.madrid.id));
    assert_eq!(
        (seen["events"][0]["sequence"].as_u64(), seen["events"][0]["start"].as_str()),
        (Some(2), Some("2027-03-29T09:00:00Z"))
    );
}

#[test]
fn our_vcards_parse_in_vobject_as_written() {
    let o = office();
    for (version, file) in [(VcardVersion::V3, "people-3.vcf"), (VcardVersion::V4, "people-4.vcf")] {
        let text = o.store.vcards(&[o.ana.id.clone(), o.laura.id.clone()], version).unwrap();
        let seen = check("vcf", file, &text);
        let ana = &seen["cards"][0];
        assert_eq!(ana["version"], if version == VcardVersion::V3 { "3.0" } else { "4.0" });
        assert_eq!(ana["fn"], o.ana.full_name);
        assert_eq!(ana["uid"], uid_of(&o.ana.id));
        assert_eq!(ana["org"], "Entidad de las Naciones Unidas para la Igualdad de Género «ONU Mujeres»");
        assert_eq!(ana["title"], serde_json::json!([o.ana.post]));
        assert_eq!(ana["emails"], serde_json::json!(["ana.nunez@unwomen.org"]));
        assert_eq!(ana["tels"], serde_json::json!(["+52 55 1234 5678"]));
        assert_eq!(ana["note"], serde_json::json!([o.ana.notes]));
        assert_eq!(ana["categories"], serde_json::json!(["género", "aliada, clave"]));
        assert_eq!(seen["cards"][1]["fn"], "Laura Méndez");
    }
}
