// Every string the workspace shows, in one place, by language. To add a
// language (Armenian, Azerbaijani, Kyrgyz, Tajik), copy the `en` block,
// translate its values, and add the language's name to `LANGUAGES`; keys
// missing from a language fall back to English.

export const LANGUAGES = { en: "English", ru: "Русский" };

const STRINGS = {
  en: {
    title: "Terminus — commission {commission}",
    loading: "Loading…",
    ready: "Ready",
    language: "Language",
    sign_in: "Sign in with your key file",
    sign_in_help:
      "Open your own key file (made by `terminus keys new`). It is read by this page only: the key never leaves your browser; the page signs a short-lived token with it.",
    sign_out: "Sign out",
    signed_in_as: "{member} · {role} of {party}",
    anonymous: "Not signed in",
    role_head: "head of delegation",
    role_expert: "expert",
    role_mediator: "mediator",
    role_observer: "observer",
    tab_sections: "Sections",
    tab_layers: "Layers",
    tab_record: "Record",
    tab_drafts: "Drafts",
    tab_about: "About",
    about_anonymous:
      "Sign in with a member's key to see the commission's sections, lines and pillars. Who sees what is decided by the commission's rules: a party's drafts are its own; observers see agreed sections only.",
    sections_none: "No section you may see.",
    status_agreed: "agreed",
    "status_under negotiation": "under negotiation",
    layer_sections: "Sections (latest line)",
    layer_proposals: "Proposals and your party's drafts",
    layer_agreed_line: "Agreed line",
    layer_pillars: "Pillars",
    layer_graticule: "Graticule",
    record_none: "The record is not yours to read.",
    event_by: "{kind} by {author}",
    drafts_none: "Your party has no drafts.",
    draft_of: "{kind} for {section} by {author}",
    pillar: "Pillar {number}",
    section: "Section",
    error: "Error: {reason}",
    key_bad: "This is not a Terminus key file: {why}",
    key_mismatch: "The key file's secret and public halves do not belong together.",
    no_ed25519: "This browser cannot sign with Ed25519 (WebCrypto); use a current Chromium, Firefox or Safari.",
    refused: "The service refused the sign-in: {reason}",
    scale: "Scale",
    tab_compare: "Compare",
    signed_out: "Signed out: {reason}",
    draft: "draft",
    comparing: "Comparing…",
    refused_compare: "The comparison was refused: {reason}",
    file_not_json: "{file} is not JSON: {why}",
    compare_lines: "Lines to compare",
    compare_none: "No line to compare yet: open a file.",
    compare_add_file: "Add a line from a file (GeoJSON, WGS 84)…",
    compare_territories: "The parties' territories (optional: gains named by party)",
    compare_territory_of: "{party}'s territory…",
    compare_tolerance: "Agreement tolerance",
    compare_run: "Compare",
    compare_result: "Result",
    compare_agreed: "Agreed (within tolerance)",
    compare_count: "Discrepancies beyond tolerance",
    compare_area: "Their area",
    compare_widest: "Widest",
    compare_gain: "{party} gains if {a} is adopted",
    compare_one_source: "Drawn by one line only (not gains)",
    compare_largest: "Largest discrepancies",
    compare_gives: "{a} gives it to {pa}, {b} to {pb}",
    compare_download_summary: "Summary (JSON)",
    compare_download_polygons: "Polygons (GeoJSON)",
    compare_download_provenance: "Provenance",
    kind_commission: "the commission founded",
    kind_member: "a member added",
    kind_revoke: "a member revoked",
    kind_rotate: "a key rotated",
    kind_section: "a section opened",
    kind_proposal: "proposal",
    kind_counter_proposal: "counter-proposal",
    kind_comment: "comment",
    kind_agreement: "agreement signed",
    kind_amendment: "amendment",
    kind_attachment: "attachment",
    kind_survey: "survey",
  },
  ru: {
    title: "Terminus — комиссия {commission}",
    loading: "Загрузка…",
    ready: "Готово",
    language: "Язык",
    sign_in: "Войти с файлом ключа",
    sign_in_help:
      "Откройте свой файл ключа (создан `terminus keys new`). Его читает только эта страница: ключ не покидает браузер; страница подписывает им краткосрочный токен.",
    sign_out: "Выйти",
    signed_in_as: "{member} · {role}, {party}",
    anonymous: "Вход не выполнен",
    role_head: "глава делегации",
    role_expert: "эксперт",
    role_mediator: "посредник",
    role_observer: "наблюдатель",
    tab_sections: "Участки",
    tab_layers: "Слои",
    tab_record: "Журнал",
    tab_drafts: "Черновики",
    tab_about: "О комиссии",
    about_anonymous:
      "Войдите с ключом члена комиссии, чтобы видеть участки, линии и пограничные знаки. Кто что видит, решают правила комиссии: черновики стороны видны только ей; наблюдатели видят только согласованные участки.",
    sections_none: "Нет участков, доступных вам.",
    status_agreed: "согласован",
    "status_under negotiation": "на переговорах",
    layer_sections: "Участки (последняя линия)",
    layer_proposals: "Предложения и черновики вашей стороны",
    layer_agreed_line: "Согласованная линия",
    layer_pillars: "Пограничные знаки",
    layer_graticule: "Картографическая сетка",
    record_none: "Журнал вам недоступен.",
    event_by: "{kind}, автор {author}",
    drafts_none: "У вашей стороны нет черновиков.",
    draft_of: "{kind}, участок {section}, автор {author}",
    pillar: "Знак {number}",
    section: "Участок",
    error: "Ошибка: {reason}",
    key_bad: "Это не файл ключа Terminus: {why}",
    key_mismatch: "Секретная и открытая части ключа не соответствуют друг другу.",
    no_ed25519: "Этот браузер не умеет подписывать Ed25519 (WebCrypto); используйте современный Chromium, Firefox или Safari.",
    refused: "Сервис отклонил вход: {reason}",
    scale: "Масштаб",
    tab_compare: "Сравнение",
    signed_out: "Выход выполнен: {reason}",
    draft: "черновик",
    comparing: "Сравнение…",
    refused_compare: "Сравнение отклонено: {reason}",
    file_not_json: "{file} — не JSON: {why}",
    compare_lines: "Линии для сравнения",
    compare_none: "Нет линий для сравнения: откройте файл.",
    compare_add_file: "Добавить линию из файла (GeoJSON, WGS 84)…",
    compare_territories: "Территории сторон (необязательно: выигрыш по сторонам)",
    compare_territory_of: "Территория {party}…",
    compare_tolerance: "Допуск совпадения",
    compare_run: "Сравнить",
    compare_result: "Результат",
    compare_agreed: "Совпадает (в пределах допуска)",
    compare_count: "Расхождения сверх допуска",
    compare_area: "Их площадь",
    compare_widest: "Наибольшая ширина",
    compare_gain: "{party} получает при принятии {a}",
    compare_one_source: "Только в одной линии (не выигрыш)",
    compare_largest: "Крупнейшие расхождения",
    compare_gives: "{a} отдаёт {pa}, {b} — {pb}",
    compare_download_summary: "Сводка (JSON)",
    compare_download_polygons: "Полигоны (GeoJSON)",
    compare_download_provenance: "Происхождение",
    kind_commission: "комиссия учреждена",
    kind_member: "добавлен член комиссии",
    kind_revoke: "член комиссии отозван",
    kind_rotate: "ключ заменён",
    kind_section: "открыт участок",
    kind_proposal: "предложение",
    kind_counter_proposal: "встречное предложение",
    kind_comment: "комментарий",
    kind_agreement: "подписано соглашение",
    kind_amendment: "поправка",
    kind_attachment: "приложение",
    kind_survey: "съёмка",
  },
};

let current = "en";

/** Choose the language (unknown codes keep English). */
export function setLanguage(code) {
  current = Object.hasOwn(STRINGS, code) ? code : "en";
  document.documentElement.lang = current;
}

export function language() {
  return current;
}

/** The string `key` in the current language, `{name}`s filled from `vars`. */
export function t(key, vars = {}) {
  const s = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => (k in vars ? String(vars[k]) : `{${k}}`));
}

/** Fill every element with `data-i18n="key"` in `root`. */
export function translate(root, vars = {}) {
  for (const el of root.querySelectorAll("[data-i18n]")) {
    el.textContent = t(el.dataset.i18n, vars);
  }
}
