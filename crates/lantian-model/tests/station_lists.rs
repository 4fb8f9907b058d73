//! The two published station lists of `../shared/data/cnemc_station_list` read as they are, and
//! what they give the shipped Beijing registry: which stations get coordinates, from where, and
//! how far the two lists are apart where both place a site.

use lantian_model::Registry;
use lantian_model::station_list::{ListFormat, Placement, StationList};

const NEEDS: &str = "the station-list test reads the published CNEMC and KDD Cup 2018 lists";

fn lists() -> Option<[StationList; 2]> {
    let dir = lantian_testdata::shared_path("cnemc_station_list", NEEDS)?;
    let read = |name: &str| StationList::from_path(&dir.join(name)).unwrap();
    Some([
        read("站点列表-2022.02.13起.csv"),
        read("kddcup2018_Beijing_AirQuality_Stations_cn.csv"),
    ])
}

#[test]
fn the_published_lists_read_with_their_quirks() {
    let Some([national, kdd]) = lists() else {
        return;
    };
    assert_eq!(national.format, ListFormat::CnemcNational);
    assert_eq!(kdd.format, ListFormat::KddCup2018);
    // 2,026 national stations, 10 of them without coordinates (8 empty, 2 `-`).
    assert_eq!(national.sites.len(), 2026);
    let without: Vec<&str> = national
        .sites
        .iter()
        .filter(|s| s.longitude.is_none())
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(
        without,
        [
            "1045A", "1202A", "1254A", "1347A", "2172A", "2184A", "2302A", "2592A", "2666A",
            "3019A"
        ]
    );
    let beijing = national
        .sites
        .iter()
        .filter(|s| s.city.as_deref() == Some("北京"))
        .count();
    assert_eq!(beijing, 24);
    let s = national.get("1007A").unwrap();
    assert_eq!(
        (s.name.as_deref(), s.longitude, s.latitude, s.line),
        (Some("海淀万柳"), Some(116.2878), Some(39.9611), 8)
    );
    assert_eq!(kdd.sites.len(), 35);
    let s = kdd.get("dongsihuan_aq").unwrap();
    assert_eq!(
        (s.longitude, s.latitude, s.line),
        (Some(116.483), Some(39.939), 36)
    );
}

#[test]
fn the_beijing_registry_gets_49_stations_placed() {
    let Some(lists) = lists() else {
        return;
    };
    let mut reg = Registry::beijing();
    let report = reg.locate(&lists);
    // Every KDD id matches exactly one registry station.
    assert_eq!(report.unmatched, vec![]);
    assert!(report.kept.is_empty());
    let count =
        |f: &dyn Fn(&Placement) -> bool| report.located.iter().filter(|l| f(&l.placement)).count();
    // 12 national codes × 2 generations; the 23 other old stations by KDD id; 丰台云岗 and
    // 亦庄开发区 by continuation.
    assert_eq!(count(&|p| matches!(p, Placement::National { .. })), 24);
    assert_eq!(count(&|p| matches!(p, Placement::Kdd { .. })), 23);
    assert_eq!(count(&|p| matches!(p, Placement::Continued { .. })), 2);
    assert_eq!(report.located.len(), 49);
    let old_placed = reg
        .stations()
        .iter()
        .filter(|s| s.network == "bjmemc-2013" && s.longitude.is_some() && s.latitude.is_some())
        .count();
    assert_eq!(old_placed, 35);
    assert_eq!(
        report.unlocated,
        [
            "海淀四季青",
            "丰台小屯",
            "石景山老山",
            "昌平南邵",
            "延庆夏都",
            "延庆石河营",
            "怀柔新城",
            "密云镇",
            "密云新城",
            "平谷镇",
            "平谷新城",
            "顺义北小营",
            "通州永顺",
            "通州东关",
            "大兴黄村",
            "大兴旧宫",
            "京东南区域点",
            "门头沟双峪",
            "门头沟三家店",
            "房山良乡",
            "房山燕山"
        ]
    );
    let at = |c: &str| {
        let s = reg.get(c).unwrap();
        (s.longitude.unwrap(), s.latitude.unwrap())
    };
    assert_eq!(at("东城东四"), (116.4174, 39.9289));
    assert_eq!(at("东四"), (116.4174, 39.9289));
    assert_eq!(at("东四环"), (116.483, 39.939));
    assert_eq!(at("延庆"), (115.972, 40.453));
    assert_eq!(at("亦庄开发区"), (116.506, 39.795));
    assert_eq!(
        report.placement("亦庄开发区"),
        Some(&Placement::Continued {
            from: "亦庄".into()
        })
    );
    // The twelve national sites are in both lists: the national list is kept, and the
    // distances (to 0.1 m) are recorded.
    let d: Vec<(&str, f64)> = report
        .disagreements
        .iter()
        .map(|d| {
            assert!(matches!(d.kept, Placement::National { .. }));
            assert!(matches!(d.other, Placement::Kdd { .. }));
            (d.station.as_str(), (d.distance_m * 10.0).round() / 10.0)
        })
        .collect();
    assert_eq!(
        d,
        [
            ("东四", 35.9),
            ("天坛", 37.5),
            ("官园", 58.2),
            ("万寿西宫", 863.0),
            ("奥体中心", 35.8),
            ("农展馆", 101.8),
            ("万柳", 2880.8),
            ("古城", 44.5),
            ("顺义", 1151.5),
            ("昌平", 34.0),
            ("怀柔", 69.9),
            ("定陵", 58.1),
        ]
    );
}
