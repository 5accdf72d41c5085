//! The IPC error contract: every command fails with `{kind, code, field, params}` (plus what
//! the kind needs: all violations, the current record of a conflict, the referrers of a refused
//! delete). The UI branches on `kind` and translates `code`; Rust builds no user-facing prose.

use serde::Serialize;
use serde_json::{Map, Value};
use vinculo_core::{AnyRecord, Error, RecordRef, Violation};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Kind {
    /// Input broke a rule: show `violations` at their fields.
    Invalid,
    NotFound,
    /// The record changed since it was loaded (`current` holds it), or the action does not
    /// fit the store's state (sample data into a non-empty store).
    Conflict,
    /// A delete refused because other records point at this one (`references`).
    Referenced,
    /// The store cannot be used: locked by another instance, from a newer version, damaged.
    Unavailable,
    /// The disk refused: full, read-only, failing. Nothing was acknowledged.
    Storage,
    /// The system would not do what was asked of it (no program to open a link with).
    System,
    /// A bug.
    Internal,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IpcError {
    pub kind: Kind,
    pub code: String,
    pub field: Option<String>,
    pub params: Map<String, Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub violations: Vec<Violation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<Box<AnyRecord>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<RecordRef>,
}

impl IpcError {
    pub fn new(kind: Kind, code: &str) -> IpcError {
        IpcError {
            kind,
            code: code.to_owned(),
            field: None,
            params: Map::new(),
            violations: Vec::new(),
            current: None,
            references: Vec::new(),
        }
    }

    pub fn with(mut self, key: &str, value: impl Into<Value>) -> IpcError {
        self.params.insert(key.to_owned(), value.into());
        self
    }

    pub fn invalid(violations: Vec<Violation>) -> IpcError {
        let first = violations.first().cloned();
        let mut e = IpcError::new(Kind::Invalid, "badInput");
        if let Some(first) = first {
            e.code = serde_json::to_value(first.code)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            e.field = Some(first.field);
            e.params = first.params.into_iter().collect();
        }
        e.violations = violations;
        e
    }
}

impl From<Error> for IpcError {
    fn from(e: Error) -> IpcError {
        match e {
            Error::Invalid(violations) => IpcError::invalid(violations),
            Error::NotFound { kind, id } => IpcError::new(Kind::NotFound, "notFound")
                .with("kind", serde_json::to_value(kind).unwrap_or_default())
                .with("id", id.as_str()),
            Error::Conflict { current, .. } => {
                let mut e =
                    IpcError::new(Kind::Conflict, "staleRevision").with("revision", current.revision());
                e.current = Some(current);
                e
            }
            Error::Referenced { id, by } => {
                let mut e = IpcError::new(Kind::Referenced, "referenced")
                    .with("id", id.as_str())
                    .with("count", by.len());
                e.references = by;
                e
            }
            Error::NotEmpty => IpcError::new(Kind::Conflict, "storeNotEmpty"),
            Error::Locked => IpcError::new(Kind::Unavailable, "storeLocked"),
            Error::Encrypted => IpcError::new(Kind::Unavailable, "storeEncrypted"),
            Error::NewerSchema { found, supported } => IpcError::new(Kind::Unavailable, "storeNewer")
                .with("found", found)
                .with("supported", supported),
            Error::Corrupt { detail } => {
                log::error!("store damaged: {detail}");
                IpcError::new(Kind::Unavailable, "storeDamaged")
            }
            Error::DiskFull => IpcError::new(Kind::Storage, "diskFull"),
            Error::Render { detail } => {
                log::error!("rendering failed: {detail}");
                IpcError::new(Kind::Internal, "internal")
            }
            Error::Io(io) => {
                log::error!("storage I/O error: {io}");
                let code = match io.kind() {
                    std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied => {
                        "readOnly"
                    }
                    _ => "io",
                };
                IpcError::new(Kind::Storage, code)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use vinculo_core::{Code, Id, Organization, RecordKind};

    fn json_of(e: Error) -> Value {
        serde_json::to_value(IpcError::from(e)).expect("serializes")
    }

    #[test]
    fn invalid_carries_the_first_violation_and_all_of_them() {
        let v = vec![
            Violation::new("emails[1].value", Code::InvalidEmail),
            Violation::new("fullName", Code::TooLong).with("max", 300).with("unit", "chars"),
        ];
        assert_eq!(
            json_of(Error::Invalid(v)),
            json!({
                "kind": "invalid", "code": "invalidEmail", "field": "emails[1].value", "params": {},
                "violations": [
                    {"code": "invalidEmail", "field": "emails[1].value", "params": {}},
                    {"code": "tooLong", "field": "fullName", "params": {"max": 300, "unit": "chars"}}
                ]
            })
        );
    }

    #[test]
    fn not_found_names_kind_and_id_only() {
        let id = Id::parse("per_0193f5c2a1b27c3d8e9f0a1b2c3d4e5f").expect("valid id");
        assert_eq!(
            json_of(Error::NotFound { kind: RecordKind::Contact, id }),
            json!({"kind": "notFound", "code": "notFound", "field": null,
                   "params": {"kind": "contact", "id": "per_0193f5c2a1b27c3d8e9f0a1b2c3d4e5f"}})
        );
    }

    #[test]
    fn conflict_carries_the_current_record() {
        let org = Organization { name_es: "KAS".into(), revision: 3, ..Organization::default() };
        let v = json_of(Error::Conflict { expected: 2, current: Box::new(org.into()) });
        assert_eq!(v["kind"], "conflict");
        assert_eq!(v["code"], "staleRevision");
        assert_eq!(v["params"], json!({"revision": 3}));
        assert_eq!(v["current"]["kind"], "organization");
        assert_eq!(v["current"]["record"]["nameEs"], "KAS");
    }

    #[test]
    fn referenced_lists_the_referrers() {
        let id = Id::parse("org_0193f5c2a1b27c3d8e9f0a1b2c3d4e5f").expect("valid id");
        let by = vec![RecordRef { kind: RecordKind::Contact, id: id.clone(), title: "Ana".into() }];
        let v = json_of(Error::Referenced { id, by });
        assert_eq!(v["kind"], "referenced");
        assert_eq!(v["params"]["count"], 1);
        assert_eq!(
            v["references"][0],
            json!({"kind": "contact", "id": "org_0193f5c2a1b27c3d8e9f0a1b2c3d4e5f", "title": "Ana"})
        );
    }

    #[test]
    fn store_problems_are_unavailable_or_storage_with_no_detail_leaked() {
        assert_eq!(json_of(Error::Locked)["code"], "storeLocked");
        let newer = json_of(Error::NewerSchema { found: 3, supported: 1 });
        assert_eq!(
            (newer["kind"].clone(), newer["params"].clone()),
            (json!("unavailable"), json!({"found": 3, "supported": 1}))
        );
        let damaged = json_of(Error::Corrupt { detail: "record per_x in tree per".into() });
        assert_eq!(
            damaged,
            json!({"kind": "unavailable", "code": "storeDamaged", "field": null, "params": {}})
        );
        assert_eq!(json_of(Error::DiskFull)["kind"], "storage");
        let ro = json_of(Error::Io(std::io::Error::from(std::io::ErrorKind::ReadOnlyFilesystem)));
        assert_eq!((ro["kind"].clone(), ro["code"].clone()), (json!("storage"), json!("readOnly")));
        assert_eq!(json_of(Error::NotEmpty)["code"], "storeNotEmpty");
    }
}
