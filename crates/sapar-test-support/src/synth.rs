//! The linkage generator's persons (`sapar_match::synth`) as crossings to record.

use jiff::Timestamp;
use sapar_match::Record;
use sapar_model::{
    Country, CrossingId, CrossingPoint, Direction, DocumentKey, DocumentNumber, DocumentType, FullName,
    IdentityDocument, NamePart, NewCrossing, Outcome, PersonDetails, PersonName, Purpose, Script, Sex,
    parse_crossing_time,
};
use sapar_store::RecordCrossing;

/// The crossing of a generated record: an entry at Korday at `at` under its passport, names in
/// the script they are written in; `None` when a value does not validate.
pub fn generated_entry(record: &Record, at: &str) -> Option<RecordCrossing> {
    let v = &record.values;
    let part = |s: &str| NamePart::parse(s).ok();
    let surname = part(v.get(1)?)?;
    let script = surname.script();
    let same_script = |p: Option<NamePart>| p.filter(|p| p.script() == script);
    let name =
        FullName { surname, given_names: same_script(part(v.get(2)?)), patronymic: same_script(part(v.get(3)?)) };
    let name =
        if script == Script::Latin { PersonName::new(None, Some(name)) } else { PersonName::new(Some(name), None) };
    let birth = v.get(4)?;
    let birth_date = match birth.split('.').collect::<Vec<_>>()[..] {
        [d, m, y] => format!("{y}-{m}-{d}").parse().ok(),
        _ => birth.parse().ok(),
    };
    let citizenship = Country::parse(v.get(6)?).ok()?;
    let key = DocumentKey::new(citizenship, DocumentNumber::parse(v.get(7)?).ok()?).ok()?;
    Some(RecordCrossing {
        id: CrossingId::new_v7(),
        crossing: NewCrossing {
            direction: Direction::Entry,
            at: parse_crossing_time(at).ok()?,
            point: CrossingPoint::parse("KZ-KORDAY").ok()?,
            purpose: Purpose::Work,
            document: IdentityDocument { document_type: DocumentType::Passport, key, expiry: None },
            person: PersonDetails { name: name.ok()?, sex: Sex::parse(v.get(5)?)?, birth_date, citizenship },
            outcome: Outcome::Crossed,
        },
        recorded_at: Timestamp::now(),
        recorded_by: None,
    })
}
