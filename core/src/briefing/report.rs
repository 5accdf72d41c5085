//! The strategy's periodic report as a note: the figures of `views/report.rs` in sections, with
//! bar charts where a reader compares (alliances, activities, commitments).

use super::layout::{Bar, Bars, Block, Cell, Paper};
use super::note::{Builder, Note, count, fields, furniture};
use super::titular::format_hours;
use crate::error::Result;
use crate::labels::Lang;
use crate::settings::Settings;
use crate::store::Store;
use crate::views::{AgreementItem, ReportPeriod, StrategyReport};
use jiff::Timestamp;
use serde::Serialize;

impl Store {
    /// The report on the strategy for `period`, with the data as of `now`.
    pub fn report_note(&self, period: &ReportPeriod, now: Timestamp, settings: &Settings) -> Result<Note> {
        let report = self.strategy_report(period, now)?;
        let lang = settings.lang();
        let mut b = Builder::new(self, settings, now);
        let when = period_words(lang, &report.period);
        let summary = b.summary(&report, &when);
        b.section("report.summary", summary);
        let alliances = b.alliances(&report);
        b.section("report.alliances", alliances);
        let instruments = b.instruments(&report);
        b.section("section.agreements", instruments);
        let activities = b.report_activities(&report);
        b.section("section.activities", activities);
        let training = b.training(&report);
        b.section("report.training", training);
        let commitments = b.report_commitments(&report);
        b.section("report.commitments", commitments);
        Ok(Note {
            blocks: b.blocks,
            furniture: furniture(settings, lang, "title.report", &when, now),
            paper: Paper::from_setting(&settings.paper),
            file_name: report.period.file_name(lang, "pdf"),
            taken_at: now,
        })
    }
}

/// "1 ene 2026 – 31 dic 2026".
fn period_words(lang: Lang, period: &ReportPeriod) -> String {
    lang.date_range(Some(&period.from), Some(&period.until))
}

