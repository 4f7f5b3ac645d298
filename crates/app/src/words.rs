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
    /// Said when the DEM given does not reach the map.
    pub relief_outside: &'static str,
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
    /// Said when no polygon lies between the divide and a compared line.
    pub no_departures: &'static str,
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
    relief_outside: "No relief: the DEM given does not reach this map.",
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
    no_departures: "No polygon lies between the divide and this line wider than 100 m: they neither cross nor meet within 10 km of their ends, so the distances above are the measure of their difference.",
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
    relief_outside: "Без рельефа: заданная ЦМР не покрывает эту карту.",
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
    no_departures: "Между водоразделом и этой линией нет многоугольников шире 100 м: они не пересекаются и не сходятся концами ближе 10 км, поэтому мерой их различия служат приведённые выше расстояния.",
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

/// The words of the median's report and map.
#[derive(Debug)]
pub struct MedianWords {
    /// "Median line ({0})" (the mode).
    pub title: &'static str,
    /// strict, ratio, tri-point, simplified, compromise.
    pub modes: [&'static str; 5],
    /// "… Ratio {0}:{1} … within {2} m …".
    pub intro: &'static str,
    pub sides: &'static str,
    pub side_columns: &'static str,
    pub lines: &'static str,
    pub line_columns: &'static str,
    pub tri_point: &'static str,
    /// "{0}°, {1}°, {2} m from each side."
    pub tri_point_at: &'static str,
    pub compromise: &'static str,
    /// "{0} regions …; {1} connected line(s) and {2} ring(s)."
    pub regions: &'static str,
    /// "Coverage (…): {0}."
    pub coverage: &'static str,
    /// "… ({0}; F1, F2 … on the map):"
    pub fallbacks: &'static str,
    pub fallback_columns: &'static str,
    pub no_median: &'static str,
    /// Said before the engine's reasons, quoted as it words them.
    pub engine_words: &'static str,
    pub spurs: &'static str,
    pub spur_columns: &'static str,
    pub loose: &'static str,
    pub loose_columns: &'static str,
    /// Stretches of a claim the compromise does not account for.
    pub unaccounted: &'static str,
    pub rings: &'static str,
    pub ring_columns: &'static str,
    pub one_claim_only: &'static str,
    pub gains: &'static str,
    pub gain_columns: &'static str,
    /// "## Turning points within {0} m".
    pub simplified_title: &'static str,
    /// "… further than {0} m …".
    pub simplified_text: &'static str,
    pub simplified_columns: &'static str,
    /// "Area moved by the simplification: {0} m² in {1} slivers ({2})."
    pub moved: &'static str,
    pub m2: &'static str,
    /// "## Places within {0} km of the line".
    pub places_title: &'static str,
    pub no_places: &'static str,
    pub places_intro: &'static str,
    pub place_columns: &'static str,
    /// left, right, on.
    pub sides_of_line: [&'static str; 3],
    pub turning_points: &'static str,
    pub map_caption: &'static str,
    pub map_svg: &'static str,
    // The map.
    pub map_title_compromise: &'static str,
    pub map_title_median: &'static str,
    /// "territory of {0}".
    pub territory_of: &'static str,
    /// The line's runs: equidistant, from the bounding stretches,
    /// fallback, common, connector, one claim only, from a gap's bridge.
    pub runs: [&'static str; 7],
    pub ring_legend: &'static str,
    pub turning_point_line: &'static str,
    pub median_line: &'static str,
    pub fallback_legend: &'static str,
    /// "{0} regions between the claims; {1} connected line(s); coverage {2}."
    pub map_regions: &'static str,
    pub map_note: &'static str,
    /// "place within {0} km of the line (P1 … in the report)".
    pub place_legend: &'static str,
    /// The constructions as `Construction::label` words them (English),
    /// and in this language.
    pub constructions: [(&'static str, &'static str); 9],
}

impl MedianWords {
    /// A construction's label (as `Construction::label` gives it) in this
    /// language; one not in the table as it is.
    pub fn construction<'a>(&self, label: &'a str) -> &'a str {
        self.constructions
            .iter()
            .find(|(en, _)| *en == label)
            .map_or(label, |(_, here)| here)
    }

    /// A mode's name (strict, ratio, tri-point, simplified, compromise).
    pub fn mode<'a>(&self, mode: &'a str) -> &'a str {
        ["strict", "ratio", "tri-point", "simplified", "compromise"]
            .iter()
            .position(|m| *m == mode)
            .map_or(mode, |i| self.modes[i])
    }
}

