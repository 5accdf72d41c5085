//! `vinculo-bench`: Vínculo's figures beside its peers', measured in the same run on the same
//! data. `cargo xtask bench` builds it (and the app) in release mode and runs it; `cargo xtask
//! test` runs a tiny `--smoke` of it so that it cannot rot.
//!
//! For each size (1k, 10k and 100k contacts, with three meetings per contact, their
//! commitments, and proportional organizations and agreements) it generates the records,
//! loads them into a Vínculo store and into SQLite, and measures: a fixed mix of searches
//! against SQLite FTS5; the home view; a durable save of a meeting with three commitments
//! against SQLite in WAL mode with `synchronous=FULL`; opening until the first search is
//! answered; and the memory the backend holds once open. At 1k and 10k, the disk a store takes
//! after every record was updated ten times. Once: a ten-page briefing note against Chromium
//! printing the same note from HTML, and, at 10k, the app's start until its home screen is
//! drawn under Xvfb.
//!
//! It prints a Markdown table and writes the figures as JSON. It asserts no time: a target
//! missed is reported as missed.

mod app;
mod chromium;
mod generate;
mod sharing;
mod sqlite;
mod stats;

use generate::{Dataset, generate, raw_bytes};
use jiff::Timestamp;
use stats::{Figure, On, Stats};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use vinculo_core::{AnyRecord, Commitment, KdfParams, Meeting, Secret, Settings, Store, WithCommitments};

/// The generator's seed: the same records on every run.
const SEED: u64 = 0x5649_4e43_554c_4f21;

type Result<T = (), E = Box<dyn std::error::Error>> = std::result::Result<T, E>;

#[derive(Debug, Clone)]
struct Options {
    sizes: Vec<usize>,
    /// Repetitions scale: 1.0 for the full run, small for the smoke run.
    reps: f64,
    work: PathBuf,
    out: PathBuf,
    app: Option<PathBuf>,
    /// The size the app's start is measured at.
    app_size: usize,
    /// Sizes at which the disk after ten updates of every record is measured.
    disk_sizes: Vec<usize>,
    /// Keep each size's stores (they are big) instead of removing them once measured.
    keep: bool,
    /// A tiny run that fails unless it measured every figure (the test command's check).
    smoke: bool,
}

fn usage() -> String {
    "usage: vinculo-bench [--smoke] [--sizes 1000,10000,100000] [--work DIR] [--out FILE.json] [--app BINARY] [--keep]\n       vinculo-bench load N DIR            (a store of the bench's data, kept)\n       vinculo-bench memory DIR            (internal: the memory a store holds once open)\n       vinculo-bench open|open-sqlite PATH QUERY   (internal: one open, timed)".into()
}

