//! The reader's fold of automatic water-station files on one thread, timed: how fast the
//! reading itself is, apart from the command line's parallel parts and per-section work.
//!
//!   cargo run --release -p lantian-ingest --example water_fold -- [--runs N] FILE...
//!
//! Prints each run's time and the values read, then the best run.
use lantian_ingest::water::auto::fold_auto_read;
use lantian_water::Accumulator;

fn main() -> Result<(), String> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut runs = 5;
    if args.first().map(String::as_str) == Some("--runs") {
        runs = args
            .get(1)
            .and_then(|n| n.parse().ok())
            .ok_or("--runs takes a number")?;
        args.drain(..2);
    }
    if args.is_empty() {
        return Err("usage: water_fold [--runs N] FILE...".into());
    }
    let mut best = f64::MAX;
    for _ in 0..runs {
        let start = std::time::Instant::now();
        let (mut acc, mut buf, mut values) = (Accumulator::new(), Vec::new(), 0);
        for file in &args {
            let mut input = std::fs::File::open(file).map_err(|e| format!("{file}: {e}"))?;
            buf.clear();
            values += fold_auto_read(file, &mut input, &mut buf, &mut acc)?.values;
        }
        let took = start.elapsed().as_secs_f64();
        best = best.min(took);
        println!("{took:.3} s, {values} values");
    }
    println!("best {best:.3} s");
    Ok(())
}
