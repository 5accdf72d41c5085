//! The briefing note's peer: the same note as an HTML page (same blocks, same fonts, Letter
//! paper, the header and "Página N de M" in the page margins) printed to PDF by Debian's
//! Chromium, headless, cold: a new profile and a new browser process for every run, as an app
//! that shells out to a browser would do.

use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use vinculo_core::briefing::{Block, Cell, Note};

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

fn css_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', " "))
}

fn cell(c: &Cell) -> String {
    let class = if c.alert { " class=\"alert\"" } else { "" };
    let note = if c.note.is_empty() {
        String::new()
    } else {
        format!("<div class=\"note\">{}</div>", escape(&c.note))
    };
    format!("<td{class}>{}{note}</td>", escape(&c.text))
}

/// The note as one self-contained page; `fonts` is the folder with the Noto Sans faces.
pub fn html(note: &Note, fonts: &Path) -> String {
    let f = &note.furniture;
    let font = |file: &str| format!("file://{}", fonts.join(file).display());
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html><html lang=\"es\"><head><meta charset=\"utf-8\"><title>{title}</title><style>
@font-face {{ font-family: Noto; src: url('{regular}'); }}
@font-face {{ font-family: Noto; font-weight: bold; src: url('{bold}'); }}
@font-face {{ font-family: Noto; font-style: italic; src: url('{italic}'); }}
@page {{ size: {w}mm {h}mm; margin: 24mm 20mm 20mm 20mm;
  @top-left {{ content: {head}; font: 8pt Noto; color: #52616a; }}
  @top-right {{ content: {internal}; font: bold 8pt Noto; color: #9b2c1f; }}
  @bottom-left {{ content: {taken}; font: 8pt Noto; color: #52616a; }}
  @bottom-right {{ content: {page}; font: 8pt Noto; color: #52616a; }} }}
body {{ font: 10pt/1.35 Noto, sans-serif; color: #1d2a30; }}
h1 {{ font-size: 16pt; color: #0f4c5c; margin: 0 0 2mm; }}
.subject {{ font-size: 12pt; margin: 0 0 5mm; }}
h2 {{ font-size: 12pt; color: #0f4c5c; border-bottom: 0.3mm solid #c4beb2; break-after: avoid; margin: 6mm 0 2mm; }}
h3 {{ font-size: 10.5pt; break-after: avoid; margin: 3mm 0 1mm; }}
p {{ text-align: justify; margin: 0 0 2mm; }}
dl {{ display: grid; grid-template-columns: 45mm 1fr; gap: 1mm 4mm; margin: 0 0 2mm; }}
dt {{ color: #52616a; }} dd {{ margin: 0; }}
table {{ width: 100%; border-collapse: collapse; margin: 0 0 3mm; }}
thead {{ display: table-header-group; }}
th {{ background: #e3eef0; text-align: left; font-size: 9pt; padding: 1mm; }}
td {{ border-bottom: 0.2mm solid #c4beb2; vertical-align: top; padding: 1mm; font-size: 9pt; }}
tr {{ break-inside: avoid; }}
td.alert {{ color: #9b2c1f; }}
.note {{ color: #52616a; font-size: 8pt; }}
</style></head><body><h1>{title}</h1><p class=\"subject\">{subject}</p>",
        title = escape(&f.title),
        subject = escape(&f.subject),
        regular = font("NotoSans-Regular.ttf"),
        bold = font("NotoSans-Bold.ttf"),
        italic = font("NotoSans-Italic.ttf"),
        w = note.paper.width,
        h = note.paper.height,
        head = css_string(&format!("{} · {}", f.institution, f.area)),
        internal = css_string(&f.internal),
        taken = css_string(&f.taken_at),
        // "Página {n} de {m}" with CSS page counters in place of the numbers.
        page = f
            .page_label
            .split("{n}")
            .map(|part| {
                part.split("{m}").map(css_string).collect::<Vec<_>>().join(" counter(pages) ")
            })
            .collect::<Vec<_>>()
            .join(" counter(page) "),
    );
    for block in &note.blocks {
        match block {
            Block::Heading(t) => {
                let _ = write!(out, "<h2>{}</h2>", escape(t));
            }
            Block::Subheading(t) => {
                let _ = write!(out, "<h3>{}</h3>", escape(t));
            }
            Block::Paragraph(t) => {
                let _ = write!(out, "<p>{}</p>", escape(t));
            }
            Block::Bullets(items) => {
                out.push_str("<ul>");
                for i in items {
                    let _ = write!(out, "<li>{}</li>", escape(i));
                }
                out.push_str("</ul>");
            }
            Block::Fields(pairs) => {
                out.push_str("<dl>");
                for (k, v) in pairs {
                    let _ = write!(out, "<dt>{}</dt><dd>{}</dd>", escape(k), escape(v));
                }
                out.push_str("</dl>");
            }
            Block::Bars(bars) => {
                let max = bars.rows.iter().map(|b| b.value).fold(0.0f64, f64::max).max(1.0);
                out.push_str("<table class=\"bars\">");
                for b in &bars.rows {
                    let _ = write!(
                        out,
                        "<tr><td>{}</td><td><span style=\"display:inline-block;background:#3a8091;height:.8em;width:{:.1}%\"></span> {}</td></tr>",
                        escape(&b.label),
                        b.value / max * 90.0,
                        escape(&b.shown)
                    );
                }
                out.push_str("</table>");
            }
            Block::Table(t) => {
                out.push_str("<table><colgroup>");
                for (_, width) in &t.columns {
                    let _ = write!(out, "<col style=\"width:{:.1}%\">", width * 100.0);
                }
                out.push_str("</colgroup><thead><tr>");
                for (title, _) in &t.columns {
                    let _ = write!(out, "<th>{}</th>", escape(title));
                }
                out.push_str("</tr></thead><tbody>");
                for row in &t.rows {
                    out.push_str("<tr>");
                    for c in row {
                        out.push_str(&cell(c));
                    }
                    out.push_str("</tr>");
                }
                out.push_str("</tbody></table>");
            }
        }
    }
    out.push_str("</body></html>");
    out
}

/// Debian's Chromium, or why it cannot be found.
pub fn binary() -> Result<PathBuf, String> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .ok_or_else(|| "Chromium is not installed (`cargo xtask bench` installs Debian's `chromium`)".into())
}

/// Prints `page` to `pdf` with a cold Chromium (a new profile under `work`). Returns the PDF's
/// size in bytes.
pub fn print(chromium: &Path, page: &Path, pdf: &Path, work: &Path) -> Result<u64, String> {
    let profile = tempfile::tempdir_in(work).map_err(|e| format!("profile dir: {e}"))?;
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
            "--allow-file-access-from-files",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .map_err(|e| format!("cannot run {}: {e}", chromium.display()))?;
    let size = std::fs::metadata(pdf).map(|m| m.len()).unwrap_or(0);
    if !out.status.success() || size == 0 {
        return Err(format!(
            "chromium failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or("")
        ));
    }
    Ok(size)
}
