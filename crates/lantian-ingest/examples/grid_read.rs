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

mod timing;

fn main() -> Result<(), String> {
    let (runs, names) = timing::args("grid_read")?;
    let files: Vec<(String, Vec<u8>)> = names
        .into_iter()
        .map(|f| {
            std::fs::read(&f)
                .map(|b| (f.clone(), b))
                .map_err(|e| format!("{f}: {e}"))
        })
        .collect::<Result<_, _>>()?;
    timing::best_of(runs, || {
        Ok(files
            .iter()
            .map(|(name, bytes)| {
                lantian_ingest::read_bytes_columns(name, bytes)
                    .columns
                    .len()
            })
            .sum::<usize>() as u64)
    })
}
