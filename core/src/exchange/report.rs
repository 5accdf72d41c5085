//! The strategy's periodic report as an Excel workbook: the figures of `views/report.rs`, a
//! sheet per section, numbers as numbers and days as days, for the office to chart or paste
//! into its own reports. The PDF (`briefing/report.rs`) shows the same figures.

use crate::error::{Error, Result};
use crate::labels::Lang;
use crate::store::Store;
use crate::views::{AgreementItem, Reach, ReportPeriod, StrategyReport};
use jiff::Timestamp;
use jiff::civil::Date;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use serde::{Deserialize, Serialize};

/// A report's file: a PDF (the note) or an Excel workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ReportFormat {
    Pdf,
    Xlsx,
}

/// How many sheets the workbook has.
pub const SHEETS: usize = 8;

impl Store {
    /// The report on the strategy for `period` as `.xlsx` bytes, as of `now`.
    pub fn report_workbook(&self, period: &ReportPeriod, now: Timestamp, lang: Lang) -> Result<Vec<u8>> {
        let report = self.strategy_report(period, now)?;
        workbook(&report, lang).map_err(|e| Error::Render { detail: e.to_string() })
    }
}

/// A sheet being written, row by row.
struct Sheet<'a> {
    sheet: &'a mut Worksheet,
    row: u32,
    bold: Format,
    day: Format,
    lang: Lang,
}

/// A cell's value.
enum V<'s> {
    Text(&'s str),
    Number(f64),
    Day(Option<&'s str>),
}

impl Sheet<'_> {
    fn header(&mut self, keys: &[&str]) -> Result<(), XlsxError> {
        for (c, key) in keys.iter().enumerate() {
            self.sheet.write_string_with_format(self.row, c as u16, self.lang.t(key), &self.bold)?;
            self.sheet.set_column_width(c as u16, if c == 0 { 48 } else { 18 })?;
        }
        self.row += 1;
        Ok(())
    }

    fn line(&mut self, values: &[V<'_>]) -> Result<(), XlsxError> {
        for (c, v) in values.iter().enumerate() {
            let c = c as u16;
            match v {
                V::Text(s) => drop(self.sheet.write_string(self.row, c, *s)?),
                V::Number(n) => drop(self.sheet.write_number(self.row, c, *n)?),
                V::Day(Some(d)) => match d.parse::<Date>().ok().and_then(|d| {
                    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).ok()
                }) {
                    Some(day) => drop(self.sheet.write_datetime_with_format(self.row, c, day, &self.day)?),
                    None => drop(self.sheet.write_string(self.row, c, *d)?),
                },
                V::Day(None) => {}
            }
        }
        self.row += 1;
        Ok(())
    }

    /// A title over a table, with a blank row before it unless it is the first.
    fn title(&mut self, key: &str) -> Result<(), XlsxError> {
        if self.row > 0 {
            self.row += 1;
        }
        self.sheet.write_string_with_format(self.row, 0, self.lang.t(key), &self.bold)?;
        self.row += 1;
        Ok(())
    }

    fn reach<K: Serialize>(&mut self, group: &str, rows: &[Reach<K>]) -> Result<(), XlsxError> {
        for r in rows {
            let label = self.lang.label(group, &r.key);
            self.line(&[
                V::Text(label),
                V::Number(r.activities as f64),
                V::Number(r.people as f64),
                V::Number(r.women as f64),
                V::Number(r.men as f64),
            ])?;
        }
        Ok(())
    }

    fn agreements(&mut self, items: &[AgreementItem]) -> Result<(), XlsxError> {
        self.header(&[
            "col.agreement",
            "col.kind",
            "f.folio",
            "col.organization",
            "col.status",
            "col.validity",
        ])?;
        for a in items {
            let partners: Vec<&str> = a.counterparts.iter().map(|c| c.title.as_str()).collect();
            let (kind, status) =
                (self.lang.label("agreementKind", &a.kind), self.lang.label("agreementStatus", &a.status));
            self.line(&[
                V::Text(&a.title),
                V::Text(kind),
                V::Text(&a.folio),
                V::Text(&partners.join(", ")),
                V::Text(status),
                V::Day(a.valid_until.as_deref()),
            ])?;
        }
        Ok(())
    }
}

/// The `i`th sheet of `book`, to write from its first row.
fn sheet_at(book: &mut Workbook, i: usize, lang: Lang) -> Result<Sheet<'_>, XlsxError> {
    let bold = Format::new().set_bold();
    let day = Format::new().set_num_format("dd/mm/yyyy");
    Ok(Sheet { sheet: book.worksheet_from_index(i)?, row: 0, bold, day, lang })
}

