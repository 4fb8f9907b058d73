//! Every breakpoint of every table, both sides of each boundary, and the special rules.
//!
//! Expected values are worked by hand from the tables (HJ 633—2012 Table 1, HJ 633—2026 Table 3,
//! EPA TAD 2024 Table 6 and the 2018 tables, EEA, Defra and CPCB bands), not by calling the
//! interpolation code under test.

use Indicator::*;
use lantian_aqi::hj633::{self, Edition, IndexRounding, Practice};
use lantian_aqi::{Indicator, Note, Report, Standard, epa};

fn iaqi(e: Edition, i: Indicator, c: f64) -> Option<i32> {
    hj633::iaqi(e, i, c, Practice::default()).index
}

/// HJ 633 columns: (indicator, breakpoints of the IAQI rows 0,50,…,500; one step above a
/// breakpoint; the IAQI one step above each breakpoint, worked by hand).
#[allow(clippy::type_complexity)]
fn hj633_columns(e: Edition) -> Vec<(Indicator, Vec<f64>, f64, Vec<i32>)> {
    let pm10 = match e {
        Edition::E2012 => vec![0.0, 50.0, 150.0, 250.0, 350.0, 420.0, 500.0, 600.0],
        Edition::E2026 => vec![0.0, 50.0, 120.0, 250.0, 350.0, 420.0, 500.0, 600.0],
    };
    let pm25 = match e {
        Edition::E2012 => vec![0.0, 35.0, 75.0, 115.0, 150.0, 250.0, 350.0, 500.0],
        Edition::E2026 => vec![0.0, 35.0, 60.0, 115.0, 150.0, 250.0, 350.0, 500.0],
    };
    // One unit above each breakpoint → IAQI_k + 1 × slope of the next segment, rounded up.
    // e.g. PM2.5 2012: 36 → 50 + 50/40 = 51.25 → 52; 76 → 100 + 50/40 → 102; 116 → 150 + 50/35
    // → 152; 151 → 200 + 100/100 = 201; 251 → 301; 351 → 400 + 100/150 → 401.
    let pm25_up = match e {
        Edition::E2012 => vec![2, 52, 102, 152, 201, 301, 401],
        // 2026: 36 → 50 + 50/25 = 52; 61 → 100 + 50/55 → 101; then as 2012
        Edition::E2026 => vec![2, 52, 101, 152, 201, 301, 401],
    };
    // PM10 2012: 1 → 1; 51 → 50.5 → 51; 151 → 100.5 → 101; 251 → 150.5 → 151; 351 → 200 + 100/70 → 202;
    // 421 → 300 + 100/80 → 302; 501 → 401.
    let pm10_up = match e {
        Edition::E2012 => vec![1, 51, 101, 151, 202, 302, 401],
        // 2026: 51 → 50 + 50/70 → 51; 121 → 100 + 50/130 → 101; 251 → 151
        Edition::E2026 => vec![1, 51, 101, 151, 202, 302, 401],
    };
    vec![
        (
            So2_24h,
            vec![0.0, 50.0, 150.0, 475.0, 800.0, 1600.0, 2100.0, 2620.0],
            1.0,
            vec![1, 51, 101, 151, 201, 301, 401],
        ),
        (
            So2_1h,
            vec![0.0, 150.0, 500.0, 650.0, 800.0],
            1.0,
            vec![1, 51, 101, 151],
        ),
        (
            No2_24h,
            vec![0.0, 40.0, 80.0, 180.0, 280.0, 565.0, 750.0, 940.0],
            1.0,
            vec![2, 52, 101, 151, 201, 301, 401],
        ),
        (
            No2_1h,
            vec![0.0, 100.0, 200.0, 700.0, 1200.0, 2340.0, 3090.0, 3840.0],
            1.0,
            vec![1, 51, 101, 151, 201, 301, 401],
        ),
        (
            Co_24h,
            vec![0.0, 2.0, 4.0, 14.0, 24.0, 36.0, 48.0, 60.0],
            0.1,
            vec![3, 53, 101, 151, 201, 301, 401],
        ),
        (
            Co_1h,
            vec![0.0, 5.0, 10.0, 35.0, 60.0, 90.0, 120.0, 150.0],
            0.1,
            vec![1, 51, 101, 151, 201, 301, 401],
        ),
        (
            O3_1h,
            vec![0.0, 160.0, 200.0, 300.0, 400.0, 800.0, 1000.0, 1200.0],
            1.0,
            vec![1, 52, 101, 151, 201, 301, 401],
        ),
        (
            O3_8h,
            vec![0.0, 100.0, 160.0, 215.0, 265.0, 800.0],
            1.0,
            vec![1, 51, 101, 151, 201],
        ),
        (Pm10_24h, pm10, 1.0, pm10_up),
        (Pm25_24h, pm25, 1.0, pm25_up),
    ]
}

