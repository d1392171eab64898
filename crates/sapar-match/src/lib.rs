//! Probabilistic record linkage (Fellegi-Sunter with EM) across scripts.
