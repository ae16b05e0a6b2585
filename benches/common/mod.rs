//! The corpus every benchmark measures: 20,000 records from `kashev generate --seed 7`.

use kashev::generate::GeneratorBuilder;

/// The texts of the benchmark corpus.
pub fn corpus() -> Vec<String> {
    let generator = GeneratorBuilder::new()
        .seed(7)
        .count(20_000)
        .build()
        .expect("generator settings are valid");
    generator.records().map(|r| r.text).collect()
}
