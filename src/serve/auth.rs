//! Who may talk to the server.
//!
//! Bound to the loopback address (the default), a request must name the
//! server by a loopback host (`127.0.0.1`, `localhost`, `[::1]`), so that a
//! web page elsewhere cannot reach it through a DNS name it controls (DNS
//! rebinding). With `--listen`, every request must carry the token: the
//! `token` query parameter of the address printed at start (which also sets
//! a cookie, so the page's own requests carry it), that cookie, or an
//! `Authorization: Bearer` header.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The cookie the token travels in after the first page load.
pub const COOKIE: &str = "vardsim_token";

/// Who may connect.
#[derive(Clone, Debug)]
pub enum Access {
    /// Loopback only: the Host header must be a loopback name.
    Local,
    /// Any address, with this token.
    Token(String),
}

/// A fresh token: 128 bits from the operating system's random keys (the
/// seeds std draws for hash maps), as hex.
pub fn new_token() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut out = String::new();
    for i in 0..2u8 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u8(i);
        out.push_str(&format!("{:016x}", h.finish()));
    }
    out
}

/// Equal, in time that does not depend on where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

fn query_token(req: &Request) -> Option<String> {
    req.uri()
        .query()?
        .split('&')
        .find_map(|kv| kv.strip_prefix("token=").map(str::to_string))
}

fn cookie_token(req: &Request) -> Option<String> {
    req.headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| {
            c.trim()
                .strip_prefix(&format!("{COOKIE}="))
                .map(str::to_string)
        })
}

fn bearer_token(req: &Request) -> Option<String> {
    req.headers()
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::to_string)
}

/// Whether a Host header names this machine's loopback interface.
pub fn loopback_host(host: &str) -> bool {
    let name = if host.starts_with('[') {
        host.split(']')
            .next()
            .map(|h| format!("{h}]"))
            .unwrap_or_default()
    } else {
        host.split(':').next().unwrap_or_default().to_string()
    };
    matches!(name.as_str(), "127.0.0.1" | "localhost" | "[::1]")
}

fn refuse(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(serde_json::json!({ "error": message }))).into_response()
}

/// The middleware: refuses what [`Access`] does not allow.
pub async fn check(State(access): State<Arc<Access>>, req: Request, next: Next) -> Response {
    match access.as_ref() {
        Access::Local => {
            let host = req
                .headers()
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or_default();
            if !loopback_host(host) {
                return refuse(
                    StatusCode::FORBIDDEN,
                    "this server answers only to 127.0.0.1 or localhost (start it with --listen to serve others)",
                );
            }
            next.run(req).await
        }
        Access::Token(token) => {
            let from_query = query_token(&req).is_some_and(|t| same(&t, token));
            let ok = from_query
                || cookie_token(&req).is_some_and(|t| same(&t, token))
                || bearer_token(&req).is_some_and(|t| same(&t, token));
            if !ok {
                return refuse(
                    StatusCode::UNAUTHORIZED,
                    "a token is required: open the address vardsim serve printed (it ends in ?token=…)",
                );
            }
            let mut response = next.run(req).await;
            if from_query
                && let Ok(v) = HeaderValue::from_str(&format!(
                    "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
                ))
            {
                response.headers_mut().insert(header::SET_COOKIE, v);
            }
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_only() {
        assert!(loopback_host("127.0.0.1:8080"));
        assert!(loopback_host("localhost:8080"));
        assert!(loopback_host("[::1]:8080"));
        assert!(!loopback_host("evil.example:8080"));
        assert!(!loopback_host("127.0.0.1.evil.example"));
        assert!(!loopback_host(""));
    }

    #[test]
    fn tokens_are_long_and_differ() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert!(same(&a, &a.clone()) && !same(&a, &b));
    }
}