fn parse_args() -> Result<Options> {
    let mut args = std::env::args().skip(1);
    let mut o = Options {
        sizes: vec![1_000, 10_000, 100_000],
        reps: 1.0,
        work: PathBuf::from("target/bench"),
        out: PathBuf::new(),
        app: None,
        app_size: 10_000,
        disk_sizes: vec![1_000, 10_000],
        keep: false,
        smoke: false,
    };
    while let Some(a) = args.next() {
        match a.as_str() {
            "--smoke" => {
                o.smoke = true;
                o.sizes = vec![200];
                o.reps = 0.05;
                o.app_size = 200;
                o.disk_sizes = vec![200];
            }
            "--sizes" => {
                let list = args.next().ok_or_else(usage)?;
                o.sizes = list.split(',').map(str::parse).collect::<Result<_, _>>().map_err(|_| usage())?;
                o.disk_sizes.retain(|s| o.sizes.contains(s));
                if !o.sizes.contains(&o.app_size) {
                    o.app_size = o.sizes[0];
                }
            }
            "--work" => o.work = args.next().ok_or_else(usage)?.into(),
            "--keep" => o.keep = true,
            "--out" => o.out = args.next().ok_or_else(usage)?.into(),
            "--app" => o.app = Some(args.next().ok_or_else(usage)?.into()),
            _ => return Err(usage().into()),
        }
    }
    if o.out.as_os_str().is_empty() {
        o.out = o.work.join("results.json");
    }
    Ok(o)
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = if args.first().map(String::as_str) == Some("memory") {
        args.get(1).ok_or_else(|| usage().into()).and_then(|dir| memory_child(Path::new(dir)))
    } else if let (Some(which @ ("open" | "open-sealed" | "open-sqlite")), Some(path), Some(query)) =
        (args.first().map(String::as_str), args.get(1), args.get(2))
    {
        open_child(which, Path::new(path), query)
    } else if args.first().map(String::as_str) == Some("load") {
        // load N DIR: a store of the bench's data, kept, for looking into by hand.
        (|| -> Result {
            let n: usize = args.get(1).ok_or_else(usage)?.parse()?;
            let dir = Path::new(args.get(2).ok_or_else(usage)?);
            let data = generate(n, SEED, vinculo_core::office_today(Timestamp::now()));
            let store = Store::open(&dir.join("vinculo"))?;
            let t = Instant::now();
            load(&store, &data)?;
            say(&format!("{} records loaded in {:.1} s", data.len(), t.elapsed().as_secs_f64()));
            store.close()?;
            Ok(())
        })()
    } else {
        parse_args().and_then(|o| run(&o))
    };
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("vinculo-bench: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn say(message: &str) {
    eprintln!("bench: {message}");
}

fn reps(o: &Options, full: usize) -> usize {
    ((full as f64 * o.reps).round() as usize).max(3)
}

fn run(o: &Options) -> Result {
    let started = Instant::now();
    std::fs::create_dir_all(&o.work)?;
    let now = Timestamp::now();
    let anchor = vinculo_core::office_today(now);
    let mut figures: Vec<Figure> = Vec::new();
    let mut search_p95: Vec<(usize, f64)> = Vec::new();
    let largest = *o.sizes.iter().max().ok_or("no sizes")?;
    for &n in &o.sizes {
        let dir = o.work.join(format!("{n}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        let t = Instant::now();
        let data = generate(n, SEED, anchor);
        let raw = raw_bytes(data.all());
        say(&format!(
            "{n} contacts: {} records ({} organizations, {} meetings, {} agreements, {} activities, {} commitments), {:.1} MB of JSON, generated in {:.1} s",
            data.len(),
            data.organizations.len(),
            data.meetings.len(),
            data.agreements.len(),
            data.activities.len(),
            data.commitments.len(),
            raw as f64 / 1e6,
            t.elapsed().as_secs_f64()
        ));
        let store_dir = dir.join("vinculo");
        let sealed_dir = dir.join("vinculo-encrypted");
        let sqlite_path = dir.join("peer.sqlite");
        let store = Store::open(&store_dir)?;
        let t = Instant::now();
        load(&store, &data)?;
        say(&format!("  loaded into Vínculo in {:.1} s", t.elapsed().as_secs_f64()));
        let (sealed, _) = Store::create_encrypted(&sealed_dir, PASSPHRASE, KdfParams::OFFICE)?;
        let t = Instant::now();
        load(&sealed, &data)?;
        say(&format!("  loaded into Vínculo, encrypted, in {:.1} s", t.elapsed().as_secs_f64()));
        sealed.close()?;
        let mut peer = sqlite::Peer::open(&sqlite_path)?;
        let t = Instant::now();
        peer.write(data.all())?;
        say(&format!("  loaded into SQLite in {:.1} s", t.elapsed().as_secs_f64()));

        // Closed once loaded: every figure is of stores opened from disk, as at the app's start,
        // in a process that no longer holds the generated records.
        store.close()?;
        peer.close()?;
        let queries = query_mix(&data);
        let partner = data.organizations[1].id().clone();
        drop(data);
        figures.push(open_ready(o, n, &store_dir, &sqlite_path, &queries[0])?);
        figures.extend(open_sealed(o, n, &sealed_dir, &sqlite_path, &queries[0])?);
        let store = Store::open(&store_dir)?;
        let mut peer = sqlite::Peer::open(&sqlite_path)?;
        let found = search(o, n, &store, &peer, &queries)?;
        search_p95.push((n, found.ours.p95));
        figures.push(found);
        figures.push(home(o, n, &store, now));
        figures.extend(lists(o, n, &store, &peer, now)?);
        figures.push(strategy_report(o, n, &store, &peer, now)?);
        figures.push(saves(o, n, &store, &mut peer, &partner)?);
        // The same on the encrypted copy: the index is in memory, so search and the home view
        // cost what they did; a save seals its records.
        let sealed = Store::unlock(&sealed_dir, &Secret::Passphrase(PASSPHRASE))?;
        figures.push(encrypted(search(o, n, &sealed, &peer, &queries)?));
        figures.push(encrypted(home(o, n, &sealed, now)));
        figures.push(encrypted(saves(o, n, &sealed, &mut peer, &partner)?));
        if n == largest {
            figures.extend(documents(o, n, &sealed, &partner, &dir)?);
        }
        sealed.close()?;
        if n == largest {
            figures.push(briefing(o, n, &store, now, &dir)?);
        }
        if n == o.sizes[0] {
            figures.extend(spreadsheet_imports(o, &dir)?);
        }
        store.close()?;
        peer.close()?;
        figures.push(memory(n, &store_dir, raw)?);
        if n == o.app_size
            && let Some(app) = &o.app
        {
            figures.push(app::start_to_home(app, n, &store_dir, &dir, reps(o, 7))?);
        }
        if o.disk_sizes.contains(&n) {
            figures.extend(disk_after_updates(n, &store_dir, raw)?);
        }
        if !o.keep {
            // The stores of the full run are big; keep only the results.
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
    // The office's sharing does not depend on the directory's size: measured once.
    figures.push(sharing::apply_remote(o, &o.work)?);
    figures.push(sharing::save_to_seen(o, &o.work)?);
    if let (Some(&(small, first)), Some(&(big, last))) = (search_p95.first(), search_p95.last())
        && big > small
    {
        figures.push(
            Figure::new("search growth (p95)", Some(big), "×", Stats::single(last / first))
                .peer("records growth", Stats::single(big as f64 / small as f64))
                .target(On::Median, None, Some(1.0))
                .note(format!("search p95 at {big} over p95 at {small} contacts; sub-linear when below the growth of the data")),
        );
    }
    if o.smoke {
        let every = [
            "open to search-ready",
            "open to search-ready, encrypted",
            "unlock",
            "search p50/p95",
            "home view",
            "list screen, first rows",
            "list filter, one keystroke",
            "picker query",
            "durable save",
            "briefing PDF",
            "spreadsheet import",
            "backend memory",
            "disk after updating",
            "record history",
            "start to home drawn",
            "apply a colleague's",
            "save on one laptop to shown on another",
        ];
        let missing: Vec<&str> =
            every.into_iter().filter(|e| !figures.iter().any(|f| f.name.starts_with(e))).collect();
        if !missing.is_empty() {
            return Err(format!("the smoke run measured no {missing:?}").into());
        }
    }
    let table = stats::table(&figures);
    let machine = machine();
    #[allow(clippy::print_stdout)]
    {
        println!("{table}");
        println!("Measured on {machine}, in {:.0} s.", started.elapsed().as_secs_f64());
    }
    let json = serde_json::json!({
        "machine": machine,
        "measuredAt": now.to_string(),
        "seconds": started.elapsed().as_secs_f64(),
        "figures": figures,
    });
    std::fs::write(&o.out, serde_json::to_vec_pretty(&json)?)?;
    say(&format!("figures written to {}", o.out.display()));
    let missed: Vec<String> = figures
        .iter()
        .filter(|f| f.met == Some(false))
        .map(|f| format!("{} at {}", f.name, f.contacts.unwrap_or(0)))
        .collect();
    if !missed.is_empty() {
        say(&format!("targets missed: {}", missed.join("; ")));
    }
    Ok(())
}

/// The headers of the office's list of instruments, in Spanish as offices write them.
const INSTRUMENT_HEADERS: [&str; 8] = [
    "Folio",
    "Denominación del convenio",
    "Tipo de instrumento",
    "Contraparte",
    "Fecha de firma",
    "Fin de vigencia",
    "Estado",
    "Observaciones",
];

/// A row of the office's list of instruments, in the order of `INSTRUMENT_HEADERS`.
struct InstrumentRow {
    /// Folio, title, kind and counterpart.
    texts: [String; 4],
    /// Signed and end of validity, as (year, month, day).
    dates: [(u16, u8, u8); 2],
    state: &'static str,
    /// With a line break in it, as offices' notes have.
    notes: String,
}

/// Row `i` of the office's list of instruments; 200 counterparts between all rows.
fn instrument_row(i: usize) -> InstrumentRow {
    const KINDS: [&str; 4] =
        ["Convenio marco", "Convenio específico", "Carta de intención", "Memorándum de entendimiento"];
    const STATES: [&str; 4] = ["Vigente", "Concluido", "En negociación", "Firmado"];
    // Small numbers by construction: a year after 2015, a month up to 12, a day up to 28.
    let (year, month, day) = (2015 + (i % 10) as u16, 1 + (i % 12) as u8, 1 + (i % 28) as u8);
    InstrumentRow {
        texts: [
            format!("IECM/CONV/{i:05}/{year}"),
            format!("Convenio {i} de colaboración en materia de participación ciudadana"),
            KINDS[i % KINDS.len()].to_owned(),
            format!("Organismo aliado {}", i % 200),
        ],
        dates: [(year, month, day), (year + 3, month, day)],
        state: STATES[i % STATES.len()],
        notes: format!("Anexo técnico {i};\nrevisado"),
    }
}

/// The list as an Excel workbook: a title above the table, dates as date cells.
fn instruments_xlsx(rows: usize) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("Instrumentos")?;
    let date = Format::new().set_num_format("dd/mm/yyyy");
    sheet.write_string(0, 0, "Relación de instrumentos jurídicos celebrados")?;
    for (c, h) in INSTRUMENT_HEADERS.iter().enumerate() {
        sheet.write_string(2, u16::try_from(c)?, *h)?;
    }
    for i in 0..rows {
        let r = u32::try_from(i + 3)?;
        let InstrumentRow { texts, dates, state, notes } = instrument_row(i);
        for (c, text) in texts.iter().enumerate() {
            sheet.write_string(r, u16::try_from(c)?, text)?;
        }
        for (c, (y, m, d)) in dates.into_iter().enumerate() {
            sheet.write_datetime_with_format(
                r,
                u16::try_from(4 + c)?,
                ExcelDateTime::from_ymd(y, m, d)?,
                &date,
            )?;
        }
        sheet.write_string(r, 6, state)?;
        sheet.write_string(r, 7, &notes)?;
    }
    Ok(book.save_to_buffer()?)
}

/// The list as Excel in Spanish saves it as CSV: Windows-1252, `;`, `dd/mm/aaaa`, CRLF.
fn instruments_csv(rows: usize) -> Vec<u8> {
    let mut out = INSTRUMENT_HEADERS.join(";") + "\r\n";
    for i in 0..rows {
        let InstrumentRow { texts: [folio, title, kind, counterpart], dates, state, notes } =
            instrument_row(i);
        let [signed, ends] = dates.map(|(y, m, d)| format!("{d:02}/{m:02}/{y}"));
        out.push_str(&format!(
            "{folio};{title};{kind};{counterpart};{signed};{ends};{state};\"{notes}\"\r\n"
        ));
    }
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&out);
    debug_assert!(!unmappable);
    bytes.into_owned()
}

/// The office's list of instruments imported into an empty store (read, mapped, planned and
/// written as one change), as an Excel workbook and as CSV, against SQLite writing the same
/// records in one transaction; and the same file imported again, which must write nothing.
fn spreadsheet_imports(o: &Options, dir: &Path) -> Result<Vec<Figure>> {
    let rows = if o.smoke { 200 } else { 5000 };
    [("xlsx", instruments_xlsx(rows)?), ("csv", instruments_csv(rows))]
        .into_iter()
        .map(|(format, bytes)| spreadsheet_import(o, dir, rows, format, &bytes))
        .collect()
}

fn spreadsheet_import(o: &Options, dir: &Path, rows: usize, format: &str, bytes: &[u8]) -> Result<Figure> {
    use vinculo_core::table::{RememberedColumns, TableRequest, TableTarget, Workbook};
    let counterparts = rows.min(200);
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    let mut again = None;
    for rep in 0..reps(o, 5) {
        let store_dir = dir.join(format!("table-{format}-{rep}"));
        let _ = std::fs::remove_dir_all(&store_dir);
        let store = Store::open(&store_dir)?;
        let t = Instant::now();
        let book = Workbook::read(bytes)?;
        let sheet = book.sheets.first().ok_or("the workbook has no sheet")?;
        let offer = RememberedColumns::default().offer(sheet, TableTarget::Agreement, true, None)?;
        let request = TableRequest {
            sheet: 0,
            target: TableTarget::Agreement,
            headers: true,
            start: None,
            mapping: offer.mapping,
        };
        let mut reports = 0;
        let plan = store.import_table(&book, &request, &mut |_, _, _| reports += 1)?;
        ours.push(t.elapsed());
        if plan.created != rows || plan.written != rows + counterparts || reports < 3 {
            return Err(format!(
                "the {format} import made {} of {rows} rows, {} records ({reports} progress reports)",
                plan.created, plan.written
            )
            .into());
        }
        let written: Vec<AnyRecord> =
            [vinculo_core::RecordKind::Agreement, vinculo_core::RecordKind::Organization]
                .into_iter()
                .flat_map(|k| store.list(k))
                .map(|r| store.get_any(&r.id))
                .collect::<vinculo_core::Result<_>>()?;
        let peer_path = dir.join(format!("table-{format}-{rep}.sqlite"));
        let _ = std::fs::remove_file(&peer_path);
        let mut peer = sqlite::Peer::open(&peer_path)?;
        let t = Instant::now();
        peer.write(&written)?;
        theirs.push(t.elapsed());
        peer.close()?;
        if again.is_none() {
            let t = Instant::now();
            let second = store.import_table(&book, &request, &mut |_, _, _| {})?;
            if second.written != 0 || second.unchanged != rows {
                return Err(format!("the second {format} import wrote {} records", second.written).into());
            }
            again = Some(t.elapsed());
        }
        store.close()?;
        let _ = std::fs::remove_dir_all(&store_dir);
    }
    let again = again.map_or(0.0, |d| d.as_secs_f64() * 1000.0);
    let kib = bytes.len() / 1024;
    Ok(Figure::new(&format!("spreadsheet import, {rows} instruments, .{format}"), None, "ms", Stats::millis(&ours))
        .peer("SQLite writing the same records, one transaction", Stats::millis(&theirs))
        .target(On::Median, Some(5000.0), None)
        .note(format!(
            "a {kib} KiB file read, mapped, planned and written as one durable change with progress ({counterparts} counterparts made with it); the same file again wrote nothing, in {again:.0} ms"
        )))
}

/// Loads the data set batch by batch, each group after the ones it refers to.
fn load(store: &Store, data: &Dataset) -> Result {
    for group in data.groups() {
        for chunk in group.chunks(10_000) {
            store.insert_batch(chunk.to_vec())?;
        }
    }
    Ok(())
}

/// The fixed mix of queries: one word, a prefix, two words, accents, an acronym, an e-mail
/// and a folio, as a liaison officer types them.
fn query_mix(data: &Dataset) -> Vec<String> {
    [
        "lucia",
        "capacitacion",
        "hern",
        "conv",
        "maria lopez",
        "igualdad genero",
        "Núñez",
        "participación ciudadana",
        "PNUD",
        "ONU Mujeres",
        data.probes.email.as_str(),
        data.probes.folio.as_str(),
    ]
    .into_iter()
    .map(str::to_owned)
    .collect()
}

/// The mix, `rounds` times over, each system in a block of its own after one unmeasured round
/// (each runs in its steady state, neither in the other's wake).
fn search(o: &Options, n: usize, store: &Store, peer: &sqlite::Peer, queries: &[String]) -> Result<Figure> {
    let rounds = reps(o, if n >= 100_000 { 20 } else { 50 });
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    let mut per_query: Vec<(Vec<Duration>, Vec<Duration>)> = vec![(Vec::new(), Vec::new()); queries.len()];
    for q in queries {
        if store.search(q, 50).hits.is_empty() {
            return Err(format!("the query «{q}» found nothing at {n}: the mix must have answers").into());
        }
    }
    for _ in 0..rounds {
        for (i, q) in queries.iter().enumerate() {
            let t = Instant::now();
            std::hint::black_box(store.search(q, 50));
            let d = t.elapsed();
            ours.push(d);
            per_query[i].0.push(d);
        }
    }
    for q in queries {
        std::hint::black_box(peer.search(q, 50)?);
    }
    for _ in 0..rounds {
        for (i, q) in queries.iter().enumerate() {
            let t = Instant::now();
            std::hint::black_box(peer.search(q, 50)?);
            let d = t.elapsed();
            theirs.push(d);
            per_query[i].1.push(d);
        }
    }
    for (q, (mine, peers)) in queries.iter().zip(&per_query) {
        say(&format!(
            "  search «{q}»: ours p50 {:.3} ms, SQLite p50 {:.3} ms",
            Stats::millis(mine).median,
            Stats::millis(peers).median
        ));
    }
    let mut fig = Figure::new("search p50/p95", Some(n), "ms", Stats::millis(&ours))
        .peer("SQLite FTS5, bm25, top 50", Stats::millis(&theirs))
        .note(format!("{} queries × {} repetitions, top 50", queries.len(), ours.len() / queries.len()));
    if n >= 100_000 {
        fig = fig.target(On::P95, Some(1.0), Some(1.0));
    }
    Ok(fig)
}

/// Times `ask` over `questions` (one unmeasured round first), `rounds` times over.
fn timed<T>(
    rounds: usize,
    questions: &[String],
    mut ask: impl FnMut(&str) -> Result<T>,
) -> Result<Vec<Duration>> {
    for q in questions {
        std::hint::black_box(ask(q)?);
    }
    let mut samples = Vec::new();
    for _ in 0..rounds {
        for q in questions {
            let t = Instant::now();
            std::hint::black_box(ask(q)?);
            samples.push(t.elapsed());
        }
    }
    Ok(samples)
}

/// The list screens and the pickers as the core serves them (a page of rows and the count,
/// made into the JSON the window receives), against SQLite answering the same with an index
/// by kind and title and its full-text index: the people's list opened, a filter typed into
/// it a key at a time, an organization picker typed into.
fn lists(o: &Options, n: usize, store: &Store, peer: &sqlite::Peer, now: Timestamp) -> Result<Vec<Figure>> {
    use vinculo_core::{ListQuery, RecordKind};
    peer.index_lists()?;
    let rounds = reps(o, if n >= 100_000 { 20 } else { 50 });
    let page = |kind: RecordKind, text: &str, limit: usize| -> Result<usize> {
        let mut q = ListQuery::of(kind, limit);
        q.text = text.to_owned();
        let page = store.list_page(&q, now)?;
        Ok(serde_json::to_vec(&page)?.len() + page.total)
    };
    let theirs = |kind: &str, text: &str, limit: usize| -> Result<usize> {
        let (total, rows) = peer.list(kind, text, limit)?;
        Ok(rows.iter().map(|(id, body)| id.len() + body.len()).sum::<usize>() + total)
    };
    let keystrokes = |words: &[&str]| -> Vec<String> {
        words
            .iter()
            .flat_map(|w| (1..=w.chars().count()).map(|k| w.chars().take(k).collect::<String>()))
            .collect()
    };
    // One figure: `questions` asked of the core and of SQLite, `limit` rows of `kind` each.
    let versus =
        |name: &str, kind: RecordKind, questions: &[String], limit: usize, peer: &str| -> Result<Figure> {
            Ok(Figure::new(
                name,
                Some(n),
                "ms",
                Stats::millis(&timed(rounds, questions, |t| page(kind, t, limit))?),
            )
            .peer(peer, Stats::millis(&timed(rounds, questions, |t| theirs(kind.prefix(), t, limit))?)))
        };
    let first_rows = versus(
        "list screen, first rows",
        RecordKind::Contact,
        &[String::new()],
        100,
        "SQLite, index by kind and title, first 100 and count",
    )?
    .note("the people's list: 100 rows and how many there are, as JSON");
    // After a save the list's order is made again: the first page then. An organization of
    // its own is saved (and deleted after), so that no record of the data gets a history the
    // audit figures do not expect.
    let mut cold = Vec::new();
    let mut org = store.save_organization(vinculo_core::Organization {
        name_es: "Organismo de la medición de listas".into(),
        ..Default::default()
    })?;
    for i in 0..reps(o, 10) {
        org.notes = format!("bench {i}");
        org = store.save_organization(org)?;
        let t = Instant::now();
        std::hint::black_box(page(RecordKind::Contact, "", 100)?);
        cold.push(t.elapsed());
    }
    store.delete_organization(&org.id, org.revision, &vinculo_core::OrgDeletion::Refuse)?;
    let after_save = Figure::new("list screen, first rows after a save", Some(n), "ms", Stats::millis(&cold))
        .note("the order by name made again from the catalog".to_owned());
    let typed = keystrokes(&["maria", "lopez"]);
    let filter = versus(
        "list filter, one keystroke",
        RecordKind::Contact,
        &typed,
        100,
        "SQLite FTS5 and the index, first 100 and count",
    )?
    .note(format!(
        "«maria», then «lopez», typed a key at a time in the people's list ({} keystrokes)",
        typed.len()
    ));
    let picked = keystrokes(&["instituto", "onu"]);
    let picker =
        versus("picker query", RecordKind::Organization, &picked, 8, "SQLite FTS5 and the index, first 8")?
            .note(format!(
                "«instituto» and «onu» typed a key at a time into an organization picker ({} keystrokes)",
                picked.len()
            ));
    let mut figures = vec![first_rows, after_save, filter, picker];
    if n >= 100_000 {
        for (fig, limit) in figures.iter_mut().zip([50.0, 50.0, 30.0, 10.0]) {
            *fig = fig.clone().target(On::P95, Some(limit), None);
        }
    }
    Ok(figures)
}

fn home(o: &Options, n: usize, store: &Store, now: Timestamp) -> Figure {
    let mut samples = Vec::new();
    let mut items = 0;
    for _ in 0..reps(o, 50) {
        let t = Instant::now();
        let view = store.home(now);
        samples.push(t.elapsed());
        items = view.upcoming_meetings.len()
            + view.overdue_commitments.len()
            + view.due_soon_commitments.len()
            + view.expiring_agreements.len()
            + view.expired_agreements.len()
            + view.recent_changes.len();
        std::hint::black_box(view);
    }
    let mut fig = Figure::new("home view", Some(n), "ms", Stats::millis(&samples))
        .note(format!("{items} items on the screen"));
    if n >= 100_000 {
        fig = fig.target(On::Median, Some(10.0), None);
    }
    fig
}

/// The strategy's report for the last twelve months, figures only (what the report's screen
/// asks for; the PDF and the workbook show them), against SQLite computing the like with
/// GROUP BY over the same records' JSON.
fn strategy_report(
    o: &Options,
    n: usize,
    store: &Store,
    peer: &sqlite::Peer,
    now: Timestamp,
) -> Result<Figure> {
    let until = vinculo_core::office_today(now);
    let from = until.checked_sub(jiff::Span::new().days(364))?;
    let period = vinculo_core::ReportPeriod { from: from.to_string(), until: until.to_string() };
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    let mut counted = String::new();
    for _ in 0..reps(o, 30) {
        let t = Instant::now();
        let report = store.strategy_report(&period, now)?;
        ours.push(t.elapsed());
        counted = format!(
            "{} activities, {} commitments due, {} alliances, {} people trained",
            report.activities.len(),
            report.commitments.due,
            report.alliances,
            report.trainees.len()
        );
        std::hint::black_box(report);
        let t = Instant::now();
        std::hint::black_box(peer.report(&period.from, &period.until)?);
        theirs.push(t.elapsed());
    }
    let mut fig = Figure::new("strategy report, a year", Some(n), "ms", Stats::millis(&ours))
        .peer("SQLite GROUP BY over the records' JSON", Stats::millis(&theirs))
        .note(counted);
    if n == 10_000 {
        fig = fig.target(On::P95, Some(200.0), None);
    }
    Ok(fig)
}

/// Attaching a 10 MB document (a scanned, signed convenio) to a record of the encrypted store,
/// and opening it, against writing the same bytes to a file durably and reading them back:
/// what copying the scan into a folder costs.
fn documents(
    o: &Options,
    n: usize,
    store: &Store,
    partner: &vinculo_core::Id,
    dir: &Path,
) -> Result<Vec<Figure>> {
    const SIZE: usize = 10 * 1024 * 1024;
    // Bytes that do not compress, as a scan's do not; each round's differ (kept once otherwise).
    let mut bytes: Vec<u8> =
        (0..SIZE as u64).map(|i| (i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56) as u8).collect();
    let copies = dir.join("document-copies");
    std::fs::create_dir_all(&copies)?;
    let (mut attach, mut open, mut copy, mut read) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for i in 0..reps(o, 10) {
        bytes[..8].copy_from_slice(&(i as u64).to_le_bytes());
        let t = Instant::now();
        let document = store.attach_document(partner, &format!("convenio-{i}.pdf"), &bytes)?;
        attach.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(store.document_file(&document.id)?);
        open.push(t.elapsed());
        let path = copies.join(format!("convenio-{i}.pdf"));
        let t = Instant::now();
        vinculo_core::write_atomically(&path, &bytes)?;
        copy.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(std::fs::read(&path)?);
        read.push(t.elapsed());
    }
    Ok(vec![
        Figure::new("attach a 10 MB document, encrypted", Some(n), "ms", Stats::millis(&attach))
            .peer("the same bytes written to a file (temporary file, fsync, rename)", Stats::millis(&copy))
            .note("hashed (BLAKE2b-256), sealed (XChaCha20-Poly1305), written and fsynced, then its record committed durably"),
        Figure::new("open a 10 MB document, encrypted", Some(n), "ms", Stats::millis(&open))
            .peer("the plain file read back", Stats::millis(&read))
            .note("read, opened and checked against its hash: what Abrir does before the copy for the viewer is written"),
    ])
}

/// A new meeting with three commitments, as the meeting form saves it.
fn meeting_save(partner: &vinculo_core::Id, i: usize) -> WithCommitments<Meeting> {
    WithCommitments {
        record: Meeting {
            title: format!("Reunión de seguimiento {i}"),
            date: "2026-11-30".into(),
            time: Some("10:00".into()),
            organization_ids: vec![partner.clone()],
            objective: "Revisar los avances del programa conjunto de educación cívica.".into(),
            minutes: "Se acordó intercambiar materiales de capacitación y definir una ruta de trabajo. "
                .repeat(12),
            ..Meeting::default()
        },
        commitments: (0..3)
            .map(|j| Commitment {
                description: format!("Enviar la nota conceptual del taller {j}"),
                due_on: Some("2026-12-15".into()),
                ..Commitment::default()
            })
            .collect(),
    }
}

/// The same saves into each system, at its steady state. First a thousand unmeasured saves
/// into each: after a bulk load, every page sled rewrites also moves an old page out of a
/// half-empty segment until those are gone (measured at 100k: p95 0.32 ms over the first 250
/// saves, 0.21 ms after 750), a state a store passes through once after an import. Then ten
/// rounds of a block for each system, which goes first alternating: the disk's flush time
/// drifts (from one run to the next, the p95 of the same saves on the same machine moved
/// between 0.25 and 0.34 ms), and blocks taken in turn meet the same drift. Each block starts
/// with five unmeasured saves, so that each meets its own background writing (sled's,
/// SQLite's checkpoints), not the other's.
fn saves(
    o: &Options,
    n: usize,
    store: &Store,
    peer: &mut sqlite::Peer,
    partner: &vinculo_core::Id,
) -> Result<Figure> {
    const ROUNDS: usize = 10;
    const UNMEASURED: usize = 5;
    let count = reps(o, 1000);
    let block = count.div_ceil(ROUNDS);
    let mut numbers = 0..;
    let mut save = |vinculo: bool| -> Result<Duration> {
        let save = meeting_save(partner, numbers.next().unwrap_or_default());
        Ok(if vinculo {
            let t = Instant::now();
            store.save_meeting(save, &[])?;
            t.elapsed()
        } else {
            let rows = peer_rows(save);
            let t = Instant::now();
            peer.write(&rows)?;
            t.elapsed()
        })
    };
    for vinculo in [true, false] {
        for _ in 0..count {
            save(vinculo)?;
        }
    }
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        for vinculo in [round % 2 == 0, round % 2 == 1] {
            for i in 0..UNMEASURED + block {
                let took = save(vinculo)?;
                if i >= UNMEASURED {
                    if vinculo { &mut ours } else { &mut theirs }.push(took);
                }
            }
        }
    }
    Ok(Figure::new("durable save, meeting + 3 commitments", Some(n), "ms", Stats::millis(&ours))
        .peer("SQLite WAL, synchronous=FULL, one transaction", Stats::millis(&theirs))
        .target(On::P95, None, Some(1.0))
        .note("confirmed only once on disk (fsync); the peer's rows include its FTS5 index"))
}

/// A save's rows for the peer: the meeting and its commitments, with ids of their own.
fn peer_rows(save: WithCommitments<Meeting>) -> Vec<AnyRecord> {
    let mut meeting = save.record;
    meeting.id = vinculo_core::Id::new(vinculo_core::RecordKind::Meeting);
    let mut rows: Vec<AnyRecord> = vec![meeting.clone().into()];
    for mut c in save.commitments {
        c.id = vinculo_core::Id::new(vinculo_core::RecordKind::Commitment);
        c.source = Some(vinculo_core::CommitmentSource::Meeting(meeting.id.clone()));
        rows.push(c.into());
    }
    rows
}

/// Runs in a process of its own, as an app starts: opens Vínculo's store (or SQLite's) and
/// answers `query`, and prints how long that took, in milliseconds.
fn open_child(which: &str, path: &Path, query: &str) -> Result {
    let t = Instant::now();
    if which == "open" {
        let store = Store::open(path)?;
        std::hint::black_box(store.search(query, 50));
        print_ms(t.elapsed());
        store.close()?;
    } else if which == "open-sealed" {
        // Two figures: the key unwrapped (Argon2id and the unwrap), then the store opened with
        // it until its first search is answered.
        let key = Store::unwrap_key(path, &Secret::Passphrase(PASSPHRASE))?;
        let unlocked = t.elapsed();
        let t = Instant::now();
        let store = Store::open_with_key(path, Some(key))?;
        std::hint::black_box(store.search(query, 50));
        #[allow(clippy::print_stdout)]
        {
            println!("{} {}", unlocked.as_secs_f64() * 1e3, t.elapsed().as_secs_f64() * 1e3);
        }
        store.close()?;
    } else {
        let peer = sqlite::Peer::open(path)?;
        std::hint::black_box(peer.search(query, 50)?);
        print_ms(t.elapsed());
        peer.close()?;
    }
    Ok(())
}

#[allow(clippy::print_stdout)]
fn print_ms(d: Duration) {
    println!("{}", d.as_secs_f64() * 1e3);
}

/// Opens both stores several times, each in a new process, timing each until its first search
/// is answered.
fn open_ready(o: &Options, n: usize, store_dir: &Path, sqlite_path: &Path, query: &str) -> Result<Figure> {
    let time = |which: &str, path: &Path| -> Result<Duration> {
        let out =
            std::process::Command::new(std::env::current_exe()?).arg(which).arg(path).arg(query).output()?;
        let ms: f64 = String::from_utf8_lossy(&out.stdout).trim().parse().map_err(|_| {
            format!(
                "{which} child failed: {}",
                String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or("")
            )
        })?;
        Ok(Duration::from_secs_f64(ms / 1e3))
    };
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    for _ in 0..reps(o, 5) {
        ours.push(time("open", store_dir)?);
        theirs.push(time("open-sqlite", sqlite_path)?);
    }
    let mut fig = Figure::new("open to search-ready", Some(n), "ms", Stats::millis(&ours))
        .peer("SQLite open + first FTS5 query", Stats::millis(&theirs))
        .note("in a new process each time, the files in the page cache; the first includes sled's recovery of the bulk load");
    if n >= 100_000 {
        fig = fig.target(On::Median, Some(500.0), None);
    }
    Ok(fig)
}

/// The passphrase of the encrypted copy of each data set.
const PASSPHRASE: &str = "la frase del banco de pruebas";

/// A figure measured on the encrypted copy of the store.
fn encrypted(mut fig: Figure) -> Figure {
    fig.name = format!("{}, encrypted", fig.name);
    fig
}

/// The encrypted store opened as the app opens it, in a new process each time: the key
/// unwrapped from the passphrase (unlock), then the store opened with it until its first
/// search is answered (beside SQLite's open, as for the plain store).
fn open_sealed(o: &Options, n: usize, dir: &Path, sqlite_path: &Path, query: &str) -> Result<[Figure; 2]> {
    let (mut unlock, mut ready, mut theirs) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..reps(o, 5) {
        let out = std::process::Command::new(std::env::current_exe()?)
            .arg("open-sealed")
            .arg(dir)
            .arg(query)
            .output()?;
        let text = String::from_utf8_lossy(&out.stdout);
        let mut ms = text.split_whitespace().map(str::parse::<f64>);
        let (Some(Ok(u)), Some(Ok(r))) = (ms.next(), ms.next()) else {
            return Err(format!(
                "open-sealed child failed: {}",
                String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or("")
            )
            .into());
        };
        unlock.push(Duration::from_secs_f64(u / 1e3));
        ready.push(Duration::from_secs_f64(r / 1e3));
        let out = std::process::Command::new(std::env::current_exe()?)
            .arg("open-sqlite")
            .arg(sqlite_path)
            .arg(query)
            .output()?;
        let ms: f64 =
            String::from_utf8_lossy(&out.stdout).trim().parse().map_err(|_| "open-sqlite child failed")?;
        theirs.push(Duration::from_secs_f64(ms / 1e3));
    }
    let mut open = Figure::new("open to search-ready, encrypted", Some(n), "ms", Stats::millis(&ready))
        .peer("SQLite open + first FTS5 query", Stats::millis(&theirs))
        .note("with the key already unwrapped (unlock, below, comes first); a new process each time");
    if n >= 100_000 {
        open = open.target(On::Median, Some(500.0), None);
    }
    let unlock = Figure::new("unlock: key derivation and unwrap", Some(n), "ms", Stats::millis(&unlock))
        .target(On::Median, Some(600.0), None)
        .note(format!(
            "Argon2id {} MiB × {} passes",
            KdfParams::OFFICE.memory_kib / 1024,
            KdfParams::OFFICE.iterations
        ));
    Ok([open, unlock])
}

/// Resident memory of this process, in bytes, and its peak.
fn rss() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
            .map_or(0, |kb| kb * 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Runs in a process of its own: opens the store, searches and computes the home view, and
/// prints how much resident memory that added.
fn memory_child(dir: &Path) -> Result {
    let (before, _) = rss();
    let store = Store::open(dir)?;
    std::hint::black_box(store.search("capacitacion", 50));
    std::hint::black_box(store.home(Timestamp::now()));
    let (after, peak) = rss();
    #[allow(clippy::print_stdout)]
    {
        println!("{} {} {}", before, after, peak);
    }
    store.close()?;
    Ok(())
}

fn memory(n: usize, store_dir: &Path, raw: u64) -> Result<Figure> {
    let out = std::process::Command::new(std::env::current_exe()?).arg("memory").arg(store_dir).output()?;
    if !out.status.success() {
        return Err(format!("memory child failed: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let numbers: Vec<u64> = text.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    let [before, after, peak] = numbers[..] else {
        return Err(format!("memory child said «{text}»").into());
    };
    let mb = |b: u64| b as f64 / 1e6;
    let mut fig = Figure::new(
        "backend memory once open",
        Some(n),
        "MB",
        Stats::single(mb(after.saturating_sub(before))),
    )
    .peer("raw size of the records", Stats::single(mb(raw)))
    .note(format!(
        "RSS growth of a process that opened the store, searched and drew home; peak RSS {:.0} MB",
        mb(peak)
    ));
    if n >= 100_000 {
        fig = fig.target(On::Median, None, Some(2.0));
    }
    Ok(fig)
}

fn dir_size(path: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else { return 0 };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

/// Every record updated ten times, one save at a time as people edit them (each durable),
/// then the size of the store's files against the raw size of the records; and, with the audit
/// log those saves wrote, how long a record's page takes to get its history.
fn disk_after_updates(n: usize, store_dir: &Path, raw: u64) -> Result<Vec<Figure>> {
    let t = Instant::now();
    let store = Store::open(store_dir)?;
    let ids: Vec<vinculo_core::Id> =
        vinculo_core::RecordKind::ALL.into_iter().flat_map(|kind| store.list(kind)).map(|r| r.id).collect();
    let mut saves = 0;
    for round in 1..=10 {
        for id in &ids {
            let mut record = store.get_any(id)?;
            touch(&mut record, round);
            match record {
                AnyRecord::Organization(o) => drop(store.save_organization(o)?),
                AnyRecord::Contact(c) => drop(store.save_contact(c)?),
                AnyRecord::Meeting(m) => {
                    drop(store.save_meeting(WithCommitments { record: m, commitments: vec![] }, &[])?)
                }
                AnyRecord::Agreement(a) => {
                    drop(store.save_agreement(WithCommitments { record: a, commitments: vec![] }, &[])?)
                }
                AnyRecord::Commitment(c) => drop(store.save_commitment(c)?),
                AnyRecord::Activity(a) => {
                    drop(store.save_activity(WithCommitments { record: a, commitments: vec![] }, &[])?)
                }
                AnyRecord::Document(d) => drop(store.save_document(d)?),
            }
            saves += 1;
        }
    }
    let history: Vec<Duration> = ids
        .iter()
        .step_by((ids.len() / 20).max(1))
        .take(20)
        .map(|id| {
            let t = Instant::now();
            let filter = vinculo_core::AuditFilter { record: Some(id.clone()), ..Default::default() };
            let view = store.audit_view(&filter).map(|v| (v.matched, v.verification.intact));
            let took = t.elapsed();
            // Ten updates, and its creation when it was saved (the durable-save figure) rather
            // than imported.
            assert!(matches!(view, Ok((10..=11, true))), "every save of {id} logged once: {view:?}");
            took
        })
        .collect();
    let entries = store.audit_view(&vinculo_core::AuditFilter::default())?.verification.entries;
    store.close()?;
    let audit_bytes = std::fs::metadata(store_dir.join("audit.log")).map_or(0, |m| m.len());
    let on_disk: u64 = std::fs::read_dir(store_dir)?
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("store"))
        .map(|e| if e.path().is_dir() { dir_size(&e.path()) } else { e.metadata().map_or(0, |m| m.len()) })
        .sum();
    let mb = |b: u64| b as f64 / 1e6;
    say(&format!("  updated every record 10×: {saves} saves in {:.0} s", t.elapsed().as_secs_f64()));
    Ok(vec![
        Figure::new("disk after updating every record 10×", Some(n), "MB", Stats::single(mb(on_disk)))
            .peer("raw size of the records", Stats::single(mb(raw)))
            .target(On::Median, None, Some(3.0))
            .note(format!("the store's files (sled's, the saved state, the log) after {saves} durable saves, each record changed ten times; the audit log beside them, {:.1} MB, is not counted", mb(audit_bytes))),
        Figure::new("record history from the audit log", Some(n), "ms", Stats::millis(&history)).note(format!(
            "a record's 10 entries out of {entries} ({:.1} MB); the first read after opening reads the whole log and verifies its chain (the max), later ones the index it leaves in memory",
            mb(audit_bytes)
        )),
    ])
}

/// A small edit to any record, like a user's (its revision stays: the save checks it).
fn touch(record: &mut AnyRecord, round: usize) {
    let mark = format!(" (revisión {round})");
    let edit =
        |field: &mut String| *field = format!("{}{mark}", field.split(" (revisión").next().unwrap_or(""));
    match record {
        AnyRecord::Organization(o) => edit(&mut o.notes),
        AnyRecord::Contact(c) => edit(&mut c.notes),
        AnyRecord::Meeting(m) => edit(&mut m.talking_points),
        AnyRecord::Agreement(a) => edit(&mut a.notes),
        AnyRecord::Commitment(c) => edit(&mut c.evidence),
        AnyRecord::Activity(a) => edit(&mut a.notes),
        AnyRecord::Document(d) => edit(&mut d.note),
    }
}

/// A ten-page note (see [`pick_ten_page_meeting`]), from the records to the PDF's bytes, against
/// Chromium printing the same note from HTML.
fn briefing(o: &Options, n: usize, store: &Store, now: Timestamp, dir: &Path) -> Result<Figure> {
    let settings = Settings::default();
    let meeting = pick_ten_page_meeting(store, now, &settings)?;
    let mut ours = Vec::new();
    let mut pages = 0;
    let mut note = None;
    for _ in 0..reps(o, 20) {
        let t = Instant::now();
        let made = store.meeting_note(&meeting, now, &settings)?;
        let pdf = vinculo_core::briefing::render(&made)?;
        ours.push(t.elapsed());
        pages = pdf.pages;
        note = Some(made);
    }
    let note = note.ok_or("no note")?;
    let chromium = chromium::binary()?;
    let fonts = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/fonts").canonicalize()?;
    let page = dir.join("note.html");
    std::fs::write(&page, chromium::html(&note, &fonts))?;
    let pdf = dir.join("note-chromium.pdf");
    let mut theirs = Vec::new();
    let mut size = 0;
    for _ in 0..reps(o, 5) {
        let t = Instant::now();
        size = chromium::print(&chromium, &page.canonicalize()?, &pdf, dir)?;
        theirs.push(t.elapsed());
    }
    Ok(Figure::new(&format!("briefing PDF, {pages} pages"), Some(n), "ms", Stats::millis(&ours))
        .peer("Chromium --headless --print-to-pdf, cold", Stats::millis(&theirs))
        .target(On::Median, Some(50.0), Some(0.05))
        .note(format!(
            "from the records to the PDF's bytes; Chromium prints the same note from HTML ({} KB)",
            size / 1024
        )))
}

/// A meeting whose note has ten pages, or as close as any comes. A note grows with what refers
/// to its organization, so the organizations are sorted by that, the busiest first; a binary
/// search finds where their latest meetings' notes drop to ten pages, and the neighbours of that
/// point are tried until one has exactly ten.
fn pick_ten_page_meeting(store: &Store, now: Timestamp, settings: &Settings) -> Result<vinculo_core::Id> {
    let mut orgs: Vec<(usize, vinculo_core::Id)> = store
        .list(vinculo_core::RecordKind::Organization)
        .into_iter()
        .map(|o| Ok((store.references(&o.id)?.len(), o.id)))
        .collect::<Result<_>>()?;
    orgs.sort_by(|a, b| b.cmp(a));
    // The pages of the note for an organization's latest meeting, and that meeting; `None`
    // when it has no meetings.
    let note = |org: &vinculo_core::Id| -> Result<Option<(usize, vinculo_core::Id)>> {
        let Some(latest) = store.organization_overview(org, now)?.meetings.into_iter().next() else {
            return Ok(None);
        };
        let pages = vinculo_core::briefing::render(&store.meeting_note(&latest.id, now, settings)?)?.pages;
        Ok(Some((pages, latest.id)))
    };
    let (mut low, mut high) = (0, orgs.len());
    while low < high {
        let middle = (low + high) / 2;
        if note(&orgs[middle].1)?.is_some_and(|(pages, _)| pages > 10) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    let mut best: Option<(usize, vinculo_core::Id)> = None;
    for (_, org) in orgs.iter().skip(low.saturating_sub(50)).take(100) {
        let Some((pages, meeting)) = note(org)? else { continue };
        let distance = pages.abs_diff(10);
        if best.as_ref().is_none_or(|(d, _)| distance < *d) {
            best = Some((distance, meeting));
        }
        if distance == 0 {
            break;
        }
    }
    Ok(best.ok_or("no organization has meetings")?.1)
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| {
                l.strip_prefix("model name").map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned())
            })
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| s.lines().next().and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok()))
        .map_or(0, |kb| kb / 1024 / 1024);
    format!("{cpu}, {cores} cores, {mem} GiB")
}
