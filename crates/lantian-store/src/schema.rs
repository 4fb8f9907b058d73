//! The tables of the store and their Arrow schemas.
//!
//! ## `observations` (a view) over `observation_rows` (Delta table, partitioned by `source`)
//! One row per value **revision**. The key of a value is
//! `(source, station, variable, averaging, time_end)`; `revision` counts from 0. A row is never
//! updated or deleted: a revised value is a new row with `revision + 1`, a value that disappears
//! from a re-published file gets a new row with an empty value and flag `withdrawn`.
//!
//! Every value keeps its provenance (site, variable, unit, flag, file, line, batch), but the
//! names are stored once, in small **dimension tables**, and each row refers to them by integer
//! key (see [`crate::layout`]): a national year is 217 M rows, and a string per row for each of
//! seven names made encoding them most of an ingest. The view `observations` joins the
//! dimensions back, so SQL sees the human names:
//!
//! | column | type | meaning |
//! |---|---|---|
//! | source | utf8 | `bjmemc`, `cnemc`, `uci-multisite`, `uci-embassy`, `aqeval`, or a user name |
//! | station | utf8 | site identifier as the source writes it (air station, water section, soil point, emitting unit) |
//! | variable | utf8 | `PM2.5`, `CO`, `AQI`, `temp`, ...; other media prefixed: `water.COD`, `soil.Cd`, `carbon.verified` |
//! | averaging | utf8 | `1h`, `8h`, `24h`, `1h_max_24h`, `8h_max_day`, `grab`, `day`, `month`, `year` |
//! | time_end | timestamp(µs, UTC) | end of the averaging window; a grab sample's sampling instant |
//! | value | float64, nullable | in `unit`; null for withdrawn or non-numeric values |
//! | unit | utf8 | `ug/m3`, `mg/m3`, `index`, `mg/L`, `mg/kg`, `pH`, `tCO2e`, ... |
//! | flag | utf8 | `ok`, `doubtful`, `bad`, `withdrawn` (first entry of the flag history) |
//! | flag_reason | utf8, nullable | why |
//! | revision | int32 | 0 for the first publication |
//! | batch_id | int64 | the ingest batch that wrote the row (ms since epoch) |
//! | source_file | utf8 | file the value was read from |
//! | source_line | int64 | 1-based line (row for Parquet) |
//!
//! The stored table `observation_rows` has the same rows with keys in place of names:
//!
//! | column | type | encoding | meaning |
//! |---|---|---|---|
//! | source | utf8 (partition) | in the path | as above; also in `sites` |
//! | site_id | int32 | plain (runs) | `sites.site_id` |
//! | variable_id | int32 | plain (runs) | `variables.variable_id` (variable, averaging and unit) |
//! | time_end | timestamp(µs, UTC) | delta, or plain where hours repeat | as above |
//! | value | float64, nullable | byte stream split | as above |
//! | flag_code | int8 | plain (runs) | 0 `ok`, 1 `doubtful`, 2 `bad`, 3 `withdrawn` |
//! | flag_reason | utf8, nullable | dictionary | as above (null for nearly every row) |
//! | revision | int32 | plain (runs) | as above |
//! | batch_id | int64 | plain (runs) | as above |
//! | file_id | int32 | plain (runs) | `source_files.file_id` |
//! | source_line | int64 | delta, or plain where lines repeat | as above |
//!
//! Keys that run along the sorted rows (one site's rows together, one file's batch) are written
//! plain and coded by LZ4 as runs; consecutive hours and lines are delta-encoded as constant
//! steps, or written plain for LZ4 in a data file where they repeat (a day file: every station
//! has the same hours and lines); no column is dictionary-interned value by value (see
//! `ingest::observation_writer_properties` for the measurements behind each choice; `datafile`
//! encodes the files column by column, as deltalake would, without its per-value copies), in
//! data pages of Parquet's format version 2 (read by the same readers as LZ4_RAW: see
//! `ingest::observation_writer_properties`). Rows of a
//! data file are grouped by averaging window and sorted by `site_id` within it, in row groups
//! that never span two windows, so each row group covers one window and a narrow range of
//! sites; its statistics and the page index (8,192-row pages) let a reader skip the rest, and
//! the footer's key-value metadata lists each row group's variable keys under
//! `lantian.row_group_variable_ids` (see `datafile`), which readers of other engines ignore
//! (pyarrow and polars show it as schema metadata).
//!
//! | dimension | columns |
//! |---|---|
//! | `sites` | site_id int32, source utf8, station utf8 |
//! | `variables` | variable_id int32, variable utf8, averaging utf8, unit utf8 |
//! | `source_files` | file_id int32, path utf8 |
//!
//! Keys are dense from 0 and never reused; a dimension row is committed before any row that
//! refers to it (a killed ingest may leave a name that no row uses, which is harmless).
//!
//! The view `current` holds the latest revision of every key (see [`crate::query`]).
//!
//! **All media share this table.** A surface-water grab sample, a soil point's content and an
//! emitting unit's annual figure have the same key (their site in `station`, a medium-prefixed
//! `variable`, an averaging, a `time_end`), the same revision and withdrawal rules and the same
//! provenance as an air hour, so a table per medium would repeat this schema and the ingest
//! without a column of difference; `tests/media.rs` ingests, revises and withdraws values of all
//! three beside an air value in this one table. The air readers are unaffected: the matrix
//! reader and the indices select their variables by code. What the key cannot say is a depth
//! (a soil profile, a lake's vertical): such a site is registered once per layer
//! (`SP01/0-20cm`), a rule of the registry rather than a column here. `coverage` counts expected
//! values by the hour, which fits hourly series only.
//!
//! ## `ingest_log` (Delta table)
//! One row per file and ingest: path, size, SHA-256, format, status (`ingested`, `rejected`),
//! the rejection reason, counts, and the batch. A file whose path and SHA-256 are already logged
//! is not read again.
//!
//! ## `flags` (Delta table)
//! Later quality opinions about a value revision, appended, never removed (saqc's history). The
//! current flag of a value is the latest `flags` row for its key and revision, else the
//! observation's own `flag` (see [`crate::flags`]). `coverage` and the `current` view still read
//! the ingest flag only; statistics that must honour later flags use `Store::flag_history`
//! until the assessment engine folds the table into its validity rules.
//!
//! ## `soil_list_events` (Delta table)
//! The risk-control and restoration list of construction land (建设用地土壤污染风险管控和修复名录)
//! as its history: one row per change of a plot's status, appended (one Delta commit per batch),
//! never updated or deleted. The list on a date and what changed between two dates are
//! `lantian_soil::list` queries over the rows in `seq` order (see [`crate::soil_list`]).
//!
//! | column | type | meaning |
//! |---|---|---|
//! | seq | int64 | position in the history, from 0; the order the rules read (a plot's events of one day keep it) |
//! | plot | utf8 | plot (地块) identifier |
//! | date | date32 | the date of the change |
//! | status_to | utf8 | `listed`, `under_control`, `under_remediation`, `effect_evaluated`, `removed` |
//! | decided_by | utf8 | who decided or recorded it (the event's `by`; `by` is a reserved word of SQL) |
//! | reason | utf8 | why |
//! | evidence | list<utf8> | the documents it rests on, one item each, in order (a list, so a title may hold any character) |
//! | recorded_at | timestamp(µs, UTC) | when the batch was committed (every row of a batch has the same) |
//!
//! ## `campaign_updates` and `indicator_values` (Delta tables)
//! The plan's reported progress and the indicators' dated values, appended one commit per
//! batch, never updated or deleted (see [`crate::campaigns`]). The share of a milestone on a
//! date is its latest report on or before it; of two of one day, the later `seq`.
//!
//! | column (`campaign_updates`) | type | meaning |
//! |---|---|---|
//! | seq | int64 | position in the log, from 0 |
//! | measure, milestone | utf8 | the measure's and milestone's ids in the plan |
//! | date | date32 | the date the share was reached |
//! | percent | float64 | share of the milestone done, 0–100 |
//! | evidence | utf8 | what shows it |
//! | reported_by | utf8 | who reported it |
//! | recorded_at | timestamp(µs, UTC) | when the batch was committed |
//!
//! | column (`indicator_values`) | type | meaning |
//! |---|---|---|
//! | seq | int64 | position in the log, from 0 |
//! | indicator | utf8 | the indicator's id in the registry |
//! | date | date32 | the date the value is for |
//! | value | float64 | in the indicator's unit |
//! | source | utf8 | `entered` (by a person) or `computed` (by an engine) |
//! | by_or_engine | utf8 | who entered it, or the engine |
//! | evidence_or_query | utf8 | the evidence, or the query that gives the value back |
//! | recorded_at | timestamp(µs, UTC) | when the batch was committed |

