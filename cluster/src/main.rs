//! `lantian-cluster`: one binary for a distributed query over Lantian's store with Apache
//! DataFusion Ballista.
//!
//! Three subcommands, one per role of a Ballista cluster:
//!
//! * `scheduler --port P` plans jobs into stages and hands their tasks to executors;
//! * `executor --scheduler-port P --port Q --grpc-port R --work-dir D` registers with the
//!   scheduler, runs tasks, and serves their shuffle output to the other executors (Arrow Flight);
//! * `query --scheduler HOST:PORT --files LIST --sites LIST --variables LIST --source-files LIST
//!   --sql SQL` is the client: it registers Lantian's tables (`observation_rows` and its
//!   dimension tables) and its views `observations` and `current`, sends the SQL to the
//!   scheduler and prints the result as CSV, rows sorted.
//!
//! The scheduler and executor parts replicate the official `ballista-scheduler` and
//! `ballista-executor` binaries (their `src/bin/main.rs`), building those crates' own clap
//! configurations so every default stays Ballista's; one binary means one build of DataFusion.
//!
//! The store is a Delta table, but Ballista has no Delta reader: the client registers the exact
//! Parquet files of the table's current version (`bench/cluster/delta_files.py` reads them from the
//! Delta log: `add` minus `remove`), never "every file of the folder", which would count rewritten
//! files twice. The partition column `source` lives only in the file paths, so each source's files
//! are one listing table, projected with `source` as a constant, and the sources are unioned.
//! `observations` and `current` are Lantian's definitions (crates/lantian-store/src/layout.rs),
//! the same joins and the same anti-join.
//!
//! ```text
//! lantian-cluster scheduler --port 50050 &
//! lantian-cluster executor --scheduler-port 50050 --port 50051 --grpc-port 50052 --work-dir /tmp/e1 &
//! lantian-cluster executor --scheduler-port 50050 --port 50061 --grpc-port 50062 --work-dir /tmp/e2 &
//! for t in observation_rows sites variables source_files; do
//!   python3 bench/cluster/delta_files.py STORE/$t > $t.tsv; done
//! lantian-cluster query --scheduler localhost:50050 --files observation_rows.tsv \
//!   --sites sites.tsv --variables variables.tsv --source-files source_files.tsv \
//!   --sql "SELECT count(*) FROM current"
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, bail};
use ballista::prelude::{SessionConfigExt, SessionContextExt};
use clap::{Parser, Subcommand};
use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::Schema;
use datafusion::datasource::file_format::parquet::ParquetFormat;
use datafusion::datasource::listing::{
    ListingOptions, ListingTable, ListingTableConfig, ListingTableUrl,
};
use datafusion::execution::SessionStateBuilder;
use datafusion::prelude::{DataFrame, Expr, SessionConfig, SessionContext, col, lit};

/// Lantian's `observations` view, verbatim from crates/lantian-store/src/layout.rs: the keyed
/// rows with the names of their site, variable and file joined back.
const OBSERVATIONS_SQL: &str = "SELECT r.source, s.station, v.variable, v.averaging, r.time_end, \
    r.value, v.unit, CASE r.flag_code WHEN 0 THEN 'ok' WHEN 1 THEN 'doubtful' WHEN 2 THEN 'bad' \
    WHEN 3 THEN 'withdrawn' END AS flag, r.flag_reason, r.revision, r.batch_id, \
    f.path AS source_file, r.source_line FROM observation_rows r \
    JOIN sites s ON r.site_id = s.site_id JOIN variables v ON r.variable_id = v.variable_id \
    JOIN source_files f ON r.file_id = f.file_id";

/// Lantian's `current` view, verbatim from crates/lantian-store/src/layout.rs: a value is current
/// unless a row with the next revision exists for the same key.
const CURRENT_SQL: &str = "SELECT r.source, s.station, v.variable, v.averaging, r.time_end, \
    r.value, v.unit, CASE r.flag_code WHEN 0 THEN 'ok' WHEN 1 THEN 'doubtful' WHEN 2 THEN 'bad' \
    WHEN 3 THEN 'withdrawn' END AS flag, r.flag_reason, r.revision, r.batch_id, \
    f.path AS source_file, r.source_line FROM (SELECT o.* FROM observation_rows o \
    LEFT ANTI JOIN (SELECT site_id, variable_id, time_end, revision - 1 AS superseded \
    FROM observation_rows WHERE revision > 0) x ON o.site_id = x.site_id \
    AND o.variable_id = x.variable_id AND o.time_end = x.time_end \
    AND o.revision = x.superseded) r \
    JOIN sites s ON r.site_id = s.site_id JOIN variables v ON r.variable_id = v.variable_id \
    JOIN source_files f ON r.file_id = f.file_id";

