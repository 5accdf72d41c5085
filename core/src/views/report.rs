//! The figures of the periodic report on the cooperation strategy (*informe trimestral / anual
//! de la Estrategia*) to the Comisión de Vinculación con Organismos Externos, for a period of
//! office days (`docs/strategy-report.md`). The PDF (`briefing/report.rs`) and the workbook (`exchange/report.rs`) show
//! these figures and nothing else, so the two always agree.
//!
//! What counts, and when:
//! - an **alliance** is an organization other than the Institute with an active collaboration,
//!   an instrument in force at the period's end, or an activity in the period;
//! - an instrument is **signed** in the period by its signing date; **in force** at the
//!   period's end when signed or in force, begun (or with no start) and not ended by then;
//!   **expiring** when, in force at the end, its end falls within its notice window from then;
//! - an **activity** is in the period when its days overlap it, and it was not cancelled;
//! - the **staff trained** are the Institute's people (their organization is the IECM) taking
//!   part in an activity of the period that is a course or a workshop or records their hours;
//! - a **commitment** counts when due in the period (cancelled ones aside): fulfilled on time
//!   (done on or before its due day), late (done after it), done without a recorded day, or
//!   still open; an open one is overdue when its due day is past at the period's end (or
//!   today, for a period not over yet).
//!
//! Statuses are as they stand when the report is made: a past quarter's commitment fulfilled
//! after the quarter counts as fulfilled late, not as open.

use super::{
    ActivityItem, AgreementItem, activity_item, agreement_item, days_between, sort_activities_soonest,
};
use crate::clock::office_today;
use crate::error::{Code, Error, Result, Violation};
use crate::index::catalog::{Catalog, Detail};
use crate::index::key::Slot;
use crate::model::{
    Activity, ActivityKind, ActivityStatus, Commitment, CommitmentStatus, Id, OrgKind, Organization,
    RecordKind, RecordRef, Theme,
};
use crate::store::Store;
use crate::text::{fold, is_the_iecm};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The longest period a report covers, in years…
pub const MAX_REPORT_YEARS: i32 = 5;
/// …and in days.
pub const MAX_REPORT_DAYS: i32 = MAX_REPORT_YEARS * 366;

/// The office days a report covers, both included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportPeriod {
    pub from: String,
    pub until: String,
}

impl ReportPeriod {
    /// The report's file name: `AAAA-MM-DD_AAAA-MM-DD_informe-estrategia.<extension>`.
    pub fn file_name(&self, lang: crate::labels::Lang, extension: &str) -> String {
        format!("{}_{}_{}.{extension}", self.from, self.until, lang.t("reportFileWord"))
    }

    /// The period's days, or the violations of `from` and `until`.
    pub fn days(&self) -> Result<(Date, Date)> {
        let parse = |field: &str, value: &str| match value.trim() {
            "" => Err(Violation::new(field, Code::Required)),
            day => crate::validate::parse_date(day).ok_or_else(|| Violation::new(field, Code::InvalidDate)),
        };
        let (from, until) = match (parse("from", &self.from), parse("until", &self.until)) {
            (Ok(from), Ok(until)) => (from, until),
            (from, until) => {
                return Err(Error::Invalid([from.err(), until.err()].into_iter().flatten().collect()));
            }
        };
        if until < from {
            return Err(Error::invalid("until", Code::EndBeforeStart));
        }
        if days_between(from, until) >= MAX_REPORT_DAYS {
            let v = Violation::new("until", Code::PeriodTooLong).with("maxYears", MAX_REPORT_YEARS);
            return Err(Error::Invalid(vec![v]));
        }
        Ok((from, until))
    }
}

/// How many there are of one value of an enum (a kind, a theme).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Tally<K> {
    pub key: K,
    pub count: usize,
}

/// Activities of one kind or theme, with the people they reached.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reach<K> {
    pub key: K,
    pub activities: usize,
    pub people: u64,
    pub women: u64,
    pub men: u64,
}

/// One of the Institute's people and the training they took in the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Trainee {
    pub person: RecordRef,
    pub activities: usize,
    pub hours: f64,
    pub completed: usize,
}

/// An activity of the period with what it reached.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityRow {
    #[serde(flatten)]
    pub item: ActivityItem,
    pub themes: Vec<Theme>,
    pub people: Option<u32>,
    pub women: Option<u32>,
    pub men: Option<u32>,
}

