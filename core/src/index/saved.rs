//! The projection (the catalog and the search index) saved beside the store in `store.state`,
//! so that opening a store of half a million records reads one file instead of decoding every
//! record.
//!
//! The file says which store it belongs to (the id kept in the store's `meta` tree) and the
//! number of the last change it holds, and carries a CRC-32 of its body. It is a cache: when
//! it is missing, damaged, from another store or another format, or older than the store and
//! the store's journal does not cover the difference, the projection is rebuilt from the records.
//! Written when the store closes (and after a rebuild), read when it opens; it is never
//! fsynced, since a copy lost to a crash is only rebuilt.
//!
//! Layout, little-endian: `VNCSTATE`, format (u32), store id (u128), change number (u64), and
//! the length and CRC-32 of each section (u64, u32); then the catalog section (the summaries
//! slot by slot, then their text and reference arenas) and the index section (terms in order
//! with their bitmaps in roaring's portable format, exact-value holders, title prefixes), each
//! an LZ4 block. The two sections are read, checked, decompressed and decoded on two threads.
//! An encrypted store's file starts `VNCSTSLD` instead, and each LZ4 block is sealed with the
//! store's data key (`crate::crypto`), bound to the header's first 36 bytes (magic, format,
//! store id, change number) and the section's name: its CRC-32 is of the sealed bytes.

use super::Projection;
use super::catalog::{Catalog, Detail, Parts, Summary, Text};
use super::key::{Key, Slot};
use super::search::{SearchField, SearchIndex, Term};
use crate::crypto::DataKey;
use crate::model::{
    ActivityKind, ActivityStatus, AgreementKind, AgreementStatus, CommitmentStatus, Modality, OrgKind, Party,
    RecordKind, RelationshipStatus,
};
use jiff::Timestamp;
use jiff::civil::Date;
use roaring::RoaringBitmap;
use std::collections::BTreeMap;
use std::path::Path;

const MAGIC: &[u8; 8] = b"VNCSTATE";
/// The magic of an encrypted store's file.
const MAGIC_SEALED: &[u8; 8] = b"VNCSTSLD";
/// What a sealed section is bound to, after the header's first bytes.
const SECTIONS: [&[u8]; 2] = [b"catalog", b"index"];
/// The header's bytes a sealed section is bound to: magic, format, store id, change number.
const BOUND_HEADER: usize = 8 + 4 + 16 + 8;
/// Bump whenever what is saved, or how records are summed up or split into words, changes:
/// a projection saved by another format is rebuilt, never read.
const FORMAT: u32 = 4;
const HEADER: usize = 8 + 4 + 16 + 8 + 2 * (8 + 4);

/// Why a saved projection cannot be used (it is then rebuilt; never shown to anyone).
#[derive(Debug)]
pub(crate) struct Unusable(pub &'static str);

type Decoded<T> = Result<T, Unusable>;

/// Which store a saved projection belongs to, and the change it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SavedAt {
    pub store: u128,
    pub seq: u64,
}

// ------------------------------------------------------------------------------ writing

struct Out(Vec<u8>);

