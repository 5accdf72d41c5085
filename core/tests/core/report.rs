//! The strategy's periodic report: its figures against a store counted by hand.

use crate::fixtures::*;
use vinculo_core::*;

fn org_with(
    s: &Store,
    acronym: &str,
    kind: OrgKind,
    relationship: RelationshipStatus,
    themes: &[Theme],
) -> Id {
    let mut o = org(acronym, &format!("Organismo {acronym}"));
    o.kind = kind;
    o.relationship = relationship;
    o.themes = themes.to_vec();
    s.save_organization(o).unwrap().id
}

#[allow(clippy::too_many_arguments)]
fn instrument(
    s: &Store,
    title: &str,
    with: &Id,
    status: AgreementStatus,
    signed: Option<&str>,
    from: Option<&str>,
    until: Option<&str>,
) -> Id {
    let mut a = agreement(title, &[with]);
    a.status = status;
    a.signed_on = signed.map(str::to_owned);
    a.valid_from = from.map(str::to_owned);
    a.valid_until = until.map(str::to_owned);
    s.save_agreement(WithCommitments { record: a, commitments: vec![] }, &[]).unwrap().record.id
}

struct Act<'a> {
    title: &'a str,
    partner: &'a Id,
    kind: ActivityKind,
    status: ActivityStatus,
    days: (&'a str, Option<&'a str>),
    themes: &'a [Theme],
    reached: (Option<u32>, Option<u32>, Option<u32>),
    participants: Vec<Participant>,
}

fn activity(s: &Store, a: Act<'_>) -> Id {
    let record = Activity {
        title: a.title.into(),
        partner_ids: vec![a.partner.clone()],
        kind: a.kind,
        status: a.status,
        starts_on: Some(a.days.0.into()),
        ends_on: a.days.1.map(str::to_owned),
        themes: a.themes.to_vec(),
        people_reached: a.reached.0,
        women_reached: a.reached.1,
        men_reached: a.reached.2,
        participants: a.participants,
        ..Activity::default()
    };
    s.save_activity(WithCommitments { record, commitments: vec![] }, &[]).unwrap().record.id
}

fn took(who: &Id, hours: Option<f64>, completed: bool) -> Participant {
    Participant { contact_id: who.clone(), hours, completed, ..Participant::default() }
}

fn year() -> ReportPeriod {
    ReportPeriod { from: "2026-01-01".into(), until: "2026-12-31".into() }
}

