//! Figures: samples summed up as median, 95th percentile and maximum, a peer's figure beside
//! ours, the ratio between them and the target, printed as a table and written as JSON.

use serde::Serialize;
use std::time::Duration;

/// A summary of many repetitions, in the figure's unit.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Stats {
    pub n: usize,
    pub median: f64,
    pub p95: f64,
    pub max: f64,
}

impl Stats {
    pub fn of(mut samples: Vec<f64>) -> Stats {
        assert!(!samples.is_empty(), "a figure needs at least one sample");
        samples.sort_by(f64::total_cmp);
        let at = |p: f64| samples[((samples.len() - 1) as f64 * p).round() as usize];
        Stats { n: samples.len(), median: at(0.5), p95: at(0.95), max: samples[samples.len() - 1] }
    }

    /// Durations in milliseconds.
    pub fn millis(samples: &[Duration]) -> Stats {
        Stats::of(samples.iter().map(|d| d.as_secs_f64() * 1e3).collect())
    }

    /// One measurement (a size on disk, a memory reading).
    pub fn single(value: f64) -> Stats {
        Stats { n: 1, median: value, p95: value, max: value }
    }
}

/// Which of a figure's numbers its target is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum On {
    Median,
    P95,
}

/// A target: at most `limit` (in the figure's unit) and/or at most `ratio` times the peer.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Target {
    pub on: On,
    pub limit: Option<f64>,
    pub ratio: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Figure {
    pub name: String,
    /// Contacts in the data set it was measured on.
    pub contacts: Option<usize>,
    pub unit: &'static str,
    pub ours: Stats,
    pub peer_name: Option<String>,
    pub peer: Option<Stats>,
    /// Ours over the peer's, on the number the target is about (median when there is none).
    pub ratio: Option<f64>,
    pub target: Option<Target>,
    pub met: Option<bool>,
    /// Context: what was measured, and how.
    pub note: String,
}

impl Figure {
    pub fn new(name: &str, contacts: Option<usize>, unit: &'static str, ours: Stats) -> Figure {
        Figure {
            name: name.to_owned(),
            contacts,
            unit,
            ours,
            peer_name: None,
            peer: None,
            ratio: None,
            target: None,
            met: None,
            note: String::new(),
        }
    }

    pub fn peer(mut self, name: &str, peer: Stats) -> Figure {
        self.peer_name = Some(name.to_owned());
        self.peer = Some(peer);
        self.settle();
        self
    }

    pub fn target(mut self, on: On, limit: Option<f64>, ratio: Option<f64>) -> Figure {
        self.target = Some(Target { on, limit, ratio });
        self.settle();
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Figure {
        self.note = note.into();
        self
    }

    fn settle(&mut self) {
        let on = self.target.map_or(On::Median, |t| t.on);
        let pick = |s: &Stats| match on {
            On::Median => s.median,
            On::P95 => s.p95,
        };
        self.ratio = self.peer.map(|p| pick(&self.ours) / pick(&p).max(f64::MIN_POSITIVE));
        self.met = self.target.map(|t| {
            t.limit.is_none_or(|l| pick(&self.ours) <= l)
                && t.ratio.is_none_or(|r| self.ratio.is_some_and(|x| x <= r))
        });
    }
}

fn number(x: f64) -> String {
    if x >= 100.0 {
        format!("{x:.0}")
    } else if x >= 10.0 {
        format!("{x:.1}")
    } else if x >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    }
}

fn size(n: Option<usize>) -> String {
    match n {
        Some(n) if n >= 1000 && n % 1000 == 0 => format!("{}k", n / 1000),
        Some(n) => n.to_string(),
        None => String::new(),
    }
}

/// The figures as a Markdown table (what the README's Performance section shows).
pub fn table(figures: &[Figure]) -> String {
    let mut out = String::from(
        "| figure | contacts | n | median | p95 | max | peer | peer median | peer p95 | ratio | target | met |\n\
         |---|---|---|---|---|---|---|---|---|---|---|---|\n",
    );
    for f in figures {
        let unit = f.unit;
        let target = f.target.map_or(String::new(), |t| {
            let on = match t.on {
                On::Median => "median",
                On::P95 => "p95",
            };
            let mut parts = Vec::new();
            if let Some(l) = t.limit {
                parts.push(format!("≤ {} {unit}", number(l)));
            }
            if let Some(r) = t.ratio {
                parts.push(format!("≤ {}× peer", number(r)));
            }
            format!("{on} {}", parts.join(", "))
        });
        out.push_str(&format!(
            "| {} | {} | {} | {} {unit} | {} {unit} | {} {unit} | {} | {} | {} | {} | {} | {} |\n",
            f.name,
            size(f.contacts),
            f.ours.n,
            number(f.ours.median),
            number(f.ours.p95),
            number(f.ours.max),
            f.peer_name.as_deref().unwrap_or(""),
            f.peer.map_or(String::new(), |p| format!("{} {unit}", number(p.median))),
            f.peer.map_or(String::new(), |p| format!("{} {unit}", number(p.p95))),
            f.ratio.map_or(String::new(), |r| format!("{}×", number(r))),
            target,
            match f.met {
                Some(true) => "yes",
                Some(false) => "**no**",
                None => "",
            }
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_of_a_known_series() {
        let s = Stats::of((1..=100).map(f64::from).rev().collect());
        assert_eq!((s.n, s.median, s.p95, s.max), (100, 51.0, 95.0, 100.0));
    }

    #[test]
    fn targets_compare_the_chosen_number_and_the_ratio() {
        let ours = Stats { n: 3, median: 0.5, p95: 0.9, max: 2.0 };
        let peer = Stats { n: 3, median: 0.4, p95: 1.0, max: 1.0 };
        let f = Figure::new("x", None, "ms", ours).peer("p", peer).target(On::P95, Some(1.0), Some(1.0));
        assert_eq!(f.ratio, Some(0.9));
        assert_eq!(f.met, Some(true));
        let f = Figure::new("x", None, "ms", ours).peer("p", peer).target(On::Median, None, Some(1.0));
        assert_eq!(f.met, Some(false), "0.5 against 0.4 is over 1.0×");
        let f = Figure::new("x", None, "ms", ours).target(On::P95, Some(0.5), None);
        assert_eq!(f.met, Some(false));
    }
}
