//! The carbon resources of `lantian serve`: the same figures as `lantian carbon`, and clear
//! refusals.

mod common;
use common::serve::Server;

const BOOKS: &str =
    "unit,name,year,direct_t,indirect_t,emissions,free_allocation_t,auctioned_t,surrendered_t
U1,Plant,2023,3000,2000,5000,4800,100,4750
U3,Depot,2023,8000,0,8000,9000,,9000
";
const SURRENDERS: &str = "unit,year,kind,origin,vintage,project,tonnes
U1,2023,ccer,in-region,2022,Miyun forestry,200
U1,2023,ccer,Hebei,2022,Zhangjiakou wind,60
";

#[test]
fn books_offsets_and_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let books = dir.path().join("books.csv");
    let surrenders = dir.path().join("surrenders.csv");
    std::fs::write(&books, BOOKS).unwrap();
    std::fs::write(&surrenders, SURRENDERS).unwrap();
    let mut args = vec![
        "--carbon-books".to_string(),
        books.display().to_string(),
        "--carbon-surrenders".to_string(),
        surrenders.display().to_string(),
    ];
    let listings =
        lantian_testdata::shared_path("carbon_offsets_samples", "the /carbon/offsets resource");
    if let Some(l) = &listings {
        args.extend(["--offset-listings".to_string(), l.display().to_string()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let s = Server::start(&dir.path().join("store"), &args, &[]);

    // U1: 4,750 allowances and 245 t of offsets (15 refused) against 5,000 t; CNY 100 a tonne.
    let a = s.get("/api/v1/carbon/compliance?price=100");
    assert_eq!(a.status, 200, "{}", a.text());
    let v = a.json();
    let u1 = &v["rows"][0];
    assert_eq!(
        (u1["unit"].as_str(), u1["shortfall_t"].as_f64()),
        (Some("U1"), Some(5.0))
    );
    assert_eq!(u1["penalty"]["low"], 1500.0);
    assert_eq!(v["years"][0]["compliance_pct"], 50.0);

    let a = s.get("/api/v1/carbon/compliance?scheme=mars");
    assert_eq!(a.status, 400);
    assert_eq!(a.json()["parameter"], "scheme");
    let a = s.get("/api/v1/carbon/compliance?price=-1");
    assert_eq!(
        (a.status, a.json()["parameter"].as_str()),
        (400, Some("price"))
    );
    let a = s.get("/api/v1/carbon/green");
    assert_eq!(a.status, 404);
    assert_eq!(
        a.json()["error"],
        "no electricity file on this server (it was started without one)"
    );
    let a = s.get("/api/v1/carbon/oracle?x=1");
    assert_eq!((a.status, a.json()["parameter"].as_str()), (400, Some("x")));

    if listings.is_some() {
        let a = s.get("/api/v1/carbon/offsets?year=2024");
        assert_eq!(a.status, 200, "{}", a.text());
        let v = a.json();
        assert_eq!(v["batches"].as_array().unwrap().len(), 400);
        assert_eq!(v["eligible_t"], 0.0);
        let a = s.get("/api/v1/carbon/offsets?year=20x4");
        assert_eq!(
            (a.status, a.json()["parameter"].as_str()),
            (400, Some("year"))
        );
        let a = s.get("/api/v1/carbon/offsets");
        assert_eq!(
            (a.status, a.json()["parameter"].as_str()),
            (400, Some("year"))
        );
    }
}

#[test]
fn the_oracle_resource_equals_the_command() {
    let Some(panel) = lantian_testdata::shared_path("carbon_eu_ets", "the /carbon/oracle resource")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(
        &dir.path().join("store"),
        &["--eu-ets", panel.to_str().unwrap()],
        &[],
    );
    let a = s.get("/api/v1/carbon/oracle");
    assert_eq!(a.status, 200, "{}", a.text());
    let v = a.json();
    assert_eq!(v["total"]["letters"], 167_219);
    let cli = common::lantian_ok(
        dir.path(),
        &[
            "carbon",
            "oracle",
            "--data",
            panel.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    let cli: serde_json::Value = serde_json::from_str(&cli).unwrap();
    assert_eq!(v, cli);
}