impl CompareWords {
    /// How a piece's sides were decided (the engine's English words) in
    /// this language; words it does not know as they are.
    pub fn decided_by(&self, engine: &str) -> String {
        match engine {
            "territories" => self.decided_by[0].to_string(),
            "as digitised" => self.decided_by[1].to_string(),
            _ => match engine.strip_prefix("aligned with ") {
                Some(line) => fill(self.decided_by[2], &[&line]),
                None => engine.to_string(),
            },
        }
    }
}

impl Lang {
    /// The median's words in this language.
    pub fn median(self) -> &'static MedianWords {
        match self {
            Lang::En => &MEDIAN_EN,
            Lang::Ru => &MEDIAN_RU,
        }
    }
}

const CONSTRUCTIONS_EN: [&str; 9] = [
    "equidistant",
    "equidistant from the region's bounding stretches",
    "median by arc length (fallback)",
    "median of matched points (fallback)",
    "common line",
    "connector across a gap in a claim (geodesic)",
    "one claim only (the other ends before it)",
    "equidistant from a claim and the geodesic bridging a gap in the other",
    "a claim's ring drawn open, closed by geodesics",
];

/// The median in English.
pub const MEDIAN_EN: MedianWords = MedianWords {
    title: "Median line ({0})",
    modes: ["strict", "ratio", "tri-point", "simplified", "compromise"],
    intro: "Geodesic distances on the WGS 84 ellipsoid. Ratio {0}:{1} (the line is {0}/{1} as far from the first side as from the second). Chords within {2} m of true equidistance; every vertex equidistant to 1e-8 m.",
    sides: "Sides",
    side_columns: "| side | parts | vertices |\n|---|---:|---:|",
    lines: "Lines",
    line_columns: "| line | length (km) | vertices | turning points |\n|---|---:|---:|---:|",
    tri_point: "Tri-point",
    tri_point_at: "{0}°, {1}°, {2} m from each side.",
    compromise: "Compromise",
    regions: "{0} regions between the claims; the compromise is {1} connected line(s) and {2} ring(s).",
    coverage: "Coverage (the share of each claim's line that a region with a median or a common stretch accounts for): {0}.",
    fallbacks: "Where the compromise is not the equidistance line of the whole claims ({0}; F1, F2 … on the map):",
    fallback_columns: "| # | where (lat, lon) | area (km²) | what | why |\n|---|---|---:|---|---|",
    no_median: "no median",
    engine_words: "",
    spurs: "Pieces of the claims set aside as spurs (stubs of other borders where three or more pieces meet, free at their other end; not in the compromise or its coverage):",
    spur_columns: "| claim | piece | length (m) | junction (lat, lon) |\n|---|---:|---:|---|",
    loose: "Loose pieces of the claims (touching neither a region between the claims nor the line: fragments such as part of an enclave's boundary drawn open; not in the compromise or its coverage):",
    loose_columns: "| claim | from (lat, lon) | to (lat, lon) | length (m) |\n|---|---|---|---:|",
    unaccounted: "Stretches of a claim the compromise does not account for (no region with a median bounds them, the line does not run along them, and a line's end cannot reach them without doubling back): what the coverage lacks.",
    rings: "Enclaves and exclaves:",
    ring_columns: "| ring | drawn by | made | area (km²) | at (lat, lon) |\n|---|---|---|---:|---|",
    one_claim_only: "one claim only",
    gains: "Area each side gains with the compromise, against each claim (km²):",
    gain_columns: "| claim | discrepancies | area between (km²) | gains |\n|---|---:|---:|---|",
    simplified_title: "Turning points within {0} m",
    simplified_text: "Each line reduced to the turning points a treaty lists: no vertex of the computed line lies further than {0} m (geodesic) from the turning-point line, and every vertex left out is in simplification.csv with the chord standing for it and its deviation. Where the construction changes is always a turning point.",
    simplified_columns: "| line | vertices | turning points | left out | largest deviation (m) | kept so that no chords cross |\n|---|---:|---:|---:|---:|---:|",
    moved: "Area moved by the simplification: {0} m² in {1} slivers ({2}).",
    m2: "m²",
    places_title: "Places within {0} km of the line",
    no_places: "None of the places given.",
    places_intro: "Geodesic distance to the nearest point of the line; the side as the line runs (numbered P1 … on the map).",
    place_columns: "| # | place | distance (m) | side | line | along it (km) | latitude | longitude |\n|---|---|---:|---|---|---:|---:|---:|",
    sides_of_line: ["left", "right", "on"],
    turning_points: "## Turning points\n\nIn turning_points.csv / .geojson, each with its base points on both sides (the two features of the side whose base changes, at the same distance).",
    map_caption: "The claims, the parties' territories and the line, coloured by how each run was made; F1, F2 … are the rows of the fallback table",
    map_svg: "(`maps/overview.svg` is the same map as a vector drawing.)",
    map_title_compromise: "The compromise between the claims",
    map_title_median: "The median line",
    territory_of: "territory of {0}",
    runs: [
        "equidistant",
        "equidistant from the region's bounding stretches",
        "fallback (median by arc length or of matched points)",
        "common line (the claims agree)",
        "connector across a gap in a claim",
        "one claim only (the other ends before it)",
        "equidistant from a claim and a gap's bridge in the other",
    ],
    ring_legend: "enclave or exclave ring",
    turning_point_line: "turning-point line",
    median_line: "median line",
    fallback_legend: "F1, F2 ...: regions not traced equidistant, connectors (the report's table)",
    map_regions: "{0} regions between the claims; {1} connected line(s); coverage {2}.",
    map_note: "Geodesic lines on WGS 84; transverse Mercator centred on the map.",
    place_legend: "place within {0} km of the line (P1 … in the report)",
    constructions: [
        (CONSTRUCTIONS_EN[0], CONSTRUCTIONS_EN[0]),
        (CONSTRUCTIONS_EN[1], CONSTRUCTIONS_EN[1]),
        (CONSTRUCTIONS_EN[2], CONSTRUCTIONS_EN[2]),
        (CONSTRUCTIONS_EN[3], CONSTRUCTIONS_EN[3]),
        (CONSTRUCTIONS_EN[4], CONSTRUCTIONS_EN[4]),
        (CONSTRUCTIONS_EN[5], CONSTRUCTIONS_EN[5]),
        (CONSTRUCTIONS_EN[6], CONSTRUCTIONS_EN[6]),
        (CONSTRUCTIONS_EN[7], CONSTRUCTIONS_EN[7]),
        (CONSTRUCTIONS_EN[8], CONSTRUCTIONS_EN[8]),
    ],
};

