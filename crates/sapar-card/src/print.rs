//! The printable card: one A6 landscape PDF page with the card's content as sealed, labelled in
//! Russian and, where it has one of the card's languages, the holder's language, the QR code of
//! the seal drawn as vector squares, and a place for the photo.
//!
//! Everything printed is read back from the seal's own `msg`, so the paper and the QR code can
//! never disagree. The font is PT Sans (regular and bold, unmodified, embedded as subsets by
//! krilla); it covers the Latin, Russian, Kazakh and Kyrgyz letters.

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use qrcodegen::QrCode;
use sapar_model::{Country, Sex};
use serde_json::Value;

use crate::content::CardContent;
use crate::error::CardError;
use crate::qr::{QUIET_MODULES, code_of};

static REGULAR: &[u8] = include_bytes!("../assets/PTS55F.ttf");
static BOLD: &[u8] = include_bytes!("../assets/PTS75F.ttf");

/// Points per millimetre.
const MM: f32 = 72.0 / 25.4;
/// A6 landscape.
const PAGE_W: f32 = 148.0 * MM;
const PAGE_H: f32 = 105.0 * MM;
const MARGIN: f32 = 6.0 * MM;
/// The QR code's side with its quiet zone: 54 mm, about 0.43 mm a module for a version-25 code.
const QR_SIDE: f32 = 54.0 * MM;
const PHOTO_W: f32 = 25.0 * MM;
const PHOTO_H: f32 = 32.0 * MM;
const LABEL_SIZE: f32 = 6.0;
const VALUE_SIZE: f32 = 9.5;
const SMALLEST_VALUE_SIZE: f32 = 7.0;

/// A language the card is printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrintLanguage {
    Russian,
    Kazakh,
    Kyrgyz,
    English,
}

impl PrintLanguage {
    /// The BCP 47 tag.
    pub fn tag(self) -> &'static str {
        match self {
            PrintLanguage::Russian => "ru",
            PrintLanguage::Kazakh => "kk",
            PrintLanguage::Kyrgyz => "ky",
            PrintLanguage::English => "en",
        }
    }

    /// The language printed beside Russian for a holder of `citizenship`: Kazakh for Kazakhstan,
    /// Kyrgyz for Kyrgyzstan, none for the states whose people read Russian as a state language
    /// (Russia, Belarus), English for everyone else.
    pub fn beside_russian_for(citizenship: Country) -> Option<PrintLanguage> {
        match citizenship.code() {
            "KAZ" => Some(PrintLanguage::Kazakh),
            "KGZ" => Some(PrintLanguage::Kyrgyz),
            "RUS" | "BLR" => None,
            _ => Some(PrintLanguage::English),
        }
    }
}

/// The card's printed wording in one language.
struct Labels {
    title: &'static str,
    latin_name: &'static str,
    native_name: &'static str,
    birth_date: &'static str,
    sex: &'static str,
    citizenship: &'static str,
    document: &'static str,
    number: &'static str,
    issued_on: &'static str,
    valid_until: &'static str,
    photo: &'static str,
    seal_note: &'static str,
    male: &'static str,
    female: &'static str,
    unspecified: &'static str,
}