impl Out {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u16(&mut self, v: u16) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn i64(&mut self, v: i64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u128(&mut self, v: u128) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn len(&mut self, n: usize) {
        self.u32(u32::try_from(n).expect("fewer than 4 billion items"));
    }
    fn str(&mut self, s: &str) {
        self.len(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }
    fn text(&mut self, t: Text) {
        self.u32(t.at);
        self.u32(t.len);
    }
    fn date(&mut self, d: Option<Date>) {
        match d {
            None => self.u8(0),
            Some(d) => {
                self.u8(1);
                self.u16(d.year() as u16);
                self.u8(d.month() as u8);
                self.u8(d.day() as u8);
            }
        }
    }
    fn timestamp(&mut self, t: Option<Timestamp>) {
        match t {
            None => self.u8(0),
            Some(t) => {
                self.u8(1);
                self.i64(t.as_second());
                self.u32(t.subsec_nanosecond() as u32);
            }
        }
    }
}

fn write_summary(out: &mut Out, s: &Summary) {
    out.u8(s.key.kind as u8);
    out.u128(s.key.bits());
    out.u64(s.revision);
    out.timestamp(s.updated_at);
    out.text(s.title);
    out.text(s.refs);
    out.u8(u8::from(s.sample));
    match &s.detail {
        Detail::Organization { acronym, kind, relationship, country } => {
            out.text(*acronym);
            out.u8(*kind as u8);
            out.u8(*relationship as u8);
            out.text(*country);
        }
        Detail::Contact { has_organization, post, email } => {
            out.u8(u8::from(*has_organization));
            out.text(*post);
            out.text(*email);
        }
        Detail::Meeting { starts_at, date, time, time_zone, modality, organizations } => {
            out.timestamp(*starts_at);
            out.date(*date);
            out.u16(time.map_or(u16::MAX, |t| t));
            out.u8(u8::from(time_zone.is_some()));
            out.text(time_zone.unwrap_or_default());
            out.u8(*modality as u8);
            out.u16(*organizations);
        }
        Detail::Agreement {
            kind,
            folio,
            status,
            signed,
            valid_from,
            valid_until,
            notice_days,
            counterparts,
            has_parent,
        } => {
            out.u8(*kind as u8);
            out.text(*folio);
            out.u8(*status as u8);
            out.date(*signed);
            out.date(*valid_from);
            out.date(*valid_until);
            out.u32(*notice_days);
            out.u16(*counterparts);
            out.u8(u8::from(*has_parent));
        }
        Detail::Activity { kind, status, starts, ends, partners, has_agreement } => {
            out.u8(*kind as u8);
            out.u8(*status as u8);
            out.date(*starts);
            out.date(*ends);
            out.u16(*partners);
            out.u8(u8::from(*has_agreement));
        }
        Detail::Commitment { has_source, has_owner, party, due, status } => {
            out.u8(u8::from(*has_source));
            out.u8(u8::from(*has_owner));
            out.u8(*party as u8);
            out.date(*due);
            out.u8(*status as u8);
        }
        Detail::Document { has_record, size, attached } => {
            out.u8(u8::from(*has_record));
            out.u64(*size);
            out.timestamp(*attached);
        }
    }
}

/// The projection as the bytes of `store.state`.
pub(crate) fn encode(projection: &Projection, at: SavedAt, key: Option<&DataKey>) -> Vec<u8> {
    let Parts { entries, text, ref_lists, orphans } = projection.catalog.parts();
    // About what the catalog takes: the arenas and a summary's fixed fields per slot.
    let mut out = Out(Vec::with_capacity(text.len() + ref_lists.len() * 4 + entries.len() * 64));
    out.len(entries.len());
    for (slot, entry) in entries.iter().enumerate() {
        match (entry, orphans.get(&(slot as Slot))) {
            (Some(s), _) => {
                out.u8(1);
                write_summary(&mut out, s);
            }
            (None, Some(key)) => {
                out.u8(2);
                out.u8(key.kind as u8);
                out.u128(key.bits());
            }
            (None, None) => out.u8(0),
        }
    }
    out.str(text);
    out.len(ref_lists.len());
    for r in ref_lists {
        out.u32(*r);
    }
    let catalog = lz4_flex::block::compress_prepend_size(&out.0);
    out.0.clear();
    let index = &projection.search;
    out.len(index.vocab.len());
    let mut bitmap = Vec::new();
    for (text, term) in &index.vocab {
        out.str(text);
        out.u8(term.fields.len() as u8);
        for (field, set) in &term.fields {
            out.u8(*field as u8);
            bitmap.clear();
            set.serialize_into(&mut bitmap).expect("writing to memory does not fail");
            out.len(bitmap.len());
            out.0.extend_from_slice(&bitmap);
        }
    }
    out.len(index.keys.len());
    for (hash, holders) in &index.keys {
        out.u64(*hash);
        out.len(holders.len());
        for (slot, field) in holders {
            out.u32(*slot);
            out.u8(*field as u8);
        }
    }
    out.len(index.prefixes.len());
    for p in &index.prefixes {
        out.u128(*p);
    }
    let index = lz4_flex::block::compress_prepend_size(&out.0);
    let mut file = Out(Vec::with_capacity(HEADER + catalog.len() + index.len()));
    file.0.extend_from_slice(if key.is_some() { MAGIC_SEALED } else { MAGIC });
    file.u32(FORMAT);
    file.u128(at.store);
    file.u64(at.seq);
    let (catalog, index) = match key {
        None => (catalog, index),
        Some(key) => {
            let seal = |name: &[u8], plain: &[u8]| key.seal(&bound_to(&file.0, name), plain);
            (seal(SECTIONS[0], &catalog), seal(SECTIONS[1], &index))
        }
    };
    for section in [&catalog, &index] {
        file.u64(section.len() as u64);
        file.u32(crc32fast::hash(section));
    }
    file.0.extend_from_slice(&catalog);
    file.0.extend_from_slice(&index);
    file.0
}

/// Writes the projection to `path`: a temporary file renamed over the old one, not fsynced (see
/// the module's documentation).
pub(crate) fn save(
    path: &Path,
    projection: &Projection,
    at: SavedAt,
    key: Option<&DataKey>,
) -> std::io::Result<()> {
    let bytes = encode(projection, at, key);
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    std::fs::write(&tmp, &bytes)?;
    std::fs::rename(&tmp, path)
}

// ------------------------------------------------------------------------------ reading

struct In<'a>(&'a [u8]);

impl<'a> In<'a> {
    fn take(&mut self, n: usize) -> Decoded<&'a [u8]> {
        if self.0.len() < n {
            return Err(Unusable("truncated"));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }
    fn array<const N: usize>(&mut self) -> Decoded<[u8; N]> {
        Ok(self.take(N)?.try_into().expect("took N bytes"))
    }
    fn u8(&mut self) -> Decoded<u8> {
        Ok(self.array::<1>()?[0])
    }
    fn bool(&mut self) -> Decoded<bool> {
        Ok(self.u8()? != 0)
    }
    fn u16(&mut self) -> Decoded<u16> {
        Ok(u16::from_le_bytes(self.array()?))
    }
    fn u32(&mut self) -> Decoded<u32> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    fn u64(&mut self) -> Decoded<u64> {
        Ok(u64::from_le_bytes(self.array()?))
    }
    fn i64(&mut self) -> Decoded<i64> {
        Ok(i64::from_le_bytes(self.array()?))
    }
    fn u128(&mut self) -> Decoded<u128> {
        Ok(u128::from_le_bytes(self.array()?))
    }
    fn len(&mut self) -> Decoded<usize> {
        Ok(self.u32()? as usize)
    }
    fn str(&mut self) -> Decoded<&'a str> {
        let n = self.len()?;
        std::str::from_utf8(self.take(n)?).map_err(|_| Unusable("text"))
    }
    fn date(&mut self) -> Decoded<Option<Date>> {
        if !self.bool()? {
            return Ok(None);
        }
        let (y, m, d) = (self.u16()? as i16, self.u8()? as i8, self.u8()? as i8);
        Date::new(y, m, d).map(Some).map_err(|_| Unusable("date"))
    }
    fn timestamp(&mut self) -> Decoded<Option<Timestamp>> {
        if !self.bool()? {
            return Ok(None);
        }
        let (s, n) = (self.i64()?, self.u32()?);
        Timestamp::new(s, n as i32).map(Some).map_err(|_| Unusable("timestamp"))
    }
    fn text(&mut self) -> Decoded<Text> {
        Ok(Text { at: self.u32()?, len: self.u32()? })
    }
    fn pick<T: Copy>(&mut self, all: &[T]) -> Decoded<T> {
        all.get(usize::from(self.u8()?)).copied().ok_or(Unusable("enum"))
    }
}

