//! The foreign surface-water readers: NOAA's SWMP files (SWMPr layout) and the US Water Quality
//! Portal's narrow result export, on small hand-written files with exact expectations and on the
//! real files in `../shared/data`.

use chrono::NaiveDateTime;
use lantian_ingest::water::swmp::{read_swmp, read_swmp_path};
use lantian_ingest::water::wqp::read_wqp;
use lantian_ingest::water::{Problem, WaterFile};
use lantian_model::Flag;
use lantian_water::{Determinand, Item, Measurement, Origin, Reading};
use std::collections::{BTreeMap, BTreeSet};

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

/// The reading of `code` at `line`.
fn reading<'a>(f: &'a WaterFile, line: u64, code: &str) -> &'a Reading {
    let found: Vec<&Reading> = f
        .readings
        .iter()
        .filter(|r| r.line == line && r.determinand.code() == code)
        .collect();
    assert_eq!(found.len(), 1, "line {line} {code}: {:#?}", f.readings);
    found[0]
}

fn no_reading(f: &WaterFile, line: u64, code: &str) {
    assert!(
        !f.readings
            .iter()
            .any(|r| r.line == line && r.determinand.code() == code),
        "line {line} {code} has a reading"
    );
}

/// The problems at `line`.
fn problems_at(f: &WaterFile, line: u64) -> Vec<&Problem> {
    f.problems.iter().filter(|p| p.line == line).collect()
}

const WQ: &str = "\
datetimestamp,temp,f_temp,ph,f_ph,turb,f_turb,cdepth,f_cdepth
2012-01-01 05:00:00,16.9,<0>,7.9,<1> [SSM] (CSM),2,<-3> [STS],1.15,<3>
2012-01-01 05:15:00,17.0,<2>,8.0,<5> (CSM),4,<-5>,,<-3> [GCR]
2012-01-01 05:30:00,17.1,<4>,abc,<0>,99,<7>,,
2012-01-01 05:45:00,,<-2>,8.1,,-1,<-4>,,<-2> [GCM]
2012-01-01 06:00:00,17.3,<-1>,,<0>,3,<-2> (CSM),1.1,<0> (CND)
2012-01-01 06:15,17.4,<0>,8.2,<-4> [SBL],,<-1>,,
2012-13-01 05:00:00,17.5,<0>,8.2,<0>,2,<0>,,
";

