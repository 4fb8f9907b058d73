//! Rankings of districts or stations (排名): by PM2.5, by the composite index and by
//! improvement against the baseline.
//!
//! Lower is better for all three (a smaller concentration, a smaller index, a larger fall, i.e. a
//! more negative change), as in MEE's and Beijing's ranking tables. Ranks are given on the
//! published figures (integers for PM2.5, two decimals for the index, one decimal for a change),
//! so equal published figures share a rank and the next rank is skipped ("1, 2, 2, 4"), the
//! competition ranking used by the 168-city tables. Entries without a figure are listed last,
//! unranked.

/// One ranked entry.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ranked {
    pub name: String,
    pub value: Option<f64>,
    /// 1 = best; `None` without a figure.
    pub rank: Option<usize>,
}

/// Rank `entries` ascending (lower is better).
pub fn rank(entries: &[(String, Option<f64>)]) -> Vec<Ranked> {
    let mut sorted: Vec<&(String, Option<f64>)> = entries.iter().collect();
    sorted.sort_by(|a, b| match (a.1, b.1) {
        (Some(x), Some(y)) => x.total_cmp(&y).then_with(|| a.0.cmp(&b.0)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.0.cmp(&b.0),
    });
    let mut out: Vec<Ranked> = Vec::with_capacity(sorted.len());
    for (i, (name, value)) in sorted.into_iter().enumerate() {
        let rank = value.map(|v| match out.last() {
            Some(prev) if prev.value == Some(v) => prev.rank.expect("ranked before"),
            _ => i + 1,
        });
        out.push(Ranked {
            name: name.clone(),
            value: *value,
            rank,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_a_rank_and_missing_come_last() {
        let e = |n: &str, v: Option<f64>| (n.to_string(), v);
        let r = rank(&[
            e("海淀", Some(31.0)),
            e("延庆", Some(27.0)),
            e("通州", Some(36.0)),
            e("朝阳", Some(31.0)),
            e("无数据", None),
            e("密云", Some(28.0)),
        ]);
        let got: Vec<(&str, Option<usize>)> = r.iter().map(|x| (x.name.as_str(), x.rank)).collect();
        assert_eq!(
            got,
            vec![
                ("延庆", Some(1)),
                ("密云", Some(2)),
                ("朝阳", Some(3)),
                ("海淀", Some(3)),
                ("通州", Some(5)),
                ("无数据", None),
            ]
        );
        // Improvement: the larger fall ranks first.
        let r = rank(&[e("A", Some(-8.1)), e("B", Some(2.0)), e("C", Some(-12.5))]);
        assert_eq!(r[0].name, "C");
        assert_eq!(r[2].rank, Some(3));
    }
}
