#!/usr/bin/env python3
"""The national-scale benchmark: ingest -> hourly AQI -> annual assessment of a network-year of
CNEMC daily files, by Lantian, polars and pandas; wall time and peak memory of every stage, and
the cross-checks of their outputs.

    bench/national/run.sh --input DIR --registry REG.csv --year 2023 --work WORK \
        [--lantian target/release/lantian | --skip-lantian] [--tools lantian,polars,pandas]

Each stage of each tool is its own process, run under GNU time (`/usr/bin/time -f '%e %M'`):
wall seconds and peak resident memory of that process. Outputs, logs and results.json (the
numbers for BENCHMARKS.md) go to --work. Exits 1 when a stage fails or two tools disagree.
"""
import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import common as C  # noqa: E402
import compare  # noqa: E402

STAGES = ["ingest", "aqi", "assess"]
# The memory bound of Lantian's ingest, whatever the number of files.
INGEST_BOUND_MIB = 2048
PYTHON_TOOLS = ["polars", "pandas"]


def commands(tool, a, w):
    """{stage: argv} of `tool`, and where its outputs go."""
    year = str(a.year)
    if tool == "lantian":
        store = w("lantian-store")
        out = {"store": store, "counts": w("lantian-counts.csv"), "aqi": w("lantian-aqi.parquet"),
               "annual": w("lantian-annual.csv")}
        base = [a.lantian, "--store", store]
        return {
            "ingest": base + ["ingest", a.input, "--quiet"],
            "aqi": base + ["aqi", "--all-stations", "--from", f"{year}-01-01",
                           "--to", f"{year}-12-31", "--cnemc", "--out", out["aqi"]],
            "assess": [a.lantian, "--store", store, "--registry", a.registry, "assess", "annual",
                       "--from", year, "--to", year, "--region", "all", "--cities",
                       "--dust", "none", "--format", "csv", "--out", out["annual"]],
        }, out
    script = os.path.join(HERE, f"pipeline_{tool}.py")
    # polars writes one Parquet file, pandas a folder of them (one per daily file).
    ingested = w(f"{tool}-ingested.parquet" if tool == "polars" else f"{tool}-ingested")
    out = {"store": ingested, "counts": w(f"{tool}-counts.csv"), "aqi": w(f"{tool}-aqi.parquet"),
           "annual": w(f"{tool}-annual.csv")}
    py = [sys.executable, script]
    return {
        "ingest": py + ["ingest", "--input", a.input, "--out", ingested, "--counts", out["counts"]],
        # --year: the hours of the year's natural days, as Lantian's --from/--to select them.
        "aqi": py + ["aqi", "--ingested", ingested, "--out", out["aqi"], "--year", year],
        "assess": py + ["assess", "--ingested", ingested, "--registry", a.registry,
                        "--year", year, "--out", out["annual"]],
    }, out


def remove(path):
    if os.path.isdir(path):
        shutil.rmtree(path)
    elif os.path.exists(path):
        os.remove(path)


def timed(argv, log, timefile):
    """Run argv under GNU time; (exit code, wall s, peak RSS MiB)."""
    with open(log, "w") as f:
        f.write("$ " + " ".join(argv) + "\n")
        f.flush()
        rc = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", timefile, *argv],
                            stdout=f, stderr=subprocess.STDOUT).returncode
    try:
        with open(timefile) as f:
            last = [ln for ln in f.read().splitlines() if ln.strip()][-1].split()
        wall, rss_kib = float(last[0]), int(last[1])
    except (OSError, IndexError, ValueError):
        wall, rss_kib = float("nan"), 0
    return rc, wall, rss_kib / 1024.0