fn workbook(r: &StrategyReport, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let names: [&str; SHEETS] = [
        "report.summary",
        "report.alliances",
        "section.agreements",
        "report.activityList",
        "report.activitiesByKind",
        "report.activitiesByTheme",
        "report.training",
        "report.commitments",
    ];
    for key in names {
        book.add_worksheet().set_name(lang.t(key))?;
    }
    let c = &r.commitments;

    let mut s = sheet_at(&mut book, 0, lang)?;
    s.header(&["report.summary", "report.total"])?;
    let n = |x: usize| V::Number(x as f64);
    s.line(&[V::Text(lang.t("report.period")), V::Day(Some(&r.period.from)), V::Day(Some(&r.period.until))])?;
    for (key, value) in [
        ("report.alliances", n(r.alliances)),
        ("report.signed", n(r.signed.len())),
        ("report.inForce", n(r.in_force)),
        ("report.expiring", n(r.expiring.len())),
        ("report.activities", n(r.activities.len())),
        ("report.reached", V::Number(r.people_reached as f64)),
        ("report.womenCol", V::Number(r.women_reached as f64)),
        ("report.menCol", V::Number(r.men_reached as f64)),
        ("report.training", n(r.trainees.len())),
        ("report.hoursCol", V::Number(r.training_hours)),
        ("report.dueColumn", n(c.due)),
        ("report.onTime", n(c.on_time)),
        ("report.late", n(c.late)),
        ("report.doneUndated", n(c.done_undated)),
        ("report.open", n(c.open)),
        ("report.overdueColumn", n(c.overdue)),
    ] {
        s.line(&[V::Text(lang.t(key)), value])?;
    }

    let mut s = sheet_at(&mut book, 1, lang)?;
    s.title("report.byKind")?;
    s.header(&["col.kind", "report.total"])?;
    for t in &r.alliances_by_kind {
        s.line(&[V::Text(lang.label("orgKind", &t.key)), n(t.count)])?;
    }
    s.title("report.byTheme")?;
    s.header(&["f.themes", "report.total"])?;
    for t in &r.alliances_by_theme {
        s.line(&[V::Text(lang.label("theme", &t.key)), n(t.count)])?;
    }

    let mut s = sheet_at(&mut book, 2, lang)?;
    s.title("report.signed")?;
    s.agreements(&r.signed)?;
    s.title("report.expiring")?;
    s.agreements(&r.expiring)?;

    let mut s = sheet_at(&mut book, 3, lang)?;
    s.header(&[
        "col.activity",
        "col.kind",
        "col.organization",
        "f.startsOn",
        "f.endsOn",
        "col.status",
        "f.themes",
        "report.peopleCol",
        "report.womenCol",
        "report.menCol",
    ])?;
    for a in &r.activities {
        let partners: Vec<&str> = a.item.partners.iter().map(|p| p.title.as_str()).collect();
        let themes: Vec<&str> = a.themes.iter().map(|t| lang.label("theme", t)).collect();
        let number = |x: Option<u32>| x.map_or(V::Text(""), |x| V::Number(f64::from(x)));
        s.line(&[
            V::Text(&a.item.title),
            V::Text(lang.label("activityKind", &a.item.kind)),
            V::Text(&partners.join(", ")),
            V::Day(a.item.starts_on.as_deref()),
            V::Day(a.item.ends_on.as_deref()),
            V::Text(lang.label("activityStatus", &a.item.status)),
            V::Text(&themes.join(", ")),
            number(a.people),
            number(a.women),
            number(a.men),
        ])?;
    }

    let reach_header = ["report.activitiesCol", "report.peopleCol", "report.womenCol", "report.menCol"];
    let mut s = sheet_at(&mut book, 4, lang)?;
    s.header(&[&["col.kind"][..], &reach_header].concat())?;
    s.reach("activityKind", &r.activities_by_kind)?;
    let mut s = sheet_at(&mut book, 5, lang)?;
    s.header(&[&["f.themes"][..], &reach_header].concat())?;
    s.reach("theme", &r.activities_by_theme)?;

    let mut s = sheet_at(&mut book, 6, lang)?;
    s.header(&["col.name", "report.activitiesCol", "report.hoursCol", "report.completedCol"])?;
    for t in &r.trainees {
        s.line(&[V::Text(&t.person.title), n(t.activities), V::Number(t.hours), n(t.completed)])?;
    }

    let mut s = sheet_at(&mut book, 7, lang)?;
    s.header(&["report.commitments", "report.total"])?;
    for (key, count) in [
        ("report.dueColumn", c.due),
        ("report.onTime", c.on_time),
        ("report.late", c.late),
        ("report.doneUndated", c.done_undated),
        ("report.open", c.open),
        ("report.overdueColumn", c.overdue),
    ] {
        s.line(&[V::Text(lang.t(key)), n(count)])?;
    }
    book.save_to_buffer()
}
