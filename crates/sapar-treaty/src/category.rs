//! Data categories (Art. 3, 4, 6) and the personal-data fields of Art. 7.

/// Declares a field-less enum with stable snake_case names, `ALL`, `as_str`, `parse`, `Display`.
macro_rules! string_enum {
    ($(#[$doc:meta])* $name:ident, $err:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal,)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The stable snake_case identifier used in agreement files and on the wire.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }

            /// Parses the snake_case identifier.
            pub fn parse(raw: &str) -> Result<$name, crate::error::IdError> {
                match raw {
                    $($text => Ok($name::$variant),)*
                    _ => Err(crate::error::IdError::$err(raw.to_owned())),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use string_enum;

string_enum!(
    /// What an exchange is about. Person categories come from Art. 6; the rest from Art. 3 and 4.
    DataCategory, Category {
        /// Art. 6.1(1): registration at the place of stay or residence.
        Registration = "registration",
        /// Art. 6.1(2): temporary and permanent residence permits.
        ResidencePermit = "residence_permit",
        /// Art. 6.1(2): the right to work.
        WorkRight = "work_right",
        /// Art. 6.1(3): acquisition, restoration and belonging to citizenship.
        Citizenship = "citizenship",
        /// Art. 6.1(4): identity documents issued.
        IdentityDocument = "identity_document",
        /// Art. 6.2: restrictions of entry or exit.
        EntryRestriction = "entry_restriction",
        /// Art. 6.2: expulsions.
        Expulsion = "expulsion",
        /// Art. 3(1): statistical information.
        Statistics = "statistics",
        /// Art. 3(1), Art. 4: legislation and its changes.
        Legislation = "legislation",
        /// Art. 4: detected violations of migration law and illegal migration channels.
        Violations = "violations",
    }
);

impl DataCategory {
    /// True for categories about an identified person (these carry Art. 7 personal data).
    pub fn is_personal(self) -> bool {
        !matches!(self, DataCategory::Statistics | DataCategory::Legislation)
    }
}

string_enum!(
    /// A personal-data field of Art. 7: nothing else about a person may be exchanged.
    PersonField, Field {
        /// Surname, in Cyrillic and Latin spelling.
        Surname = "surname",
        /// Given names, in Cyrillic and Latin spelling.
        GivenNames = "given_names",
        /// Patronymic, in Cyrillic and Latin spelling.
        Patronymic = "patronymic",
        /// Sex.
        Sex = "sex",
        /// Date of birth.
        BirthDate = "birth_date",
        /// Place of birth.
        BirthPlace = "birth_place",
        /// Citizenship.
        Citizenship = "citizenship",
        /// Series, number, issue date and issuing authority of the travel or identity document.
        Document = "document",
        /// Liability for breaking migration law.
        MigrationLiability = "migration_liability",
        /// Registration at the place of stay or residence.
        Registration = "registration",
        /// Temporary or permanent residence permit.
        ResidencePermit = "residence_permit",
        /// Right to work.
        WorkRight = "work_right",
        /// Refusal of entry or restriction of exit, with its terms.
        EntryExitRestriction = "entry_exit_restriction",
        /// Photographs (as a reference to an encrypted blob).
        Photograph = "photograph",
        /// Fingerprint card, if any (as a reference to an encrypted blob).
        FingerprintCard = "fingerprint_card",
    }
);