/// The median in Russian.
pub const MEDIAN_RU: MedianWords = MedianWords {
    title: "Срединная линия ({0})",
    modes: ["строгая", "в заданном отношении", "с тройной точкой", "упрощённая", "компромиссная"],
    intro: "Геодезические расстояния на эллипсоиде WGS 84. Отношение {0}:{1} (линия удалена от первой стороны в {0}/{1} раза дальше, чем от второй). Хорды отклоняются от точной равноудалённости не более чем на {2} м; каждая вершина равноудалена с точностью 1e-8 м.",
    sides: "Стороны",
    side_columns: "| сторона | частей | вершин |\n|---|---:|---:|",
    lines: "Линии",
    line_columns: "| линия | длина (км) | вершин | поворотных точек |\n|---|---:|---:|---:|",
    tri_point: "Тройная точка",
    tri_point_at: "{0}°, {1}°, в {2} м от каждой стороны.",
    compromise: "Компромисс",
    regions: "Областей между притязаниями: {0}; компромисс состоит из связных линий: {1} и колец: {2}.",
    coverage: "Покрытие (доля линии каждого притязания, приходящаяся на области со срединной линией или на общие участки): {0}.",
    fallbacks: "Где компромисс не является линией равного отстояния от притязаний в целом ({0}; F1, F2 … на карте):",
    fallback_columns: "| № | где (широта, долгота) | площадь (км²) | построение | причина |\n|---|---|---:|---|---|",
    no_median: "без срединной линии",
    engine_words: "Причины приводятся так, как их формулирует программа (на английском языке).",
    spurs: "Части притязаний, отложенные как отростки (обрывки других границ в узлах, где сходятся три и более частей, свободные на другом конце; не входят в компромисс и его покрытие):",
    spur_columns: "| притязание | часть | длина (м) | узел (широта, долгота) |\n|---|---:|---:|---|",
    loose: "Отдельные части притязаний (не касаются ни области между притязаниями, ни линии: обрывки, например часть границы анклава, нарисованная незамкнутой; не входят в компромисс и его покрытие):",
    loose_columns: "| притязание | от (широта, долгота) | до (широта, долгота) | длина (м) |\n|---|---|---|---:|",
    unaccounted: "Участки притязания, не учтённые компромиссом (их не ограничивает ни одна область со срединной линией, линия не проходит по ним, и конец линии не может дойти до них, не возвращаясь вдоль себя): то, чего недостаёт покрытию.",
    rings: "Анклавы и эксклавы:",
    ring_columns: "| кольцо | кем нанесено | построение | площадь (км²) | где (широта, долгота) |\n|---|---|---|---:|---|",
    one_claim_only: "только в одном притязании",
    gains: "Площадь, которую каждая сторона получает по компромиссу в сравнении с каждым притязанием (км²):",
    gain_columns: "| притязание | расхождений | площадь между линиями (км²) | получает |\n|---|---:|---:|---|",
    simplified_title: "Поворотные точки с допуском {0} м",
    simplified_text: "Каждая линия сведена к поворотным точкам, перечисляемым в договоре: ни одна вершина вычисленной линии не удалена от линии поворотных точек более чем на {0} м (по геодезической), и каждая опущенная вершина приведена в simplification.csv вместе с заменяющей её хордой и отклонением. Место смены построения всегда является поворотной точкой.",
    simplified_columns: "| линия | вершин | поворотных точек | опущено | наибольшее отклонение (м) | сохранено, чтобы хорды не пересекались |\n|---|---:|---:|---:|---:|---:|",
    moved: "Площадь, перемещённая упрощением: {0} м² в полосках: {1} ({2}).",
    m2: "м²",
    places_title: "Населённые пункты в пределах {0} км от линии",
    no_places: "Ни одного из заданных пунктов.",
    places_intro: "Геодезическое расстояние до ближайшей точки линии; сторона — по направлению линии (номера P1 … на карте).",
    place_columns: "| № | пункт | расстояние (м) | сторона | линия | вдоль линии (км) | широта | долгота |\n|---|---|---:|---|---|---:|---:|---:|",
    sides_of_line: ["слева", "справа", "на линии"],
    turning_points: "## Поворотные точки\n\nВ turning_points.csv / .geojson, каждая с базисными точками на обеих сторонах (двумя объектами стороны, на которой меняется базисная точка, на одинаковом расстоянии).",
    map_caption: "Притязания, территории сторон и линия, окрашенная по способу построения каждого участка; F1, F2 … — строки таблицы запасных построений",
    map_svg: "(`maps/overview.svg` — та же карта в векторном виде.)",
    map_title_compromise: "Компромисс между притязаниями",
    map_title_median: "Срединная линия",
    territory_of: "территория {0}",
    runs: [
        "равноотстоящая",
        "равноотстоящая от участков, ограничивающих область",
        "запасное построение (по длине дуги или по сопоставленным точкам)",
        "общая линия (притязания совпадают)",
        "соединение через разрыв в притязании",
        "только одно притязание (другое заканчивается раньше)",
        "равноотстоящая от притязания и перемычки через разрыв в другом",
    ],
    ring_legend: "кольцо анклава или эксклава",
    turning_point_line: "линия поворотных точек",
    median_line: "срединная линия",
    fallback_legend: "F1, F2 ...: области без равноотстоящей линии, соединения (таблица отчёта)",
    map_regions: "Областей между притязаниями: {0}; связных линий: {1}; покрытие {2}.",
    map_note: "Геодезические линии на WGS 84; поперечная проекция Меркатора с центром в середине карты.",
    place_legend: "населённый пункт в пределах {0} км от линии (P1 … в отчёте)",
    constructions: [
        (CONSTRUCTIONS_EN[0], "равноотстоящая"),
        (CONSTRUCTIONS_EN[1], "равноотстоящая от участков, ограничивающих область"),
        (CONSTRUCTIONS_EN[2], "срединная по длине дуги (запасное построение)"),
        (CONSTRUCTIONS_EN[3], "срединная по сопоставленным точкам (запасное построение)"),
        (CONSTRUCTIONS_EN[4], "общая линия"),
        (CONSTRUCTIONS_EN[5], "соединение через разрыв в притязании (геодезическая)"),
        (CONSTRUCTIONS_EN[6], "только одно притязание (другое заканчивается раньше)"),
        (
            CONSTRUCTIONS_EN[7],
            "равноотстоящая от притязания и геодезической, перекрывающей разрыв в другом",
        ),
        (
            CONSTRUCTIONS_EN[8],
            "кольцо, проведённое притязанием незамкнутым, замкнутое геодезическими",
        ),
    ],
};