#[test]
fn swmp_sonde_times_are_est_and_every_flag_class_maps() {
    let f = read_swmp("apacpwq.csv", WQ);
    assert_eq!(f.rows, 7);
    // 2012-01-01 05:00 UTC is midnight EST.
    let t = reading(&f, 2, "water.temp");
    assert_eq!(t.time, at("2012-01-01 00:00"));
    assert_eq!(t.measurement, Measurement::Value(16.9));
    assert_eq!(t.section.as_ref(), "apacp");
    assert_eq!(t.origin, Origin::Automatic);
    assert_eq!(t.file.as_ref(), "apacpwq.csv");
    assert_eq!(t.determinand, Determinand::Item(Item::WaterTemperature));
    let flag = |line, code| {
        let r = reading(&f, line, code);
        (r.flag, r.source_flag.as_deref().map(str::to_string))
    };
    let s = |x: &str| Some(x.to_string());
    // 0 ok, 1 doubtful, -3 bad, 3 ok (calculated depth).
    assert_eq!(flag(2, "water.temp"), (Flag::Ok, s("<0>")));
    assert_eq!(flag(2, "water.pH"), (Flag::Doubtful, s("<1> [SSM] (CSM)")));
    assert_eq!(flag(2, "swmp.turb"), (Flag::Bad, s("<-3> [STS]")));
    assert_eq!(flag(2, "swmp.cdepth"), (Flag::Ok, s("<3>")));
    assert_eq!(reading(&f, 2, "swmp.turb").determinand.unit(), "NTU");
    // 2 doubtful (no meaning assigned), 5 ok (corrected), -5 bad; empty -3 [GCR]: nothing.
    assert_eq!(flag(3, "water.temp"), (Flag::Doubtful, s("<2>")));
    assert_eq!(flag(3, "water.pH"), (Flag::Ok, s("<5> (CSM)")));
    assert_eq!(flag(3, "swmp.turb"), (Flag::Bad, s("<-5>")));
    no_reading(&f, 3, "swmp.cdepth");
    assert!(problems_at(&f, 3).is_empty(), "{:?}", problems_at(&f, 3));
    // 4 ok; not a number: a problem and no reading; unknown code 7: a problem, kept doubtful.
    assert_eq!(flag(4, "water.temp"), (Flag::Ok, s("<4>")));
    no_reading(&f, 4, "water.pH");
    assert_eq!(flag(4, "swmp.turb"), (Flag::Doubtful, s("<7>")));
    let p4: Vec<(&str, &str)> = problems_at(&f, 4)
        .iter()
        .map(|p| (p.field.as_str(), p.value.as_str()))
        .collect();
    assert_eq!(p4, [("ph", "abc"), ("f_turb", "<7>")]);
    // The unknown code's value is kept: a note, not a loss.
    let kept: Vec<bool> = problems_at(&f, 4).iter().map(|p| p.kept).collect();
    assert_eq!(kept, [false, true]);
    // Empty -2: nothing, no problem; a value without a flag: kept doubtful, reported; -4 bad.
    no_reading(&f, 5, "water.temp");
    assert_eq!(flag(5, "water.pH"), (Flag::Doubtful, None));
    assert_eq!(flag(5, "swmp.turb"), (Flag::Bad, s("<-4>")));
    assert_eq!(
        reading(&f, 5, "swmp.turb").measurement,
        Measurement::Value(-1.0)
    );
    let p5 = problems_at(&f, 5);
    assert_eq!(p5.len(), 1, "{p5:?}");
    assert_eq!(p5[0].field, "f_ph");
    assert!(p5[0].kept);
    // A value flagged -1 or -2 (none is expected) is kept as bad; an empty <0> is reported.
    assert_eq!(flag(6, "water.temp"), (Flag::Bad, s("<-1>")));
    assert_eq!(flag(6, "swmp.turb"), (Flag::Bad, s("<-2> (CSM)")));
    assert_eq!(flag(6, "swmp.cdepth"), (Flag::Ok, s("<0> (CND)")));
    no_reading(&f, 6, "water.pH");
    let p6 = problems_at(&f, 6);
    assert_eq!(p6.len(), 1, "{p6:?}");
    assert_eq!((p6[0].field.as_str(), p6[0].value.as_str()), ("ph", "<0>"));
    assert!(!p6[0].kept);
    // A stamp without seconds; -4 with [SBL] is a detection limit, ok.
    assert_eq!(reading(&f, 7, "water.temp").time, at("2012-01-01 01:15"));
    let sbl = reading(&f, 7, "water.pH");
    assert_eq!(sbl.measurement, Measurement::BelowDetection(8.2));
    assert_eq!(sbl.flag, Flag::Ok);
    // A bad stamp: the row is reported once and not read.
    assert!(f.readings.iter().all(|r| r.line != 8));
    let p8 = problems_at(&f, 8);
    assert_eq!(p8.len(), 1);
    assert_eq!(p8[0].field, "datetimestamp");
    assert_eq!(f.problems.len(), 5, "{:#?}", f.problems);
    assert_eq!(f.readings.len(), 4 + 3 + 2 + 2 + 3 + 2);
}

const NUT: &str = "\
datetimestamp,po4f,f_po4f,nh4f,f_nh4f,no3f,f_no3f,chla_n,f_chla_n
2013-01-08 20:54:00,0.003,<-4> [SBL],0.013,<-4> [SBL] (CUS),,<4>  B - C,1.8,<0> (CHB)
2002-04-02 16:55:00,0.004,<4>,0.027,<4>  S,0.048,<4>  C,0.5,<4>  B
2006-05-02 16:10:00,,<4>  M,,<4>  D,,<4>  C - K,,<-2> [GDM]
";

