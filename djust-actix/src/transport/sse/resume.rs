//! `Last-Event-ID`: a reconnecting `EventSource` repeats its URL (the `mounts` of its first
//! `GET`) and sends the `id:` of the last event it read — per view target, the view session and
//! revision it holds (see [`super::stream`]). Each mount frame of a target it names resumes
//! that view session from that revision: the server answers `resumed` with the revisions after
//! it from the session's ring (or the whole HTML when the ring does not reach back), or
//! `remounted` when the session is gone.

use std::collections::HashMap;

use actix_web::HttpRequest;
use djust_core::protocol::Resume;
use serde_json::Value;

/// The header a reconnecting `EventSource` sends.
pub(crate) const LAST_EVENT_ID: &str = "Last-Event-ID";

/// The longest `Last-Event-ID` read (about 100 views); a longer one is ignored.
const MAX_ID_BYTES: usize = 16 * 1024;

/// The positions a reconnecting client holds, by target (`None`: a first `GET`, or an id that
/// is not one of ours).
pub(crate) fn last_event(req: &HttpRequest) -> Option<HashMap<String, Resume>> {
    let id = req.headers().get(LAST_EVENT_ID)?.to_str().ok()?;
    if id.len() > MAX_ID_BYTES {
        return None;
    }
    serde_json::from_str(id).ok()
}

/// Makes each mount frame of a target in `held` resume from there (other frames unchanged).
pub(crate) fn resume_mounts(mounts: &mut [Value], held: &HashMap<String, Resume>) {
    for mount in mounts {
        let Some(frame) = mount.as_object_mut() else {
            continue;
        };
        let Some(resume) = frame
            .get("target")
            .and_then(Value::as_str)
            .and_then(|target| held.get(target))
        else {
            continue;
        };
        let resume = serde_json::json!({ "vs": resume.vs, "rev": resume.rev });
        frame.insert("resume".to_owned(), resume);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;
    use serde_json::json;

    #[test]
    fn the_last_event_id_resumes_the_mounts_it_names() {
        let req = TestRequest::default()
            .insert_header((LAST_EVENT_ID, r#"{"a":{"vs":"s1.m","rev":4}}"#))
            .to_http_request();
        let held = last_event(&req).expect("our id");
        let mut mounts = vec![
            json!({"type":"mount","target":"a","resume":{"vs":"s1.m","rev":1}}),
            json!({"type":"mount","target":"b"}),
            json!("not a frame"),
        ];
        resume_mounts(&mut mounts, &held);
        assert_eq!(mounts[0]["resume"], json!({"vs":"s1.m","rev":4}));
        assert_eq!(mounts[1], json!({"type":"mount","target":"b"}));
    }

    #[test]
    fn other_ids_are_ignored() {
        for id in [
            "",
            "42",
            "{\"a\":1}",
            &format!("{{\"a\":\"{}\"}}", "x".repeat(MAX_ID_BYTES)),
        ] {
            let req = TestRequest::default()
                .insert_header((LAST_EVENT_ID, id))
                .to_http_request();
            assert!(last_event(&req).is_none(), "{id}");
        }
        assert!(last_event(&TestRequest::default().to_http_request()).is_none());
    }
}