fn labels(language: PrintLanguage) -> &'static Labels {
    match language {
        PrintLanguage::Russian => &Labels {
            title: "Карта мигранта",
            latin_name: "Фамилия и имя (латиницей)",
            native_name: "Фамилия и имя",
            birth_date: "Дата рождения",
            sex: "Пол",
            citizenship: "Гражданство",
            document: "Документ, удостоверяющий личность",
            number: "Номер карты",
            issued_on: "Дата выдачи",
            valid_until: "Действительна до",
            photo: "Фото",
            seal_note: "Данные подписаны электронной печатью (ICAO VDS-NC); QR-код проверяется без сети.",
            male: "мужской",
            female: "женский",
            unspecified: "не указан",
        },
        PrintLanguage::Kazakh => &Labels {
            title: "Мигрант картасы",
            latin_name: "Тегі мен аты (латынша)",
            native_name: "Тегі мен аты",
            birth_date: "Туған күні",
            sex: "Жынысы",
            citizenship: "Азаматтығы",
            document: "Жеке басын куәландыратын құжат",
            number: "Карта нөмірі",
            issued_on: "Берілген күні",
            valid_until: "Жарамдылық мерзімі",
            photo: "Фото",
            seal_note: "Деректер электрондық мөрмен қол қойылған (ICAO VDS-NC); QR-код желісіз тексеріледі.",
            male: "ер",
            female: "әйел",
            unspecified: "көрсетілмеген",
        },
        PrintLanguage::Kyrgyz => &Labels {
            title: "Мигранттын картасы",
            latin_name: "Фамилиясы жана аты (латынча)",
            native_name: "Фамилиясы жана аты",
            birth_date: "Туулган күнү",
            sex: "Жынысы",
            citizenship: "Жарандыгы",
            document: "Инсандыгын күбөлөндүргөн документ",
            number: "Картанын номери",
            issued_on: "Берилген күнү",
            valid_until: "Жарактуулук мөөнөтү",
            photo: "Сүрөт",
            seal_note: "Маалыматтар электрондук мөөр менен кол коюлган (ICAO VDS-NC); QR-код тармаксыз текшерилет.",
            male: "эркек",
            female: "аял",
            unspecified: "көрсөтүлгөн эмес",
        },
        PrintLanguage::English => &Labels {
            title: "Migrant card",
            latin_name: "Surname and given names (Latin)",
            native_name: "Name in the holder's script",
            birth_date: "Date of birth",
            sex: "Sex",
            citizenship: "Citizenship",
            document: "Identity document",
            number: "Card number",
            issued_on: "Issued on",
            valid_until: "Valid until",
            photo: "Photo",
            seal_note: "Signed with an electronic seal (ICAO VDS-NC); the QR code is checked offline.",
            male: "male",
            female: "female",
            unspecified: "unspecified",
        },
    }
}

/// The name of an issuing state in a language, for the states that issue cards today.
fn state_name(state: Country, language: PrintLanguage) -> Option<&'static str> {
    use PrintLanguage::*;
    Some(match (state.code(), language) {
        ("KAZ", Russian) => "Республика Казахстан",
        ("KAZ", Kazakh) => "Қазақстан Республикасы",
        ("KAZ", Kyrgyz) => "Казакстан Республикасы",
        ("KAZ", English) => "Republic of Kazakhstan",
        ("KGZ", Russian) => "Кыргызская Республика",
        ("KGZ", Kazakh) => "Қырғыз Республикасы",
        ("KGZ", Kyrgyz) => "Кыргыз Республикасы",
        ("KGZ", English) => "Kyrgyz Republic",
        ("ARM", Russian) => "Республика Армения",
        ("ARM", Kazakh) => "Армения Республикасы",
        ("ARM", Kyrgyz) => "Армения Республикасы",
        ("ARM", English) => "Republic of Armenia",
        _ => return None,
    })
}

/// The content and the QR code of a seal, read from its JSON (the seal's own `data`, as
/// signed; the signature is the verifier's business, not the printer's).
fn content_of(seal: &str) -> Result<(CardContent, QrCode), CardError> {
    let bad = |what: &str| CardError::Content(format!("the seal to print: {what}"));
    let root: Value = serde_json::from_str(seal).map_err(|e| bad(&e.to_string()))?;
    let data = root.get("data").ok_or_else(|| bad("no data"))?;
    let issuer = data.pointer("/hdr/is").and_then(Value::as_str).ok_or_else(|| bad("no data.hdr.is"))?;
    let issuing_state = Country::parse(issuer).map_err(|_| bad("data.hdr.is is not a country"))?;
    let msg = data.get("msg").and_then(Value::as_object).ok_or_else(|| bad("no data.msg"))?;
    let content = CardContent::from_msg(msg, issuing_state).map_err(|e| bad(&e))?;
    let (code, _) = code_of(seal)?;
    Ok((content, code))
}

