//! Card numbers: the issuing state's alpha-3 code, nine digits and an ICAO 9303 check digit.

use std::fmt;

use sapar_model::Country;

/// The largest serial a card number holds (nine digits).
const MAX_SERIAL: u64 = 999_999_999;

/// A card number such as `KAZ0000000017`: the issuing state's ICAO alpha-3 code, the serial as
/// nine digits, and a check digit computed with ICAO 9303's 7-3-1 weights over the twelve
/// characters before it (letters count A=10 … Z=35), so a changed state code is caught too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CardNumber {
    state: Country,
    serial: u64,
}

/// Why a card number cannot be made or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardNumberError {
    #[error("card number must be 13 characters (state code, 9 digits, check digit), got {0:?}")]
    Shape(String),
    #[error("card number {0:?} does not start with a state code")]
    State(String),
    #[error("card number {number:?} has check digit {found}, expected {expected}")]
    CheckDigit { number: String, found: char, expected: char },
    #[error("card serial {0} does not fit in nine digits")]
    SerialTooLarge(u64),
    #[error("{0} cannot issue cards: it is not a state")]
    NotAState(String),
}

impl CardNumber {
    /// The card number of `state`'s card `serial` (0 to 999 999 999).
    pub fn new(state: Country, serial: u64) -> Result<CardNumber, CardNumberError> {
        if !state.is_state() {
            return Err(CardNumberError::NotAState(state.code().to_owned()));
        }
        if serial > MAX_SERIAL {
            return Err(CardNumberError::SerialTooLarge(serial));
        }
        Ok(CardNumber { state, serial })
    }

    /// Parses a card number, refusing a wrong check digit.
    pub fn parse(text: &str) -> Result<CardNumber, CardNumberError> {
        let shape = || CardNumberError::Shape(text.to_owned());
        let bytes = text.as_bytes();
        if bytes.len() != 13 || !bytes[3..].iter().all(u8::is_ascii_digit) {
            return Err(shape());
        }
        let state = Country::parse(&text[..3]).map_err(|_| CardNumberError::State(text.to_owned()))?;
        if !state.is_state() {
            return Err(CardNumberError::NotAState(state.code().to_owned()));
        }
        let serial: u64 = text[3..12].parse().map_err(|_| shape())?;
        let expected = sapar_identity::check_digit(&text[..12]);
        let found = char::from(bytes[12]);
        if found != expected {
            return Err(CardNumberError::CheckDigit { number: text.to_owned(), found, expected });
        }
        Ok(CardNumber { state, serial })
    }

    /// The issuing state.
    pub fn state(&self) -> Country {
        self.state
    }

    /// The serial (the nine digits as a number).
    pub fn serial(&self) -> u64 {
        self.serial
    }
}

impl fmt::Display for CardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body = format!("{}{:09}", self.state.code(), self.serial);
        write!(f, "{body}{}", sapar_identity::check_digit(&body))
    }
}

impl std::str::FromStr for CardNumber {
    type Err = CardNumberError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CardNumber::parse(s)
    }
}