#[test]
fn swmp_nutrients_keep_detection_limits() {
    let f = read_swmp("/data/apacpnut.csv", NUT);
    assert!(f.problems.is_empty(), "{:#?}", f.problems);
    assert_eq!(f.rows, 3);
    let po4 = reading(&f, 2, "swmp.po4f");
    assert_eq!(po4.time, at("2013-01-08 15:54"));
    assert_eq!(po4.section.as_ref(), "apacp");
    assert_eq!(po4.origin, Origin::Grab);
    assert_eq!(po4.measurement, Measurement::BelowDetection(0.003));
    assert_eq!(po4.flag, Flag::Ok);
    assert_eq!(po4.determinand.unit(), "mg/L");
    let nh4 = reading(&f, 2, "water.NH3-N");
    assert_eq!(nh4.measurement, Measurement::BelowDetection(0.013));
    assert_eq!(nh4.flag, Flag::Ok);
    assert_eq!(nh4.source_flag.as_deref(), Some("<-4> [SBL] (CUS)"));
    // Nitrate calculated below detection, no value written: not detected.
    let no3 = reading(&f, 2, "water.NO3-N");
    assert_eq!(no3.measurement, Measurement::NotDetected);
    assert_eq!(no3.source_flag.as_deref(), Some("<4>  B - C"));
    assert_eq!(
        reading(&f, 2, "swmp.chla_n").measurement,
        Measurement::Value(1.8)
    );
    // Historical data: letter S is suspect, B below detection, C (calculated) changes nothing.
    assert_eq!(reading(&f, 3, "water.NH3-N").flag, Flag::Doubtful);
    let no3 = reading(&f, 3, "water.NO3-N");
    assert_eq!(
        (no3.flag, no3.measurement),
        (Flag::Ok, Measurement::Value(0.048))
    );
    let chla = reading(&f, 3, "swmp.chla_n");
    assert_eq!(chla.measurement, Measurement::BelowDetection(0.5));
    assert_eq!(chla.determinand.unit(), "ug/L");
    // Missing, deleted, see metadata, [GDM]: no readings and nothing to report.
    assert!(f.readings.iter().all(|r| r.line != 4));
    assert_eq!(f.readings.len(), 8);
}

#[test]
fn swmp_headers_it_cannot_take_are_reported() {
    let cdmo = "Station_Code,isSWMP,DateTimeStamp,Historical,ProvisionalPlus,F_Record,Temp,F_Temp\n\
                apacpwq,P,01/01/2012 00:00,1,1,,16.9,<0>\n";
    let f = read_swmp("apacpwq.csv", cdmo);
    assert!(f.readings.is_empty());
    assert_eq!(f.problems.len(), 1);
    assert!(f.problems[0].message.contains("CDMO"), "{}", f.problems[0]);
    let met = "datetimestamp,atemp,f_atemp\n2012-01-01 05:00:00,10.1,<0>\n";
    let f = read_swmp("apaebmet.csv", met);
    assert!(f.readings.is_empty());
    assert_eq!(f.problems.len(), 1);
    // An unknown column in a sonde file is reported once, the rest is read.
    let extra = "datetimestamp,temp,f_temp,odd,f_odd\n2012-01-01 05:00:00,16.9,<0>,1,<0>\n";
    let f = read_swmp("apacpwq.csv", extra);
    assert_eq!(f.readings.len(), 1);
    assert_eq!(f.problems.len(), 1);
    assert_eq!(f.problems[0].line, 1);
    // A column without its flag column: reported once, its values kept as doubtful.
    let bare = "datetimestamp,temp\n2012-01-01 05:00:00,16.9\n2012-01-01 05:15:00,17.0\n";
    let f = read_swmp("apacpwq.csv", bare);
    assert_eq!(f.readings.len(), 2);
    assert!(f.readings.iter().all(|r| r.flag == Flag::Doubtful));
    assert_eq!(f.problems.len(), 1);
    assert_eq!(f.problems[0].line, 1);
    // A file whose name is not a station code: its time zone is unknown, nothing is read.
    let plain = "datetimestamp,temp,f_temp\n2012-01-01 05:00:00,16.9,<0>\n";
    let f = read_swmp("sonde.csv", plain);
    assert!(f.readings.is_empty());
    assert_eq!(f.problems.len(), 1);
    assert_eq!(f.problems[0].field, "file name");
    // A Pacific reserve (Elkhorn Slough) is UTC−8.
    let f = read_swmp("elkapwq.csv", plain);
    assert_eq!(f.readings[0].time, at("2011-12-31 21:00"));
}

