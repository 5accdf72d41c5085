//! Calendars out and in: what a period's export holds and leaves out, and invitations —
//! Outlook's (`fixtures/ical/outlook-2010.ics`, from biweekly's test suite) and others as
//! Google and Thunderbird write them — imported as meetings whose attendees are found by
//! e-mail, imported again without a duplicate, and refused in part with a reason. (The files
//! we write are read by independent parsers in `tests/interop`.)

use crate::fixtures::{agreement, commitment, contact, has, meeting, org, store, with};
use vinculo_core::briefing::Lang;
use vinculo_core::calendar::{CalendarRequest, read_invitations};
use vinculo_core::table::RowAction;
use vinculo_core::{
    AgreementStatus, Code, CommitmentStatus, Labeled, Meeting, Modality, RecordKind, WithCommitments,
};

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ical").join(name);
    std::fs::read(path).expect("the fixture")
}

fn now() -> jiff::Timestamp {
    "2026-12-06T12:00:00Z".parse().unwrap()
}

fn period(from: &str, until: &str) -> CalendarRequest {
    CalendarRequest {
        from: from.into(),
        until: until.into(),
        meetings: true,
        commitments: true,
        agreements: true,
    }
}

#[test]
fn a_period_exports_its_meetings_and_open_deadlines_only() {
    let t = store();
    let unw = t.save_organization(org("ONU Mujeres", "ONU Mujeres")).unwrap();
    let mut m = meeting("Dentro del periodo", "2026-12-10", &[&unw.id]);
    m.sensitive_topics = "Tema que no sale".into();
    m.minutes = "Minuta que no sale".into();
    let done = commitment("Ya cumplido", Some("2026-12-11"));
    let done = vinculo_core::Commitment { status: CommitmentStatus::Done, ..done };
    t.save_meeting(with(m, vec![commitment("Abierto", Some("2026-12-12")), done]), &[]).unwrap();
    t.save_meeting(with(meeting("Fuera del periodo", "2027-02-01", &[&unw.id]), vec![]), &[]).unwrap();
    let mut live = agreement("Vigente", &[&unw.id]);
    live.status = AgreementStatus::InForce;
    live.valid_until = Some("2026-12-20".into());
    live.notice_days = Some(5);
    let mut ended = agreement("Concluido", &[&unw.id]);
    ended.status = AgreementStatus::Concluded;
    ended.valid_until = Some("2026-12-21".into());
    for a in [live, ended] {
        t.save_agreement(WithCommitments { record: a, commitments: vec![] }, &[]).unwrap();
    }
    let file = t.calendar(&period("2026-12-01", "2026-12-31"), Lang::Es, now()).unwrap();
    let summaries: Vec<&str> = file.text.lines().filter_map(|l| l.strip_prefix("SUMMARY:")).collect();
    assert_eq!(
        summaries,
        [
            "Dentro del periodo",
            "Vence compromiso: Abierto",
            "Fin de vigencia: Vigente",
            "Aviso (5 días antes del fin): Vigente"
        ],
        "{}",
        file.text
    );
    assert_eq!(file.events, 4);
    assert!(!file.text.contains("no sale"), "sensitive topics and minutes stay in Vínculo");
    // Only some kinds.
    let only =
        CalendarRequest { commitments: false, agreements: false, ..period("2026-12-01", "2026-12-31") };
    assert_eq!(t.calendar(&only, Lang::Es, now()).unwrap().events, 1);
    // A period that ends before it begins, a day that is none, nothing asked for: each at its field.
    has(
        t.calendar(&period("2026-12-31", "2026-12-01"), Lang::Es, now()).unwrap_err(),
        "until",
        Code::EndBeforeStart,
    );
    has(
        t.calendar(&period("2026-02-30", "2026-12-01"), Lang::Es, now()).unwrap_err(),
        "from",
        Code::InvalidDate,
    );
    let none = CalendarRequest {
        meetings: false,
        commitments: false,
        agreements: false,
        ..period("2026-12-01", "2026-12-31")
    };
    has(t.calendar(&none, Lang::Es, now()).unwrap_err(), "kinds", Code::Required);
    has(
        t.calendar(&period("2020-01-01", "2026-12-31"), Lang::Es, now()).unwrap_err(),
        "until",
        Code::OutOfRange,
    );
}

