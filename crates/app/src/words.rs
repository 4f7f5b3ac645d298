//! The words of the reports, in one place per language, so that a
//! translator adds Armenian, Azerbaijani, Kyrgyz or Tajik by adding one
//! table (and its `Lang` variant) without touching the code that writes
//! the reports.
//!
//! A template's `{0}`, `{1}` … are filled in order of the arguments of
//! [`fill`]; a translation may put them in any order. Numbers are
//! written by the reports themselves (decimal point, as the catalogue's
//! CSV), so a report's figures read the same in every language. The
//! engines' warnings (the planner's, the divide's) are quoted as the
//! engines word them, in English, and the reports say so.

use serde::Serialize;

/// A report's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Russian.
    Ru,
}

impl Lang {
    /// From `en` or `ru`.
    pub fn parse(s: &str) -> Result<Lang, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" => Ok(Lang::En),
            "ru" => Ok(Lang::Ru),
            other => Err(format!(
                "no report language \"{other}\": give en or ru (a translator adds one in crates/app/src/words.rs)"
            )),
        }
    }

    /// The words of this language.
    pub fn words(self) -> &'static Words {
        match self {
            Lang::En => &EN,
            Lang::Ru => &RU,
        }
    }
}

/// Fill a template's `{0}`, `{1}` … with `args`.
pub fn fill(template: &str, args: &[&dyn std::fmt::Display]) -> String {
    let mut out = template.to_string();
    for (i, a) in args.iter().enumerate() {
        out = out.replace(&format!("{{{i}}}"), &a.to_string());
    }
    out
}

/// Every string of the pillar plan's and the water-parting's reports and
/// maps.
#[derive(Debug)]
pub struct Words {
    // The pillar plan.
    /// "Pillar plan: {0}" (the section).
    pub plan_title: &'static str,
    pub length_of_line: &'static str,
    pub pillars: &'static str,
    pub main: &'static str,
    pub intermediate: &'static str,
    pub crossing: &'static str,
    pub bank: &'static str,
    pub unmarked: &'static str,
    pub largest_spacing: &'static str,
    pub smallest_spacing: &'static str,
    /// "{0} m to {1} m".
    pub spacing_asked: &'static str,
    pub spacing_asked_label: &'static str,
    pub out_of_sight: &'static str,
    pub not_checked: &'static str,
    pub gk_through: &'static str,
    pub voids_under_line: &'static str,
    /// "{0} void(s), {1} cell(s): {2}."
    pub voids_line: &'static str,
    /// "Warnings ({0})".
    pub warnings: &'static str,
    pub engine_words: &'static str,
    pub none: &'static str,
    /// "{0} pillar(s) stand on ground steeper than {1}° …".
    pub steep: &'static str,
    pub steep_columns: &'static str,
    /// "Turning points without a pillar ({0})".
    pub merged_title: &'static str,
    /// "Closer than {0} m to a pillar: …".
    pub merged_text: &'static str,
    pub merged_columns: &'static str,
    pub input_notes: &'static str,
    pub map: &'static str,
    pub plan_map_caption: &'static str,
    pub over_relief: &'static str,
    // The plan's map.
    pub the_line: &'static str,
    pub main_pillar: &'static str,
    pub intermediate_pillar: &'static str,
    pub crossing_pillar: &'static str,
    pub bank_pillar: &'static str,
    pub unmarked_point: &'static str,
    pub steep_ground: &'static str,
    pub relief_note: &'static str,
    /// "{0} pillars on {1} km; geodesic line on WGS 84; …".
    pub plan_map_note: &'static str,
    // The water-parting.
    pub divide_title: &'static str,
    pub lines: &'static str,
    pub length: &'static str,
    pub highest_point: &'static str,
    /// "{0} m at {1}°, {2}°".
    pub height_at: &'static str,
    pub cells_a_b: &'static str,
    pub edge_share: &'static str,
    pub dem_voids: &'static str,
    pub no_voids: &'static str,
    /// "V{0}: {1} cells, centre {2}".
    pub void_row: &'static str,
    pub compared_with: &'static str,
    /// "distance from the divide (every 50 m along it): median {0} m, …".
    pub distances: &'static str,
    /// "Departures not measured: {0}".
    pub departures_error: &'static str,
    pub departure_columns: &'static str,
    pub divide_map_caption: &'static str,
    pub divide_traced: &'static str,
    pub highest_of_divide: &'static str,
    pub departures: &'static str,
    pub dem_void: &'static str,
    /// "{0} line(s), {1} km; geodesic lengths on WGS 84; …".
    pub divide_map_note: &'static str,
    pub report_language: &'static str,
    /// Units: kilometres, metres.
    pub km: &'static str,
    pub m: &'static str,
    /// Pillar types as the catalogue's tables name them: main,
    /// intermediate, crossing, bank, unmarked.
    pub kinds: [&'static str; 5],
}

impl Words {
    /// A pillar type's name in this language.
    pub fn kind(&self, k: terminus_demarcation::plan::PillarType) -> &'static str {
        use terminus_demarcation::plan::PillarType as P;
        self.kinds[match k {
            P::Main => 0,
            P::Intermediate => 1,
            P::Crossing => 2,
            P::Bank => 3,
            P::Unmarked => 4,
        }]
    }
}