const WQP_HEADER: &str = "OrganizationIdentifier,ActivityTypeCode,ActivityMediaName,\
ActivityMediaSubdivisionName,ActivityStartDate,ActivityStartTime/Time,\
ActivityStartTime/TimeZoneCode,MonitoringLocationIdentifier,ResultDetectionConditionText,\
CharacteristicName,ResultSampleFractionText,ResultMeasureValue,ResultMeasure/MeasureUnitCode,\
MeasureQualifierCode,ResultStatusIdentifier,\
DetectionQuantitationLimitMeasure/MeasureValue,\
DetectionQuantitationLimitMeasure/MeasureUnitCode,MethodSpecificationName";

const WQP_ROWS: &str = "\
O,Sample-Routine,Water,,2014-09-29,12:25:00,EDT,S1,,Nitrogen,Total,0.45,mg/l,,Final,,,
O,Sample-Routine,Water,,2004-02-18,14:04:00,EST,S2,Not Detected,Nitrogen,Suspended,,,,Historical,0.022,mg/l,
O,Sample-Routine,Water,,2004-02-18,14:04:00,EST,S2,Not Detected,Ammonia and ammonium,Total,,,,Final,10,ug/L,as N
O,Sample-Routine,Water,,2004-02-18,14:04:00,EST,S2,Not Detected,Phosphorus,Total,,,,Final,,,
O,Sample-Routine,Water,,2014-05-27,13:45:00,EST,S1,,Conductivity,,111.0,umho/cm,,Rejected,,,
O,Sample-Routine,Water,,2014-05-27,13:45:00,EST,S1,,Phosphorus,Total,25,ug/l,J,Accepted,,,
O,Field Msr/Obs,Water,,2014-05-28,,,S1,,pH,,7.2,std units,,Final,,,
O,Field Msr/Obs,Water,,2014-05-28,,,S1,,Dissolved oxygen (DO),,95,%,,Final,,,
O,Sample-Routine,Water,,2014-05-28,,,S1,,Ammonia and ammonium,Total,0.5,mg/l,,Final,,,as NH4
O,Sample-Routine,Water,,2014-05-28,,,S1,,Nitrogen,Total,,mg/l,,Final,,,
O,Sample-Routine,Water,,2014-05-28,,,S1,,Nitrogen,Total,Not reported,mg/l,,Final,,,
O,Quality Control Sample-Equipment Blank,Water,,2014-05-28,,,S1,,Conductivity,,1.0,uS/cm,,Accepted,,,
O,Sample-Routine,Water,,2014-05-28,23:30,UTC,S1,,Conductivity,,300,uS/cm,,Accepted,,,
O,Sample-Routine,Water,,10/28/2021,,,S1,,Conductivity,,300,uS/cm,,Accepted,,,
O,Sample-Routine,Water,Groundwater,2006-07-06,00:02:00,EDT,W1,,Nitrogen,Dissolved,17.6,mg/l,,Preliminary,,,
O,Quality Control Sample-Field Replicate,Water,,2006-07-06,00:02:00,EDT,S1,,Nitrogen,Total,0.5,mg/l,,Final,,,
";