fn read_summary(input: &mut In<'_>) -> Decoded<Summary> {
    use RecordKind as K;
    let kind = input.pick(&RecordKind::ALL)?;
    let key = Key::new(kind, input.u128()?);
    let revision = input.u64()?;
    let updated_at = input.timestamp()?;
    let title = input.text()?;
    let refs = input.text()?;
    let sample = input.bool()?;
    let detail = match kind {
        K::Organization => Detail::Organization {
            acronym: input.text()?,
            kind: input.pick(&OrgKind::ALL)?,
            relationship: input.pick(&RelationshipStatus::ALL)?,
            country: input.text()?,
        },
        K::Contact => {
            Detail::Contact { has_organization: input.bool()?, post: input.text()?, email: input.text()? }
        }
        K::Meeting => Detail::Meeting {
            starts_at: input.timestamp()?,
            date: input.date()?,
            time: Some(input.u16()?).filter(|&t| t != u16::MAX),
            time_zone: {
                let has = input.bool()?;
                let zone = input.text()?;
                has.then_some(zone)
            },
            modality: input.pick(&Modality::ALL)?,
            organizations: input.u16()?,
        },
        K::Agreement => Detail::Agreement {
            kind: input.pick(&AgreementKind::ALL)?,
            folio: input.text()?,
            status: input.pick(&AgreementStatus::ALL)?,
            signed: input.date()?,
            valid_from: input.date()?,
            valid_until: input.date()?,
            notice_days: input.u32()?,
            counterparts: input.u16()?,
            has_parent: input.bool()?,
        },
        K::Activity => Detail::Activity {
            kind: input.pick(&ActivityKind::ALL)?,
            status: input.pick(&ActivityStatus::ALL)?,
            starts: input.date()?,
            ends: input.date()?,
            partners: input.u16()?,
            has_agreement: input.bool()?,
        },
        K::Commitment => Detail::Commitment {
            has_source: input.bool()?,
            has_owner: input.bool()?,
            party: input.pick(&Party::ALL)?,
            due: input.date()?,
            status: input.pick(&CommitmentStatus::ALL)?,
        },
        K::Document => {
            Detail::Document { has_record: input.bool()?, size: input.u64()?, attached: input.timestamp()? }
        }
    };
    Ok(Summary { key, revision, updated_at, title, refs, sample, detail })
}

