//! Access tokens bound to a member's key, made by the member offline.
//!
//! A token states the commission, the member and an expiry, and carries
//! the member's Ed25519 signature over that statement. The service checks
//! it against the member's key as the record holds it now, so a revoked
//! key's tokens stop working at once, and the service never holds a
//! secret: nothing it stores lets anyone act as a member. A token is what
//! a GIS that cannot sign requests (QGIS, GDAL) sends as
//! `Authorization: Bearer …`.
//!
//! Form: `tmn1.<payload hex>.<signature hex>`, the payload being the
//! RFC 8785 canonical JSON `{"commission", "expires", "member"}`
//! (`expires` in Unix seconds) and the signature over the bytes
//! `terminus-token\n` followed by the payload (a separate domain: no
//! token signature can pass for an event's, whose bytes start with `{`).

use crate::canonical::canonical;
use crate::keys::{self, MemberKey};
use serde_json::json;

const PREFIX: &str = "tmn1.";
const DOMAIN: &[u8] = b"terminus-token\n";

/// What a token claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claims {
    /// The commission.
    pub commission: String,
    /// The member.
    pub member: String,
    /// Expiry, Unix seconds.
    pub expires: u64,
}

/// Why a token is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Not a token at all.
    #[error("not a Terminus token ({0})")]
    Malformed(&'static str),
    /// The signature does not verify with the member's key.
    #[error("the token's signature does not verify with {member}'s key: {why}")]
    Signature {
        /// The member claimed.
        member: String,
        /// Why.
        why: String,
    },
}

/// Make a token for `member` of `commission`, valid until `expires`
/// (Unix seconds).
pub fn issue(key: &MemberKey, commission: &str, member: &str, expires: u64) -> String {
    let payload =
        canonical(&json!({"commission": commission, "member": member, "expires": expires}));
    let mut signed = DOMAIN.to_vec();
    signed.extend_from_slice(&payload);
    format!("{PREFIX}{}.{}", hex::encode(&payload), key.sign(&signed))
}

/// The longest token text accepted (its payload names a commission and a
/// member, each at most a few hundred bytes).
pub const MAX_LEN: usize = 2048;

/// A token's two parts, checked to be in the one text form a token has:
/// `tmn1.`, the payload in lower-case hex, `.`, the 64-byte signature in
/// lower-case hex. Any other spelling of the same token (upper-case hex,
/// padding, spaces) is refused, so that one token has one text.
fn parts(token: &str) -> Result<(&str, &str), TokenError> {
    if token.len() > MAX_LEN {
        return Err(TokenError::Malformed("longer than any token"));
    }
    let rest = token
        .strip_prefix(PREFIX)
        .ok_or(TokenError::Malformed("it does not start with tmn1."))?;
    let (payload, signature) = rest
        .split_once('.')
        .ok_or(TokenError::Malformed("no signature part"))?;
    let lower_hex = |s: &str| s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if payload.is_empty() || payload.len() % 2 != 0 || !lower_hex(payload) {
        return Err(TokenError::Malformed(
            "its payload is not lower-case hexadecimal",
        ));
    }
    if !keys::is_lower_hex(signature, 64) {
        return Err(TokenError::Malformed(
            "its signature is not 128 lower-case hexadecimal digits",
        ));
    }
    Ok((payload, signature))
}

/// Read what a token claims, without checking its signature (the member's
/// key is needed for that: [`check`]). The payload must be the canonical
/// JSON `{"commission", "expires", "member"}` and nothing else.
pub fn claims(token: &str) -> Result<Claims, TokenError> {
    let (payload, _) = parts(token)?;
    let bytes = hex::decode(payload).map_err(|_| TokenError::Malformed("payload is not hex"))?;
    let text =
        std::str::from_utf8(&bytes).map_err(|_| TokenError::Malformed("payload is not text"))?;
    crate::canonical::check(text)
        .map_err(|_| TokenError::Malformed("payload is not canonical JSON"))?;
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|_| TokenError::Malformed("payload is not JSON"))?;
    if v.as_object().map(|o| o.len()) != Some(3) {
        return Err(TokenError::Malformed(
            "payload is not {commission, expires, member}",
        ));
    }
    match (
        v["commission"].as_str(),
        v["member"].as_str(),
        v["expires"].as_u64(),
    ) {
        (Some(c), Some(m), Some(x)) => Ok(Claims {
            commission: c.into(),
            member: m.into(),
            expires: x,
        }),
        _ => Err(TokenError::Malformed(
            "payload lacks commission, member or expires",
        )),
    }
}