/// Fonts and the one routine that fits text into a width.
struct Type {
    regular: Font,
    bold: Font,
    regular_face: ttf_parser::Face<'static>,
    bold_face: ttf_parser::Face<'static>,
}

impl Type {
    fn load() -> Result<Type, CardError> {
        let font = |bytes: &'static [u8]| {
            Font::new(bytes.into(), 0).ok_or_else(|| CardError::Content("the card font does not load".into()))
        };
        let face = |bytes: &'static [u8]| {
            ttf_parser::Face::parse(bytes, 0).map_err(|e| CardError::Content(format!("the card font: {e}")))
        };
        Ok(Type { regular: font(REGULAR)?, bold: font(BOLD)?, regular_face: face(REGULAR)?, bold_face: face(BOLD)? })
    }

    /// The advance width of `text` at `size` points.
    fn width(&self, text: &str, bold: bool, size: f32) -> f32 {
        let face = if bold { &self.bold_face } else { &self.regular_face };
        let units: u32 = text
            .chars()
            .map(|c| face.glyph_index(c).and_then(|g| face.glyph_hor_advance(g)).map_or(500, u32::from))
            .sum();
        units as f32 * size / f32::from(face.units_per_em())
    }

    /// `text` broken into lines no wider than `width` at `size` (words kept whole; a word wider
    /// than the line stands on its own line).
    fn wrap(&self, text: &str, bold: bool, size: f32, width: f32) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
            if !line.is_empty() && self.width(&candidate, bold, size) > width {
                lines.push(std::mem::replace(&mut line, word.to_owned()));
            } else {
                line = candidate;
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// The largest size from `size` down to `smallest` at which `text` fits on one line of
    /// `width`, or the smallest size wrapped into lines.
    fn fit(&self, text: &str, bold: bool, size: f32, smallest: f32, width: f32) -> (f32, Vec<String>) {
        let mut s = size;
        while s >= smallest {
            if self.width(text, bold, s) <= width {
                return (s, vec![text.to_owned()]);
            }
            s -= 0.5;
        }
        (smallest, self.wrap(text, bold, smallest, width))
    }

    fn draw(&self, surface: &mut Surface<'_>, x: f32, baseline: f32, text: &str, bold: bool, size: f32) {
        let font = if bold { self.bold.clone() } else { self.regular.clone() };
        surface.draw_text(Point::from_xy(x, baseline), font, size, text, false, TextDirection::Auto);
    }
}

fn fill(surface: &mut Surface<'_>, grey: u8) {
    surface.set_fill(Some(Fill { paint: rgb::Color::new(grey, grey, grey).into(), ..Fill::default() }));
}

/// "15.03.1990": the day first, as on documents in the region.
fn printed_date(date: jiff::civil::Date) -> String {
    format!("{:02}.{:02}.{:04}", date.day(), date.month(), date.year())
}

/// A field: its label in Russian (and the second language), then its value, from `y` down.
/// Answers the `y` below it.
#[allow(clippy::too_many_arguments)]
fn field(
    surface: &mut Surface<'_>,
    fonts: &Type,
    x: f32,
    y: f32,
    width: f32,
    label_ru: &str,
    label_other: Option<&str>,
    value: &str,
) -> f32 {
    let label = match label_other {
        Some(other) if other != label_ru => format!("{label_ru} / {other}"),
        _ => label_ru.to_owned(),
    };
    let mut y = y;
    fill(surface, 90);
    for line in fonts.wrap(&label, false, LABEL_SIZE, width) {
        y += LABEL_SIZE + 1.0;
        fonts.draw(surface, x, y, &line, false, LABEL_SIZE);
    }
    fill(surface, 0);
    let (size, lines) = fonts.fit(value, true, VALUE_SIZE, SMALLEST_VALUE_SIZE, width);
    for line in lines {
        y += size + 1.5;
        fonts.draw(surface, x, y, &line, true, size);
    }
    y + 3.0
}