fn read_catalog(mut input: In<'_>) -> Decoded<Catalog> {
    let n = input.len()?;
    let mut entries = Vec::with_capacity(n);
    let mut orphans = Vec::new();
    for slot in 0..n {
        entries.push(match input.u8()? {
            0 => None,
            1 => Some(read_summary(&mut input)?),
            2 => {
                let kind = input.pick(&RecordKind::ALL)?;
                orphans.push((slot as Slot, Key::new(kind, input.u128()?)));
                None
            }
            _ => return Err(Unusable("slot")),
        });
    }
    let text = input.str()?.to_owned();
    let n = input.len()?;
    let ref_bytes = input.take(n.checked_mul(4).ok_or(Unusable("references"))?)?;
    let ref_lists: Vec<Slot> =
        ref_bytes.chunks_exact(4).map(|c| u32::from_le_bytes(c.try_into().expect("4 bytes"))).collect();
    if !input.0.is_empty() {
        return Err(Unusable("catalog length"));
    }
    // Every handle within its arena and on character boundaries, every reference a slot.
    let text_ok = |t: Text| text.get(t.at as usize..(t.at as usize).saturating_add(t.len as usize)).is_some();
    let refs_ok =
        |t: Text| (t.at as usize).checked_add(t.len as usize).is_some_and(|end| end <= ref_lists.len());
    let handles_ok = entries.iter().flatten().all(|s| s.texts().all(text_ok) && refs_ok(s.refs));
    if !handles_ok || ref_lists.iter().any(|&r| r as usize >= entries.len()) {
        return Err(Unusable("handles"));
    }
    let catalog = Catalog::from_parts(entries, text, ref_lists, orphans);
    Ok(catalog)
}

fn read_index(mut input: In<'_>) -> Decoded<SearchIndex> {
    let n = input.len()?;
    let mut vocab: Vec<(Box<str>, Term)> = Vec::with_capacity(n);
    for _ in 0..n {
        let text: Box<str> = input.str()?.into();
        let fields = input.u8()?;
        let mut term = Term { fields: Vec::with_capacity(usize::from(fields)) };
        for _ in 0..fields {
            let field = SearchField::from_index(input.u8()?).ok_or(Unusable("field"))?;
            let len = input.len()?;
            let set = RoaringBitmap::deserialize_unchecked_from(input.take(len)?)
                .map_err(|_| Unusable("bitmap"))?;
            term.fields.push((field, set));
        }
        if vocab.last().is_some_and(|(last, _)| *last >= text) {
            return Err(Unusable("vocabulary order"));
        }
        vocab.push((text, term));
    }
    let n = input.len()?;
    let mut keys = rustc_hash::FxHashMap::with_capacity_and_hasher(n, Default::default());
    for _ in 0..n {
        let hash = input.u64()?;
        let count = input.len()?;
        let mut holders = Vec::with_capacity(count);
        for _ in 0..count {
            holders.push((input.u32()?, SearchField::from_index(input.u8()?).ok_or(Unusable("field"))?));
        }
        keys.insert(hash, holders);
    }
    let n = input.len()?;
    let prefixes = (0..n).map(|_| input.u128()).collect::<Decoded<Vec<u128>>>()?;
    if !input.0.is_empty() {
        return Err(Unusable("index length"));
    }
    let vocab: BTreeMap<Box<str>, Term> = vocab.into_iter().collect();
    Ok(SearchIndex { vocab, keys, prefixes })
}

