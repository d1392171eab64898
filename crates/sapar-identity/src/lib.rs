//! ICAO 9303 machine-readable zones and Cyrillic/Latin names: parsing, emitting, transliteration, matching keys.
