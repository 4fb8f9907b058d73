//! The comprehensive air quality index (环境空气质量综合指数) of MEE's city-ranking rules
//! (《城市环境空气质量排名技术规定》, 环办监测〔2018〕19号): I = Σ Cᵢ / Sᵢ over the six
//! pollutants, with the period statistics of HJ 663 (means; CO 95th and O3 90th percentiles)
//! against the class-II limits. The pollutant with the largest Cᵢ/Sᵢ leads.
//!
//! The limits are data: GB 3095—2012 class II (as the 2018 rules use) and the GB 3095—2026
//! transitional and final class-II limits, for recomputing a period under the new standard.
//! Which limits a 2026 ranking rule uses, and any weights, are UNCONFIRMED (no official text);
//! the 2012 denominators are the default.

/// Class-II limits used as denominators (annual means; CO 24-h; O3 MDA8).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Limits {
    pub name: &'static str,
    pub so2: f64,
    pub no2: f64,
    pub pm10: f64,
    pub pm25: f64,
    pub co: f64,
    pub o3: f64,
    /// 24-h limits of SO2, NO2, PM10, PM2.5 (for the annual percentiles in compliance).
    pub so2_24h: f64,
    pub no2_24h: f64,
    pub pm10_24h: f64,
    pub pm25_24h: f64,
}

/// GB 3095—2012 class II: SO2 60, NO2 40, PM10 70, PM2.5 35 (annual), CO 4 (24-h), O3 160 (MDA8);
/// 24-h SO2 150, NO2 80, PM10 150, PM2.5 75.
pub const GB3095_2012: Limits = Limits {
    name: "GB 3095—2012 class II",
    so2: 60.0,
    no2: 40.0,
    pm10: 70.0,
    pm25: 35.0,
    co: 4.0,
    o3: 160.0,
    so2_24h: 150.0,
    no2_24h: 80.0,
    pm10_24h: 150.0,
    pm25_24h: 75.0,
};
/// GB 3095—2026 Table 1, transitional class II (2026-03-01 → 2030-12-31).
pub const GB3095_2026_TRANSITIONAL: Limits = Limits {
    name: "GB 3095—2026 class II, transitional",
    so2: 60.0,
    no2: 40.0,
    pm10: 60.0,
    pm25: 30.0,
    co: 4.0,
    o3: 160.0,
    so2_24h: 150.0,
    no2_24h: 80.0,
    pm10_24h: 120.0,
    pm25_24h: 60.0,
};
/// GB 3095—2026 Table 1, final class II (from 2031-01-01).
pub const GB3095_2026_FINAL: Limits = Limits {
    name: "GB 3095—2026 class II, final",
    so2: 20.0,
    no2: 30.0,
    pm10: 50.0,
    pm25: 25.0,
    co: 4.0,
    o3: 160.0,
    so2_24h: 50.0,
    no2_24h: 50.0,
    pm10_24h: 100.0,
    pm25_24h: 50.0,
};

/// The index and its parts.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompositeIndex {
    pub limits: &'static str,
    /// Σ Iᵢ, unrounded.
    pub total: f64,
    /// Σ Iᵢ to two decimals, as bulletins print it (UNCONFIRMED rule; observed).
    pub published: f64,
    /// (pollutant, Iᵢ) in the order SO2, NO2, PM10, PM2.5, CO, O3.
    pub parts: Vec<(&'static str, f64)>,
    /// The pollutant with the largest Iᵢ.
    pub leading: &'static str,
}

/// The index from the six period figures (the published, rounded ones, as the ranking rules
/// use the published concentrations): SO2, NO2, PM10, PM2.5 means, CO 95th percentile, O3 90th
/// percentile of MDA8.
pub fn composite_index(
    so2: f64,
    no2: f64,
    pm10: f64,
    pm25: f64,
    co_p95: f64,
    o3_p90: f64,
    limits: &Limits,
) -> CompositeIndex {
    let parts = vec![
        ("SO2", so2 / limits.so2),
        ("NO2", no2 / limits.no2),
        ("PM10", pm10 / limits.pm10),
        ("PM2.5", pm25 / limits.pm25),
        ("CO", co_p95 / limits.co),
        ("O3", o3_p90 / limits.o3),
    ];
    let total: f64 = parts.iter().map(|p| p.1).sum();
    let leading = parts
        .iter()
        .fold(parts[0], |m, p| if p.1 > m.1 { *p } else { m })
        .0;
    CompositeIndex {
        limits: limits.name,
        total,
        published: lantian_aqi::rounding::round_half_even(total, 2),
        parts,
        leading,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulletin_worked_example() {
        // PM2.5 21, PM10 39, SO2 9, NO2 15, O3-8h-90per 192, CO-95per 0.7:
        // 21/35 + 39/70 + 9/60 + 15/40 + 192/160 + 0.7/4 = 0.6 + 0.5571 + 0.15 + 0.375 + 1.2 + 0.175 = 3.0571 → 3.06
        let c = composite_index(9.0, 15.0, 39.0, 21.0, 0.7, 192.0, &GB3095_2012);
        assert!((c.total - 3.057142857142857).abs() < 1e-12);
        assert_eq!(c.published, 3.06);
        assert_eq!(c.leading, "O3");
        // Under the 2026 transitional limits PM weighs more: 21/30 + 39/60 = 1.35 instead of 1.157.
        let c26 = composite_index(9.0, 15.0, 39.0, 21.0, 0.7, 192.0, &GB3095_2026_TRANSITIONAL);
        assert!((c26.total - (0.15 + 0.375 + 0.65 + 0.7 + 0.175 + 1.2)).abs() < 1e-12);
    }
}