#[test]
fn hj633_every_breakpoint_both_sides() {
    let rows = [0, 50, 100, 150, 200, 300, 400, 500];
    for e in [Edition::E2012, Edition::E2026] {
        for (ind, bps, step, up) in hj633_columns(e) {
            for (k, &bp) in bps.iter().enumerate() {
                // On the breakpoint: exactly the IAQI row (segments are continuous).
                assert_eq!(iaqi(e, ind, bp), Some(rows[k]), "{e:?} {ind} at {bp}");
                // Just below (one step): strictly below the row.
                if k > 0 {
                    let below = iaqi(e, ind, bp - step).unwrap();
                    assert!(
                        below <= rows[k] && below > rows[k - 1],
                        "{e:?} {ind} below {bp}: {below}"
                    );
                }
                // Just above: the next segment, worked by hand.
                if k + 1 < bps.len() {
                    assert_eq!(
                        iaqi(e, ind, bp + step),
                        Some(up[k]),
                        "{e:?} {ind} above {bp}"
                    );
                }
            }
        }
    }
}

#[test]
fn hj633_hand_worked_values() {
    let e12 = Edition::E2012;
    // PM2.5 24-h 80: 100 + (150−100)/(115−75) × 5 = 106.25 → 107 (ceil, §6.2)
    assert_eq!(iaqi(e12, Pm25_24h, 80.0), Some(107));
    // 2026: 100 + 50/55 × 20 = 118.18 → 119
    assert_eq!(iaqi(Edition::E2026, Pm25_24h, 80.0), Some(119));
    // PM10 24-h 131 (2012): 50 + 50/100 × 81 = 90.5 → 91 (the Beijing 2014-01-01 00h 东四 value)
    assert_eq!(iaqi(e12, Pm10_24h, 131.0), Some(91));
    // CO 1-h 3.4 mg/m³: 50 × 3.4/5 = 34
    assert_eq!(iaqi(e12, Co_1h, 3.4), Some(34));
    // O3 8-h 170: 100 + 50 × 10/55 = 109.09 → 110
    assert_eq!(iaqi(e12, O3_8h, 170.0), Some(110));
}

#[test]
fn input_rounding_half_even_before_iaqi() {
    let e = Edition::E2012;
    // PM2.5 75.5 → 76 (to even) → 101.25 → 102; 74.5 → 74 → 98.75 → 99.
    assert_eq!(iaqi(e, Pm25_24h, 75.5), Some(102));
    assert_eq!(iaqi(e, Pm25_24h, 74.5), Some(99));
    // 75.4 → 75 → exactly 100; 75.6 → 76 → 102
    assert_eq!(iaqi(e, Pm25_24h, 75.4), Some(100));
    assert_eq!(iaqi(e, Pm25_24h, 75.6), Some(102));
    // CO to 0.1 mg/m³: 4.05 → 4.0 → exactly 100 (24-h); 4.15 → 4.2 → 100 + 50 × 0.2/10 = 101
    assert_eq!(iaqi(e, Co_24h, 4.05), Some(100));
    assert_eq!(iaqi(e, Co_24h, 4.15), Some(101));
    assert_eq!(hj633::iaqi(e, Co_24h, 4.05, Practice::default()).rated, 4.0);
}