/// English.
pub const EN: Words = Words {
    plan_title: "Pillar plan: {0}",
    length_of_line: "length of the line",
    pillars: "pillars",
    main: "main (turning points)",
    intermediate: "intermediate",
    crossing: "crossing",
    bank: "bank",
    unmarked: "turning points without a pillar",
    largest_spacing: "largest spacing",
    smallest_spacing: "smallest spacing",
    spacing_asked: "{0} m to {1} m",
    spacing_asked_label: "spacing asked for",
    out_of_sight: "pairs of consecutive pillars out of sight",
    not_checked: "not checked (no DEM)",
    gk_through: "SK-42 and Gauss–Krüger columns through",
    voids_under_line: "DEM voids under the line",
    voids_line: "{0} void(s), {1} cell(s): {2}.",
    warnings: "Warnings ({0})",
    engine_words: "",
    none: "None.",
    steep: "{0} pillar(s) stand on ground steeper than {1}° (a turning point's pillar cannot move; others found no better ground in sight):",
    steep_columns: "| pillar | type | slope (°) | lat | lon |",
    merged_title: "Turning points without a pillar ({0})",
    merged_text: "Closer than {0} m to a pillar: catalogue rows described from it, never built.",
    merged_columns: "| turning point | pillar | distance (m) | azimuth (°) |",
    input_notes: "Input notes",
    map: "Map",
    plan_map_caption: "The line and its pillars by type",
    over_relief: ", over the DEM's relief",
    the_line: "the line",
    main_pillar: "main pillar (turning point)",
    intermediate_pillar: "intermediate pillar",
    crossing_pillar: "crossing pillar",
    bank_pillar: "bank pillar",
    unmarked_point: "turning point without a pillar",
    steep_ground: "on ground steeper than the limit",
    relief_note: "Relief: hillshade of the DEM, lit from the north-west at 45°.",
    plan_map_note: "{0} pillars on {1} km; geodesic line on WGS 84; transverse Mercator centred on the map.",
    divide_title: "Water-parting",
    lines: "lines",
    length: "length",
    highest_point: "highest point",
    height_at: "{0} m at {1}°, {2}°",
    cells_a_b: "cells draining to A / B",
    edge_share: "share of its length within a cell of the corridor's edge",
    dem_voids: "DEM voids",
    no_voids: "none met",
    void_row: "V{0}: {1} cells, centre {2}",
    compared_with: "Compared with",
    distances: "distance from the divide (every 50 m along it): median {0} m, 95th percentile {1} m, largest {2} m ({3} samples).",
    departures_error: "Departures not measured: {0}",
    departure_columns: "| # | area (km²) | widest (m) | widest at (lat, lon) |",
    divide_map_caption: "The divide over the DEM's relief, the compared lines, departures D1 … and voids V1 …",
    divide_traced: "water-parting traced",
    highest_of_divide: "highest point of the divide",
    departures: "largest departures from a compared line (the report's table)",
    dem_void: "DEM void",
    divide_map_note: "{0} line(s), {1} km; geodesic lengths on WGS 84; transverse Mercator centred on the map.",
    report_language: "",
    km: "km",
    m: "m",
    kinds: ["main", "intermediate", "crossing", "bank", "unmarked"],
};

