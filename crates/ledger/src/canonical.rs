//! Canonical JSON: the JSON Canonicalization Scheme, RFC 8785 (JCS).
//!
//! What both delegations sign must be the same bytes on every machine:
//! object members sorted by their names' UTF-16 code units, no
//! insignificant white space, strings with the minimal escapes of
//! RFC 8785 §3.2.2.2, and numbers as ECMAScript's Number.prototype.toString
//! writes them (§3.2.2.3): the shortest digits that read back to the same
//! IEEE 754 double, plain notation for exponents −7 < e < 21, else
//! `d.ddde±x`; −0 as `0`. Non-finite numbers cannot occur in JSON.

use serde_json::Value;

/// The canonical bytes of `value` (RFC 8785).
///
/// ```
/// use terminus_ledger::canonical::canonical;
/// let v = serde_json::json!({"b": [1e21, 1e-7, -0.0, 0.000001], "a": "é\n"});
/// assert_eq!(
///     String::from_utf8(canonical(&v)).unwrap(),
///     r#"{"a":"é\n","b":[1e+21,1e-7,0,0.000001]}"#
/// );
/// ```
pub fn canonical(value: &Value) -> Vec<u8> {
    let mut out = String::new();
    write(value, &mut out);
    out.into_bytes()
}

fn write(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                // Integers beyond 2^53 are still written as the double they
                // read as, as JavaScript would.
                if i.unsigned_abs() <= 1 << 53 {
                    out.push_str(&i.to_string());
                    return;
                }
            }
            if let Some(u) = n.as_u64() {
                if u <= 1 << 53 {
                    out.push_str(&u.to_string());
                    return;
                }
            }
            out.push_str(&number(n.as_f64().unwrap_or(f64::NAN)));
        }
        Value::String(s) => string(s, out),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(x, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string(k, out);
                out.push(':');
                write(&m[k.as_str()], out);
            }
            out.push('}');
        }
    }
}

/// A string with RFC 8785's escapes: `\"`, `\\`, `\b`, `\f`, `\n`, `\r`,
/// `\t`, other controls as `\u00xx` (lower-case hex), everything else as
/// itself in UTF-8.
fn string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A double as ECMAScript's Number.prototype.toString writes it (ES2019
/// §7.1.12.1), from Rust's shortest round-trip digits.
pub fn number(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    if !x.is_finite() {
        // Not representable in JSON; serde_json never yields it.
        return "null".into();
    }
    let sign = if x < 0.0 { "-" } else { "" };
    // "d.ddddde±x": the shortest digits and the decimal exponent.
    let e = format!("{:e}", x.abs());
    let (mantissa, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let k = digits.len() as i32;
    // x = 0.digits × 10^n.
    let n = exp.parse::<i32>().unwrap_or(0) + 1;
    let body = if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        format!("{}.{}", &digits[..n as usize], &digits[n as usize..])
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let e = n - 1;
        let sign_e = if e < 0 { '-' } else { '+' };
        if k == 1 {
            format!("{digits}e{sign_e}{}", e.abs())
        } else {
            format!("{}.{}e{sign_e}{}", &digits[..1], &digits[1..], e.abs())
        }
    };
    format!("{sign}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 8785 Appendix B's IEEE 754 → JSON table (the rows whose bit
    /// patterns are given there).
    #[test]
    fn numbers_as_rfc_8785_appendix_b() {
        let rows: [(u64, &str); 13] = [
            (0x0000000000000000, "0"),
            (0x8000000000000000, "0"),
            (0x0000000000000001, "5e-324"),
            (0x8000000000000001, "-5e-324"),
            (0x7fefffffffffffff, "1.7976931348623157e+308"),
            (0xffefffffffffffff, "-1.7976931348623157e+308"),
            (0x4340000000000000, "9007199254740992"),
            (0xc340000000000000, "-9007199254740992"),
            (0x4430000000000000, "295147905179352830000"),
            (0x44b52d02c7e14af5, "9.999999999999997e+22"),
            (0x44b52d02c7e14af6, "1e+23"),
            (0x3eb0c6f7a0b5ed8d, "0.000001"),
            (0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"),
        ];
        for (bits, want) in rows {
            assert_eq!(number(f64::from_bits(bits)), want, "{bits:#x}");
        }
    }

    /// RFC 8785 §3.2.3's sorting example: by UTF-16 code units the astral
    /// "😀" (U+1F600, surrogates D83D DE00) sorts before U+FB33, though
    /// its code point is larger: "\r", "1", "\u0080", "ö", "€", "😀",
    /// "דּ".
    #[test]
    fn members_sort_by_utf16_code_units() {
        let v: Value = serde_json::from_str(
            r#"{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}"#,
        )
        .unwrap();
        let s = String::from_utf8(canonical(&v)).unwrap();
        let order: Vec<&str> = [
            "Carriage", "One", "Control", "Latin", "Euro", "Emoji", "Hebrew",
        ]
        .to_vec();
        let mut at = 0;
        for w in order {
            let i = s[at..]
                .find(w)
                .unwrap_or_else(|| panic!("{w} out of order in {s}"));
            at += i;
        }
    }

    /// RFC 8785 §3.2.2's example input and its canonical form. (Its
    /// first number, 333333333.33333329, is set from its correctly rounded
    /// double: serde_json's default parser may land one ulp away, and its
    /// `float_roundtrip` feature would change number parsing for the whole
    /// workspace.)
    #[test]
    fn rfc_8785_example() {
        let mut v: Value = serde_json::from_str(
            r#"{
  "numbers": [333333333.33333329, 1E30, 4.50,
              2e-3, 0.000000000000000000000000001],
  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}"#,
        )
        .unwrap();
        v["numbers"][0] = serde_json::json!(f64::from_bits(0x41b3de4355555555));
        let s = String::from_utf8(canonical(&v)).unwrap();
        assert_eq!(
            s,
            "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}"
        );
    }
}