/// The words of the comparison's report and maps.
#[derive(Debug)]
pub struct CompareWords {
    /// The page's language code (HTML `lang`).
    pub code: &'static str,
    pub title: &'static str,
    /// "… within **{0} m** …".
    pub intro: &'static str,
    pub lines: &'static str,
    pub line_columns: &'static str,
    /// "{0}: {1} left / {2} right ({3})".
    pub sides_text: &'static str,
    /// How a piece's sides were decided, as the comparison engine words
    /// it — "territories", "as digitised", "aligned with {0}" — here.
    pub decided_by: [&'static str; 3],
    pub summary: &'static str,
    pub summary_columns: &'static str,
    /// "{0} vs {1}".
    pub versus: &'static str,
    /// "{0} polygons … ({1} in all); {2} … {3} … ({4}), {5} … ({6})."
    pub polygons: &'static str,
    pub agreement_at: &'static str,
    /// "| tolerance | agreed ({0} / {1}) | …".
    pub agreement_columns: &'static str,
    /// "… if {0} is adopted rather than {1}, by section:".
    pub by_section: &'static str,
    pub section_columns: &'static str,
    pub largest: &'static str,
    pub largest_columns: &'static str,
    /// "… ({0} in all):".
    pub one_source: &'static str,
    pub one_source_columns: &'static str,
    /// "{0} only".
    pub only: &'static str,
    pub affected: &'static str,
    pub affected_columns: &'static str,
    pub closures: &'static str,
    /// "gap in {0} bridged from {1} to {2} ({3})".
    pub bridge: &'static str,
    /// "ends joined from {0} to {1} ({2})".
    pub join: &'static str,
    /// "Territories: {0} and {1}".
    pub territories: &'static str,
    /// "Overlaps …: {0} parts, {1} in all."
    pub overlaps: &'static str,
    pub part_columns: &'static str,
    /// "Gaps …: {0} parts, {1} in all."
    pub gaps: &'static str,
    pub enclaves: &'static str,
    pub notes: &'static str,
    /// Said before the engine's notes, quoted as it words them.
    pub engine_words: &'static str,
    pub maps: &'static str,
    // The maps.
    pub map_title: &'static str,
    /// "{0} gives to {1}".
    pub gives_to: &'static str,
    /// "{0} gives to {1}, {2} to {3}".
    pub gives_to_both: &'static str,
    pub overlap: &'static str,
    /// The legend of the numbers put on the overview.
    pub numbered: &'static str,
    /// "Discrepancies wider than {0} m …".
    pub overview_note: &'static str,
    pub overview_caption: &'static str,
    /// "{0} vs {1} — #{2}: {3}, widest {4}".
    pub detail_title: &'static str,
    pub place: &'static str,
    /// "widest {0}".
    pub widest: &'static str,
    pub widest_point: &'static str,
    /// "Along {0}: {1}; along {2}: {3}. Section: {4}."
    pub detail_note: &'static str,
}

impl Lang {
    /// The comparison's words in this language.
    pub fn compare(self) -> &'static CompareWords {
        match self {
            Lang::En => &COMPARE_EN,
            Lang::Ru => &COMPARE_RU,
        }
    }
}