#[derive(Parser)]
#[command(about = "A distributed query over Lantian's store with DataFusion Ballista")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a Ballista scheduler on loopback
    Scheduler {
        #[arg(long, default_value_t = 50050)]
        port: u16,
        /// Ballista's log level setting (RUST_LOG overrides it)
        #[arg(long, default_value = "INFO,datafusion=WARN")]
        log_level: String,
    },
    /// Run a Ballista executor on loopback, registered with the scheduler
    Executor {
        #[arg(long, default_value_t = 50050)]
        scheduler_port: u16,
        #[arg(long, default_value = "127.0.0.1")]
        scheduler_host: String,
        /// Port of the executor's Arrow Flight service (shuffle data)
        #[arg(long)]
        port: u16,
        /// Port of the executor's gRPC service (tasks from the scheduler)
        #[arg(long)]
        grpc_port: u16,
        /// Port of the health probe [default: grpc port + 1]
        #[arg(long)]
        health_port: Option<u16>,
        /// Folder for the shuffle files
        #[arg(long)]
        work_dir: PathBuf,
        /// Task slots [default: the number of cores]
        #[arg(long)]
        vcores: Option<usize>,
        #[arg(long, default_value = "INFO,datafusion=WARN")]
        log_level: String,
    },
    /// Run SQL over Lantian's `observations` and `current` through the cluster; print CSV, rows sorted
    Query {
        /// The scheduler, HOST:PORT
        #[arg(long, default_value = "localhost:50050")]
        scheduler: String,
        /// `observation_rows`' current files, one `SOURCE<TAB>PATH` a line
        /// (bench/cluster/delta_files.py)
        #[arg(long)]
        files: PathBuf,
        /// The current files of the dimension tables `sites`, `variables` and `source_files`,
        /// in the same form (no source)
        #[arg(long)]
        sites: PathBuf,
        #[arg(long)]
        variables: PathBuf,
        #[arg(long)]
        source_files: PathBuf,
        #[arg(long)]
        sql: String,
        /// Partitions of a scan (tasks of its stage)
        #[arg(long, default_value_t = 4)]
        partitions: usize,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    // As the official binaries: DataFusion plans recurse deeply; 32 MB stacks.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(32 * 1024 * 1024)
        .build()?;
    runtime.block_on(async {
        match cli.command {
            Command::Scheduler { port, log_level } => scheduler(port, &log_level).await,
            Command::Executor {
                scheduler_port,
                scheduler_host,
                port,
                grpc_port,
                health_port,
                work_dir,
                vcores,
                log_level,
            } => {
                let health_port = health_port.unwrap_or(grpc_port + 1);
                executor(ExecutorArgs {
                    scheduler_host,
                    scheduler_port,
                    port,
                    grpc_port,
                    health_port,
                    work_dir,
                    vcores,
                    log_level,
                })
                .await
            }
            Command::Query {
                scheduler,
                files,
                sites,
                variables,
                source_files,
                sql,
                partitions,
            } => {
                let dims = [
                    ("sites", sites),
                    ("variables", variables),
                    ("source_files", source_files),
                ];
                query(&scheduler, &files, &dims, &sql, partitions).await
            }
        }
    })
}

fn init_logging(level: &str) {
    let filter = std::env::var("RUST_LOG").unwrap_or_else(|_| level.to_string());
    tracing_subscriber::fmt()
        .with_ansi(false)
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .init();
}

