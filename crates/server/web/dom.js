// Building the page's elements: text is always set as text, never as HTML
// (names, sources and places come from the other delegation's files).

export const $ = (sel) => document.querySelector(sel);

/** `<tag attrs…>children…</tag>`; `on…` attributes are listeners. */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "dataset") Object.assign(e.dataset, v);
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) e.append(c);
  return e;
}

/** Offer `text` as a file named `name` to save. */
export function download(name, text, type = "application/json") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Square metres as km² (or ha under 1 km²), in the page's language. */
export function area(m2, lang) {
  const f = (x, d) => x.toLocaleString(lang, { minimumFractionDigits: d, maximumFractionDigits: d });
  return m2 >= 1e6 ? `${f(m2 / 1e6, 3)} km²` : `${f(m2 / 1e4, 2)} ha`;
}

/** Metres, to the centimetre. */
export function metres(m, lang) {
  return `${m.toLocaleString(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 })} m`;
}

/**
 * A list of checkboxes, one per item `{ id, label }`, each checked when
 * `set` holds its id; ticking one adds or removes it from `set`, then
 * `changed(id, on)` is called.
 */
export function checkList(cls, items, set, changed) {
  return el(
    "ul",
    { class: `list ${cls}` },
    items.map(({ id, label }) =>
      el(
        "li",
        {},
        el(
          "label",
          {},
          el("input", {
            type: "checkbox",
            name: id,
            checked: set.has(id),
            onchange: (e) => {
              if (e.target.checked) set.add(id);
              else set.delete(id);
              changed(id, e.target.checked);
            },
          }),
          " ",
          label,
        ),
      ),
    ),
  );
}
