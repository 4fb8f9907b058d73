//! The national daily-grid reader on one thread, timed: how fast reading a file into the
//! columns the store takes is, apart from the ingest's keying and encoding.
//!
//!   cargo run --release -p lantian-ingest --example grid_read -- [--runs N] FILE...
//!
//! The files are read into memory first; prints each run's time and the values read, then the
//! best run. The command line's allocator is used, as a file's columns are allocated and freed
//! the way an ingest does.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
        return Err("usage: grid_read [--runs N] FILE...".into());
    }
    let files: Vec<(String, Vec<u8>)> = args
        .iter()
        .map(|f| {
            std::fs::read(f)
                .map(|b| (f.clone(), b))
                .map_err(|e| format!("{f}: {e}"))
        })
        .collect::<Result<_, _>>()?;
    let mut best = f64::MAX;
    for _ in 0..runs {
        let start = std::time::Instant::now();
        let mut values = 0;
        for (name, bytes) in &files {
            values += lantian_ingest::read_bytes_columns(name, bytes)
                .columns
                .len();
        }
        let t = start.elapsed().as_secs_f64();
        println!("{t:.3} s, {values} values");
        best = best.min(t);
    }
    println!("best {best:.3} s");
    Ok(())
}