async fn scheduler(port: u16, log_level: &str) -> anyhow::Result<()> {
    use ballista_scheduler::cluster::BallistaCluster;
    use ballista_scheduler::config::{Config, SchedulerConfig};
    use ballista_scheduler::scheduler_process::start_server;

    init_logging(log_level);
    // Ballista's own option parser, so its defaults hold; round-robin spreads the tasks of a stage
    // over the executors (the default "bias" fills one executor's slots first).
    let opt = Config::try_parse_from([
        "ballista-scheduler".to_string(),
        "--bind-host=127.0.0.1".into(),
        "--external-host=127.0.0.1".into(),
        format!("--bind-port={port}"),
        "--task-distribution=round-robin".into(),
    ])?;
    let addr = format!("127.0.0.1:{port}").parse()?;
    let config: SchedulerConfig = opt.try_into()?;
    let cluster = BallistaCluster::new_from_config(&config).await?;
    start_server(cluster, addr, Arc::new(config)).await?;
    Ok(())
}

struct ExecutorArgs {
    scheduler_host: String,
    scheduler_port: u16,
    port: u16,
    grpc_port: u16,
    health_port: u16,
    work_dir: PathBuf,
    vcores: Option<usize>,
    log_level: String,
}

async fn executor(a: ExecutorArgs) -> anyhow::Result<()> {
    use ballista_executor::config::Config;
    use ballista_executor::executor_process::{ExecutorProcessConfig, start_executor_process};
    use ballista_executor::health::spawn_health_server;

    init_logging(&a.log_level);
    std::fs::create_dir_all(&a.work_dir)
        .with_context(|| format!("creating the work dir {}", a.work_dir.display()))?;
    let mut args = vec![
        "ballista-executor".to_string(),
        "--bind-host=127.0.0.1".into(),
        "--external-host=127.0.0.1".into(),
        format!("--scheduler-host={}", a.scheduler_host),
        format!("--scheduler-port={}", a.scheduler_port),
        format!("--bind-port={}", a.port),
        format!("--bind-grpc-port={}", a.grpc_port),
        format!("--bind-health-port={}", a.health_port),
        format!("--work-dir={}", a.work_dir.display()),
        // Wait for a scheduler that is still starting.
        "--scheduler-connect-timeout-seconds=30".into(),
    ];
    if let Some(v) = a.vcores {
        args.push(format!("--vcores={v}"));
    }
    let opt = Config::try_parse_from(args)?;
    let config: ExecutorProcessConfig = opt.try_into()?;

    let health_addr = format!("127.0.0.1:{}", a.health_port).parse()?;
    let (health_tx, health_rx) = tokio::sync::oneshot::channel();
    let health = spawn_health_server(health_addr, config.health.clone(), health_rx);
    let result = start_executor_process(Arc::new(config)).await;
    let _ = health_tx.send(());
    let _ = health.await;
    result?;
    Ok(())
}

/// Reads `SOURCE<TAB>PATH` lines into paths grouped by source.
fn read_file_list(path: &PathBuf) -> anyhow::Result<BTreeMap<String, Vec<String>>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the file list {}", path.display()))?;
    let mut by_source: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let Some((source, file)) = line.split_once('\t') else {
            bail!(
                "{}:{}: expected SOURCE<TAB>PATH, got {line:?}",
                path.display(),
                i + 1
            );
        };
        by_source
            .entry(source.to_string())
            .or_default()
            .push(file.to_string());
    }
    if by_source.is_empty() {
        bail!("{}: no files", path.display());
    }
    Ok(by_source)
}

/// `observations`: per source, one listing table over exactly that source's current files, with
/// `source` added as a constant (it is in the Delta partition path, not in the files); unioned.
async fn observations(
    ctx: &SessionContext,
    by_source: &BTreeMap<String, Vec<String>>,
) -> anyhow::Result<DataFrame> {
    let options =
        ListingOptions::new(Arc::new(ParquetFormat::default())).with_file_extension(".parquet");
    let mut union: Option<DataFrame> = None;
    for (source, files) in by_source {
        let urls = files
            .iter()
            .map(|f| ListingTableUrl::parse(f).with_context(|| format!("file {f}")))
            .collect::<anyhow::Result<Vec<_>>>()?;
        // Merge the schemas of all files (ListingTableConfig::infer_schema reads only the first).
        let mut schemas = Vec::with_capacity(urls.len());
        for url in &urls {
            let schema = options
                .infer_schema(&ctx.state(), url)
                .await
                .with_context(|| format!("schema of {url}"))?;
            schemas.push(schema.as_ref().clone());
        }
        let schema = Arc::new(Schema::try_merge(schemas)?);
        let config = ListingTableConfig::new_with_multi_paths(urls)
            .with_listing_options(options.clone())
            .with_schema(schema.clone());
        let table = ListingTable::try_new(config)?;
        let mut columns: Vec<Expr> = vec![lit(source.as_str()).alias("source")];
        columns.extend(
            schema
                .fields()
                .iter()
                .filter(|f| f.name() != "source")
                .map(|f| col(format!("\"{}\"", f.name()))),
        );
        let df = ctx.read_table(Arc::new(table))?.select(columns)?;
        union = Some(match union {
            None => df,
            Some(u) => u.union(df)?,
        });
    }
    union.context("no files")
}