/// The commitments due in the period, by how they stand.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CommitmentFigures {
    pub due: usize,
    pub on_time: usize,
    pub late: usize,
    /// Done, without the day it was done (marked done before Vínculo kept it).
    pub done_undated: usize,
    pub open: usize,
    /// Of the open ones, those past their due day at the period's end (today, when it is not
    /// over).
    pub overdue: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StrategyReport {
    pub period: ReportPeriod,
    pub alliances: usize,
    pub alliances_by_kind: Vec<Tally<OrgKind>>,
    pub alliances_by_theme: Vec<Tally<Theme>>,
    /// Signed in the period, by signing day.
    pub signed: Vec<AgreementItem>,
    pub in_force: usize,
    /// In force at the end and within their notice window then, the soonest to end first.
    pub expiring: Vec<AgreementItem>,
    /// The period's activities, by first day.
    pub activities: Vec<ActivityRow>,
    pub activities_by_kind: Vec<Reach<ActivityKind>>,
    pub activities_by_theme: Vec<Reach<Theme>>,
    pub people_reached: u64,
    pub women_reached: u64,
    pub men_reached: u64,
    /// By name.
    pub trainees: Vec<Trainee>,
    pub training_hours: f64,
    pub commitments: CommitmentFigures,
}

impl Store {
    /// The figures of the strategy's report for `period`, as of `now` (a commitment is overdue
    /// when past due at the period's end, or today for a period not over yet).
    pub fn strategy_report(&self, period: &ReportPeriod, now: Timestamp) -> Result<StrategyReport> {
        let (from, until) = period.days()?;
        // Overdue: due before the day after the period (or before today, if that is sooner).
        let cutoff = until.tomorrow().unwrap_or(until).min(office_today(now));
        // What the catalog alone tells, then the few records it does not summarize enough.
        let picked = self.with_catalog(|catalog| Picked::of(catalog, from, until, cutoff));
        let mut activities: Vec<(ActivityRow, Activity)> = Vec::with_capacity(picked.activities.len());
        for item in picked.activities {
            let a: Activity = self.get(&item.id)?;
            let row = ActivityRow {
                item,
                themes: a.themes.clone(),
                people: a.reached(),
                women: a.women_reached,
                men: a.men_reached,
            };
            activities.push((row, a));
        }
        let mut alliances_by_theme: BTreeMap<Theme, usize> = BTreeMap::new();
        for id in &picked.alliances {
            let o: Organization = self.get(id)?;
            for theme in o.themes {
                *alliances_by_theme.entry(theme).or_default() += 1;
            }
        }
        let mut commitments = picked.commitments;
        for id in &picked.done {
            let c: Commitment = self.get(id)?;
            match (c.done_date(), c.due_date()) {
                (Some(done), Some(due)) if done <= due => commitments.on_time += 1,
                (Some(_), _) => commitments.late += 1,
                (None, _) => commitments.done_undated += 1,
            }
        }

        let mut by_kind: BTreeMap<usize, Reach<ActivityKind>> = BTreeMap::new();
        let mut by_theme: BTreeMap<Theme, Reach<Theme>> = BTreeMap::new();
        let mut trainees: HashMap<Id, Trainee> = HashMap::new();
        for (row, a) in &activities {
            by_kind.entry(a.kind as usize).or_insert_with(|| Reach::new(a.kind)).add(row);
            for theme in &a.themes {
                by_theme.entry(*theme).or_insert_with(|| Reach::new(*theme)).add(row);
            }
            for p in &a.participants {
                let Some(person) = picked.staff.get(&p.contact_id) else { continue };
                if !(a.kind.is_training() || p.hours.is_some()) {
                    continue;
                }
                let t = trainees.entry(p.contact_id.clone()).or_insert_with(|| Trainee {
                    person: person.clone(),
                    activities: 0,
                    hours: 0.0,
                    completed: 0,
                });
                t.activities += 1;
                t.hours += p.hours.unwrap_or(0.0);
                t.completed += usize::from(p.completed);
            }
        }
        let mut trainees: Vec<Trainee> = trainees.into_values().collect();
        trainees.sort_by_cached_key(|t| (fold(&t.person.title), t.person.id.clone()));
        let sum = |f: fn(&ActivityRow) -> Option<u32>| {
            activities.iter().map(|(r, _)| u64::from(f(r).unwrap_or(0))).sum()
        };
        Ok(StrategyReport {
            period: ReportPeriod { from: from.to_string(), until: until.to_string() },
            alliances: picked.alliances.len(),
            alliances_by_kind: tallies(picked.alliance_kinds, &OrgKind::ALL),
            alliances_by_theme: alliances_by_theme
                .into_iter()
                .map(|(key, count)| Tally { key, count })
                .collect(),
            signed: picked.signed,
            in_force: picked.in_force,
            expiring: picked.expiring,
            people_reached: sum(|r| r.people),
            women_reached: sum(|r| r.women),
            men_reached: sum(|r| r.men),
            activities: activities.into_iter().map(|(row, _)| row).collect(),
            activities_by_kind: by_kind.into_values().collect(),
            activities_by_theme: by_theme.into_values().collect(),
            training_hours: trainees.iter().map(|t| t.hours).sum(),
            trainees,
            commitments,
        })
    }
}

