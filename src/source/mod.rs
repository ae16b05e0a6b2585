//! Record sources (being written).