/// Check a token's signature with the public key (hex) the record holds
/// for its member; the claims when it verifies.
pub fn check(token: &str, public_key: &str) -> Result<Claims, TokenError> {
    let c = claims(token)?;
    let (payload, signature) = parts(token)?;
    let mut signed = DOMAIN.to_vec();
    signed.extend_from_slice(
        &hex::decode(payload).map_err(|_| TokenError::Malformed("payload is not hex"))?,
    );
    keys::verify(public_key, &signed, signature).map_err(|e| TokenError::Signature {
        member: c.member.clone(),
        why: e.to_string(),
    })?;
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_verifies_with_its_members_key_only() {
        let (k, other) = (MemberKey::generate(), MemberKey::generate());
        let t = issue(&k, "AM-AZ", "arm-head", 1_900_000_000);
        let c = check(&t, &k.public_hex()).unwrap();
        assert_eq!(c.member, "arm-head");
        assert_eq!(c.expires, 1_900_000_000);
        assert!(matches!(
            check(&t, &other.public_hex()),
            Err(TokenError::Signature { .. })
        ));
        // A changed claim (a later expiry) no longer verifies.
        let forged = issue(&other, "AM-AZ", "arm-head", 1_900_000_000);
        let (head, _) = forged.rsplit_once('.').unwrap();
        let (_, sig) = t.rsplit_once('.').unwrap();
        let later = format!(
            "{PREFIX}{}.{sig}",
            hex::encode(canonical(
                &json!({"commission": "AM-AZ", "member": "arm-head", "expires": 1_900_000_001u64})
            ))
        );
        assert!(check(&later, &k.public_hex()).is_err());
        assert!(check(&format!("{head}.{sig}"), &k.public_hex()).is_ok());
        assert!(matches!(claims("Bearer x"), Err(TokenError::Malformed(_))));
    }

    /// One token, one text: other spellings of a valid token are refused.
    #[test]
    fn a_token_has_one_text() {
        let k = MemberKey::generate();
        let t = issue(&k, "AM-AZ", "arm-head", 1_900_000_000);
        assert!(check(&t, &k.public_hex()).is_ok());
        let (head, sig) = t.rsplit_once('.').unwrap();
        let variants = [
            format!("{head}.{}", sig.to_uppercase()),
            t.to_uppercase(),
            format!("{t} "),
            format!(" {t}"),
            format!("{t}.00"),
            format!("{head}.{sig}00"),
            format!("tmn1.{}.{sig}", head[5..].to_uppercase()),
            "tmn1.".to_string() + &"ab".repeat(MAX_LEN),
        ];
        for v in &variants {
            assert!(check(v, &k.public_hex()).is_err(), "{v}");
        }
        // A payload that is JSON but not canonical, or has extra members.
        let sign = |payload: &str| {
            let mut signed = DOMAIN.to_vec();
            signed.extend_from_slice(payload.as_bytes());
            format!("{PREFIX}{}.{}", hex::encode(payload), k.sign(&signed))
        };
        for p in [
            r#"{"commission": "AM-AZ","expires":1900000000,"member":"arm-head"}"#,
            r#"{"commission":"AM-AZ","expires":1900000000,"member":"arm-head","role":"head"}"#,
            r#"{"commission":"AM-AZ","expires":1.9e9,"member":"arm-head"}"#,
        ] {
            assert!(
                matches!(claims(&sign(p)), Err(TokenError::Malformed(_))),
                "{p}"
            );
        }
        let ok = sign(r#"{"commission":"AM-AZ","expires":1900000000,"member":"arm-head"}"#);
        assert_eq!(ok, t);
    }
}