impl<K> Reach<K> {
    fn new(key: K) -> Reach<K> {
        Reach { key, activities: 0, people: 0, women: 0, men: 0 }
    }

    fn add(&mut self, row: &ActivityRow) {
        self.activities += 1;
        self.people += u64::from(row.people.unwrap_or(0));
        self.women += u64::from(row.women.unwrap_or(0));
        self.men += u64::from(row.men.unwrap_or(0));
    }
}

/// The values counted in `counts` (by declaration order), those with none left out.
fn tallies<K: Copy>(counts: BTreeMap<usize, usize>, all: &[K]) -> Vec<Tally<K>> {
    counts.into_iter().map(|(i, count)| Tally { key: all[i], count }).collect()
}

/// What the catalog tells about the period, and which records must be read for the rest.
struct Picked {
    alliances: Vec<Id>,
    alliance_kinds: BTreeMap<usize, usize>,
    signed: Vec<AgreementItem>,
    in_force: usize,
    expiring: Vec<AgreementItem>,
    activities: Vec<ActivityItem>,
    /// The Institute's people, by id.
    staff: HashMap<Id, RecordRef>,
    commitments: CommitmentFigures,
    /// Commitments due in the period and done: whether on time needs their records.
    done: Vec<Id>,
}

impl Picked {
    fn of(catalog: &Catalog, from: Date, until: Date, cutoff: Date) -> Picked {
        let iecm: HashSet<Slot> = catalog
            .of_kind(RecordKind::Organization)
            .filter(|o| matches!(o.detail, Detail::Organization { acronym, .. } if is_the_iecm([o.text(acronym)])))
            .map(|o| o.slot)
            .collect();
        let mut partners: HashSet<Slot> = HashSet::new();

        let mut signed = Vec::new();
        let mut in_force = 0;
        let mut expiring = Vec::new();
        for a in catalog.of_kind(RecordKind::Agreement) {
            let Detail::Agreement { status, signed: signed_on, valid_from, valid_until, .. } = a.detail
            else {
                continue;
            };
            if let Some(day) = signed_on.filter(|d| (from..=until).contains(d)) {
                signed.extend(agreement_item(catalog, &a, until).map(|item| (day, item)));
            }
            let live = status.is_live()
                && valid_from.is_none_or(|d| d <= until)
                && valid_until.is_none_or(|d| d >= until);
            if live {
                in_force += 1;
                partners.extend(a.organizations());
                // Expiring as the instrument's own line says, at the period's end.
                expiring.extend(agreement_item(catalog, &a, until).filter(|item| item.expiring));
            }
        }
        signed.sort_by_cached_key(|(day, a)| (*day, fold(&a.title)));
        let signed: Vec<AgreementItem> = signed.into_iter().map(|(_, item)| item).collect();
        expiring.sort_by_key(|a| (a.days_left, a.title.clone()));

        let mut activities: Vec<ActivityItem> = Vec::new();
        for a in catalog.of_kind(RecordKind::Activity) {
            let Detail::Activity { status, starts: Some(start), ends, .. } = a.detail else { continue };
            if status != ActivityStatus::Cancelled && start <= until && ends.unwrap_or(start) >= from {
                partners.extend(a.organizations());
                activities.extend(activity_item(catalog, &a));
            }
        }
        sort_activities_soonest(&mut activities);

        let mut alliances = Vec::new();
        let mut alliance_kinds: BTreeMap<usize, usize> = BTreeMap::new();
        for o in catalog.of_kind(RecordKind::Organization) {
            let Detail::Organization { kind, relationship, .. } = o.detail else { continue };
            let active = relationship == crate::model::RelationshipStatus::ActiveCollaboration;
            if !iecm.contains(&o.slot) && (active || partners.contains(&o.slot)) {
                alliances.push(o.id());
                *alliance_kinds.entry(kind as usize).or_default() += 1;
            }
        }

        let staff: HashMap<Id, RecordRef> = iecm
            .iter()
            .flat_map(|&org| catalog.referrers(org))
            .filter(|p| p.organization().is_some_and(|o| iecm.contains(&o)))
            .map(|p| (p.id(), p.to_ref()))
            .collect();

        let mut commitments = CommitmentFigures::default();
        let mut done = Vec::new();
        for c in catalog.of_kind(RecordKind::Commitment) {
            let Detail::Commitment { due: Some(due), status, .. } = c.detail else { continue };
            if !(from..=until).contains(&due) || status == CommitmentStatus::Cancelled {
                continue;
            }
            commitments.due += 1;
            if status == CommitmentStatus::Done {
                done.push(c.id());
            } else {
                commitments.open += 1;
                commitments.overdue += usize::from(due < cutoff);
            }
        }
        Picked { alliances, alliance_kinds, signed, in_force, expiring, activities, staff, commitments, done }
    }
}
