//! The reader's fold of automatic water-station files on one thread, timed: how fast the
//! reading itself is, apart from the command line's parallel parts and per-section work.
//!
//!   cargo run --release -p lantian-ingest --example water_fold -- [--runs N] FILE...
//!
//! Prints each run's time and the values read, then the best run.
use lantian_ingest::water::auto::fold_auto_read;
use lantian_water::Accumulator;

mod timing;

fn main() -> Result<(), String> {
    let (runs, files) = timing::args("water_fold")?;
    timing::best_of(runs, || {
        let (mut acc, mut buf, mut values) = (Accumulator::new(), Vec::new(), 0);
        for file in &files {
            let mut input = std::fs::File::open(file).map_err(|e| format!("{file}: {e}"))?;
            buf.clear();
            values += fold_auto_read(file, &mut input, &mut buf, &mut acc)?.values;
        }
        Ok(values)
    })
}