#[test]
fn an_outlook_invitation_becomes_a_meeting_with_the_people_it_names() {
    let t = store();
    let ngo = t.save_organization(org("NDI", "Instituto Nacional Demócrata")).unwrap();
    let iecm = t.save_organization(org("IECM", "Instituto Electoral de la Ciudad de México")).unwrap();
    let person = |name: &str, email: &str, org: &vinculo_core::Organization| {
        let mut c = contact(name, Some(&org.id));
        c.emails = vec![Labeled { label: "Oficina".into(), value: email.into() }];
        t.save_contact(c).unwrap()
    };
    let jane = person("Jane Doe", "JaneDoe@example.com", &ngo);
    let bob = person("Bob Smith", "bobsmith@example.com", &iecm);
    let invitation = read_invitations(&fixture("outlook-2010.ics"), Lang::Es).unwrap();
    let plan = t.import_invitations(&invitation, Lang::Es).unwrap();
    let row = &plan.rows[0];
    assert_eq!((row.action, plan.written), (RowAction::Create, 1), "{plan:#?}");
    assert_eq!(row.unknown, ["Doe, John"], "by name: no stranger's e-mail is kept");
    let m: Meeting = t.get(row.id.as_ref().unwrap()).unwrap();
    assert_eq!(
        (m.title.as_str(), m.date.as_str(), m.time.as_deref()),
        ("Team Meeting", "2013-06-10", Some("12:00"))
    );
    assert_eq!(
        (m.time_zone.as_str(), m.duration_minutes),
        ("America/New_York", Some(60)),
        "Outlook's Windows zone named"
    );
    // The review says when that is on the office's clock: 12:00 in New York (EDT) is 16:00 UTC.
    assert_eq!(row.starts_at, Some("2013-06-10T16:00:00Z".parse().unwrap()), "{row:#?}");
    assert_eq!((m.place.as_str(), m.modality), ("Auditorium 16", Modality::InPerson));
    assert_eq!(m.counterpart_attendees, std::slice::from_ref(&jane.id));
    assert_eq!(m.iecm_delegation, std::slice::from_ref(&bob.id), "the IECM's own people are its delegation");
    assert_eq!(m.organization_ids, std::slice::from_ref(&ngo.id));
    assert!(
        m.agenda.starts_with("Meeting will discuss objectives for next project.\nWill include"),
        "{}",
        m.agenda
    );
    assert!(m.agenda.ends_with("Otros invitados (sin ficha en Vínculo): Doe, John"), "{}", m.agenda);
    assert!(m.invitation_uid.starts_with("040000009200E00074C5B7101A82E008"));
    assert_eq!(m.invitation_sequence, 1);

    // Exported, it is the invitation's own event (Outlook updates the one it holds), and that
    // file imported back is the same meeting, unchanged.
    let out = t.meeting_calendar(&m.id, Lang::Es, now()).unwrap();
    assert!(out.text.contains("UID:040000009200E00074C5B7101A82E008"), "{}", out.text);
    assert!(out.text.contains("SEQUENCE:1\r\n"), "{}", out.text);
    let back = read_invitations(out.text.as_bytes(), Lang::Es).unwrap();
    assert_eq!(t.plan_invitations(&back, Lang::Es).unwrap().rows[0].action, RowAction::Unchanged);

    // The same invitation again: found by its UID, nothing written.
    let again = t.plan_invitations(&invitation, Lang::Es).unwrap();
    assert_eq!((again.rows[0].action, again.written), (RowAction::Unchanged, 0), "{again:#?}");

    // The office moved it and wrote its notes: the same invitation again undoes neither.
    let mut edited = m.clone();
    edited.talking_points = "Puntos propios".into();
    edited.time = Some("12:30".into());
    let m = t.save_meeting(WithCommitments { record: edited, commitments: vec![] }, &[]).unwrap().record;
    let again = t.import_invitations(&invitation, Lang::Es).unwrap();
    assert_eq!(again.rows[0].action, RowAction::Unchanged, "{again:#?}");
    assert_eq!(t.get::<Meeting>(&m.id).unwrap().time.as_deref(), Some("12:30"));

    // The organizer moved it in Outlook (its SEQUENCE goes up): when and where are the
    // invitation's again, the office's notes stay.
    let moved = String::from_utf8(fixture("outlook-2010.ics"))
        .unwrap()
        .replace("20130610T120000", "20130611T093000")
        .replace("SEQUENCE:1", "SEQUENCE:2");
    let plan =
        t.import_invitations(&read_invitations(moved.as_bytes(), Lang::Es).unwrap(), Lang::Es).unwrap();
    assert_eq!(plan.rows[0].action, RowAction::Merge);
    assert_eq!(plan.rows[0].fields, ["date", "durationMinutes", "invitationSequence", "time"], "{plan:#?}");
    let after: Meeting = t.get(&m.id).unwrap();
    assert_eq!(
        (after.date.as_str(), after.time.as_deref(), after.talking_points.as_str()),
        ("2013-06-11", Some("09:30"), "Puntos propios")
    );
    assert_eq!(t.list(RecordKind::Meeting).len(), 1, "no second meeting");
}