#[test]
fn the_report_s_figures_are_those_counted_by_hand() {
    use ActivityKind as K;
    use Theme as T;
    let s = store();
    let iecm = org_with(
        &s,
        "IECM",
        OrgKind::ElectoralOple,
        RelationshipStatus::ActiveCollaboration,
        &[T::CivicEducation],
    );
    let a = org_with(
        &s,
        "A",
        OrgKind::UnAgency,
        RelationshipStatus::ActiveCollaboration,
        &[T::GenderEquality, T::HumanRights],
    );
    let b = org_with(&s, "B", OrgKind::Ngo, RelationshipStatus::InContact, &[T::CivicEducation]);
    let c = org_with(&s, "C", OrgKind::Foundation, RelationshipStatus::Prospect, &[T::Research]);
    let d = org_with(&s, "D", OrgKind::University, RelationshipStatus::Inactive, &[T::Training]);
    let ana = s.save_contact(contact("Ana Ruiz", Some(&iecm))).unwrap().id;
    let beto = s.save_contact(contact("Beto Luna", Some(&iecm))).unwrap().id;
    let carla = s.save_contact(contact("Carla Paz", Some(&a))).unwrap().id;

    use AgreementStatus as S;
    let ag1 =
        instrument(&s, "Uno", &c, S::InForce, Some("2026-03-10"), Some("2026-03-10"), Some("2027-02-15"));
    let ag2 = instrument(&s, "Dos", &a, S::InForce, Some("2025-05-01"), None, Some("2028-01-01"));
    let ag3 = instrument(&s, "Tres", &b, S::Concluded, Some("2026-02-01"), None, None);
    instrument(&s, "Cuatro", &d, S::Negotiation, None, None, None);
    let ag5 = instrument(&s, "Cinco", &a, S::Signed, Some("2026-12-20"), Some("2027-02-01"), None);

    use ActivityStatus as St;
    let act1 = activity(
        &s,
        Act {
            title: "Taller",
            partner: &a,
            kind: K::Workshop,
            status: St::Concluded,
            days: ("2026-03-01", Some("2026-03-02")),
            themes: &[T::GenderEquality, T::Training],
            reached: (Some(40), Some(25), Some(15)),
            participants: vec![took(&ana, Some(8.0), true), took(&carla, Some(8.0), true)],
        },
    );
    let act2 = activity(
        &s,
        Act {
            title: "Foro",
            partner: &b,
            kind: K::Forum,
            status: St::Concluded,
            days: ("2026-06-10", None),
            themes: &[T::CivicEducation],
            reached: (Some(100), None, None),
            participants: vec![took(&beto, None, false)],
        },
    );
    let act3 = activity(
        &s,
        Act {
            title: "Curso",
            partner: &a,
            kind: K::Course,
            status: St::InProgress,
            days: ("2025-11-01", Some("2026-01-15")),
            themes: &[T::GenderEquality],
            reached: (None, Some(10), Some(5)),
            participants: vec![took(&ana, Some(12.5), false), took(&beto, Some(6.0), true)],
        },
    );
    activity(
        &s,
        Act {
            title: "Cancelada",
            partner: &a,
            kind: K::Research,
            status: St::Cancelled,
            days: ("2026-05-01", None),
            themes: &[T::Research],
            reached: (Some(7), None, None),
            participants: vec![],
        },
    );
    activity(
        &s,
        Act {
            title: "Después",
            partner: &d,
            kind: K::TechnicalAssistance,
            status: St::Planned,
            days: ("2027-02-01", None),
            themes: &[],
            reached: (None, None, None),
            participants: vec![took(&beto, Some(3.0), false)],
        },
    );

    let due = |text: &str, due: Option<&str>, status: CommitmentStatus, done: Option<&str>| {
        let mut c = commitment(text, due);
        c.status = status;
        c.done_on = done.map(str::to_owned);
        c
    };
    use CommitmentStatus as C;
    let m = s
        .save_meeting(
            with(
                meeting("Reunión", "2026-03-15", &[&a]),
                vec![
                    due("A tiempo", Some("2026-04-01"), C::Done, Some("2026-03-30")),
                    due("Tarde", Some("2026-05-01"), C::Done, Some("2026-05-10")),
                    due("Vencido", Some("2026-06-01"), C::Pending, None),
                    due("Al cierre", Some("2026-12-31"), C::InProgress, None),
                    due("Cancelado", Some("2026-07-01"), C::Cancelled, None),
                    due("Fuera", Some("2027-01-15"), C::Pending, None),
                    due("Sin fecha", None, C::Pending, None),
                    due("Cumplido hoy", Some("2026-08-01"), C::Done, None),
                ],
            ),
            &[],
        )
        .unwrap();
    let today = office_today(jiff::Timestamp::now()).to_string();
    let stamped = m.commitments.iter().find(|c| c.description == "Cumplido hoy").unwrap();
    assert_eq!(stamped.done_on.as_deref(), Some(today.as_str()), "marked done without a day: today");
    let kept = m.commitments.iter().find(|c| c.description == "A tiempo").unwrap();
    assert_eq!(kept.done_on.as_deref(), Some("2026-03-30"), "a day given is kept");

    let r = s.strategy_report(&year(), at("2027-01-10")).unwrap();
    assert_eq!(r.alliances, 3, "A (active, instrument, activities), B (activity), C (instrument)");
    let kinds: Vec<(OrgKind, usize)> = r.alliances_by_kind.iter().map(|t| (t.key, t.count)).collect();
    assert_eq!(kinds, [(OrgKind::UnAgency, 1), (OrgKind::Ngo, 1), (OrgKind::Foundation, 1)]);
    let themes: Vec<(Theme, usize)> = r.alliances_by_theme.iter().map(|t| (t.key, t.count)).collect();
    assert_eq!(
        themes,
        [(T::HumanRights, 1), (T::GenderEquality, 1), (T::CivicEducation, 1), (T::Research, 1)]
    );

    let ids = |items: &[AgreementItem]| items.iter().map(|a| a.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&r.signed), [ag3, ag1.clone(), ag5], "by signing day");
    assert_eq!(r.in_force, 2, "Uno and Dos; Cinco begins after the period");
    assert_eq!(ids(&r.expiring), [ag1]);
    assert_eq!(r.expiring[0].days_left, Some(46), "counted from the period's end");
    let _ = ag2;

    let acts: Vec<&Id> = r.activities.iter().map(|a| &a.item.id).collect();
    assert_eq!(acts, [&act3, &act1, &act2], "those overlapping the period, by first day");
    let reach = |list: &[Reach<ActivityKind>]| {
        list.iter().map(|r| (r.key, r.activities, r.people, r.women, r.men)).collect::<Vec<_>>()
    };
    assert_eq!(
        reach(&r.activities_by_kind),
        [(K::Workshop, 1, 40, 25, 15), (K::Course, 1, 15, 10, 5), (K::Forum, 1, 100, 0, 0)]
    );
    let by_theme: Vec<_> =
        r.activities_by_theme.iter().map(|r| (r.key, r.activities, r.people, r.women, r.men)).collect();
    assert_eq!(
        by_theme,
        [(T::GenderEquality, 2, 55, 35, 20), (T::CivicEducation, 1, 100, 0, 0), (T::Training, 1, 40, 25, 15)]
    );
    assert_eq!((r.people_reached, r.women_reached, r.men_reached), (155, 35, 20));

    let trainees: Vec<(&str, usize, f64, usize)> =
        r.trainees.iter().map(|t| (t.person.title.as_str(), t.activities, t.hours, t.completed)).collect();
    assert_eq!(trainees, [("Ana Ruiz", 2, 20.5, 1), ("Beto Luna", 1, 6.0, 1)], "the Institute's people only");
    assert_eq!(r.training_hours, 26.5);

    assert_eq!(
        r.commitments,
        CommitmentFigures { due: 5, on_time: 1, late: 2, done_undated: 0, open: 2, overdue: 2 },
        "the one due on the period's last day is overdue once it is over"
    );
    let on_the_last_day = s.strategy_report(&year(), at("2026-12-31")).unwrap().commitments;
    assert_eq!(on_the_last_day.overdue, 1, "on its due day it is not overdue yet");

    // Before the period is over, only what is past due by today is overdue.
    let midway = s.strategy_report(&year(), at("2026-05-15")).unwrap().commitments;
    assert_eq!((midway.open, midway.overdue), (2, 0));

    // A commitment opened again loses its day.
    let mut reopened = stamped.clone();
    reopened.status = C::Pending;
    assert_eq!(s.save_commitment(reopened).unwrap().done_on, None);
}