/// The comparison in English.
pub const COMPARE_EN: CompareWords = CompareWords {
    code: "en",
    title: "Claim-line comparison",
    intro: "Lines agree where each lies within **{0} m** of the other (geodesic distance to the nearest point). Areas are geodesic on the ellipsoid; widths are the greatest distance from one line's stretch to the other's, both ways.",
    lines: "Lines",
    line_columns: "| line | length | pieces | vertices | sides |\n|---|---:|---:|---:|---|",
    sides_text: "{0}: {1} left / {2} right ({3})",
    decided_by: ["territories", "as digitised", "aligned with {0}"],
    summary: "Summary",
    summary_columns: "| a | b | agreed (a / b) | agreed share | discrepancies | their area | widest | gains if a rather than b |\n|---|---|---:|---:|---:|---:|---:|---|",
    versus: "{0} vs {1}",
    polygons: "{0} polygons lie between the lines ({1} in all); {2} are wider than the tolerance, {3} are within it ({4}), {5} drawn by one line only ({6}).",
    agreement_at: "Agreement at each tolerance (the same polygons, counted against each):",
    agreement_columns: "| tolerance | agreed ({0} / {1}) | agreed share | discrepancies | their area |\n|---:|---:|---:|---:|---:|",
    by_section: "Area each party gains if {0} is adopted rather than {1}, by section:",
    section_columns: "| section | party | area |\n|---|---|---:|",
    largest: "The ten largest discrepancies:",
    largest_columns: "| # | area | widest (a→b / b→a) | along a / b | a gives it to | b gives it to | section | where | places |\n|---:|---:|---:|---:|---|---|---|---|---|",
    one_source: "Drawn by one line only — an enclave or exclave the other line does not draw; the other line is silent there, so these are not counted in either party's gain ({0} in all):",
    one_source_columns: "| # | area | drawn by | gives it to | the other line passes it on the side of | where | places |\n|---:|---:|---|---|---|---|---|",
    only: "{0} only",
    affected: "Affected places:",
    affected_columns: "| place | position | in discrepancy | a gives it to | b gives it to | to line a | to line b |\n|---|---|---:|---|---|---:|---:|",
    closures: "Closures added (geodesics, not part of either line):",
    bridge: "gap in {0} bridged from {1} to {2} ({3})",
    join: "ends joined from {0} to {1} ({2})",
    territories: "Territories: {0} and {1}",
    overlaps: "Overlaps (claimed by both): {0} parts, {1} in all.",
    part_columns: "| kind | area | where | near | note |\n|---|---:|---|---|---|",
    gaps: "Gaps (enclosed by both, claimed by neither): {0} parts, {1} in all.",
    enclaves: "Enclaves and exclaves:",
    notes: "Notes",
    engine_words: "",
    maps: "Maps",
    map_title: "Claim lines compared",
    gives_to: "{0} gives to {1}",
    gives_to_both: "{0} gives to {1}, {2} to {3}",
    overlap: "territories overlap",
    numbered: "1, 2 …: the ten largest discrepancies (the report's #)",
    overview_note: "Discrepancies wider than {0} m filled by the party the first pair's first line gives them to. Geodesic areas; WGS 84.",
    overview_caption: "Overview: the claim lines and the discrepancies between the first pair",
    detail_title: "{0} vs {1} — #{2}: {3}, widest {4}",
    place: "place",
    widest: "widest {0}",
    widest_point: "widest point",
    detail_note: "Along {0}: {1}; along {2}: {3}. Section: {4}.",
};