#[test]
fn invitations_as_google_and_thunderbird_write_them_and_parts_that_are_no_meeting() {
    let calendar = |events: &str| {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\nMETHOD:REQUEST\r\n{events}END:VCALENDAR\r\n"
        )
    };
    let events = [
        // Google: a time in UTC, a Meet link, a description with the link.
        "BEGIN:VEVENT\r\nDTSTART:20261210T170000Z\r\nDTEND:20261210T180000Z\r\nDTSTAMP:20261201T000000Z\r\nUID:abc123@google.com\r\nSUMMARY:Llamada con PNUD\r\nX-GOOGLE-CONFERENCE:https://meet.google.com/abc-defg-hij\r\nDESCRIPTION:Únase: https://meet.google.com/abc-defg-hij\r\nEND:VEVENT\r\n",
        // Thunderbird: a whole day, repeating weekly.
        "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261214\r\nDTEND;VALUE=DATE:20261215\r\nDTSTAMP:20261201T000000Z\r\nUID:tb-1@thunderbird\r\nRRULE:FREQ=WEEKLY;COUNT=4\r\nSUMMARY:Foro semanal\r\nLOCATION:Sala 2 del IECM\r\nEND:VEVENT\r\n",
        // An exception of that repeating event: part of it, not an event of its own.
        "BEGIN:VEVENT\r\nRECURRENCE-ID;VALUE=DATE:20261221\r\nDTSTART;VALUE=DATE:20261222\r\nDTSTAMP:20261201T000000Z\r\nUID:tb-1@thunderbird\r\nSUMMARY:Foro semanal (movido)\r\nEND:VEVENT\r\n",
        // No start: nothing to place.
        "BEGIN:VEVENT\r\nDTSTAMP:20261201T000000Z\r\nUID:nodate@x\r\nSUMMARY:Sin fecha\r\nEND:VEVENT\r\n",
        // A deadline Vínculo itself exported.
        "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261220\r\nDTSTAMP:20261201T000000Z\r\nUID:cmt_0193f5c2a1b27c3d8e9f0a1b2c3d4e5f-due@vinculo.iecm.mx\r\nSUMMARY:Vence compromiso: x\r\nEND:VEVENT\r\n",
    ];
    // The event without a start first: each event keeps its number in the file.
    let in_file = [events[3], events[0], events[1], events[2], events[4]].concat();
    let read = read_invitations(calendar(&in_file).as_bytes(), Lang::Es).unwrap();
    let skipped: Vec<(Code, serde_json::Value)> =
        read.skipped.iter().map(|v| (v.code, v.params["n"].clone())).collect();
    assert_eq!(skipped, [(Code::NoDate, serde_json::json!(1)), (Code::NotAMeeting, serde_json::json!(4))]);
    assert_eq!(read.events.iter().map(|e| e.n).collect::<Vec<_>>(), [2, 3]);
    let google = &read.events[0];
    assert_eq!(
        (google.meeting.date.as_str(), google.meeting.time.as_deref(), google.meeting.time_zone.as_str()),
        ("2026-12-10", Some("11:00"), "America/Mexico_City"),
        "17:00 UTC is 11:00 in the office"
    );
    assert_eq!(
        (google.meeting.link.as_str(), google.meeting.modality),
        ("https://meet.google.com/abc-defg-hij", Modality::Virtual)
    );
    let thunderbird = &read.events[1];
    assert_eq!(
        (thunderbird.meeting.date.as_str(), thunderbird.meeting.time.as_deref(), thunderbird.recurring),
        ("2026-12-14", None, true)
    );
    let t = store();
    let plan = t.import_invitations(&read, Lang::Es).unwrap();
    assert_eq!((plan.written, plan.skipped.len()), (2, 2));
    assert_eq!(plan.rows.iter().map(|r| r.n).collect::<Vec<_>>(), [2, 3]);
    assert!(plan.rows[1].recurring);

    // A cancellation is told as one; a file with no event, or no calendar at all, is refused.
    let cancel = calendar(events[0]).replace("METHOD:REQUEST", "METHOD:CANCEL");
    assert_eq!(read_invitations(cancel.as_bytes(), Lang::Es).unwrap().skipped[0].code, Code::Cancelled);
    has(read_invitations(calendar("").as_bytes(), Lang::Es).unwrap_err(), "file", Code::NoEvents);
    has(
        read_invitations(b"BEGIN:VCARD\r\nEND:VCARD\r\n", Lang::Es).unwrap_err(),
        "file",
        Code::MalformedFile,
    );
}