#[test]
fn a_report_period_must_be_real_days_in_order_and_at_most_five_years() {
    let s = store();
    let period = |from: &str, until: &str| ReportPeriod { from: from.into(), until: until.into() };
    has(
        s.strategy_report(&period("2026-13-01", "2026-12-31"), at("2026-11-24")).unwrap_err(),
        "from",
        Code::InvalidDate,
    );
    has(
        s.strategy_report(&period("2026-12-31", "2026-01-01"), at("2026-11-24")).unwrap_err(),
        "until",
        Code::EndBeforeStart,
    );
    has(
        s.strategy_report(&period("2020-01-01", "2026-12-31"), at("2026-11-24")).unwrap_err(),
        "until",
        Code::PeriodTooLong,
    );
    has(s.strategy_report(&period(" ", "2026-12-31"), at("2026-11-24")).unwrap_err(), "from", Code::Required);
    let empty = s.strategy_report(&period("2026-10-01", "2026-12-31"), at("2026-11-24")).unwrap();
    assert_eq!((empty.alliances, empty.activities.len(), empty.commitments.due), (0, 0, 0));
}

#[test]
fn the_report_as_a_note_says_the_figures_in_sections_with_charts() {
    let s = store();
    s.load_sample(at("2026-11-24")).unwrap();
    let period = ReportPeriod { from: "2026-01-01".into(), until: "2026-12-31".into() };
    let figures = s.strategy_report(&period, at("2026-11-24")).unwrap();
    assert_eq!(figures.activities.len(), 5, "the sample's five activities fall in 2026");
    let note = s.report_note(&period, at("2026-11-24"), &crate::briefing::es()).unwrap();
    assert_eq!(
        crate::briefing::headings(&note),
        [
            "1. Resumen",
            "2. Alianzas",
            "3. Instrumentos jurídicos",
            "4. Actividades conjuntas",
            "5. Formación del personal",
            "6. Compromisos"
        ]
    );
    assert_eq!(note.file_name, "2026-01-01_2026-12-31_informe-estrategia.pdf");
    assert_eq!(note.furniture.subject, "1 ene 2026 – 31 dic 2026");
    let charts = note.blocks.iter().filter(|b| matches!(b, briefing::Block::Bars(_))).count();
    assert_eq!(charts, 4, "alliances by kind and by theme, activities by kind, commitments");
    let text = crate::briefing::text_of(&note);
    let c = figures.commitments;
    for expected in [
        format!("Alianzas: {}", figures.alliances),
        format!("Personas alcanzadas: {} (", figures.people_reached),
        "Taller: 1".to_owned(),
        "Formación del personal: 2 personas del IECM, 32 h".to_owned(),
        format!("Cumplidos a tiempo: {}", c.on_time),
        format!("Abiertos: {} ({} vencidos)", c.open, c.overdue),
        "Laura Méndez Ortiz".to_owned(),
    ] {
        assert!(text.contains(&expected), "{expected:?} missing from:\n{text}");
    }
    let pdf = briefing::render(&note).unwrap();
    assert!(pdf.pages >= 2);
}

