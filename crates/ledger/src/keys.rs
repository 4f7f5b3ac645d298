//! Members' signing keys: Ed25519 (RFC 8032) through `ed25519-dalek`,
//! with strict verification (no malleable or small-order signatures).
//! Keys are made and kept by the member; the record holds public keys.

use ed25519_dalek::{Signer, SigningKey, VerifyingKey};

/// What can go wrong with keys and signatures.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum KeyError {
    /// Not a hex string of the right length.
    #[error("{what}: {why}")]
    Malformed {
        /// Which value.
        what: &'static str,
        /// Why.
        why: String,
    },
    /// The signature does not verify for these bytes and this key.
    #[error("the signature does not match the signed bytes and the member's public key")]
    BadSignature,
}

/// A member's key pair.
pub struct MemberKey(SigningKey);

impl MemberKey {
    /// A new key from the operating system's random source.
    pub fn generate() -> MemberKey {
        MemberKey(SigningKey::generate(&mut rand_core::OsRng))
    }

    /// The key from its 32-byte secret seed, hex.
    pub fn from_secret_hex(hex_seed: &str) -> Result<MemberKey, KeyError> {
        let bytes: [u8; 32] = decode(hex_seed, "secret key")?;
        Ok(MemberKey(SigningKey::from_bytes(&bytes)))
    }

    /// The secret seed, hex (for the member's own key file only).
    pub fn secret_hex(&self) -> String {
        hex::encode(self.0.to_bytes())
    }

    /// The public key, hex.
    pub fn public_hex(&self) -> String {
        hex::encode(self.0.verifying_key().to_bytes())
    }

    /// The signature of `message`, hex.
    pub fn sign(&self, message: &[u8]) -> String {
        hex::encode(self.0.sign(message).to_bytes())
    }
}

fn decode<const N: usize>(s: &str, what: &'static str) -> Result<[u8; N], KeyError> {
    let v = hex::decode(s.trim()).map_err(|e| KeyError::Malformed {
        what,
        why: format!("not hexadecimal ({e})"),
    })?;
    let n = v.len();
    v.try_into().map_err(|_| KeyError::Malformed {
        what,
        why: format!("{n} bytes where {N} are needed"),
    })
}

/// Whether `s` is `bytes` bytes as lower-case hexadecimal: the one text
/// form of a key, hash or signature in the record (`AB` and `ab` would
/// otherwise be two texts, two leaves, for one signature).
pub fn is_lower_hex(s: &str, bytes: usize) -> bool {
    s.len() == 2 * bytes && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Check that `public` is an Ed25519 public key a member may hold: 32
/// bytes in lower-case hex that decode to a point of the curve (RFC 8032
/// §5.1.3) and not of small order (such a "key" verifies signatures that
/// no one made).
pub fn check_public(public: &str) -> Result<(), KeyError> {
    if !is_lower_hex(public, 32) {
        return Err(KeyError::Malformed {
            what: "public key",
            why: "not 32 bytes as 64 lower-case hexadecimal digits".into(),
        });
    }
    let key: [u8; 32] = decode(public, "public key")?;
    let key = VerifyingKey::from_bytes(&key).map_err(|_| KeyError::Malformed {
        what: "public key",
        why: "not a point of the Ed25519 curve".into(),
    })?;
    if key.is_weak() {
        return Err(KeyError::Malformed {
            what: "public key",
            why: "a point of small order (it would verify forged signatures)".into(),
        });
    }
    Ok(())
}

/// Check `signature` (hex) over `message` by the holder of `public` (hex).
pub fn verify(public: &str, message: &[u8], signature: &str) -> Result<(), KeyError> {
    let key: [u8; 32] = decode(public, "public key")?;
    let key = VerifyingKey::from_bytes(&key).map_err(|e| KeyError::Malformed {
        what: "public key",
        why: e.to_string(),
    })?;
    let sig: [u8; 64] = decode(signature, "signature")?;
    let sig = ed25519_dalek::Signature::from_bytes(&sig);
    key.verify_strict(message, &sig)
        .map_err(|_| KeyError::BadSignature)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 8032 §7.1, tests 1 and 2.
    #[test]
    fn rfc_8032_vectors() {
        let k = MemberKey::from_secret_hex(
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
        )
        .unwrap();
        assert_eq!(
            k.public_hex(),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
        );
        let sig = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
        assert_eq!(k.sign(b""), sig);
        assert_eq!(verify(&k.public_hex(), b"", sig), Ok(()));
        let k2 = MemberKey::from_secret_hex(
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
        )
        .unwrap();
        assert_eq!(
            k2.public_hex(),
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"
        );
        assert_eq!(
            k2.sign(&[0x72]),
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        );
    }

    #[test]
    fn other_bytes_other_keys_and_malformed_input_are_refused() {
        let k = MemberKey::generate();
        let sig = k.sign(b"section 3, agreed line");
        assert_eq!(
            verify(&k.public_hex(), b"section 3, agreed line", &sig),
            Ok(())
        );
        assert_eq!(
            verify(&k.public_hex(), b"section 3, agreed line.", &sig),
            Err(KeyError::BadSignature)
        );
        let other = MemberKey::generate();
        assert_eq!(
            verify(&other.public_hex(), b"section 3, agreed line", &sig),
            Err(KeyError::BadSignature)
        );
        let e = verify("zz", b"", &sig).unwrap_err();
        assert!(e.to_string().contains("public key: not hexadecimal"), "{e}");
        let e = verify(&k.public_hex(), b"", "00").unwrap_err();
        assert!(e.to_string().contains("1 bytes where 64"), "{e}");
        // The secret round-trips through its hex form.
        let again = MemberKey::from_secret_hex(&k.secret_hex()).unwrap();
        assert_eq!(again.public_hex(), k.public_hex());
    }

    #[test]
    fn public_keys_must_be_valid_points_in_one_text_form() {
        let k = MemberKey::generate();
        assert_eq!(check_public(&k.public_hex()), Ok(()));
        let upper = k.public_hex().to_uppercase();
        assert!(check_public(&upper).is_err());
        assert!(check_public(&k.public_hex()[..62]).is_err());
        // The identity point (small order) and a y with no point on the
        // curve (2^255 − 20 > p: not canonical).
        let identity = format!("01{}", "00".repeat(31));
        let e = check_public(&identity).unwrap_err();
        assert!(e.to_string().contains("small order"), "{e}");
        let mut off = "ec".to_string();
        off.push_str(&"ff".repeat(30));
        off.push_str("7f");
        assert!(check_public(&off).is_err(), "{off}");
        assert!(is_lower_hex("00ff", 2) && !is_lower_hex("00FF", 2) && !is_lower_hex("0ff", 2));
    }
}
