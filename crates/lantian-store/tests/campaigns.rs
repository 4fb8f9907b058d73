//! The plan's progress and indicator logs in the store: rows come back exactly as recorded and
//! in order, a batch is one Delta commit, a repeated batch writes nothing, the logs survive a
//! reopening and SQL reads them.

use chrono::NaiveDate;
use lantian_campaigns::indicator::{Source, Value};
use lantian_campaigns::measure::Update;
use lantian_store::{Store, StoreError, schema};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn up(measure: &str, milestone: &str, date: &str, percent: f64) -> Update {
    Update {
        measure: measure.into(),
        milestone: milestone.into(),
        date: d(date),
        percent,
        evidence: format!("{measure} 台账 {date}"),
        by: "市生态环境局".into(),
    }
}

async fn version(store: &Store, name: &str) -> Option<u64> {
    store.table(name).await.unwrap().and_then(|t| t.version())
}

#[tokio::test]
async fn updates_come_back_in_order_and_a_repeated_batch_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    assert!(store.campaign_updates().await.unwrap().is_empty());
    let first = vec![
        up("BS-01", "all", "2024-03-01", 20.0),
        up("BS-01", "all", "2024-06-30", 55.5),
    ];
    assert_eq!(store.record_campaign_updates(&first).await.unwrap(), 2);
    let v1 = version(&store, schema::CAMPAIGN_UPDATES).await;
    let second = vec![up("CW-02", "a", "2024-05-01", 100.0)];
    assert_eq!(store.record_campaign_updates(&second).await.unwrap(), 1);
    // One commit per batch.
    assert_eq!(
        version(&store, schema::CAMPAIGN_UPDATES).await,
        v1.map(|v| v + 1)
    );
    let back = store.campaign_updates().await.unwrap();
    let rows: Vec<Update> = back.iter().map(|r| r.row.clone()).collect();
    assert_eq!(rows, [first.clone(), second.clone()].concat());
    assert_eq!(
        back.iter().map(|r| r.seq).collect::<Vec<_>>(),
        vec![0, 1, 2]
    );
    // A batch holding a stored row is refused whole: the new row beside it is not written.
    let again = vec![up("CW-02", "a", "2024-06-01", 100.0), first[1].clone()];
    let e = store.record_campaign_updates(&again).await.unwrap_err();
    assert!(matches!(e, StoreError::Input(_)), "{e}");
    assert!(
        e.to_string()
            .contains("measure BS-01, milestone all, 2024-06-30: 55.5 %"),
        "{e}"
    );
    assert_eq!(store.campaign_updates().await.unwrap().len(), 3);
    // Reopened, and read through SQL.
    let store = Store::open(dir.path()).await.unwrap();
    let b = store
        .sql("SELECT measure, percent FROM campaign_updates WHERE measure = 'BS-01' ORDER BY seq")
        .await
        .unwrap();
    let p = lantian_store::col::f64s(&b[0], 1);
    assert_eq!((p.value(0), p.value(1)), (20.0, 55.5));
}

#[tokio::test]
async fn indicator_values_keep_their_source() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    let vals = vec![
        Value {
            indicator: "nev_share".into(),
            date: d("2024-06-30"),
            value: 39.7,
            source: Source::Entered {
                by: "市交通委".into(),
                evidence: "2024年上半年新能源汽车推广情况".into(),
            },
        },
        Value {
            indicator: "pm25_cumulative".into(),
            date: d("2024-06-30"),
            value: 34.0,
            source: Source::Computed {
                engine: "air".into(),
                query: "assess --region beijing --period 2024-H1".into(),
            },
        },
    ];
    assert_eq!(store.record_indicator_values(&vals).await.unwrap(), 2);
    let back: Vec<Value> = store
        .indicator_values()
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.row)
        .collect();
    assert_eq!(back, vals);
    assert!(store.record_indicator_values(&vals[1..]).await.is_err());
    // Nothing to record is not a commit.
    assert_eq!(store.record_indicator_values(&[]).await.unwrap(), 0);
    assert_eq!(store.indicator_values().await.unwrap().len(), 2);
}
