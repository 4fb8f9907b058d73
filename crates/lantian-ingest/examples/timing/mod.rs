//! What the timing examples share: their arguments (`[--runs N] FILE...`) and the runs, each
//! printed with the values it read, then the best.

/// The number of runs (5 unless `--runs N` comes first) and the files.
pub fn args(name: &str) -> Result<(usize, Vec<String>), String> {
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
        return Err(format!("usage: {name} [--runs N] FILE..."));
    }
    Ok((runs, args))
}

/// `run` timed `runs` times (it returns the values it read), each run printed, then the best.
pub fn best_of(runs: usize, mut run: impl FnMut() -> Result<u64, String>) -> Result<(), String> {
    let mut best = f64::MAX;
    for _ in 0..runs {
        let start = std::time::Instant::now();
        let values = run()?;
        let took = start.elapsed().as_secs_f64();
        best = best.min(took);
        println!("{took:.3} s, {values} values");
    }
    println!("best {best:.3} s");
    Ok(())
}
