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

/// Why a JSON text is not canonical.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not RFC 8785 canonical JSON at byte {at}: {why}")]
pub struct NotCanonical {
    /// Byte offset of the fault in the text.
    pub at: usize,
    /// What is wrong there.
    pub why: String,
}

/// How deep arrays and objects may nest in a signed body. Deeper text is
/// refused before it can exhaust a reader's stack.
pub const MAX_DEPTH: usize = 64;

/// Check that `text` is exactly the RFC 8785 canonical form of the JSON
/// value it denotes: `canonical(parse(text)) == text`, with duplicate
/// member names refused (members must be strictly increasing in UTF-16
/// order), lone surrogates, numbers outside the doubles, `-0`, exponents
/// where ECMAScript writes none, white space and non-minimal escapes all
/// refused, and nesting at most [`MAX_DEPTH`]. What is signed is then
/// one value with one text: no reader can see two meanings in it.
///
/// ```
/// use terminus_ledger::canonical::check;
/// assert!(check(r#"{"a":[1,0.5,"é"],"b":null}"#).is_ok());
/// assert!(check(r#"{"text":"we accept","text":"we reject"}"#).is_err());
/// assert!(check(r#"{"x":1.0E+2}"#).is_err());
/// ```
pub fn check(text: &str) -> Result<(), NotCanonical> {
    let mut c = Checker {
        s: text.as_bytes(),
        text,
        i: 0,
    };
    c.value(0)?;
    if c.i != c.s.len() {
        return Err(c.fail("text after the value"));
    }
    Ok(())
}

struct Checker<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
}

