#!/usr/bin/env python3
"""The Parquet files of a Delta table's latest version, as `SOURCE<TAB>ABSOLUTE_PATH` lines.

    python3 bench/cluster/delta_files.py STORE/observation_rows > files.tsv   (or a dimension table: STORE/sites)

A Delta table's current file set is the replay of its log: every `add` action of the commits
`_delta_log/NNNNNNNNNNNNNNNNNNNN.json`, in version order, minus the files a later `remove` names.
Listing the folder instead would also read files that a rewrite replaced (counted twice).
SOURCE is the `source` partition value of each `add` (Lantian's observations are partitioned by
source; the value lives in the path, not in the file).

Checkpoints (`_last_checkpoint` and `NNN.checkpoint.parquet`, written by delta-rs or Spark to
shorten the replay) are read with pyarrow when it can be imported; without pyarrow the script
refuses with a message rather than miss the files recorded only in the checkpoint. Standard library
only otherwise.
"""

import json
import os
import re
import sys
from urllib.parse import unquote, urlparse

COMMIT = re.compile(r"^(\d{20})\.json$")
CHECKPOINT = re.compile(r"^(\d{20})\.checkpoint(\.\d{10}\.\d{10})?\.parquet$")


def fail(msg):
    print(f"delta_files: {msg}", file=sys.stderr)
    sys.exit(2)


def absolute(table, path):
    """An `add`/`remove` path (a URI, relative to the table unless absolute) as a local path."""
    if "://" in path:
        url = urlparse(path)
        if url.scheme != "file":
            fail(f"{path}: only local files are supported here")
        return unquote(url.path)
    return os.path.normpath(os.path.join(table, unquote(path)))


def read_checkpoint(log, version):
    """Files of a (single- or multi-part) classic checkpoint, {path: partitionValues}."""
    parts = sorted(
        f for f in os.listdir(log)
        if (m := CHECKPOINT.match(f)) and int(m.group(1)) == version
    )
    if not parts:
        fail(f"{log}: _last_checkpoint names version {version} but no classic checkpoint "
             "file of it exists (v2 checkpoints with sidecars are not supported here)")
    try:
        import pyarrow.parquet as pq
    except ImportError:
        fail(f"{log}: the table has a checkpoint (version {version}); reading it needs pyarrow, "
             "which is not importable. Run with a Python that has pyarrow, or read the table "
             "with a Delta reader (delta-rs, Spark)")
    files = {}
    for part in parts:
        table = pq.read_table(os.path.join(log, part), columns=["add", "remove"])
        for add, remove in zip(table.column("add").to_pylist(), table.column("remove").to_pylist()):
            if add is not None:
                pv = add.get("partitionValues") or {}
                if isinstance(pv, list):  # a Parquet map reads as a list of (key, value) pairs
                    pv = dict(pv)
                files[add["path"]] = pv
            # `remove` rows of a checkpoint are tombstones kept for vacuum; the files are gone
            # from the table already, so nothing to subtract.
    return files


def current_files(table):
    log = os.path.join(table, "_delta_log")
    if not os.path.isdir(log):
        fail(f"{table}: not a Delta table (no _delta_log folder)")
    files, start = {}, 0
    last = os.path.join(log, "_last_checkpoint")
    if os.path.exists(last):
        with open(last) as f:
            version = json.load(f)["version"]
        files = read_checkpoint(log, version)
        start = version + 1
    commits = sorted(
        (int(m.group(1)), f) for f in os.listdir(log) if (m := COMMIT.match(f))
    )
    commits = [(v, f) for v, f in commits if v >= start]
    for expected, (v, _) in enumerate(commits, start):
        if v != expected:
            fail(f"{log}: commit {expected:020}.json is missing (found {v:020}.json); "
                 "the log was cleaned up past a checkpoint this script cannot see")
    for _, name in commits:
        with open(os.path.join(log, name)) as f:
            for line in f:
                if not line.strip():
                    continue
                action = json.loads(line)
                if "add" in action:
                    add = action["add"]
                    files[add["path"]] = add.get("partitionValues") or {}
                elif "remove" in action:
                    files.pop(action["remove"]["path"], None)
    return files


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        sys.exit(2)
    table = os.path.abspath(sys.argv[1])
    files = current_files(table)
    if not files:
        fail(f"{table}: the latest version has no files")
    for path, pv in sorted(files.items()):
        # Lantian's observation_rows are partitioned by source; its dimension tables are not
        # (an empty first field).
        source = pv.get("source") or ""
        local = absolute(table, path)
        if not os.path.exists(local):
            fail(f"{local}: in the log but not on disk")
        print(f"{source}\t{local}")


if __name__ == "__main__":
    main()