#[test]
fn a_meeting_exported_and_imported_back_is_the_same_meeting() {
    let t = store();
    let unw = t.save_organization(org("ONU Mujeres", "ONU Mujeres")).unwrap();
    let mut ana = contact("Ana López", Some(&unw.id));
    ana.emails = vec![Labeled { label: "Oficina".into(), value: "ana@unwomen.org".into() }];
    let ana = t.save_contact(ana).unwrap();
    let mut m = meeting("Reunión de seguimiento", "2026-12-15", &[&unw.id]);
    m.time = Some("16:00".into());
    m.duration_minutes = Some(45);
    m.time_zone = "America/Bogota".into();
    m.objective = "Acordar el plan".into();
    m.agenda = "1. Bienvenida\n2. Plan".into();
    m.link = "https://meet.example.org/abc".into();
    m.counterpart_attendees = vec![ana.id.clone()];
    let m = t.save_meeting(with(m, vec![]), &[]).unwrap().record;
    let file = t.meeting_calendar(&m.id, Lang::Es, now()).unwrap();
    let read = read_invitations(file.text.as_bytes(), Lang::Es).unwrap();
    let plan = t.import_invitations(&read, Lang::Es).unwrap();
    assert_eq!(
        (plan.rows[0].action, plan.rows[0].id.as_ref()),
        (RowAction::Unchanged, Some(&m.id)),
        "{plan:#?}"
    );
    let back = &read.events[0].meeting;
    assert_eq!(
        (back.time.as_deref(), back.time_zone.as_str(), back.duration_minutes),
        (Some("16:00"), "America/Bogota", Some(45))
    );
    // Edited after that export, then the old file imported again: the edit stays.
    let mut later = t.get::<Meeting>(&m.id).unwrap();
    later.time = Some("17:00".into());
    t.save_meeting(with(later, vec![]), &[]).unwrap();
    let plan = t.import_invitations(&read, Lang::Es).unwrap();
    assert_eq!(plan.rows[0].action, RowAction::Unchanged, "{plan:#?}");
    assert_eq!(plan.rows[0].time.as_deref(), Some("17:00"), "the review says the hour the meeting keeps");
    let kept = t.get::<Meeting>(&m.id).unwrap();
    assert_eq!((kept.time.as_deref(), kept.agenda.as_str()), (Some("17:00"), "1. Bienvenida\n2. Plan"));

    // On another laptop, which lacks the meeting: made from the file (its objective and agenda
    // in the agenda), and the same file again, after an edit there, undoes nothing.
    let other = store();
    other.save_organization(org("ONU Mujeres", "ONU Mujeres")).unwrap();
    let plan = other.import_invitations(&read, Lang::Es).unwrap();
    assert_eq!(plan.rows[0].action, RowAction::Create);
    let mut there = other.get::<Meeting>(&m.id).unwrap();
    assert!(there.agenda.contains("1. Bienvenida"), "{}", there.agenda);
    there.place = "Sala 3".into();
    other.save_meeting(with(there, vec![]), &[]).unwrap();
    let plan = other.import_invitations(&read, Lang::Es).unwrap();
    assert_eq!(plan.rows[0].action, RowAction::Unchanged, "{plan:#?}");
    assert_eq!(other.get::<Meeting>(&m.id).unwrap().place, "Sala 3");
}

#[test]
fn a_zone_only_the_file_defines_and_an_absurd_duration() {
    let zone = |observances: &str| {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nBEGIN:VTIMEZONE\r\nTZID:Customized Time Zone\r\n\
             {observances}END:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:z@x\r\nDTSTAMP:20261201T000000Z\r\n\
             DTSTART;TZID=\"Customized Time Zone\":20261210T120000\r\nDURATION:P500000W\r\n\
             SUMMARY:Con zona propia\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
    };
    let standard = |offset: &str, start: &str| {
        format!(
            "BEGIN:STANDARD\r\nDTSTART:{start}\r\nTZOFFSETFROM:{offset}\r\nTZOFFSETTO:{offset}\r\nEND:STANDARD\r\n"
        )
    };
    // One offset (UTC−3): 12:00 there is 09:00 in the office; a duration of 500,000 weeks is
    // cut to the longest a meeting may last.
    let read = read_invitations(zone(&standard("-0300", "19700101T000000")).as_bytes(), Lang::Es).unwrap();
    let m = &read.events[0].meeting;
    assert_eq!((m.time.as_deref(), m.time_zone.as_str()), (Some("09:00"), "America/Mexico_City"));
    assert_eq!(m.duration_minutes, Some(vinculo_core::validate::MAX_DURATION_MINUTES));
    // Two offsets (summer time) under a name no database knows: refused, naming the zone.
    let daylight = "BEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n\
                    RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\nEND:DAYLIGHT\r\n";
    let both = standard("+0100", "19701025T030000") + daylight;
    let read = read_invitations(zone(&both).as_bytes(), Lang::Es).unwrap();
    assert!(read.events.is_empty());
    assert_eq!(
        (read.skipped[0].code, read.skipped[0].params["zone"].as_str()),
        (Code::UnknownTimeZone, Some("Customized Time Zone"))
    );
}