async fn query(
    scheduler: &str,
    files: &PathBuf,
    dims: &[(&str, PathBuf)],
    sql: &str,
    partitions: usize,
) -> anyhow::Result<()> {
    let by_source = read_file_list(files)?;
    // The static distributed planner, not the adaptive one (AQE, Ballista's default): with AQE
    // the job never ended when a shuffle stage came out empty, which is the `revision > 0` side
    // of `current`'s anti-join on every store without revisions (a three-day store ran 4,946
    // tasks in two minutes, one after the other, where the same days with a revised file take
    // 14 tasks). Found with bench/cluster on 2026-12-01 (Ballista 55.0). The static planner
    // then chose a sort-merge join for the anti-join, whose comparator does not take the
    // `time_end` timestamp with a time zone ("Unsupported data type in sort merge join
    // comparator"): hash joins are asked for instead.
    let config = SessionConfig::new_with_ballista()
        .with_target_partitions(partitions)
        .set_str("ballista.planner.adaptive.enabled", "false")
        .set_bool("datafusion.optimizer.prefer_hash_join", true);
    let state = SessionStateBuilder::new()
        .with_config(config)
        .with_default_features()
        .build();
    let ctx = SessionContext::remote_with_state(&format!("df://{scheduler}"), state).await?;

    let rows = observations(&ctx, &by_source).await?;
    ctx.register_table("observation_rows", rows.into_view())?;
    // The dimension tables are not partitioned: their one "source" is the empty one.
    for (name, list) in dims {
        let mut files = read_file_list(list)?;
        let files = files.remove("").with_context(|| {
            format!("{}: {name} is not partitioned; expected <TAB>PATH lines", list.display())
        })?;
        let table = observations(&ctx, &BTreeMap::from([(String::new(), files)])).await?;
        // Without the constant `source` column the union added.
        let columns: Vec<Expr> = table
            .schema()
            .fields()
            .iter()
            .filter(|f| f.name() != "source")
            .map(|f| col(format!("\"{}\"", f.name())))
            .collect();
        ctx.register_table(*name, table.select(columns)?.into_view())?;
    }
    let observations = ctx.sql(OBSERVATIONS_SQL).await?;
    ctx.register_table("observations", observations.into_view())?;
    let current = ctx.sql(CURRENT_SQL).await?;
    ctx.register_table("current", current.into_view())?;

    let started = std::time::Instant::now();
    let batches = ctx.sql(sql).await?.collect().await?;
    let elapsed = started.elapsed();
    print_sorted_csv(&batches)?;
    let n_files: usize = by_source.values().map(Vec::len).sum();
    eprintln!(
        "ballista: {} rows from {n_files} files in {:.2} s",
        batches.iter().map(RecordBatch::num_rows).sum::<usize>(),
        elapsed.as_secs_f64()
    );
    Ok(())
}

/// CSV with a header, data rows sorted as text (the order of a distributed GROUP BY is arbitrary).
fn print_sorted_csv(batches: &[RecordBatch]) -> anyhow::Result<()> {
    let mut buf = Vec::new();
    {
        let mut writer = datafusion::arrow::csv::WriterBuilder::new()
            .with_header(true)
            .build(&mut buf);
        for batch in batches {
            writer.write(batch)?;
        }
    }
    let text = String::from_utf8(buf)?;
    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default();
    let mut rows: Vec<&str> = lines.collect();
    rows.sort_unstable();
    println!("{header}");
    for row in rows {
        println!("{row}");
    }
    Ok(())
}
