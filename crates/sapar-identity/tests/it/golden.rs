//! Golden-file helpers: compare text with a file under test_data, or rewrite it when
//! `UPDATE_EXPECT=1` is set.

use std::path::{Path, PathBuf};

pub(crate) fn test_data(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data").join(dir)
}

/// Files in `dir` with extension `ext`, sorted.
pub(crate) fn files(dir: &str, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(test_data(dir))
        .expect("test_data directory exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    out.sort();
    out
}

/// Asserts `actual` equals the file's content, or rewrites the file under `UPDATE_EXPECT=1`.
pub(crate) fn check(expected_path: &Path, actual: &str) {
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(expected_path, actual).expect("writable expectation");
        return;
    }
    let expected = std::fs::read_to_string(expected_path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_EXPECT=1 to create it)", expected_path.display()));
    assert_eq!(expected, actual, "{} differs (UPDATE_EXPECT=1 rewrites it)", expected_path.display());
}