impl Builder<'_> {
    fn bars<K: Serialize>(&self, group: &str, rows: impl IntoIterator<Item = (K, u64)>) -> Block {
        Block::Bars(Bars {
            rows: rows
                .into_iter()
                .map(|(key, n)| Bar {
                    label: self.lang.label(group, &key).to_owned(),
                    value: n as f64,
                    shown: count(n),
                })
                .collect(),
        })
    }

    fn summary(&self, r: &StrategyReport, when: &str) -> Vec<Block> {
        let c = &r.commitments;
        let trained = self.phrase(
            "report.trainedLine",
            &[("n", count(r.trainees.len() as u64)), ("hours", format_hours(r.training_hours))],
        );
        let commitments = self.phrase(
            "report.commitmentsLine",
            &[
                ("due", count(c.due as u64)),
                ("onTime", count(c.on_time as u64)),
                ("late", count(c.late as u64)),
                ("open", count(c.open as u64)),
                ("overdue", count(c.overdue as u64)),
            ],
        );
        fields(vec![
            (self.t("report.period"), when.to_owned()),
            (self.t("report.alliances"), count(r.alliances as u64)),
            (self.t("report.signed"), count(r.signed.len() as u64)),
            (self.t("report.inForce"), count(r.in_force as u64)),
            (self.t("report.expiring"), count(r.expiring.len() as u64)),
            (self.t("report.activities"), count(r.activities.len() as u64)),
            (
                self.t("report.reached"),
                format!("{}{}", count(r.people_reached), self.split(r.women_reached, r.men_reached)),
            ),
            (self.t("report.training"), trained),
            (self.t("report.commitments"), commitments),
        ])
    }

    fn alliances(&self, r: &StrategyReport) -> Vec<Block> {
        if r.alliances == 0 {
            return Vec::new();
        }
        vec![
            Block::Paragraph(self.t("report.alliancesNote").to_owned()),
            Block::Subheading(self.t("report.byKind").to_owned()),
            self.bars("orgKind", r.alliances_by_kind.iter().map(|t| (t.key, t.count as u64))),
            Block::Subheading(self.t("report.byTheme").to_owned()),
            self.bars("theme", r.alliances_by_theme.iter().map(|t| (t.key, t.count as u64))),
        ]
    }

    fn agreement_table(&self, items: &[AgreementItem]) -> Vec<Block> {
        let l = self.lang;
        let rows = items
            .iter()
            .map(|a| {
                let head = [l.label("agreementKind", &a.kind), a.folio.as_str()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" · ");
                let partners: Vec<&str> = a.counterparts.iter().map(|c| c.title.as_str()).collect();
                let until = a.valid_until.as_deref().map(|d| format!("{} {}", self.t("until"), l.date(d)));
                vec![
                    Cell::with_note(a.title.clone(), head),
                    partners.join(", ").into(),
                    l.label("agreementStatus", &a.status).into(),
                    until.unwrap_or_default().into(),
                ]
            })
            .collect();
        let columns = [
            ("col.agreement", 0.46),
            ("col.organization", 0.22),
            ("col.status", 0.14),
            ("col.validity", 0.18),
        ];
        self.table(&columns, rows)
    }

    fn instruments(&self, r: &StrategyReport) -> Vec<Block> {
        let mut out = Vec::new();
        if !r.signed.is_empty() {
            out.push(Block::Subheading(self.t("report.signed").to_owned()));
            out.extend(self.agreement_table(&r.signed));
        }
        if !r.expiring.is_empty() {
            out.push(Block::Subheading(self.t("report.expiring").to_owned()));
            out.extend(self.agreement_table(&r.expiring));
        }
        if !out.is_empty() || r.in_force > 0 {
            let line = self.phrase("report.inForceLine", &[("n", count(r.in_force as u64))]);
            out.insert(0, Block::Paragraph(line));
        }
        out
    }

    fn report_activities(&self, r: &StrategyReport) -> Vec<Block> {
        if r.activities.is_empty() {
            return Vec::new();
        }
        let l = self.lang;
        let reach_columns = |first: &'static str| {
            [
                (first, 0.4),
                ("report.activitiesCol", 0.16),
                ("report.peopleCol", 0.16),
                ("report.womenCol", 0.14),
                ("report.menCol", 0.14),
            ]
        };
        let reach_row = |label: &str, activities: usize, people: u64, women: u64, men: u64| {
            vec![
                Cell::from(label),
                count(activities as u64).into(),
                count(people).into(),
                count(women).into(),
                count(men).into(),
            ]
        };
        let mut kind_rows: Vec<Vec<Cell>> = r
            .activities_by_kind
            .iter()
            .map(|k| reach_row(l.label("activityKind", &k.key), k.activities, k.people, k.women, k.men))
            .collect();
        kind_rows.push(reach_row(
            self.t("report.total"),
            r.activities.len(),
            r.people_reached,
            r.women_reached,
            r.men_reached,
        ));
        let theme_rows = r
            .activities_by_theme
            .iter()
            .map(|t| reach_row(l.label("theme", &t.key), t.activities, t.people, t.women, t.men))
            .collect();
        let list = r
            .activities
            .iter()
            .map(|a| {
                let dates = l.date_range(a.item.starts_on.as_deref(), a.item.ends_on.as_deref());
                let partners: Vec<&str> = a.item.partners.iter().map(|p| p.title.as_str()).collect();
                vec![
                    Cell::with_note(a.item.title.clone(), l.label("activityKind", &a.item.kind)),
                    partners.join(", ").into(),
                    dates.into(),
                    l.label("activityStatus", &a.item.status).into(),
                    a.people.map(count).unwrap_or_default().into(),
                ]
            })
            .collect();
        let list_columns = [
            ("col.activity", 0.36),
            ("col.organization", 0.18),
            ("col.dates", 0.2),
            ("col.status", 0.13),
            ("report.peopleCol", 0.13),
        ];
        let mut out = vec![
            Block::Subheading(self.t("report.byKind").to_owned()),
            self.bars("activityKind", r.activities_by_kind.iter().map(|k| (k.key, k.activities as u64))),
        ];
        out.extend(self.table(&reach_columns("col.kind"), kind_rows));
        out.push(Block::Subheading(self.t("report.byTheme").to_owned()));
        out.extend(self.table(&reach_columns("f.themes"), theme_rows));
        out.push(Block::Subheading(self.t("report.activityList").to_owned()));
        out.extend(self.table(&list_columns, list));
        out
    }

    fn training(&self, r: &StrategyReport) -> Vec<Block> {
        if r.trainees.is_empty() {
            return Vec::new();
        }
        let mut rows: Vec<Vec<Cell>> = r
            .trainees
            .iter()
            .map(|t| {
                vec![
                    Cell::from(t.person.title.clone()),
                    count(t.activities as u64).into(),
                    format_hours(t.hours).into(),
                    count(t.completed as u64).into(),
                ]
            })
            .collect();
        rows.push(vec![
            Cell::from(self.t("report.total")),
            count(r.trainees.iter().map(|t| t.activities as u64).sum::<u64>()).into(),
            format_hours(r.training_hours).into(),
            count(r.trainees.iter().map(|t| t.completed as u64).sum::<u64>()).into(),
        ]);
        let columns = [
            ("col.name", 0.46),
            ("report.activitiesCol", 0.18),
            ("report.hoursCol", 0.18),
            ("report.completedCol", 0.18),
        ];
        self.table(&columns, rows)
    }

    fn report_commitments(&self, r: &StrategyReport) -> Vec<Block> {
        let c = &r.commitments;
        if c.due == 0 {
            return Vec::new();
        }
        let mut rows = vec![
            Bar {
                label: self.t("report.onTime").to_owned(),
                value: c.on_time as f64,
                shown: count(c.on_time as u64),
            },
            Bar {
                label: self.t("report.late").to_owned(),
                value: c.late as f64,
                shown: count(c.late as u64),
            },
        ];
        if c.done_undated > 0 {
            let n = c.done_undated as u64;
            rows.push(Bar {
                label: self.t("report.doneUndated").to_owned(),
                value: n as f64,
                shown: count(n),
            });
        }
        rows.push(Bar {
            label: self.t("report.open").to_owned(),
            value: c.open as f64,
            shown: self.phrase(
                "report.openShown",
                &[("n", count(c.open as u64)), ("overdue", count(c.overdue as u64))],
            ),
        });
        vec![
            Block::Paragraph(self.phrase("report.dueLine", &[("n", count(c.due as u64))])),
            Block::Bars(Bars { rows }),
        ]
    }
}