use deltalake::arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use std::sync::Arc;

/// The view of every value revision with its names (see the module documentation).
pub const OBSERVATIONS: &str = "observations";
/// The stored rows of `observations`, keyed by integers.
pub const OBSERVATION_ROWS: &str = "observation_rows";
pub const SITES: &str = "sites";
pub const VARIABLES: &str = "variables";
pub const SOURCE_FILES: &str = "source_files";
pub const INGEST_LOG: &str = "ingest_log";
pub const FLAGS: &str = "flags";
pub const SOIL_LIST_EVENTS: &str = "soil_list_events";
pub const CAMPAIGN_UPDATES: &str = "campaign_updates";
pub const INDICATOR_VALUES: &str = "indicator_values";

fn ts() -> DataType {
    DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
}

pub fn observations() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("source", DataType::Utf8, false),
        Field::new("station", DataType::Utf8, false),
        Field::new("variable", DataType::Utf8, false),
        Field::new("averaging", DataType::Utf8, false),
        Field::new("time_end", ts(), false),
        Field::new("value", DataType::Float64, true),
        Field::new("unit", DataType::Utf8, false),
        Field::new("flag", DataType::Utf8, false),
        Field::new("flag_reason", DataType::Utf8, true),
        Field::new("revision", DataType::Int32, false),
        Field::new("batch_id", DataType::Int64, false),
        Field::new("source_file", DataType::Utf8, false),
        Field::new("source_line", DataType::Int64, false),
    ]))
}

