//! Reading the Meuse file (`meuse.txt`: the `sp` package's `meuse` data frame as CSV, x and y in
//! RD New metres, zinc in ppm), shared by the Meuse test and the `meuse` example.

use std::path::Path;

use lantian_geostat::Point;

/// The zinc samples of `path`, in file order; errors name the file and the record.
pub fn read_zinc(path: &Path) -> Result<Vec<Point>, String> {
    let mut reader =
        csv::Reader::from_path(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let headers = reader
        .headers()
        .map_err(|e| format!("{}: {e}", path.display()))?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("{}: no column {name:?} in {headers:?}", path.display()))
    };
    let (x, y, zinc) = (column("x")?, column("y")?, column("zinc")?);
    let mut points = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("{}: record {}: {e}", path.display(), i + 1))?;
        let field = |k: usize, name: &str| -> Result<f64, String> {
            record
                .get(k)
                .and_then(|v| v.trim().parse().ok())
                .ok_or_else(|| {
                    format!(
                        "{}: record {}: {name} is not a number",
                        path.display(),
                        i + 1
                    )
                })
        };
        points.push(Point::new(
            field(x, "x")?,
            field(y, "y")?,
            field(zinc, "zinc")?,
        ));
    }
    Ok(points)
}

/// The same samples with the natural logarithm of zinc.
#[allow(dead_code)]
pub fn log_values(points: &[Point]) -> Vec<Point> {
    points
        .iter()
        .map(|p| Point::new(p.x, p.y, p.value.ln()))
        .collect()
}