impl Checker<'_> {
    fn fail(&self, why: impl Into<String>) -> NotCanonical {
        NotCanonical {
            at: self.i,
            why: why.into(),
        }
    }

    fn value(&mut self, depth: usize) -> Result<(), NotCanonical> {
        match self.s.get(self.i) {
            None => Err(self.fail("the text ends where a value should be")),
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => self.string().map(|_| ()),
            Some(b't') => self.literal("true"),
            Some(b'f') => self.literal("false"),
            Some(b'n') => self.literal("null"),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b' ' | b'\t' | b'\n' | b'\r') => Err(self.fail("white space")),
            Some(_) => Err(self.fail("not a JSON value")),
        }
    }

    fn literal(&mut self, word: &str) -> Result<(), NotCanonical> {
        if self.s[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            Ok(())
        } else {
            Err(self.fail("not a JSON value"))
        }
    }

    fn nested(&self, depth: usize) -> Result<(), NotCanonical> {
        if depth > MAX_DEPTH {
            Err(self.fail(format!("nested deeper than {MAX_DEPTH} levels")))
        } else {
            Ok(())
        }
    }

    fn array(&mut self, depth: usize) -> Result<(), NotCanonical> {
        self.nested(depth)?;
        self.i += 1;
        if self.s.get(self.i) == Some(&b']') {
            self.i += 1;
            return Ok(());
        }
        loop {
            self.value(depth)?;
            match self.s.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err(self.fail("expected , or ] (no white space)")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<(), NotCanonical> {
        self.nested(depth)?;
        self.i += 1;
        if self.s.get(self.i) == Some(&b'}') {
            self.i += 1;
            return Ok(());
        }
        let mut last: Option<Vec<u16>> = None;
        loop {
            if self.s.get(self.i) != Some(&b'"') {
                return Err(self.fail("expected a member name (no white space)"));
            }
            let at = self.i;
            let name: Vec<u16> = self.string()?.encode_utf16().collect();
            if let Some(prev) = &last {
                if *prev >= name {
                    return Err(NotCanonical {
                        at,
                        why: if *prev == name {
                            "a member name repeated (duplicate keys are refused)".into()
                        } else {
                            "members not in RFC 8785 order (sorted by UTF-16 code units)".into()
                        },
                    });
                }
            }
            last = Some(name);
            if self.s.get(self.i) != Some(&b':') {
                return Err(self.fail("expected : (no white space)"));
            }
            self.i += 1;
            self.value(depth)?;
            match self.s.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err(self.fail("expected , or } (no white space)")),
            }
        }
    }

    /// A string token: decoded, and its text must be what [`string`]
    /// writes for it.
    fn string(&mut self) -> Result<String, NotCanonical> {
        let start = self.i;
        self.i += 1;
        let mut out = String::new();
        loop {
            let Some(&b) = self.s.get(self.i) else {
                return Err(self.fail("a string is not closed"));
            };
            match b {
                b'"' => {
                    self.i += 1;
                    break;
                }
                b'\\' => {
                    let esc = self.s.get(self.i + 1).copied();
                    self.i += 2;
                    match esc {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => {
                            let hi = self.hex4()?;
                            let c = if (0xD800..0xDC00).contains(&hi) {
                                if self.s.get(self.i..self.i + 2) != Some(b"\\u") {
                                    return Err(self.fail(
                                        "a lone surrogate (\\ud800–\\udbff without its pair)",
                                    ));
                                }
                                self.i += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(self.fail("a lone surrogate"));
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else if (0xDC00..0xE000).contains(&hi) {
                                return Err(self.fail("a lone surrogate (\\udc00–\\udfff)"));
                            } else {
                                hi
                            };
                            match char::from_u32(c) {
                                Some(c) => out.push(c),
                                None => return Err(self.fail("not a character")),
                            }
                        }
                        _ => return Err(self.fail("not a JSON escape")),
                    }
                }
                0..=0x1f => return Err(self.fail("a control character inside a string")),
                _ => {
                    // Copy the whole UTF-8 character (the text is valid UTF-8).
                    let rest = &self.text[self.i..];
                    let Some(ch) = rest.chars().next() else {
                        return Err(self.fail("a string is not closed"));
                    };
                    out.push(ch);
                    self.i += ch.len_utf8();
                }
            }
        }
        let mut canonical_text = String::new();
        string(&out, &mut canonical_text);
        if canonical_text.as_bytes() != &self.s[start..self.i] {
            return Err(NotCanonical {
                at: start,
                why: "a string not written as RFC 8785 writes it (escapes)".into(),
            });
        }
        Ok(out)
    }

    fn hex4(&mut self) -> Result<u32, NotCanonical> {
        let digits = self
            .text
            .get(self.i..self.i + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.fail("\\u needs four hexadecimal digits"))?;
        let v = u32::from_str_radix(digits, 16).map_err(|_| self.fail("bad \\u escape"))?;
        self.i += 4;
        Ok(v)
    }

    fn number(&mut self) -> Result<(), NotCanonical> {
        let start = self.i;
        while let Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') = self.s.get(self.i) {
            self.i += 1;
        }
        let token = &self.text[start..self.i];
        let ok = token
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .is_some_and(|x| number(x) == token);
        if ok {
            Ok(())
        } else {
            Err(NotCanonical {
                at: start,
                why: format!(
                    "the number {token} is not written as RFC 8785 writes it (or is not a double)"
                ),
            })
        }
    }
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
    /// What `canonical` writes, `check` accepts; every other spelling of
    /// the same value, and every text with two meanings, it refuses.
    #[test]
    fn check_accepts_exactly_the_canonical_text() {
        let values = [
            serde_json::json!({"b": [1e21, 1e-7, -0.0, 0.000001, -5e-324], "a": "é\n\u{1}\u{1F600}", "": null}),
            serde_json::json!([
                true,
                false,
                null,
                {},
                [],
                "",
                0,
                9007199254740992u64,
                45.1318
            ]),
            serde_json::json!({"\u{20ac}": 1, "\r": 2, "\u{fb33}": 3, "1": 4, "\u{1F600}": 5}),
            serde_json::json!("a\"b\\c/d\u{7f}\u{1f}"),
        ];
        for v in &values {
            let t = String::from_utf8(canonical(v)).unwrap();
            assert_eq!(check(&t), Ok(()), "{t}");
        }
        let refused = [
            (r#"{"text":"we accept","text":"we reject"}"#, "repeated"),
            (r#"{"b":1,"a":2}"#, "order"),
            (r#"{"a": 1}"#, "white space"),
            (r#" {"a":1}"#, "white space"),
            (r#"{"a":1} "#, "after the value"),
            (r#"{"x":1.0E+2}"#, "number"),
            (r#"{"x":100.0}"#, "number"),
            (r#"{"x":-0}"#, "number"),
            (r#"{"x":1e400}"#, "number"),
            (r#"{"x":01}"#, "number"),
            (r#"{"x":9007199254740993}"#, "number"),
            (r#"{"x":1E21}"#, "number"),
            (r#"{"t":"\ud800"}"#, "surrogate"),
            (r#"{"t":"\udc00x"}"#, "surrogate"),
            (r#"{"t":"\u00e9"}"#, "escapes"),
            (r#"{"t":"\/"}"#, "escapes"),
            (r#"{"t":"\u001F"}"#, "escapes"),
            ("{\"t\":\"a\u{1}\"}", "control"),
            (r#"{"t":"\x"}"#, "escape"),
            (r#"{"t":"abc"#, "not closed"),
            (r#"[1,]"#, "not a JSON value"),
            (r#"[1"#, "expected"),
            (r#"tru"#, "not a JSON value"),
            ("", "ends"),
            (r#""bare""#, ""),
        ];
        for (t, why) in refused {
            if t == r#""bare""# {
                // A bare string is canonical JSON; the record refuses it
                // as a body elsewhere (a body is an object).
                assert_eq!(check(t), Ok(()));
                continue;
            }
            let e = check(t).expect_err(t);
            assert!(e.why.contains(why), "{t}: {e}");
        }
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(check(&deep).unwrap_err().why.contains("nested"));
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert_eq!(check(&ok), Ok(()));
        // A million nested brackets end in an error, not a stack overflow.
        assert!(check(&"[".repeat(1_000_000)).is_err());
    }

    /// Shortest digits: every double's canonical text passes, and reads
    /// back to the same double (a property over random bit patterns).
    #[test]
    fn every_finite_double_checks() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let f = f64::from_bits(x);
            if !f.is_finite() {
                continue;
            }
            let t = number(f);
            assert_eq!(check(&t), Ok(()), "{t}");
            assert_eq!(t.parse::<f64>().unwrap(), if f == 0.0 { 0.0 } else { f });
        }
    }
}