#[test]
fn wqp_results_are_mapped_converted_and_reported() {
    let text = format!("{WQP_HEADER}\n{WQP_ROWS}");
    let f = read_wqp("wqp.csv", &text);
    assert_eq!(f.rows, 16);
    // EDT 12:25 is 11:25 EST; total nitrogen is the GB 3838 item.
    let tn = reading(&f, 2, "water.TN");
    assert_eq!(tn.time, at("2014-09-29 11:25"));
    assert_eq!(tn.section.as_ref(), "S1");
    assert_eq!(tn.origin, Origin::Grab);
    assert_eq!(tn.measurement, Measurement::Value(0.45));
    assert_eq!(
        (tn.flag, tn.source_flag.as_deref()),
        (Flag::Ok, Some("Final"))
    );
    // Not detected: below the limit in the limit's unit (converted for an item), or no limit.
    let sn = reading(&f, 3, "wqp.Nitrogen/Suspended");
    assert_eq!(sn.measurement, Measurement::BelowDetection(0.022));
    assert_eq!(sn.determinand.unit(), "mg/l");
    assert_eq!(sn.time, at("2004-02-18 14:04"));
    assert_eq!(
        reading(&f, 4, "water.NH3-N").measurement,
        Measurement::BelowDetection(0.01)
    );
    assert_eq!(
        reading(&f, 5, "water.TP").measurement,
        Measurement::NotDetected
    );
    // Rejected: bad; conductivity is kept in its own unit.
    let c = reading(&f, 6, "wqp.Conductivity");
    assert_eq!((c.flag, c.determinand.unit()), (Flag::Bad, "umho/cm"));
    assert_eq!(c.time, at("2014-05-27 13:45"));
    // µg/L to mg/L; the qualifier is kept with the status.
    let tp = reading(&f, 7, "water.TP");
    assert_eq!(tp.measurement, Measurement::Value(0.025));
    assert_eq!(tp.source_flag.as_deref(), Some("Accepted; J"));
    // No time: 00:00 of the date.
    assert_eq!(reading(&f, 8, "water.pH").time, at("2014-05-28 00:00"));
    // DO in % cannot be mg/L; NH4 as NH4 is not as N: reported and kept on their own.
    let d = reading(&f, 9, "wqp.Dissolved oxygen (DO)");
    assert_eq!(
        (d.determinand.unit(), d.measurement),
        ("%", Measurement::Value(95.0))
    );
    assert_eq!(problems_at(&f, 9)[0].field, "ResultMeasure/MeasureUnitCode");
    let a = reading(&f, 10, "wqp.Ammonia and ammonium/Total");
    assert_eq!(a.determinand.unit(), "mg/l as NH4");
    assert_eq!(problems_at(&f, 10)[0].field, "MethodSpecificationName");
    // Kept values are notes; rows not read are losses.
    for line in [9, 10, 14] {
        assert!(problems_at(&f, line).iter().all(|p| p.kept), "line {line}");
    }
    // Empty and non-numeric values, a blank, a bad date, groundwater: reported, not read.
    for (line, field) in [
        (11, "ResultMeasureValue"),
        (12, "ResultMeasureValue"),
        (13, "ActivityTypeCode"),
        (15, "ActivityStartDate"),
        (16, "ActivityMediaSubdivisionName"),
    ] {
        assert!(f.readings.iter().all(|r| r.line != line), "line {line}");
        let p = problems_at(&f, line);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].field, field);
        assert!(!p[0].kept);
    }
    // UTC: the site's zone is not known; kept as written, reported.
    assert_eq!(
        reading(&f, 14, "wqp.Conductivity").time,
        at("2014-05-28 23:30")
    );
    assert_eq!(
        problems_at(&f, 14)[0].field,
        "ActivityStartTime/TimeZoneCode"
    );
    // A field replicate is the site's water; EDT 00:02 is 23:02 EST the day before.
    assert_eq!(reading(&f, 17, "water.TN").time, at("2006-07-05 23:02"));
    assert_eq!(f.readings.len(), 11);
    assert_eq!(f.problems.len(), 8, "{:#?}", f.problems);
}

#[test]
fn wqp_without_its_columns_is_refused() {
    let f = read_wqp("x.csv", "a,b\n1,2\n");
    assert!(f.readings.is_empty());
    assert_eq!(f.problems.len(), 1);
    assert!(
        f.problems[0]
            .message
            .contains("MonitoringLocationIdentifier")
    );
}

// ---------------------------------------------------------------------------------------------
// Real data.

/// A file of `../shared/data`, or a skip (a failure under `LANTIAN_REQUIRE_DATA=1`).
fn shared(sub: &str, needs: &str) -> Option<std::path::PathBuf> {
    lantian_testdata::shared_path(sub, needs)
}

/// Counted from the raw CSV, apart from the reader: data rows, non-empty value cells, empty value
/// cells whose flag says below detection, the flags of both, and the value cells that are not
/// numbers.
struct Raw {
    rows: u64,
    values: usize,
    empty_below_detection: usize,
    carried_flags: BTreeSet<String>,
    all_flags: BTreeSet<String>,
}

