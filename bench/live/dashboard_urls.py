#!/usr/bin/env python3
"""The requests of a dashboard crowd, one path per line, for wrk (mixed.lua).

    dashboard_urls.py BASE_URL [SEED] [FIRST_YEAR]

Reads the stations and the latest hour from the server, then writes a varied mix: the latest
AQI (what every page polls), assessments and rankings of many periods (months, quarters,
halves, years, year-to-date) for the city and every district, calendars, hourly and daily
series of stations and districts over different windows, and bulletins (Markdown, HTML, a few
PDFs) in both languages. Most are different from each other, so a per-snapshot cache answers
only repeats; the weights follow what a public page asks for most.
"""
import datetime as dt
import json
import random
import sys
import urllib.parse
import urllib.request

base = sys.argv[1].rstrip("/")
rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)


def get(path):
    with urllib.request.urlopen(base + path) as r:
        return json.load(r)


stations = get("/api/v1/stations")
health = get("/api/v1/health")
latest = dt.datetime.fromisoformat(health["latest"]) - dt.timedelta(hours=1)
year = latest.year
districts = sorted({s["district_en"] for s in stations if s.get("district_en")})
regions = ["beijing"] + districts
# The stations reporting now (the registry also lists the network's earlier generation).
codes = [s["code"] for s in get("/api/v1/aqi/latest")["stations"] if s.get("aqi") is not None]
# The years asked for: the latest hour's and the one before (a dashboard's baseline), or from
# FIRST_YEAR on when the store starts later.
first_year = int(sys.argv[3]) if len(sys.argv) > 3 else year - 1


def q(path, **params):
    return "/api/v1/" + path + "?" + urllib.parse.urlencode(params)


def period():
    y = rng.choice([first_year, year]) if year > first_year else year
    last_month = 12 if y < year else latest.month
    kind = rng.choice(["month", "month", "quarter", "half", "year", "ytd", "range"])
    if kind == "month":
        return f"{y}-{rng.randint(1, last_month):02d}"
    if kind == "quarter":
        return f"{y}-Q{rng.randint(1, (last_month + 2) // 3)}"
    if kind == "half":
        return f"{y}-H{rng.randint(1, 1 if last_month < 7 else 2)}"
    if kind == "year" and y < year:
        return f"{y}"
    if kind == "range":
        start = dt.date(y, rng.randint(1, last_month), 1)
        end = start + dt.timedelta(days=rng.randint(6, 40))
        end = min(end, latest.date())
        return f"{start}..{end}"
    return f"{y}-YTD-{latest:%m-%d}"


def window(days):
    end = latest.date() - dt.timedelta(days=rng.randint(0, 60))
    return str(end - dt.timedelta(days=days - 1)), str(end)


out = []
for _ in range(4000):
    r = rng.random()
    if r < 0.30:
        out.append("/api/v1/aqi/latest")
    elif r < 0.35:
        out.append("/api/v1/aqi/latest/" + urllib.parse.quote(rng.choice(codes)))
    elif r < 0.55:
        out.append(q("assessment", region=rng.choice(regions), period=period()))
    elif r < 0.62:
        out.append(q("ranking", period=period(), by=rng.choice(["district", "station"])))
    elif r < 0.70:
        out.append(q("calendar", region=rng.choice(regions), period=f"{rng.choice([first_year, year])}"))
    elif r < 0.82:
        f, t = window(rng.choice([1, 3, 7, 14]))
        where = rng.choice([("station", rng.choice(codes)), ("region", rng.choice(regions))])
        out.append(q("series/hourly", **{where[0]: where[1]}, **{"from": f, "to": t}))
    elif r < 0.90:
        f, t = window(rng.choice([30, 90, 180]))
        out.append(q("series/daily", region=rng.choice(regions), **{"from": f, "to": t}))
    elif r < 0.99:
        out.append(q("report", period=period(), lang=rng.choice(["zh", "en"]), format=rng.choice(["md", "html"])))
    else:
        out.append(q("report", period=f"{year}-{rng.randint(1, latest.month):02d}", format="pdf"))
print("\n".join(out))