#[test]
fn special_rules_2012() {
    let s = Standard::Hj633_2012;
    // SO2 1-h 801 → not rated; with a 24-h value the SO2 IAQI comes from it (Table 1 note 2).
    let r = s
        .compute(
            Report::RealTime,
            &[(So2_1h, 801.0), (So2_24h, 300.0), (Pm25_1h, 40.0)],
        )
        .unwrap();
    // SO2 24-h 300: 100 + 50 × 150/325 = 123.08 → 124
    assert_eq!(r.aqi, Some(124));
    assert_eq!(
        r.sub_index(So2_1h).unwrap().note,
        Some(Note::So2OneHourAbove800RatedOn24h)
    );
    assert_eq!(r.primary, vec![So2_24h]);
    // SO2 1-h 800 is still on the table: IAQI 200.
    let r = s
        .compute(Report::RealTime, &[(So2_1h, 800.0), (So2_24h, 300.0)])
        .unwrap();
    assert_eq!(r.aqi, Some(200));
    assert_eq!(
        r.sub_index(So2_24h).unwrap().index,
        None,
        "24-h SO2 is only the fallback"
    );
    // O3 8-h 801 → not rated; O3 1-h 900 rates O3: 300 + 100 × 100/200 = 350.
    let r = s
        .compute(Report::RealTime, &[(O3_8h, 801.0), (O3_1h, 900.0)])
        .unwrap();
    assert_eq!(r.aqi, Some(350));
    assert_eq!(
        r.sub_index(O3_8h).unwrap().note,
        Some(Note::O3EightHourAbove800RatedOn1h)
    );
    // Above the top: PM2.5 501 → 500, flagged.
    let r = s.compute(Report::Daily, &[(Pm25_24h, 501.0)]).unwrap();
    assert_eq!(r.aqi, Some(500));
    assert_eq!(r.sub_index(Pm25_24h).unwrap().note, Some(Note::AboveTable));
}

#[test]
fn special_rules_2026() {
    let s = Standard::Hj633_2026;
    let all = |so2: f64| {
        vec![
            (So2_1h, so2),
            (No2_1h, 10.0),
            (Co_1h, 0.5),
            (O3_1h, 20.0),
            (Pm10_1h, 20.0),
            (Pm25_1h, 10.0),
        ]
    };
    // SO2 1-h 801 → IAQI 200 (Table 3 note b).
    let r = s.compute(Report::RealTime, &all(801.0)).unwrap();
    assert_eq!(r.aqi, Some(200));
    assert_eq!(
        r.sub_index(So2_1h).unwrap().note,
        Some(Note::So2OneHourAbove800Set200)
    );
    // O3 8-h 801 → IAQI 300 (note c).
    let r = s.compute(Report::Daily, &[(O3_8h, 801.0)]).unwrap();
    assert_eq!(r.aqi, Some(300));
    // §5.3 missing data: with O3 missing and the rest ≤ 100 the AQI is NA…
    let mut v = all(10.0);
    v.remove(3);
    let r = s.compute(Report::RealTime, &v).unwrap();
    assert_eq!(
        (r.aqi, r.max_sub_index, r.missing.clone()),
        (None, Some(20), vec!["O3"])
    );
    assert!(r.category.is_none() && r.primary.is_empty());
    // …but above 100 it is published.
    let mut v = all(10.0);
    v.remove(3);
    v[4] = (Pm25_1h, 80.0);
    let r = s.compute(Report::RealTime, &v).unwrap();
    assert_eq!(r.aqi, Some(119));
    // 2012 has no such rule: the AQI comes from what is there.
    let r = Standard::Hj633_2012
        .compute(Report::RealTime, &[(Pm25_1h, 10.0)])
        .unwrap();
    assert_eq!(r.aqi, Some(15));
    // The 2026 real-time report has no O3 8-h and no PM 24-h.
    assert!(s.compute(Report::RealTime, &[(O3_8h, 10.0)]).is_err());
    assert!(s.compute(Report::Daily, &[(O3_1h, 10.0)]).is_err());
}

#[test]
fn primary_pollutant_ties_and_threshold() {
    let s = Standard::Hj633_2012;
    // PM10 150 and PM2.5 75 both give exactly 100: both primary (并列).
    let r = s
        .compute(
            Report::Daily,
            &[(Pm10_24h, 150.0), (Pm25_24h, 75.0), (No2_24h, 20.0)],
        )
        .unwrap();
    assert_eq!(r.primary, vec![Pm10_24h, Pm25_24h]);
    assert_eq!(r.primary_names(), "PM10,PM2.5");
    // Ties compare the rounded-up IAQIs: PM2.5 74 → 98.75 → 99; PM10 148 → 99.0 → 99.
    let r = s
        .compute(Report::Daily, &[(Pm10_24h, 148.0), (Pm25_24h, 74.0)])
        .unwrap();
    assert_eq!(r.primary.len(), 2);
    // AQI ≤ 50: no primary pollutant.
    let r = s
        .compute(Report::Daily, &[(Pm25_24h, 35.0), (Pm10_24h, 50.0)])
        .unwrap();
    assert_eq!(r.aqi, Some(50));
    assert!(r.primary.is_empty());
    assert_eq!(r.category.unwrap().name_en, "Excellent");
    // 51 → 良, yellow.
    let r = s.compute(Report::Daily, &[(Pm10_24h, 52.0)]).unwrap();
    assert_eq!(
        (r.aqi, r.category.unwrap().name_zh, r.category.unwrap().rgb),
        (Some(51), "良", [255, 255, 0])
    );
}