fn raw_counts(text: &str) -> Raw {
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    let pairs: Vec<(usize, usize)> = header
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, h)| !h.starts_with("f_"))
        .map(|(i, h)| {
            let f = header.iter().position(|x| *x == format!("f_{h}")).unwrap();
            (i, f)
        })
        .collect();
    let mut raw = Raw {
        rows: 0,
        values: 0,
        empty_below_detection: 0,
        carried_flags: BTreeSet::new(),
        all_flags: BTreeSet::new(),
    };
    for rec in rdr.records() {
        let rec = rec.unwrap();
        raw.rows += 1;
        for &(v, f) in &pairs {
            let flag = &rec[f];
            if !flag.is_empty() {
                raw.all_flags.insert(flag.to_string());
            }
            if !rec[v].trim().is_empty() {
                raw.values += 1;
                raw.carried_flags.insert(flag.to_string());
            } else if flag.contains("[SBL]")
                || (flag.starts_with("<4>")
                    && flag[3..]
                        .split(|c: char| !c.is_ascii_alphabetic())
                        .any(|w| w == "B"))
            {
                raw.empty_below_detection += 1;
                raw.carried_flags.insert(flag.to_string());
            }
        }
    }
    raw
}

fn swmp_file(name: &str) -> Option<(std::path::PathBuf, String)> {
    let path = shared(
        &format!("water_swmpr_apalachicola/{name}"),
        "the SWMP readers on the Apalachicola files",
    )?;
    let bytes = std::fs::read(&path).unwrap();
    let text = if name.ends_with(".gz") {
        use std::io::Read;
        let mut s = String::new();
        flate2::read::GzDecoder::new(bytes.as_slice())
            .read_to_string(&mut s)
            .unwrap();
        s
    } else {
        String::from_utf8(bytes).unwrap()
    };
    Some((path, text))
}

fn check_swmp_whole(name: &str, rows: u64, first: &str, last: &str) -> WaterFile {
    let (path, text) = swmp_file(name).expect("checked by the caller");
    let raw = raw_counts(&text);
    let f = read_swmp_path(&path).unwrap();
    assert_eq!(raw.rows, rows);
    assert_eq!(f.rows, rows);
    assert!(
        f.problems.is_empty(),
        "{:#?}",
        &f.problems[..f.problems.len().min(10)]
    );
    // Every value cell is a reading, and every below-detection cell without a value too.
    let numbers = f
        .readings
        .iter()
        .filter(|r| r.measurement != Measurement::NotDetected)
        .count();
    let not_detected = f.readings.len() - numbers;
    assert_eq!(numbers, raw.values);
    assert_eq!(not_detected, raw.empty_below_detection);
    // Every flag text is carried as written; the ones not carried are only on empty cells.
    let carried: BTreeSet<String> = f
        .readings
        .iter()
        .filter_map(|r| r.source_flag.as_deref().map(String::from))
        .collect();
    assert_eq!(carried, raw.carried_flags);
    assert!(carried.is_subset(&raw.all_flags));
    // The stamps are UTC; the readings are in EST.
    let times: Vec<NaiveDateTime> = f.readings.iter().map(|r| r.time).collect();
    assert_eq!(times.iter().min(), Some(&at(first)));
    assert_eq!(times.iter().max(), Some(&at(last)));
    assert!(f.readings.iter().all(|r| r.section.as_ref() == "apacp"));
    f
}

/// Readings by flag and kind of measurement.
fn counts(f: &WaterFile) -> BTreeMap<(Flag, &'static str), usize> {
    let mut m = BTreeMap::new();
    for r in &f.readings {
        let kind = match r.measurement {
            Measurement::Value(_) => "value",
            Measurement::BelowDetection(_) => "below detection",
            Measurement::NotDetected => "not detected",
        };
        *m.entry((r.flag, kind)).or_default() += 1;
    }
    m
}