/// What a sealed section is bound to: the header's first bytes and the section's name.
fn bound_to(header: &[u8], section: &[u8]) -> Vec<u8> {
    [&header[..BOUND_HEADER], section].concat()
}

/// How to open a sealed section: the key and what the section is bound to.
type Opening<'a> = Option<(&'a DataKey, Vec<u8>)>;

/// Reads one section of the file at `path` (`at` bytes in), checks it, and opens it when it
/// is sealed.
fn section(path: &Path, at: u64, len: u64, crc: u32, opening: Opening<'_>) -> Decoded<Vec<u8>> {
    use std::io::{Read, Seek};
    let mut file = std::fs::File::open(path).map_err(|_| Unusable("unreadable"))?;
    file.seek(std::io::SeekFrom::Start(at)).map_err(|_| Unusable("unreadable"))?;
    let mut bytes = vec![0; usize::try_from(len).map_err(|_| Unusable("length"))?];
    file.read_exact(&mut bytes).map_err(|_| Unusable("truncated"))?;
    if crc32fast::hash(&bytes) != crc {
        return Err(Unusable("checksum"));
    }
    if let Some((key, bound)) = opening {
        let opened = key.open(&bound, &bytes).map_err(|_| Unusable("does not open with the store's key"))?;
        return lz4_flex::block::decompress_size_prepended(&opened).map_err(|_| Unusable("compression"));
    }
    lz4_flex::block::decompress_size_prepended(&bytes).map_err(|_| Unusable("compression"))
}

/// Reads the projection saved at `path`, if it is one and is whole: which store and change it
/// belongs to, and the projection. The caller checks them against the store.
pub(crate) fn load(path: &Path, key: Option<&DataKey>) -> Decoded<(SavedAt, Projection)> {
    use std::io::Read;
    let mut header = [0u8; HEADER];
    let mut file = std::fs::File::open(path).map_err(|_| Unusable("unreadable"))?;
    file.read_exact(&mut header).map_err(|_| Unusable("header"))?;
    let size = file.metadata().map_err(|_| Unusable("unreadable"))?.len();
    drop(file);
    let mut head = In(&header);
    let magic = head.take(8)?;
    if magic != if key.is_some() { MAGIC_SEALED } else { MAGIC } || head.u32()? != FORMAT {
        return Err(Unusable("another format"));
    }
    let opening = |name: &[u8]| key.map(|key| (key, bound_to(&header, name)));
    let at = SavedAt { store: head.u128()?, seq: head.u64()? };
    let (catalog_len, catalog_crc) = (head.u64()?, head.u32()?);
    let (index_len, index_crc) = (head.u64()?, head.u32()?);
    let index_at = (HEADER as u64).checked_add(catalog_len).ok_or(Unusable("length"))?;
    if index_at.checked_add(index_len) != Some(size) {
        return Err(Unusable("length"));
    }
    // Each thread reads, checks, decodes and frees its own section.
    let (catalog, index) = std::thread::scope(|scope| {
        let index_opening = opening(SECTIONS[1]);
        let index =
            scope.spawn(|| read_index(In(&section(path, index_at, index_len, index_crc, index_opening)?)));
        let catalog = section(path, HEADER as u64, catalog_len, catalog_crc, opening(SECTIONS[0]))
            .and_then(|b| read_catalog(In(&b)));
        (catalog, index.join().unwrap_or(Err(Unusable("index thread"))))
    });
    let (catalog, index) = (catalog?, index?);
    if index.prefixes.len() > catalog.slot_count() {
        return Err(Unusable("slots"));
    }
    Ok((at, Projection { catalog, search: index }))
}