#[test]
fn categories_at_every_boundary() {
    let cases = [
        (0, 1),
        (50, 1),
        (51, 2),
        (100, 2),
        (101, 3),
        (150, 3),
        (151, 4),
        (200, 4),
        (201, 5),
        (300, 5),
        (301, 6),
        (500, 6),
    ];
    for (aqi, level) in cases {
        assert_eq!(hj633::category(aqi).level, level, "HJ 633 {aqi}");
        assert_eq!(epa::category(aqi).level, level, "EPA {aqi}");
    }
    assert_eq!(hj633::category(301).name_zh, "严重污染");
    assert_eq!(hj633::category(201).rgb, [153, 0, 76]);
    assert_eq!(epa::category(201).rgb, [143, 63, 151]);
}

#[test]
fn half_up_practice_is_only_a_practice() {
    let p = Practice {
        index_rounding: IndexRounding::HalfUp,
        ..Practice::default()
    };
    // PM2.5 80: 106.25 → 106 half-up, 107 by the standard.
    // Unrounded input: 74.6 rated as is → 50 + 50/40 × 39.6 = 99.5 → 100; rounded → 75 → 100;
    // 74.4 unrounded → 99.25 → 100, rounded → 74 → 98.75 → 99.
    let raw = Practice {
        input_rounding: false,
        ..Practice::default()
    };
    assert_eq!(
        hj633::iaqi(Edition::E2012, Pm25_24h, 74.4, raw).index,
        Some(100)
    );
    assert_eq!(
        hj633::iaqi(Edition::E2012, Pm25_24h, 74.4, Practice::default()).index,
        Some(99)
    );
    assert_eq!(
        hj633::iaqi(Edition::E2012, Pm25_1h, 80.0, p).index,
        Some(106)
    );
    assert_eq!(
        hj633::iaqi(Edition::E2012, Pm25_1h, 80.0, Practice::default()).index,
        Some(107)
    );
}

#[test]
fn edition_by_date() {
    let d = |y, m, dd| chrono::NaiveDate::from_ymd_opt(y, m, dd).unwrap();
    assert_eq!(
        Standard::china_for_date(d(2026, 2, 28)),
        Standard::Hj633_2012
    );
    assert_eq!(
        Standard::china_for_date(d(2026, 3, 1)),
        Standard::Hj633_2026
    );
    assert_eq!(Standard::epa_for_date(d(2024, 5, 5)), Standard::Epa2018);
    assert_eq!(Standard::epa_for_date(d(2024, 5, 6)), Standard::Epa2024);
    for s in Standard::ALL {
        assert_eq!(Standard::parse(s.id()), Ok(s));
    }
    assert!(Standard::parse("hj633-2019").is_err());
}

// ---------------------------------------------------------------- US EPA

fn epa_native(s: Standard, i: Indicator, c: f64) -> Option<i32> {
    epa::sub_index_native(s, i, c).1
}

#[test]
fn epa_worked_example_and_truncation() {
    // TAD: 8-h O3 0.078 ppm → (150−101)/(0.085−0.071) × (0.078−0.071) + 101 = 125.5 → 126.
    assert_eq!(epa_native(Standard::Epa2024, O3_8h, 0.078), Some(126));
    // Truncation: 0.0789 is rated as 0.078.
    assert_eq!(epa_native(Standard::Epa2024, O3_8h, 0.0789), Some(126));
    // PM2.5 35.49 → 35.4 → 100; 35.5 → 101.
    assert_eq!(epa_native(Standard::Epa2024, Pm25_24h, 35.49), Some(100));
    assert_eq!(epa_native(Standard::Epa2024, Pm25_24h, 35.5), Some(101));
}

