//! The crate's error type.

/// Everything that can go wrong while configuring, reading or linking.
#[derive(Debug, thiserror::Error)]
pub enum MatchError {
    /// The configuration is not valid.
    #[error("invalid link configuration: {0}")]
    Config(String),
    /// A column named by the configuration is absent from the input.
    #[error("{source_name}: column {column:?} not found (columns: {available})")]
    MissingColumn { source_name: String, column: String, available: String },
    /// A CSV row could not be read.
    #[error("{source_name}: line {line}: {message}")]
    Csv { source_name: String, line: u64, message: String },
    /// A record has a different number of values than the table has columns.
    #[error("record {record:?} has {got} values, expected {expected}")]
    RecordWidth { record: String, got: usize, expected: usize },
    /// Two records of one source share an identifier.
    #[error("{source_name}: record id {id:?} appears twice")]
    DuplicateId { source_name: String, id: String },
    /// The data gave the training nothing to learn from.
    #[error("cannot train the model: {0}")]
    Training(String),
    /// A record refers to a field or model that does not fit.
    #[error("model does not fit the configuration: {0}")]
    ModelMismatch(String),
}
