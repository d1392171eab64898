//! Synthetic persons of the region (filled in below).