/// Russian.
pub const RU: Words = Words {
    plan_title: "План установки пограничных знаков: {0}",
    length_of_line: "длина линии",
    pillars: "пограничных знаков",
    main: "основных (в поворотных точках)",
    intermediate: "промежуточных",
    crossing: "на пересечениях",
    bank: "береговых",
    unmarked: "поворотных точек без знака",
    largest_spacing: "наибольшее расстояние между знаками",
    smallest_spacing: "наименьшее расстояние между знаками",
    spacing_asked: "от {0} м до {1} м",
    spacing_asked_label: "заданное расстояние между знаками",
    out_of_sight: "пар соседних знаков вне взаимной видимости",
    not_checked: "не проверялось (нет ЦМР)",
    gk_through: "колонки СК-42 и Гаусса–Крюгера получены преобразованием",
    voids_under_line: "Пустоты ЦМР под линией",
    voids_line: "{0} пустот(а), {1} ячеек: {2}.",
    warnings: "Предупреждения ({0})",
    engine_words: "Предупреждения приводятся так, как их формулирует программа (на английском языке).",
    none: "Нет.",
    steep: "{0} знак(ов) стоят на склоне круче {1}° (знак поворотной точки перенести нельзя; для остальных в пределах видимости не нашлось лучшего места):",
    steep_columns: "| знак | тип | крутизна (°) | широта | долгота |",
    merged_title: "Поворотные точки без знака ({0})",
    merged_text: "Ближе {0} м к знаку: строки каталога, описанные от этого знака; не устанавливаются.",
    merged_columns: "| поворотная точка | знак | расстояние (м) | азимут (°) |",
    input_notes: "Замечания о входных данных",
    map: "Карта",
    plan_map_caption: "Линия и пограничные знаки по типам",
    over_relief: " на фоне рельефа ЦМР",
    the_line: "линия границы",
    main_pillar: "основной знак (поворотная точка)",
    intermediate_pillar: "промежуточный знак",
    crossing_pillar: "знак на пересечении",
    bank_pillar: "береговой знак",
    unmarked_point: "поворотная точка без знака",
    steep_ground: "на склоне круче допустимого",
    relief_note: "Рельеф: отмывка ЦМР, освещение с северо-запада под углом 45°.",
    plan_map_note: "{0} знаков на {1} км; геодезическая линия на WGS 84; поперечная проекция Меркатора с центром в середине карты.",
    divide_title: "Линия водораздела",
    lines: "линий",
    length: "длина",
    highest_point: "наивысшая точка",
    height_at: "{0} м в точке {1}°, {2}°",
    cells_a_b: "ячеек со стоком к A / B",
    edge_share: "доля длины в пределах одной ячейки от края коридора",
    dem_voids: "Пустоты ЦМР",
    no_voids: "не встретились",
    void_row: "V{0}: {1} ячеек, центр {2}",
    compared_with: "Сравнение с линиями",
    distances: "расстояние от водораздела (через каждые 50 м вдоль него): медиана {0} м, 95-й процентиль {1} м, наибольшее {2} м ({3} точек).",
    departures_error: "Отклонения не измерены: {0}",
    departure_columns: "| № | площадь (км²) | наибольшая ширина (м) | где (широта, долгота) |",
    divide_map_caption: "Водораздел на фоне рельефа ЦМР, сравниваемые линии, отклонения D1 … и пустоты V1 …",
    divide_traced: "построенный водораздел",
    highest_of_divide: "наивысшая точка водораздела",
    departures: "наибольшие отклонения от сравниваемой линии (таблица отчёта)",
    dem_void: "пустота ЦМР",
    divide_map_note: "{0} линий, {1} км; геодезические длины на WGS 84; поперечная проекция Меркатора с центром в середине карты.",
    report_language: "Отчёт на русском языке; числа с десятичной точкой, как в каталоге.",
    km: "км",
    m: "м",
    kinds: ["основной", "промежуточный", "на пересечении", "береговой", "без знака"],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_fill_in_any_order_and_languages_parse() {
        assert_eq!(fill("{1} of {0}", &[&"A", &2]), "2 of A");
        assert_eq!(Lang::parse("RU"), Ok(Lang::Ru));
        assert!(Lang::parse("hy").unwrap_err().contains("en or ru"));
        // Every template of every language has the placeholders English has.
        for (en, ru) in [
            (EN.plan_title, RU.plan_title),
            (EN.spacing_asked, RU.spacing_asked),
            (EN.voids_line, RU.voids_line),
            (EN.warnings, RU.warnings),
            (EN.steep, RU.steep),
            (EN.merged_title, RU.merged_title),
            (EN.merged_text, RU.merged_text),
            (EN.plan_map_note, RU.plan_map_note),
            (EN.height_at, RU.height_at),
            (EN.void_row, RU.void_row),
            (EN.distances, RU.distances),
            (EN.departures_error, RU.departures_error),
            (EN.divide_map_note, RU.divide_map_note),
        ] {
            for i in 0..4 {
                let p = format!("{{{i}}}");
                assert_eq!(en.contains(&p), ru.contains(&p), "{en} / {ru}");
            }
        }
    }
}
