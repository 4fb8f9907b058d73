//! Timing harness for `bench/aqi_vs_numpy.py`: real-time HJ 633—2026 AQI of a column file.
//!
//! Input: little-endian f64, six columns one after the other (SO2, NO2, CO, O3, PM10, PM2.5),
//! NaN = missing. Output: one little-endian i16 per row (−1 = NA). Prints one JSON line per
//! thread count with the best and median wall time of the computation (file reading excluded,
//! as for numpy).
//!
//! `cargo run --release -p lantian-aqi --example bench_hourly_aqi -- IN OUT [REPEATS]`

use lantian_aqi::batch::{Columns, realtime_aqi_parallel};
use lantian_aqi::hj633::Edition;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        return Err("usage: bench_hourly_aqi IN OUT [REPEATS]".into());
    }
    let repeats: usize = args.get(3).map(|r| r.parse()).transpose()?.unwrap_or(5);
    let bytes = std::fs::read(&args[1])?;
    if bytes.len() % 48 != 0 {
        return Err(format!("{}: {} bytes is not six f64 columns", args[1], bytes.len()).into());
    }
    let values: Vec<f64> = bytes
        .chunks_exact(8)
        .map(|b| f64::from_le_bytes(b.try_into().expect("8 bytes")))
        .collect();
    let n = values.len() / 6;
    let c = |k: usize| &values[k * n..(k + 1) * n];
    let cols = Columns {
        so2: c(0),
        no2: c(1),
        co: c(2),
        o3: c(3),
        pm10: c(4),
        pm25: c(5),
    };
    let mut out = vec![0i16; n];
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    for threads in [1, cores] {
        let mut times = Vec::new();
        for _ in 0..repeats {
            let t = Instant::now();
            realtime_aqi_parallel(Edition::E2026, cols, &mut out, threads);
            times.push(t.elapsed().as_secs_f64());
        }
        times.sort_by(|a, b| a.total_cmp(b));
        println!(
            "{{\"impl\":\"lantian\",\"threads\":{threads},\"rows\":{n},\"best_s\":{:.4},\"median_s\":{:.4}}}",
            times[0],
            times[times.len() / 2]
        );
        if threads == cores {
            break;
        }
    }
    let raw: Vec<u8> = out.iter().flat_map(|v| v.to_le_bytes()).collect();
    std::fs::write(&args[2], raw)?;
    Ok(())
}