def environment(a):
    env = {"python": platform.python_version(), "platform": platform.platform(),
           "cores": os.cpu_count()}
    for mod in ("polars", "pandas", "pyarrow", "numpy"):
        try:
            env[mod] = __import__(mod).__version__
        except ImportError:
            env[mod] = None
    try:
        with open("/proc/cpuinfo") as f:
            env["cpu"] = next(ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name"))
        with open("/proc/meminfo") as f:
            env["memory_gib"] = round(int(f.readline().split()[1]) / 2 ** 20, 1)
    except (OSError, StopIteration):
        pass
    if a.lantian:
        v = subprocess.run([a.lantian, "--version"], capture_output=True, text=True)
        env["lantian"] = v.stdout.strip() or v.stderr.strip()
    return env


def fmt_ratio(x, ref):
    return f"{x / ref:.2f}" if ref and ref == ref and x == x else "–"


def table(results, tools):
    """Markdown: stage x tool, wall and peak memory, and the ratios to Lantian."""
    ref = "lantian" if "lantian" in tools else None
    lines = ["| stage | tool | wall (s) | peak RSS (MiB) | wall / Lantian | memory / Lantian |",
             "|---|---|---:|---:|---:|---:|"]
    for stage in STAGES + ["total"]:
        for tool in tools:
            r = results[tool].get(stage)
            if not r:
                continue
            base = results[ref].get(stage) if ref else None
            status = "" if r["exit"] == 0 else f" (failed, exit {r['exit']})"
            lines.append(
                f"| {stage} | {tool}{status} | {r['wall_s']:.2f} | {r['peak_rss_mib']:.0f} | "
                f"{fmt_ratio(r['wall_s'], base and base['wall_s'])} | "
                f"{fmt_ratio(r['peak_rss_mib'], base and base['peak_rss_mib'])} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--input", required=True, help="folder of china_sites_YYYYMMDD.csv files")
    ap.add_argument("--registry", required=True, help="the network's registry CSV")
    ap.add_argument("--year", type=int, required=True, help="the year assessed")
    ap.add_argument("--work", required=True, help="folder for outputs, logs and results.json")
    ap.add_argument("--lantian", help="the lantian binary (without it: Python tools only)")
    ap.add_argument("--skip-lantian", action="store_true")
    ap.add_argument("--tools", default="lantian,polars,pandas")
    a = ap.parse_args()
    a.input, a.registry, a.work = (os.path.abspath(p) for p in (a.input, a.registry, a.work))
    tools = [t.strip() for t in a.tools.split(",") if t.strip()]
    unknown = set(tools) - {"lantian", *PYTHON_TOOLS}
    if unknown:
        sys.exit(f"--tools: unknown {sorted(unknown)} (lantian, polars, pandas)")
    if "lantian" in tools and (a.skip_lantian or not a.lantian):
        tools.remove("lantian")
    if a.lantian:
        a.lantian = os.path.abspath(a.lantian)
        if "lantian" in tools and not os.access(a.lantian, os.X_OK):
            sys.exit(f"--lantian {a.lantian}: not an executable")
    if not tools:
        sys.exit("no tool to run")
    if not os.path.exists("/usr/bin/time"):
        sys.exit("/usr/bin/time (GNU time) is needed: apt-get install time")
    files = C.input_files(a.input)
    os.makedirs(os.path.join(a.work, "logs"), exist_ok=True)
    w = lambda name: os.path.join(a.work, name)  # noqa: E731

    env = environment(a if "lantian" in tools else argparse.Namespace(lantian=None))
    size = sum(os.path.getsize(f) for f in files)
    print(f"input: {len(files)} files ({size / 1e6:.0f} MB), {os.path.basename(files[0])} .. "
          f"{os.path.basename(files[-1])}; year {a.year}; tools: {', '.join(tools)}")
    print(f"python {env['python']}, polars {env['polars']}, pandas {env['pandas']}, "
          f"pyarrow {env['pyarrow']}; {env['cores']} cores; {env.get('cpu', '?')}"
          + (f"; lantian: {env['lantian']}" if "lantian" in env else ""), flush=True)
    # Read the input once so that no tool pays for the first read from disk.
    for f in files:
        with open(f, "rb") as fh:
            while fh.read(1 << 24):
                pass

    results, outputs, cmds = {}, {}, {}
    for tool in tools:
        argv, out = commands(tool, a, w)
        outputs[tool], cmds[tool] = out, argv
        for path in out.values():
            remove(path)
        results[tool] = {}
        for stage in STAGES:
            print(f"{tool} {stage} ...", end=" ", flush=True)
            rc, wall, rss = timed(argv[stage], w(f"logs/{tool}-{stage}.log"),
                                  w(f"logs/{tool}-{stage}.time"))
            results[tool][stage] = {"wall_s": wall, "peak_rss_mib": rss, "exit": rc}
            print(f"{wall:.2f} s, {rss:.0f} MiB" + ("" if rc == 0 else f", FAILED (exit {rc})"),
                  flush=True)
            if rc != 0:
                with open(w(f"logs/{tool}-{stage}.log"), errors="replace") as f:
                    print("    " + "\n    ".join(f.read().splitlines()[-15:]))
                break
        done = [r for r in results[tool].values() if r["exit"] == 0]
        if len(done) == len(STAGES):
            results[tool]["total"] = {"wall_s": sum(r["wall_s"] for r in done),
                                      "peak_rss_mib": max(r["peak_rss_mib"] for r in done),
                                      "exit": 0}
        if tool == "lantian" and results[tool]["ingest"]["exit"] == 0:
            # Lantian's ingest counts, from its `current` view (not part of the timed stage).
            q = ("SELECT variable, averaging, flag, count(*) AS n, sum(value) AS s "
                 "FROM current GROUP BY 1,2,3")
            with open(out["counts"], "w") as f:
                r = subprocess.run([a.lantian, "--store", out["store"], "sql", q, "--format", "csv"],
                                   stdout=f, stderr=subprocess.PIPE, text=True)
            if r.returncode != 0:
                print(f"lantian sql failed: {r.stderr.strip()}")
                remove(out["counts"])

    print()
    md = table(results, tools)
    print(md)
    print("\n(total: the three stages' wall times added; memory: the largest stage's peak)\n")

    # Cross-checks: polars vs pandas, and Lantian vs the first Python tool that ran.
    checks = {}
    ok_tools = [t for t in tools if all(results[t].get(s, {}).get("exit") == 0 for s in STAGES)]
    py_ok = [t for t in PYTHON_TOOLS if t in ok_tools]
    pairs = []
    if len(py_ok) == 2:
        pairs.append(tuple(py_ok))
    if "lantian" in ok_tools and py_ok:
        pairs.append(("lantian", py_ok[0]))
    for x, y in pairs:
        ox, oy = outputs[x], outputs[y]
        have = lambda k: all(os.path.exists(o[k]) for o in (ox, oy))  # noqa: E731
        checks[f"{x} vs {y}"] = compare.run(
            [x, y],
            counts=(ox["counts"], oy["counts"]) if have("counts") else None,
            aqi=(ox["aqi"], oy["aqi"]) if have("aqi") else None,
            annual=(ox["annual"], oy["annual"]) if have("annual") else None)

    doc = {
        "benchmark": "national: ingest -> hourly AQI -> annual assessment (bench/national)",
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "input": {"folder": a.input, "files": len(files), "bytes": size,
                  "first": os.path.basename(files[0]), "last": os.path.basename(files[-1])},
        "registry": a.registry, "year": a.year, "environment": env,
        "commands": {t: {s: " ".join(c[s]) for s in STAGES} for t, c in cmds.items()},
        "results": results, "checks": checks, "table_markdown": md,
    }
    with open(w("results.json"), "w") as f:
        json.dump(doc, f, indent=2, ensure_ascii=False)
    print(f"\nresults: {w('results.json')}")
    failed = [f"{t} {s}" for t in tools for s in STAGES
              if results[t].get(s, {}).get("exit", 1) != 0]
    # Lantian's ingest streams (batches of files committed one after the other), so its memory
    # must stay within 2 GiB however many days are ingested.
    ing = results.get("lantian", {}).get("ingest")
    if ing and ing["exit"] == 0:
        within = ing["peak_rss_mib"] <= INGEST_BOUND_MIB
        print(f"[{'ok' if within else 'FAIL'}] lantian ingest peak {ing['peak_rss_mib']:.0f} MiB "
              f"for {len(files)} files (bound {INGEST_BOUND_MIB} MiB)")
        if not within:
            failed.append(f"lantian ingest above {INGEST_BOUND_MIB} MiB")
    mismatched = [f"{p} {c}" for p, r in checks.items() for c, v in r.items() if not v["ok"]]
    if failed or mismatched:
        sys.exit("failed: " + ", ".join(failed + mismatched))


if __name__ == "__main__":
    main()