#[test]
fn epa_pm25_2024_and_2018_breakpoints() {
    // (concentration, 2024 AQI, 2018 AQI), worked by hand.
    let cases = [
        (9.0, 50, 38),  // 2018: 50/12 × 9 = 37.5 → 38
        (9.1, 51, 38),  // 2018: 37.9 → 38
        (12.0, 56, 50), // 2024: 51 + 49/26.3 × 2.9 = 56.40 → 56
        (12.1, 57, 51),
        (35.4, 100, 100),
        (35.5, 101, 101),
        (55.4, 150, 150),
        (55.5, 151, 151),
        (125.4, 200, 186), // 2018: 151 + 49/94.9 × 69.9 = 187.09… → 187? see below
        (125.5, 201, 187),
        (225.4, 300, 275),
        (225.5, 301, 276),
        (325.4, 500, 375),
        (350.5, 550, 401),
        (500.4, 849, 500),
    ];
    for (c, want24, _) in cases {
        assert_eq!(
            epa_native(Standard::Epa2024, Pm25_24h, c),
            Some(want24),
            "2024 PM2.5 {c}"
        );
    }
    // 2018 values recomputed exactly: 151 + (200−151)/(150.4−55.5) × (125.4−55.5) = 187.09 → 187.
    assert_eq!(epa_native(Standard::Epa2018, Pm25_24h, 125.4), Some(187));
    assert_eq!(epa_native(Standard::Epa2018, Pm25_24h, 12.0), Some(50));
    assert_eq!(epa_native(Standard::Epa2018, Pm25_24h, 12.1), Some(51));
    assert_eq!(epa_native(Standard::Epa2018, Pm25_24h, 150.4), Some(200));
    assert_eq!(epa_native(Standard::Epa2018, Pm25_24h, 150.5), Some(201));
    assert_eq!(epa_native(Standard::Epa2018, Pm25_24h, 250.4), Some(300));
    assert_eq!(epa_native(Standard::Epa2018, Pm25_24h, 250.5), Some(301));
    assert_eq!(epa_native(Standard::Epa2018, Pm25_24h, 350.4), Some(400));
    assert_eq!(epa_native(Standard::Epa2018, Pm25_24h, 350.5), Some(401));
    assert_eq!(epa_native(Standard::Epa2018, Pm25_24h, 500.4), Some(500));
}

#[test]
fn epa_other_breakpoints_both_sides() {
    let s = Standard::Epa2024;
    let cases: &[(Indicator, f64, i32)] = &[
        (O3_8h, 0.054, 50),
        (O3_8h, 0.055, 51),
        (O3_8h, 0.070, 100),
        (O3_8h, 0.071, 101),
        (O3_8h, 0.085, 150),
        (O3_8h, 0.086, 151),
        (O3_8h, 0.105, 200),
        (O3_8h, 0.106, 201),
        (O3_8h, 0.200, 300),
        (O3_1h, 0.125, 101),
        (O3_1h, 0.164, 150),
        (O3_1h, 0.165, 151),
        (O3_1h, 0.204, 200),
        (O3_1h, 0.205, 201),
        (O3_1h, 0.404, 300),
        (O3_1h, 0.405, 301),
        (O3_1h, 0.604, 500),
        (Pm10_24h, 54.0, 50),
        (Pm10_24h, 55.0, 51),
        (Pm10_24h, 154.0, 100),
        (Pm10_24h, 155.0, 101),
        (Pm10_24h, 254.0, 150),
        (Pm10_24h, 255.0, 151),
        (Pm10_24h, 354.0, 200),
        (Pm10_24h, 355.0, 201),
        (Pm10_24h, 424.0, 300),
        (Pm10_24h, 425.0, 301),
        (Pm10_24h, 604.0, 500),
        (Co_8h, 4.4, 50),
        (Co_8h, 4.5, 51),
        (Co_8h, 9.4, 100),
        (Co_8h, 9.5, 101),
        (Co_8h, 12.4, 150),
        (Co_8h, 12.5, 151),
        (Co_8h, 15.4, 200),
        (Co_8h, 15.5, 201),
        (Co_8h, 30.4, 300),
        (Co_8h, 30.5, 301),
        (Co_8h, 50.4, 500),
        (So2_1h, 35.0, 50),
        (So2_1h, 36.0, 51),
        (So2_1h, 75.0, 100),
        (So2_1h, 76.0, 101),
        (So2_1h, 185.0, 150),
        (So2_1h, 186.0, 151),
        (So2_1h, 304.0, 200),
        (So2_24h, 305.0, 201),
        (So2_24h, 604.0, 300),
        (So2_24h, 605.0, 301),
        (So2_24h, 1004.0, 500),
        (No2_1h, 53.0, 50),
        (No2_1h, 54.0, 51),
        (No2_1h, 100.0, 100),
        (No2_1h, 101.0, 101),
        (No2_1h, 360.0, 150),
        (No2_1h, 361.0, 151),
        (No2_1h, 649.0, 200),
        (No2_1h, 650.0, 201),
        (No2_1h, 1249.0, 300),
        (No2_1h, 1250.0, 301),
        (No2_1h, 2049.0, 500),
    ];
    for &(i, c, want) in cases {
        assert_eq!(epa_native(s, i, c), Some(want), "{i} {c}");
    }
    // 2018 split of the top band: PM10 504 → 400, 505 → 401.
    assert_eq!(epa_native(Standard::Epa2018, Pm10_24h, 504.0), Some(400));
    assert_eq!(epa_native(Standard::Epa2018, Pm10_24h, 505.0), Some(401));
    // Blank cells: 1-h O3 below 0.125 ppm and 8-h O3 above 0.200 ppm are not rated.
    assert_eq!(epa_native(s, O3_1h, 0.124), None);
    assert_eq!(epa_native(s, O3_8h, 0.201), None);
    // Above 500: the top line extended. PM2.5 2024 425.4 → 301 + 199/99.9 × 199.9 = 699.2 → 699.
    assert_eq!(epa_native(s, Pm25_24h, 425.4), Some(699));
}