/// The comparison in Russian.
pub const COMPARE_RU: CompareWords = CompareWords {
    code: "ru",
    title: "Сравнение линий притязаний",
    intro: "Линии совпадают там, где каждая лежит в пределах **{0} м** от другой (геодезическое расстояние до ближайшей точки). Площади — геодезические на эллипсоиде; ширина — наибольшее расстояние от участка одной линии до другой, в обе стороны.",
    lines: "Линии",
    line_columns: "| линия | длина | частей | вершин | стороны |\n|---|---:|---:|---:|---|",
    sides_text: "{0}: слева {1} / справа {2} ({3})",
    decided_by: ["по территориям", "по направлению оцифровки", "согласовано с {0}"],
    summary: "Сводка",
    summary_columns: "| a | b | совпадает (a / b) | доля совпадения | расхождений | их площадь | наибольшая ширина | получает при a вместо b |\n|---|---|---:|---:|---:|---:|---:|---|",
    versus: "{0} и {1}",
    polygons: "Многоугольников между линиями: {0} (всего {1}); шире допуска: {2}, в пределах допуска: {3} ({4}), нанесены только одной линией: {5} ({6}).",
    agreement_at: "Совпадение при каждом допуске (те же многоугольники, сосчитанные для каждого):",
    agreement_columns: "| допуск | совпадает ({0} / {1}) | доля совпадения | расхождений | их площадь |\n|---:|---:|---:|---:|---:|",
    by_section: "Площадь, которую получает каждая сторона, если принять {0} вместо {1}, по участкам:",
    section_columns: "| участок | сторона | площадь |\n|---|---|---:|",
    largest: "Десять наибольших расхождений:",
    largest_columns: "| № | площадь | ширина (a→b / b→a) | вдоль a / b | по a отходит к | по b отходит к | участок | где | населённые пункты |\n|---:|---:|---:|---:|---|---|---|---|---|",
    one_source: "Нанесены только одной линией — анклав или эксклав, которого нет на другой линии; другая линия там ничего не утверждает, поэтому они не входят в выигрыш ни одной из сторон (всего {0}):",
    one_source_columns: "| № | площадь | кем нанесено | отходит к | другая линия оставляет его на стороне | где | населённые пункты |\n|---:|---:|---|---|---|---|---|",
    only: "только {0}",
    affected: "Затронутые населённые пункты:",
    affected_columns: "| пункт | положение | в расхождении | по a отходит к | по b отходит к | до линии a | до линии b |\n|---|---|---:|---|---|---:|---:|",
    closures: "Добавленные замыкания (геодезические, не входят ни в одну линию):",
    bridge: "разрыв в {0} замкнут от {1} до {2} ({3})",
    join: "концы соединены от {0} до {1} ({2})",
    territories: "Территории: {0} и {1}",
    overlaps: "Наложения (притязают обе стороны): частей {0}, всего {1}.",
    part_columns: "| вид | площадь | где | вблизи | примечание |\n|---|---:|---|---|---|",
    gaps: "Пустоты (окружены обеими, не принадлежат ни одной): частей {0}, всего {1}.",
    enclaves: "Анклавы и эксклавы:",
    notes: "Примечания",
    engine_words: "Примечания приводятся так, как их формулирует программа (на английском языке).",
    maps: "Карты",
    map_title: "Сравнение линий притязаний",
    gives_to: "по {0} отходит к {1}",
    gives_to_both: "по {0} отходит к {1}, по {2} — к {3}",
    overlap: "наложение территорий",
    numbered: "1, 2 …: десять наибольших расхождений (№ в отчёте)",
    overview_note: "Расхождения шире {0} м закрашены цветом стороны, к которой их относит первая линия первой пары. Геодезические площади; WGS 84.",
    overview_caption: "Обзор: линии притязаний и расхождения первой пары",
    detail_title: "{0} и {1} — № {2}: {3}, ширина до {4}",
    place: "населённый пункт",
    widest: "ширина {0}",
    widest_point: "точка наибольшей ширины",
    detail_note: "Вдоль {0}: {1}; вдоль {2}: {3}. Участок: {4}.",
};

