//! A small element tree over `quick-xml`, shared by the KML and GPX readers,
//! and escaping for their writers. Positions are kept so errors can name the
//! line.

use quick_xml::events::Event;
use quick_xml::Reader;

/// One element: local name (prefix dropped), attributes, children, text.
#[derive(Debug, Default)]
pub(crate) struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    pub text: String,
    /// Byte offset of the start tag.
    pub pos: usize,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.trim())
    }
}

fn local(name: &[u8]) -> String {
    let s = String::from_utf8_lossy(name);
    match s.rsplit_once(':') {
        Some((_, l)) => l.to_string(),
        None => s.into_owned(),
    }
}

/// 1-based line number of byte offset `pos` in `text`.
pub(crate) fn line_of(text: &str, pos: usize) -> usize {
    text.as_bytes()[..pos.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn element(s: &quick_xml::events::BytesStart, pos: usize) -> Element {
    let mut el = Element {
        name: local(s.name().as_ref()),
        pos,
        ..Default::default()
    };
    for a in s.attributes().flatten() {
        let v = a
            .unescape_value()
            .map(|v| v.into_owned())
            .unwrap_or_else(|_| String::from_utf8_lossy(&a.value).into_owned());
        el.attrs.push((local(a.key.as_ref()), v));
    }
    el
}

/// How deep elements may nest (KML and GPX nest a dozen levels; folders
/// in folders a few more): deeper documents are refused before the tree
/// they make can exhaust the stack of the code that walks or drops it.
pub(crate) const MAX_DEPTH: usize = 256;

/// Parse a whole document into its root element.
pub(crate) fn parse(text: &str) -> Result<Element, String> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = vec![Element::default()];
    loop {
        let pos = reader.buffer_position() as usize;
        let ev = reader.read_event().map_err(|e| {
            format!(
                "line {}: XML error: {e}",
                line_of(text, reader.error_position() as usize)
            )
        })?;
        match ev {
            Event::Start(s) => {
                if stack.len() > MAX_DEPTH {
                    return Err(format!(
                        "line {}: elements nested deeper than {MAX_DEPTH}",
                        line_of(text, pos)
                    ));
                }
                stack.push(element(&s, pos))
            }
            Event::Empty(s) => {
                let el = element(&s, pos);
                if let Some(parent) = stack.last_mut() {
                    parent.children.push(el);
                }
            }
            Event::End(_) => {
                let el = stack.pop().ok_or("unbalanced end tag")?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => return Err(format!("line {}: unbalanced end tag", line_of(text, pos))),
                }
            }
            Event::Text(t) => {
                let s = t
                    .decode()
                    .map_err(|e| format!("line {}: {e}", line_of(text, pos)))?;
                let s = quick_xml::escape::unescape(&s)
                    .map_err(|e| format!("line {}: {e}", line_of(text, pos)))?;
                if let Some(el) = stack.last_mut() {
                    el.text.push_str(&s);
                }
            }
            Event::GeneralRef(r) => {
                let name = String::from_utf8_lossy(&r);
                let resolved = quick_xml::escape::unescape(&format!("&{name};"))
                    .map_err(|e| format!("line {}: {e}", line_of(text, pos)))?
                    .into_owned();
                if let Some(el) = stack.last_mut() {
                    el.text.push_str(&resolved);
                }
            }
            Event::CData(c) => {
                if let Some(el) = stack.last_mut() {
                    el.text.push_str(&String::from_utf8_lossy(&c));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.len() != 1 {
        return Err(format!(
            "the document ends inside <{}>: truncated?",
            stack.last().map(|e| e.name.as_str()).unwrap_or("?")
        ));
    }
    let mut top = stack.pop().unwrap_or_default();
    top.children
        .pop()
        .filter(|_| top.children.is_empty())
        .ok_or_else(|| "no root element".to_string())
}

/// Escape text for element content and attribute values.
pub(crate) fn esc(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}