#[test]
fn swmp_sonde_file_is_read_whole() {
    if swmp_file("apacpwq.csv.gz").is_none() {
        return;
    }
    let f = check_swmp_whole(
        "apacpwq.csv.gz",
        70_176,
        "2012-01-01 00:00",
        "2013-12-31 23:45",
    );
    assert!(f.readings.iter().all(|r| r.origin == Origin::Automatic));
    assert_eq!(f.readings.len(), 625_855);
    // Bad: <-3> rejected (wrong depth, instrument or sensor failure, …); doubtful: <1> suspect
    // (pH, turbidity, dissolved oxygen, salinity).
    let expected = BTreeMap::from([
        ((Flag::Ok, "value"), 575_195),
        ((Flag::Doubtful, "value"), 4_940),
        ((Flag::Bad, "value"), 45_720),
    ]);
    assert_eq!(counts(&f), expected);
}

#[test]
fn swmp_nutrient_file_is_read_whole() {
    if swmp_file("apacpnut.csv").is_none() {
        return;
    }
    let f = check_swmp_whole("apacpnut.csv", 215, "2002-04-02 11:55", "2013-12-03 11:07");
    assert!(f.readings.iter().all(|r| r.origin == Origin::Grab));
    assert_eq!(f.readings.len(), 993 + 17);
    // 64 [SBL] and 43 historical B cells with the detection limit written; 17 nitrate cells
    // "<4>  B - C" (calculated, below detection) without one. Doubtful: <1> [SRD]/[GQS] and
    // the historical letter S.
    let expected = BTreeMap::from([
        ((Flag::Ok, "value"), 880),
        ((Flag::Ok, "below detection"), 105),
        ((Flag::Ok, "not detected"), 15),
        ((Flag::Doubtful, "value"), 6),
        ((Flag::Doubtful, "below detection"), 2),
        ((Flag::Doubtful, "not detected"), 2),
    ]);
    assert_eq!(counts(&f), expected);
    // The detection limits are the laboratory's MDLs: a few constants, never a measured spread.
    let limits: BTreeSet<String> = f
        .readings
        .iter()
        .filter_map(|r| match r.measurement {
            Measurement::BelowDetection(l) if r.determinand.code() == "swmp.po4f" => {
                Some(l.to_string())
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        limits,
        BTreeSet::from(["0.001", "0.002", "0.003"].map(String::from))
    );
}

#[test]
fn wqp_sample_is_read_whole() {
    let Some(path) = shared(
        "water_wqp_sample/wqp_results3.txt",
        "the WQP reader on the Water Quality Portal sample",
    ) else {
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap();
    let f = read_wqp("wqp_results3.txt", &text);
    assert_eq!(f.rows, 246);
    // Every row is a reading or a problem (the data lines are 2..=247).
    let read: BTreeSet<u64> = f.readings.iter().map(|r| r.line).collect();
    let reported: BTreeSet<u64> = f.problems.iter().map(|p| p.line).collect();
    let all: BTreeSet<u64> = read.union(&reported).copied().collect();
    assert_eq!(all, (2..=247).collect());
    // One reading a row at most.
    assert_eq!(read.len(), f.readings.len());
    // Not read: 11 equipment blanks, 11 groundwater samples (dissolved N₂ for gas dating), and
    // the 6 "mock-test-data" quality-control rows.
    assert_eq!(f.readings.len(), 218);
    assert_eq!(f.problems.len(), 28);
    assert!(f.problems.iter().all(|p| !p.kept));
    let mut by_code: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &f.readings {
        *by_code.entry(r.determinand.code()).or_default() += 1;
    }
    let expected = BTreeMap::from([
        ("water.TN", 90),
        // The fraction is kept as written: one provider writes "Total" for conductivity.
        ("wqp.Conductivity", 33),
        ("wqp.Conductivity/Total", 13),
        ("wqp.Nitrogen/Dissolved", 48),
        ("wqp.Nitrogen/Suspended", 34),
    ]);
    assert_eq!(by_code, expected);
    let not_detected: Vec<(u64, Measurement)> = f
        .readings
        .iter()
        .filter(|r| !matches!(r.measurement, Measurement::Value(_)))
        .map(|r| (r.line, r.measurement))
        .collect();
    assert_eq!(
        not_detected,
        [
            (213, Measurement::BelowDetection(0.022)),
            (219, Measurement::BelowDetection(0.022))
        ]
    );
    // The sample's one rejected result is an equipment blank, so no reading is bad.
    assert!(f.readings.iter().all(|r| r.flag == Flag::Ok));
}