#[cfg(test)]
mod tests {
    use super::*;

    /// Every table's header has as many columns as its rule line, in
    /// every language, and every construction the engine names has a
    /// translation.
    #[test]
    fn tables_keep_their_columns_and_constructions_are_translated() {
        let cols = |t: &str| {
            t.lines()
                .map(|l| l.matches('|').count())
                .collect::<Vec<_>>()
        };
        for (en, ru) in [
            (MEDIAN_EN.side_columns, MEDIAN_RU.side_columns),
            (MEDIAN_EN.line_columns, MEDIAN_RU.line_columns),
            (MEDIAN_EN.fallback_columns, MEDIAN_RU.fallback_columns),
            (MEDIAN_EN.spur_columns, MEDIAN_RU.spur_columns),
            (MEDIAN_EN.loose_columns, MEDIAN_RU.loose_columns),
            (MEDIAN_EN.ring_columns, MEDIAN_RU.ring_columns),
            (MEDIAN_EN.gain_columns, MEDIAN_RU.gain_columns),
            (MEDIAN_EN.simplified_columns, MEDIAN_RU.simplified_columns),
            (MEDIAN_EN.place_columns, MEDIAN_RU.place_columns),
            (COMPARE_EN.line_columns, COMPARE_RU.line_columns),
            (COMPARE_EN.summary_columns, COMPARE_RU.summary_columns),
            (COMPARE_EN.agreement_columns, COMPARE_RU.agreement_columns),
            (COMPARE_EN.section_columns, COMPARE_RU.section_columns),
            (COMPARE_EN.largest_columns, COMPARE_RU.largest_columns),
            (COMPARE_EN.one_source_columns, COMPARE_RU.one_source_columns),
            (COMPARE_EN.affected_columns, COMPARE_RU.affected_columns),
            (COMPARE_EN.part_columns, COMPARE_RU.part_columns),
        ] {
            assert_eq!(cols(en), cols(ru), "{en} / {ru}");
            assert_eq!(cols(en)[0], cols(en)[1], "{en}");
        }
        use terminus_delimitation::Construction as C;
        for c in [
            C::Equidistant,
            C::Local,
            C::ArcLength,
            C::Matched,
            C::Common,
            C::Connector,
            C::OneClaim,
            C::Bridged,
        ] {
            assert_eq!(MEDIAN_EN.construction(c.label()), c.label());
            assert_ne!(
                MEDIAN_RU.construction(c.label()),
                c.label(),
                "{}",
                c.label()
            );
        }
    }