#[test]
fn epa_so2_rule_and_unit_conversion() {
    let s = Standard::Epa2024;
    // 1-h SO2 400 ppb (≥ 305) with no 24-h value → 200 (TAD note 3).
    let so2_ugm3 = |ppb: f64| ppb * 64.066 / 24.45;
    let r = s
        .compute(Report::Daily, &[(So2_1h, so2_ugm3(400.0))])
        .unwrap();
    assert_eq!(r.aqi, Some(200));
    // …with a 24-h mean of 400 ppb: 201 + 99/299 × 95 = 232.45 → 232.
    let r = s
        .compute(
            Report::Daily,
            &[(So2_1h, so2_ugm3(400.0)), (So2_24h, so2_ugm3(400.0))],
        )
        .unwrap();
    assert_eq!(r.aqi, Some(232));
    // O3 100 µg/m³ = 0.0509 ppm → 0.050 → 50/0.054 × 0.050 = 46.3 → 46.
    assert_eq!(
        s.compute(Report::Daily, &[(O3_8h, 100.0)]).unwrap().aqi,
        Some(46)
    );
}

#[test]
fn nowcast_hand_worked() {
    // 12 hours, current first: max 60, min 30 → w = 1 − 30/60 = 0.5.
    let h: Vec<Option<f64>> = [
        60.0, 30.0, 30.0, 30.0, 30.0, 30.0, 30.0, 30.0, 30.0, 30.0, 30.0, 30.0,
    ]
    .map(Some)
    .to_vec();
    // Σ wⁱcᵢ = 60 + 30 × (0.5 + … + 0.5¹¹) = 60 + 30 × 0.99951171875 = 89.9853515625
    // Σ wⁱ = 1.99951171875 → 45.0037…
    let n = epa::nowcast(&h).unwrap();
    assert!((n - 89.9853515625 / 1.99951171875).abs() < 1e-12);
    // Steady air: w = 1 → the plain mean.
    assert_eq!(epa::nowcast(&[Some(10.0); 12]), Some(10.0));
    // 2 of the 3 most recent hours are needed.
    assert_eq!(epa::nowcast(&[Some(10.0), None, None, Some(10.0)]), None);
    assert_eq!(
        epa::nowcast(&[None, Some(10.0), Some(20.0)]).map(|v| v > 10.0),
        Some(true)
    );
}

// ---------------------------------------------------------------- EEA, Defra, CPCB

