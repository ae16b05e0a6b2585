//! The corpus every benchmark measures: 20,000 records from `kashev generate --seed 7`.

use kashev::generate::GeneratorBuilder;

/// The records of the benchmark corpus.
#[allow(dead_code)]
pub fn records() -> Vec<kashev::record::Record> {
    let generator = GeneratorBuilder::new()
        .seed(7)
        .count(20_000)
        .build()
        .expect("generator settings are valid");
    generator
        .records()
        .map(kashev::generate::GeneratedRecord::into_record)
        .collect()
}

/// The texts of the benchmark corpus.
#[allow(dead_code)]
pub fn corpus() -> Vec<String> {
    let generator = GeneratorBuilder::new()
        .seed(7)
        .count(20_000)
        .build()
        .expect("generator settings are valid");
    generator.records().map(|r| r.text).collect()
}