    /// The engine's words for how a piece's sides were decided, in each
    /// language; English as the engine says them.
    #[test]
    fn how_sides_were_decided_is_translated() {
        for engine in ["territories", "as digitised", "aligned with NE 5.1.1"] {
            assert_eq!(COMPARE_EN.decided_by(engine), engine);
        }
        assert_eq!(COMPARE_RU.decided_by("territories"), "по территориям");
        assert_eq!(
            COMPARE_RU.decided_by("as digitised"),
            "по направлению оцифровки"
        );
        assert_eq!(
            COMPARE_RU.decided_by("aligned with NE 5.1.1"),
            "согласовано с NE 5.1.1"
        );
        assert_eq!(COMPARE_RU.decided_by("unheard of"), "unheard of");
    }

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
            (MEDIAN_EN.title, MEDIAN_RU.title),
            (MEDIAN_EN.intro, MEDIAN_RU.intro),
            (MEDIAN_EN.tri_point_at, MEDIAN_RU.tri_point_at),
            (MEDIAN_EN.regions, MEDIAN_RU.regions),
            (MEDIAN_EN.coverage, MEDIAN_RU.coverage),
            (MEDIAN_EN.fallbacks, MEDIAN_RU.fallbacks),
            (MEDIAN_EN.simplified_title, MEDIAN_RU.simplified_title),
            (MEDIAN_EN.simplified_text, MEDIAN_RU.simplified_text),
            (MEDIAN_EN.moved, MEDIAN_RU.moved),
            (MEDIAN_EN.places_title, MEDIAN_RU.places_title),
            (MEDIAN_EN.territory_of, MEDIAN_RU.territory_of),
            (MEDIAN_EN.map_regions, MEDIAN_RU.map_regions),
            (MEDIAN_EN.place_legend, MEDIAN_RU.place_legend),
            (COMPARE_EN.intro, COMPARE_RU.intro),
            (COMPARE_EN.sides_text, COMPARE_RU.sides_text),
            (COMPARE_EN.versus, COMPARE_RU.versus),
            (COMPARE_EN.polygons, COMPARE_RU.polygons),
            (COMPARE_EN.agreement_columns, COMPARE_RU.agreement_columns),
            (COMPARE_EN.by_section, COMPARE_RU.by_section),
            (COMPARE_EN.one_source, COMPARE_RU.one_source),
            (COMPARE_EN.only, COMPARE_RU.only),
            (COMPARE_EN.bridge, COMPARE_RU.bridge),
            (COMPARE_EN.join, COMPARE_RU.join),
            (COMPARE_EN.territories, COMPARE_RU.territories),
            (COMPARE_EN.overlaps, COMPARE_RU.overlaps),
            (COMPARE_EN.gaps, COMPARE_RU.gaps),
            (COMPARE_EN.gives_to, COMPARE_RU.gives_to),
            (COMPARE_EN.gives_to_both, COMPARE_RU.gives_to_both),
            (COMPARE_EN.overview_note, COMPARE_RU.overview_note),
            (COMPARE_EN.detail_title, COMPARE_RU.detail_title),
            (COMPARE_EN.widest, COMPARE_RU.widest),
            (COMPARE_EN.detail_note, COMPARE_RU.detail_note),
        ] {
            for i in 0..8 {
                let p = format!("{{{i}}}");
                assert_eq!(en.contains(&p), ru.contains(&p), "{en} / {ru}");
            }
        }
    }
}
