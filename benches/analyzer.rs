//! Analyzer benchmark (being written).

fn main() {}