#[test]
fn the_report_as_a_workbook_holds_the_same_figures_as_numbers() {
    use vinculo_core::table::{Cell, Workbook};
    let s = store();
    s.load_sample(at("2026-11-24")).unwrap();
    let period = ReportPeriod { from: "2026-01-01".into(), until: "2026-12-31".into() };
    let figures = s.strategy_report(&period, at("2026-11-24")).unwrap();
    let bytes = s.report_workbook(&period, at("2026-11-24"), briefing::Lang::Es).unwrap();
    assert_eq!(period.file_name(briefing::Lang::Es, "xlsx"), "2026-01-01_2026-12-31_informe-estrategia.xlsx");
    let book = Workbook::read(&bytes).unwrap();
    let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Resumen",
            "Alianzas",
            "Instrumentos jurídicos",
            "Actividades del periodo",
            "Actividades por tipo",
            "Actividades por tema",
            "Formación del personal",
            "Compromisos"
        ]
    );
    let value = |sheet: usize, label: &str| -> Cell {
        let row =
            book.sheets[sheet].rows.iter().find(|r| r.first() == Some(&Cell::Text(label.into()))).unwrap();
        row[1].clone()
    };
    assert_eq!(value(0, "Alianzas"), Cell::Number(figures.alliances as f64));
    assert_eq!(value(0, "Personas alcanzadas"), Cell::Number(figures.people_reached as f64));
    assert_eq!(value(0, "Horas"), Cell::Number(figures.training_hours));
    assert_eq!(value(0, "Periodo"), Cell::Date("2026-01-01".parse().unwrap()));
    assert_eq!(value(7, "Abiertos"), Cell::Number(figures.commitments.open as f64));
    assert_eq!(book.sheets[3].rows.len(), 1 + figures.activities.len(), "a header and a row per activity");
    assert_eq!(value(4, "Taller"), Cell::Number(1.0));
    assert_eq!(value(6, "Laura Méndez Ortiz"), Cell::Number(2.0));
}