/// The stored rows of `observations` (see the module documentation).
pub fn observation_rows() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("source", DataType::Utf8, false),
        Field::new("site_id", DataType::Int32, false),
        Field::new("variable_id", DataType::Int32, false),
        Field::new("time_end", ts(), false),
        Field::new("value", DataType::Float64, true),
        Field::new("flag_code", DataType::Int8, false),
        Field::new("flag_reason", DataType::Utf8, true),
        Field::new("revision", DataType::Int32, false),
        Field::new("batch_id", DataType::Int64, false),
        Field::new("file_id", DataType::Int32, false),
        Field::new("source_line", DataType::Int64, false),
    ]))
}

/// The columns of an `observation_rows` data file: all but the partition column `source`,
/// which Delta keeps in the file's path.
pub fn observation_rows_file() -> SchemaRef {
    let all = observation_rows();
    Arc::new(Schema::new(
        all.fields()
            .iter()
            .filter(|f| f.name() != "source")
            .cloned()
            .collect::<Vec<_>>(),
    ))
}

pub fn sites() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("site_id", DataType::Int32, false),
        Field::new("source", DataType::Utf8, false),
        Field::new("station", DataType::Utf8, false),
    ]))
}

pub fn variables() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("variable_id", DataType::Int32, false),
        Field::new("variable", DataType::Utf8, false),
        Field::new("averaging", DataType::Utf8, false),
        Field::new("unit", DataType::Utf8, false),
    ]))
}

pub fn source_files() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("file_id", DataType::Int32, false),
        Field::new("path", DataType::Utf8, false),
    ]))
}

pub fn ingest_log() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("path", DataType::Utf8, false),
        Field::new("bytes", DataType::Int64, false),
        Field::new("sha256", DataType::Utf8, false),
        Field::new("format", DataType::Utf8, true),
        Field::new("status", DataType::Utf8, false),
        Field::new("reason", DataType::Utf8, true),
        Field::new("rows", DataType::Int64, false),
        Field::new("values_read", DataType::Int64, false),
        Field::new("values_new", DataType::Int64, false),
        Field::new("values_revised", DataType::Int64, false),
        Field::new("values_unchanged", DataType::Int64, false),
        Field::new("values_withdrawn", DataType::Int64, false),
        Field::new("diagnostics", DataType::Int64, false),
        Field::new("batch_id", DataType::Int64, false),
        Field::new("ingested_at", ts(), false),
    ]))
}

pub fn flags() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("source", DataType::Utf8, false),
        Field::new("station", DataType::Utf8, false),
        Field::new("variable", DataType::Utf8, false),
        Field::new("averaging", DataType::Utf8, false),
        Field::new("time_end", ts(), false),
        Field::new("revision", DataType::Int32, false),
        Field::new("flag", DataType::Utf8, false),
        Field::new("test", DataType::Utf8, false),
        Field::new("reason", DataType::Utf8, true),
        Field::new("flagged_at", ts(), false),
    ]))
}

pub fn campaign_updates() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("seq", DataType::Int64, false),
        Field::new("measure", DataType::Utf8, false),
        Field::new("milestone", DataType::Utf8, false),
        Field::new("date", DataType::Date32, false),
        Field::new("percent", DataType::Float64, false),
        Field::new("evidence", DataType::Utf8, false),
        Field::new("reported_by", DataType::Utf8, false),
        Field::new("recorded_at", ts(), false),
    ]))
}

pub fn indicator_values() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("seq", DataType::Int64, false),
        Field::new("indicator", DataType::Utf8, false),
        Field::new("date", DataType::Date32, false),
        Field::new("value", DataType::Float64, false),
        Field::new("source", DataType::Utf8, false),
        Field::new("by_or_engine", DataType::Utf8, false),
        Field::new("evidence_or_query", DataType::Utf8, false),
        Field::new("recorded_at", ts(), false),
    ]))
}

pub fn soil_list_events() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("seq", DataType::Int64, false),
        Field::new("plot", DataType::Utf8, false),
        Field::new("date", DataType::Date32, false),
        Field::new("status_to", DataType::Utf8, false),
        Field::new("decided_by", DataType::Utf8, false),
        Field::new("reason", DataType::Utf8, false),
        Field::new(
            "evidence",
            DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, false))),
            false,
        ),
        Field::new("recorded_at", ts(), false),
    ]))
}
