//! The soil risk-control and restoration list in the store: events come back exactly as
//! recorded, refusals write nothing, a batch is one Delta commit, and the history survives a
//! reopening.

use chrono::NaiveDate;
use lantian_soil::list::{self, Event, Status};
use lantian_store::{Store, StoreError, schema};
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn ev(plot: &str, date: &str, to: Status) -> Event {
    Event {
        plot: plot.to_string(),
        date: d(date),
        status_to: to,
        by: "长沙市生态环境局".to_string(),
        reason: format!("{plot}：{}", to.name_zh()),
        evidence: vec![format!("{plot} 报告 {date}")],
    }
}

/// The table's version, `None` before its first commit.
async fn version(store: &Store) -> Option<u64> {
    store
        .table(schema::SOIL_LIST_EVENTS)
        .await
        .unwrap()
        .and_then(|t| t.version())
}

async fn rows(store: &Store) -> usize {
    store.soil_list_events().await.unwrap().len()
}

fn events_of(recorded: &[lantian_store::RecordedEvent]) -> Vec<Event> {
    recorded.iter().map(|r| r.event.clone()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_come_back_exactly_as_recorded() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(tmp.path()).await.unwrap();
    assert!(store.soil_list_events().await.unwrap().is_empty());
    assert!(
        store
            .soil_list_as_of(d("2030-01-01"))
            .await
            .unwrap()
            .is_empty(),
        "a new store has an empty list"
    );
    let mut listed = ev("湘潭-竹埠港-01", "2019-07-15", Status::Listed);
    listed.by = "湖南省生态环境厅, 湖南省自然资源厅".into();
    listed.reason = "风险评估：镉、砷超过第二类用地管制值\n需要风险管控".into();
    listed.evidence = vec![
        "土壤污染状况调查报告, 2019年5月".into(),
        "风险评估报告\n（第二版）; 附件 1,2,3".into(),
        "a \"quoted\" title | with ; separators, and \\ a backslash".into(),
        " leading and trailing spaces ".into(),
    ];
    let mut control = ev("湘潭-竹埠港-01", "2019-07-15", Status::UnderControl);
    control.evidence = vec!["风险管控方案".into()];
    let batch = vec![
        listed,
        control,
        ev("株洲-清水塘-07", "2020-01-02", Status::Listed),
    ];
    assert_eq!(store.record_soil_list_events(&batch).await.unwrap(), 3);
    let more = vec![ev("株洲-清水塘-07", "2020-03-01", Status::UnderRemediation)];
    assert_eq!(store.record_soil_list_events(&more).await.unwrap(), 1);

    let got = store.soil_list_events().await.unwrap();
    let all: Vec<Event> = batch.iter().chain(&more).cloned().collect();
    assert_eq!(events_of(&got), all);
    assert_eq!(got.iter().map(|r| r.seq).collect::<Vec<_>>(), [0, 1, 2, 3]);
    // One time per batch, later batches later.
    assert_eq!(got[0].recorded_at, got[2].recorded_at);
    assert!(got[3].recorded_at >= got[2].recorded_at);
    // An empty batch is no commit.
    let v = version(&store).await;
    assert_eq!(store.record_soil_list_events(&[]).await.unwrap(), 0);
    assert_eq!(version(&store).await, v);

    // The table reads in SQL too, `date` and the evidence list included.
    let b = store
        .sql("SELECT plot, date, array_length(evidence) AS n FROM soil_list_events WHERE seq = 0")
        .await
        .unwrap();
    assert_eq!(
        lantian_store::col::strings(&b[0], 0).value(0),
        "湘潭-竹埠港-01"
    );
    assert_eq!(lantian_store::col::i64s(&b[0], 2).value(0), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_events_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(tmp.path()).await.unwrap();
    store
        .record_soil_list_events(&[
            ev("A", "2020-03-01", Status::Listed),
            ev("A", "2020-06-01", Status::UnderControl),
            ev("B", "2020-05-01", Status::Listed),
        ])
        .await
        .unwrap();
    let before = store.soil_list_events().await.unwrap();
    let v = version(&store).await;

    let mut no_reason = ev("C", "2021-01-01", Status::Listed);
    no_reason.reason = "  ".into();
    let cases: Vec<(Vec<Event>, String)> = vec![
        // A step skipped, after a valid event of the same batch.
        (
            vec![
                ev("B", "2021-01-01", Status::UnderRemediation),
                ev("A", "2021-01-01", Status::Removed),
            ],
            "plot A: under risk control → removed on 2021-01-01 is refused (it skips a step); \
             from under risk control the next step is effect evaluated"
                .into(),
        ),
        (
            vec![no_reason],
            "plot \"C\", 2021-01-01, to listed: the reason is missing (every change needs the \
             plot, who made it, why, and the evidence)"
                .into(),
        ),
        // Dated before the plot's last stored event.
        (
            vec![ev("A", "2020-05-31", Status::EffectEvaluated)],
            "plot A: an event on 2020-05-31 (effect evaluated) is dated before the plot's last \
             event, on 2020-06-01"
                .into(),
        ),
        (
            vec![
                ev("D", "2021-01-01", Status::Listed),
                ev("E", "2021-01-01", Status::UnderControl),
            ],
            "plot E: not listed → under risk control on 2021-01-01 is refused (a plot not on \
             the list can only be listed); from not listed the next step is listed"
                .into(),
        ),
        // A batch recorded already (as after a kill that came after the commit).
        (
            vec![ev("B", "2020-05-01", Status::Listed)],
            "plot B: listed → listed on 2020-05-01 is refused (the status is already that); \
             from listed the next step is under risk control or under remediation"
                .into(),
        ),
    ];
    for (batch, message) in cases {
        let err = store.record_soil_list_events(&batch).await.unwrap_err();
        match &err {
            StoreError::Input(m) => assert_eq!(m, &message),
            other => panic!("not an input error: {other:?}"),
        }
        // The engine says the same.
        let mut h = events_of(&before);
        let engine = batch
            .iter()
            .try_for_each(|e| list::record(&mut h, e.clone()))
            .unwrap_err();
        assert_eq!(engine.to_string(), message);
        assert_eq!(rows(&store).await, before.len());
        assert_eq!(version(&store).await, v, "no commit for {message}");
    }
    assert_eq!(store.soil_list_events().await.unwrap(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_is_one_commit() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(tmp.path()).await.unwrap();
    assert_eq!(version(&store).await, None);
    let first: Vec<Event> = (0..40)
        .map(|i| ev(&format!("P{i:02}"), "2020-01-01", Status::Listed))
        .collect();
    store.record_soil_list_events(&first).await.unwrap();
    assert_eq!(
        version(&store).await,
        Some(0),
        "the table is created by one commit"
    );
    for to in [Status::UnderControl, Status::EffectEvaluated] {
        let v = version(&store).await.unwrap();
        let batch: Vec<Event> = (0..25)
            .map(|i| ev(&format!("P{i:02}"), "2021-01-01", to))
            .collect();
        store.record_soil_list_events(&batch).await.unwrap();
        assert_eq!(version(&store).await, Some(v + 1), "25 events, one version");
    }
    assert_eq!(rows(&store).await, 40 + 25 + 25);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_lock_refuses_the_write() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(tmp.path()).await.unwrap();
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(store.root().join("LOCK"))
        .unwrap();
    lock.try_lock().unwrap();
    let err = store
        .record_soil_list_events(&[ev("A", "2020-01-01", Status::Listed)])
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Locked { .. }), "{err}");
    assert_eq!(version(&store).await, None);
    drop(lock);
    store
        .record_soil_list_events(&[ev("A", "2020-01-01", Status::Listed)])
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reopened_store_sees_the_same_history() {
    let tmp = tempfile::tempdir().unwrap();
    let events = vec![
        ev("A", "2020-03-01", Status::Listed),
        ev("B", "2020-05-01", Status::Listed),
        ev("A", "2020-06-01", Status::UnderRemediation),
        ev("B", "2020-06-01", Status::UnderControl),
        ev("A", "2021-09-01", Status::EffectEvaluated),
        ev("A", "2021-12-01", Status::Removed),
        ev("A", "2023-02-01", Status::Listed),
    ];
    let recorded = {
        let store = Store::open(tmp.path()).await.unwrap();
        store.record_soil_list_events(&events[..3]).await.unwrap();
        store.record_soil_list_events(&events[3..]).await.unwrap();
        store.soil_list_events().await.unwrap()
    };
    let store = Store::open(tmp.path()).await.unwrap();
    assert_eq!(store.soil_list_events().await.unwrap(), recorded);
    assert_eq!(events_of(&recorded), events);
    for date in ["2020-02-29", "2020-06-01", "2022-01-01", "2023-02-01"] {
        assert_eq!(
            store.soil_list_as_of(d(date)).await.unwrap(),
            list::as_of(&events, d(date)).unwrap(),
            "{date}"
        );
    }
    assert_eq!(
        store
            .soil_list_changes(d("2020-05-01"), d("2021-12-01"))
            .await
            .unwrap(),
        list::changes(&events, d("2020-05-01"), d("2021-12-01")).unwrap()
    );
    let err = store
        .soil_list_changes(d("2021-01-01"), d("2020-01-01"))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Input(_)), "{err}");
}

/// A random valid history: each plot walks its cycle, events interleaved across plots, some
/// on the same day as the plot's last, with text a CSV or a separator would trip on.
fn arbitrary_history() -> impl Strategy<Value = Vec<Event>> {
    proptest::collection::vec((0usize..4, any::<bool>(), 0u32..40), 0..24).prop_map(|steps| {
        let mut h = Vec::new();
        let mut day = [d("2020-01-01"); 4];
        let mut state: [Option<Status>; 4] = [None; 4];
        for (p, remediate, gap) in steps {
            let next = Status::next(state[p]);
            let to = if next.len() > 1 && remediate {
                next[1]
            } else {
                next[0]
            };
            day[p] = day[p] + chrono::Days::new(gap.into());
            let mut e = ev(&format!("地块{p}"), &day[p].to_string(), to);
            e.evidence.push(format!("附件{gap}, 第{p}页\n续"));
            list::record(&mut h, e).unwrap();
            state[p] = Some(to);
        }
        h
    })
}

/// Cut points: batch sizes from 1 to 5 until the events run out.
fn batches(events: &[Event], sizes: &[usize]) -> Vec<Vec<Event>> {
    let mut out = Vec::new();
    let mut rest = events;
    let mut sizes = sizes.iter().cycle();
    while !rest.is_empty() {
        let n = (*sizes.next().unwrap()).min(rest.len());
        out.push(rest[..n].to_vec());
        rest = &rest[n..];
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Recording in batches of any sizes is recording one by one; the list as of any date, read
    /// from a reopened store, is the engine's over the same events.
    #[test]
    fn batches_are_the_events_one_by_one(
        events in arbitrary_history(),
        sizes in proptest::collection::vec(1usize..6, 1..8),
        day in 0u64..1000,
    ) {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let tmp = tempfile::tempdir().unwrap();
            let (one, many) = (tmp.path().join("one"), tmp.path().join("many"));
            let store = Store::open(&one).await.unwrap();
            for e in &events {
                store.record_soil_list_events(std::slice::from_ref(e)).await.unwrap();
            }
            let store = Store::open(&many).await.unwrap();
            let cut = batches(&events, &sizes);
            for b in &cut {
                prop_assert_eq!(store.record_soil_list_events(b).await.unwrap(), b.len());
            }
            prop_assert_eq!(version(&store).await.map_or(0, |v| v + 1), cut.len() as u64);

            let one = Store::open(&one).await.unwrap().soil_list_events().await.unwrap();
            let many = Store::open(&many).await.unwrap();
            let got = many.soil_list_events().await.unwrap();
            prop_assert_eq!(events_of(&one), events.clone());
            prop_assert_eq!(events_of(&got), events.clone());
            let seqs = |r: &[lantian_store::RecordedEvent]| r.iter().map(|r| r.seq).collect::<Vec<_>>();
            prop_assert_eq!(seqs(&one), seqs(&got));

            let date = d("2020-01-01") + chrono::Days::new(day);
            prop_assert_eq!(
                many.soil_list_as_of(date).await.unwrap(),
                list::as_of(&events, date).unwrap()
            );
            Ok::<(), TestCaseError>(())
        })?;
    }
}