#[test]
fn eaqi_band_edges() {
    use lantian_aqi::eaqi::band;
    // 2024 bands, PM2.5: 0–5, 5–15, 15–50, 50–90, 90–140, 140+; boundaries belong to the better band.
    let cases = [
        (5.0, 1),
        (5.1, 2),
        (15.0, 2),
        (15.1, 3),
        (50.0, 3),
        (50.1, 4),
        (90.0, 4),
        (90.1, 5),
        (140.0, 5),
        (140.1, 6),
    ];
    for (c, b) in cases {
        assert_eq!(
            band(Standard::Eaqi2024, Pm25_24h, c).0,
            Some(b),
            "PM2.5 {c}"
        );
    }
    // 2017 bands, NO2: 40, 90, 120, 230, 340.
    for (c, b) in [
        (40.0, 1),
        (41.0, 2),
        (90.0, 2),
        (91.0, 3),
        (120.0, 3),
        (121.0, 4),
        (230.0, 4),
        (231.0, 5),
        (340.0, 5),
        (341.0, 6),
    ] {
        assert_eq!(band(Standard::Eaqi2017, No2_1h, c).0, Some(b), "NO2 {c}");
    }
    let r = Standard::Eaqi2024
        .compute(
            Report::RealTime,
            &[(Pm25_24h, 20.0), (O3_1h, 170.0), (No2_1h, 30.0)],
        )
        .unwrap();
    assert_eq!(
        (
            r.aqi,
            r.category.unwrap().name_en,
            r.primary_names().as_str()
        ),
        (Some(5), "Very poor", "O3")
    );
}

#[test]
fn daqi_band_edges() {
    use lantian_aqi::daqi::index;
    // PM2.5 24-h: 11/12, 23/24, 35/36, 41/42, 47/48, 53/54, 58/59, 64/65, 70/71.
    let edges = [11.0, 23.0, 35.0, 41.0, 47.0, 53.0, 58.0, 64.0, 70.0];
    for (k, e) in edges.iter().enumerate() {
        assert_eq!(index(Pm25_24h, *e).1, Some(k as i32 + 1));
        assert_eq!(index(Pm25_24h, e + 1.0).1, Some(k as i32 + 2));
    }
    // O3 8-h 100 → 3 (Low), 101 → 4 (Moderate); NO2 601 → 10.
    assert_eq!(index(O3_8h, 100.0).1, Some(3));
    assert_eq!(index(O3_8h, 101.0).1, Some(4));
    assert_eq!(index(No2_1h, 601.0).1, Some(10));
    // Rounded before lookup: 35.4 → 35 → 3; 35.5 → 36 → 4.
    assert_eq!(index(Pm25_24h, 35.4).1, Some(3));
    assert_eq!(index(Pm25_24h, 35.5).1, Some(4));
    assert_eq!(lantian_aqi::daqi::category(7).level_name, "High");
}

#[test]
fn naqi_breakpoints_and_completeness() {
    use lantian_aqi::naqi::sub_index;
    // PM2.5 24-h: 30 → 50, 31 → 51, 60 → 100, 61 → 101, 90 → 200, 91 → 201, 120 → 300, 121 → 301, 250 → 400.
    for (c, want) in [
        (30.0, 50),
        (31.0, 51),
        (60.0, 100),
        (61.0, 101),
        (90.0, 200),
        (91.0, 201),
        (120.0, 300),
        (121.0, 301),
        (250.0, 400),
    ] {
        assert_eq!(sub_index(Pm25_24h, c).0, Some(want), "PM2.5 {c}");
    }
    // PM10 175: 101 + 99/149 × 74 = 150.17 → 150.
    assert_eq!(sub_index(Pm10_24h, 175.0).0, Some(150));
    // Severe: PM2.5 250 + 129 (one Very-poor width) → 500; beyond → 500 flagged.
    assert_eq!(sub_index(Pm25_24h, 379.0).0, Some(500));
    assert_eq!(
        sub_index(Pm25_24h, 900.0),
        (Some(500), Some(Note::AboveTable))
    );
    // Fewer than 3 pollutants, or no PM → no AQI.
    let s = Standard::IndiaNaqi;
    assert_eq!(
        s.compute(Report::Daily, &[(Pm25_24h, 50.0), (No2_24h, 20.0)])
            .unwrap()
            .aqi,
        None
    );
    assert_eq!(
        s.compute(
            Report::Daily,
            &[(No2_24h, 20.0), (So2_24h, 20.0), (O3_8h, 20.0)]
        )
        .unwrap()
        .aqi,
        None
    );
    let r = s
        .compute(
            Report::Daily,
            &[(Pm25_24h, 50.0), (No2_24h, 20.0), (So2_24h, 20.0)],
        )
        .unwrap();
    // PM2.5 50: 51 + 49/29 × 19 = 83.1 → 83, category Satisfactory.
    assert_eq!(
        (r.aqi, r.category.unwrap().name_en),
        (Some(83), "Satisfactory")
    );
}