/// The QR code as filled squares, runs of dark modules in a row merged into one rectangle.
fn draw_qr(surface: &mut Surface<'_>, code: &QrCode, x: f32, y: f32, side: f32) -> Result<(), CardError> {
    let modules = code.size();
    let module = side / (modules + 2 * QUIET_MODULES as i32) as f32;
    let origin = (x + QUIET_MODULES as f32 * module, y + QUIET_MODULES as f32 * module);
    let mut path = PathBuilder::new();
    for row in 0..modules {
        let mut col = 0;
        while col < modules {
            if !code.get_module(col, row) {
                col += 1;
                continue;
            }
            let start = col;
            while col < modules && code.get_module(col, row) {
                col += 1;
            }
            let rect = Rect::from_xywh(
                origin.0 + start as f32 * module,
                origin.1 + row as f32 * module,
                (col - start) as f32 * module,
                module,
            )
            .ok_or_else(|| CardError::QrTooLong("a module of no size".into()))?;
            path.push_rect(rect);
        }
    }
    fill(surface, 0);
    if let Some(path) = path.finish() {
        surface.draw_path(&path);
    }
    Ok(())
}

/// The printable card of `seal` as a one-page PDF (A6 landscape): the card's content read from
/// the seal, labelled in Russian and the holder's language
/// ([`PrintLanguage::beside_russian_for`]), the name in both scripts, the QR code of the seal
/// and a frame for the photo.
pub fn card_pdf(seal: &str) -> Result<Vec<u8>, CardError> {
    let (content, code) = content_of(seal)?;
    let fonts = Type::load()?;
    let second = PrintLanguage::beside_russian_for(content.citizenship);
    let ru = labels(PrintLanguage::Russian);
    let other = second.map(labels);

    let mut document = Document::new();
    let mut title = format!("{} {}", ru.title, content.number);
    if let Some(native) = &content.name_native {
        title.push_str(&format!(" — {native}"));
    }
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| CardError::Content("page size".into()))?;
    {
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();

        // The header: the title in both languages and the issuing state.
        fill(&mut surface, 0);
        let mut y = MARGIN + 11.0;
        fonts.draw(&mut surface, MARGIN, y, &ru.title.to_uppercase(), true, 11.0);
        let state_ru =
            state_name(content.issuing_state, PrintLanguage::Russian).unwrap_or(content.issuing_state.code());
        let state_width = fonts.width(state_ru, false, 7.5);
        fonts.draw(&mut surface, PAGE_W - MARGIN - state_width, y, state_ru, false, 7.5);
        if let (Some(lang), Some(other)) = (second, other) {
            y += 9.0;
            fonts.draw(&mut surface, MARGIN, y, &other.title.to_uppercase(), true, 8.0);
            if let Some(state) = state_name(content.issuing_state, lang) {
                let w = fonts.width(state, false, 7.0);
                fonts.draw(&mut surface, PAGE_W - MARGIN - w, y, state, false, 7.0);
            }
        }
        y += 4.0;
        fill(&mut surface, 0);
        let mut rule = PathBuilder::new();
        rule.push_rect(
            Rect::from_xywh(MARGIN, y, PAGE_W - 2.0 * MARGIN, 0.8).ok_or_else(|| CardError::Content("rule".into()))?,
        );
        if let Some(rule) = rule.finish() {
            surface.draw_path(&rule);
        }
        let top = y + 6.0;

        // The photo's frame.
        surface.set_fill(None);
        surface.set_stroke(Some(Stroke {
            paint: rgb::Color::new(120, 120, 120).into(),
            width: 0.6,
            ..Stroke::default()
        }));
        let mut frame = PathBuilder::new();
        frame.push_rect(
            Rect::from_xywh(MARGIN, top, PHOTO_W, PHOTO_H).ok_or_else(|| CardError::Content("frame".into()))?,
        );
        if let Some(frame) = frame.finish() {
            surface.draw_path(&frame);
        }
        surface.set_stroke(None);
        fill(&mut surface, 120);
        let photo = match other {
            Some(o) if o.photo != ru.photo => format!("{} / {}", ru.photo, o.photo),
            _ => ru.photo.to_owned(),
        };
        let w = fonts.width(&photo, false, 7.0);
        fonts.draw(&mut surface, MARGIN + (PHOTO_W - w) / 2.0, top + PHOTO_H / 2.0, &photo, false, 7.0);

        // The card number under the photo.
        let number = content.number.to_string();
        field(&mut surface, &fonts, MARGIN, top + PHOTO_H + 1.0, PHOTO_W, ru.number, other.map(|l| l.number), &number);

        // The fields between the photo and the QR code.
        let qr_x = PAGE_W - MARGIN - QR_SIDE;
        let x = MARGIN + PHOTO_W + 4.0 * MM;
        let width = qr_x - x - 2.0 * MM;
        let lo = |pick: fn(&Labels) -> &'static str| other.map(pick);
        let mut y = top - 2.0;
        let latin = format!("{} {}", content.surname_latin, content.given_names_latin);
        y = field(&mut surface, &fonts, x, y, width, ru.latin_name, lo(|l| l.latin_name), latin.trim());
        if let Some(native) = &content.name_native {
            y = field(&mut surface, &fonts, x, y, width, ru.native_name, lo(|l| l.native_name), native);
        }
        let sex = |l: &Labels| match content.sex {
            Sex::Male => l.male,
            Sex::Female => l.female,
            Sex::Unspecified => l.unspecified,
        };
        let sex_value = match other {
            Some(o) if sex(o) != sex(ru) => format!("{} / {}", sex(ru), sex(o)),
            _ => sex(ru).to_owned(),
        };
        let born = format!("{}   {}: {}", printed_date(content.birth_date), ru.sex, sex_value);
        y = field(&mut surface, &fonts, x, y, width, ru.birth_date, lo(|l| l.birth_date), &born);
        y = field(&mut surface, &fonts, x, y, width, ru.citizenship, lo(|l| l.citizenship), content.citizenship.code());
        y = field(&mut surface, &fonts, x, y, width, ru.document, lo(|l| l.document), &content.document_number);
        let half = (width - 2.0 * MM) / 2.0;
        let issued = printed_date(content.issued_on);
        field(&mut surface, &fonts, x, y, half, ru.issued_on, lo(|l| l.issued_on), &issued);
        let until = printed_date(content.valid_until);
        field(&mut surface, &fonts, x + half + 2.0 * MM, y, half, ru.valid_until, lo(|l| l.valid_until), &until);

        // The QR code, and what it is, along the bottom.
        draw_qr(&mut surface, &code, qr_x, top - 2.0 * MM, QR_SIDE)?;
        fill(&mut surface, 90);
        let mut y = PAGE_H - MARGIN - 2.0;
        let notes: Vec<&str> = match other {
            Some(o) => vec![o.seal_note, ru.seal_note],
            None => vec![ru.seal_note],
        };
        for note in notes {
            for line in fonts.wrap(note, false, 5.5, PAGE_W - 2.0 * MARGIN).into_iter().rev() {
                fonts.draw(&mut surface, MARGIN, y, &line, false, 5.5);
                y -= 7.0;
            }
        }
        surface.finish();
        page.finish();
    }
    document.set_metadata(
        Metadata::new().title(title).language(PrintLanguage::Russian.tag().to_owned()).creator("Sapar".to_owned()),
    );
    document.finish().map_err(|e| CardError::Content(format!("writing the PDF: {e:?}")))
}
