"""The benchmark behind `make bench`: gunicorn with production settings on loopback, wrk as the
load generator, every public page type and feed against a trivial view as the ceiling.

    .venv/bin/python bench/bench.py [--releases 100000] [--duration 10] [--write docs/benchmarks.md]

The database comes from DATABASE_URL (SQLite under var/bench/ when unset). It prints a table:
requests/s, p50, p99, queries per request (cold and with the page cache warm) and each page's
throughput as a share of the ceiling's.
"""

import argparse
import os
import platform
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST, PORT = "127.0.0.1", 8765
BASE = f"http://{HOST}:{PORT}"


def production_env(cache_pages: bool) -> dict:
    env = dict(os.environ)
    bench_var = ROOT / "var" / "bench"
    bench_var.mkdir(parents=True, exist_ok=True)
    env.update(
        {
            "NEWSROOM_ENV": "production",
            "DJANGO_SECRET_KEY": env.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "NEWSROOM_BASE_URL": "http://127.0.0.1:8000",
            "NEWSROOM_SSL_REDIRECT": "0",
            "NEWSROOM_SERVE_MEDIA": "1",
            "NEWSROOM_VAR_DIR": str(bench_var),
            "NEWSROOM_CACHE_PAGES": "1" if cache_pages else "0",
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def manage(env, *args):
    env = env | {"NEWSROOM_BENCH": "1"}  # installs the `bench` app with seed_benchmark
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("Installing wrk from Debian's packages ...", flush=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)  # noqa: S607
    return shutil.which("wrk")


def start_gunicorn(env, workers: int):
    process = subprocess.Popen(  # noqa: S603
        [
            PYTHON,
            "-m",
            "gunicorn",
            "newsroom.wsgi",
            "--bind",
            f"{HOST}:{PORT}",
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"{BASE}/healthz", timeout=1):  # noqa: S310
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


def stop(process):
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=20)


def worker_rss_mb(master_pid: int) -> list[float]:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    sizes = []
    for pid in children.read_text().split() if children.exists() else []:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status)[1]) / 1024)
    return sizes


def to_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def run_wrk(wrk: str, url: str, duration: int, headers: dict | None = None) -> dict:
    command = [wrk, "-t2", "-c16", f"-d{duration}s", "--timeout", "10s", "--latency", url]
    for name, value in (headers or {}).items():
        command[1:1] = ["-H", f"{name}: {value}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    status_errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    timeouts = re.search(r"timeout (\d+)", output)

    def percentile(share):
        found = re.search(rf"^\s+{share}%\s+(\S+)$", output, re.MULTILINE)
        return to_ms(found[1]) if found else float("nan")  # no request finished in time

    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        "p50": percentile(50),
        "p99": percentile(99),
        "errors": (int(status_errors[1]) if status_errors else 0)
        + (int(timeouts[1]) if timeouts else 0),
    }


def query_counts(env, paths: list[str]) -> dict:
    """Queries per request for each path: cold (empty page cache) and warm, in-process."""
    script = (
        "import json, sys, django\n"
        "django.setup()\n"
        "from django.core.cache import caches\n"
        "from django.db import connection\n"
        "from django.test import Client\n"
        "from django.test.utils import CaptureQueriesContext\n"
        "client = Client()\n"
        "result = {}\n"
        "for path in json.loads(sys.argv[1]):\n"
        "    for alias in caches:\n"
        "        caches[alias].clear()\n"
        "    counts = []\n"
        "    for _ in range(2):\n"
        "        with CaptureQueriesContext(connection) as context:\n"
        "            client.get(path)\n"
        "        counts.append(len(context))\n"
        "    result[path] = counts\n"
        "print(json.dumps(result))\n"
    )
    import json

    env = env | {"DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1", "NEWSROOM_SSL_REDIRECT": "0"}
    output = subprocess.run(  # noqa: S603
        [PYTHON, "-c", script, json.dumps(paths)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def targets(env) -> list[tuple[str, str, dict]]:
    """(label, path, headers) for every page type, resolved against the seeded data."""
    script = (
        "import django; django.setup()\n"
        "from releases.models import Release, Topic\n"
        "from contacts.models import Organisation\n"
        "r = Release.objects.live().filter(slug__startswith='bench-').first()\n"
        "t = Topic.objects.filter(slug__startswith='bench-').first()\n"
        "o = Organisation.objects.filter(slug__startswith='bench-').first()\n"
        "pages = max(1, Release.objects.live().count() // 20)\n"
        "word = r.title.split('Projekt ')[-1].split(' ')[0]\n"
        "print(r.get_absolute_url(), t.slug, o.slug, min(1000, pages), word)\n"
    )
    output = subprocess.run(  # noqa: S603
        [PYTHON, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    detail, topic, issuer, far_page, search_term = output[-5:]
    return [
        ("home", "/", {}),
        ("list, page 1", "/pressemitteilungen/", {}),
        ("list, page 1,000", f"/pressemitteilungen/?seite={far_page}", {}),
        ("list, filtered", f"/pressemitteilungen/?thema={topic}&jahr=2015", {}),
        ("release detail", detail, {}),
        ("search", f"/pressemitteilungen/?q={search_term}", {}),
        ("topic page", f"/themen/{topic}/", {}),
        ("issuer page", f"/herausgeber/{issuer}/", {}),
        ("feed: all (RSS)", "/feeds/pressemitteilungen.rss", {}),
        ("feed: all (Atom)", "/feeds/pressemitteilungen.atom", {}),
        ("feed: topic (RSS)", f"/feeds/themen/{topic}.rss", {}),
        ("feed: issuer (Atom)", f"/feeds/herausgeber/{issuer}.atom", {}),
        ("feed: publications", "/feeds/publikationen.rss", {}),
        ("feed 304", "/feeds/pressemitteilungen.rss", {"etag": True}),
    ]


# A press office at work beside the readers (`--editing`): one process that saves a draft
# through the edit path every second, or publishes a new release every ten seconds.
WRITER = """
import sys, time, django
django.setup()
from django.contrib.auth import get_user_model
from contacts.models import Organisation
from releases import editing, workflow
from releases.models import Release, State
kind = sys.argv[1]
editor = get_user_model().objects.filter(is_superuser=True).first() or (
    get_user_model().objects.create_superuser("bench-editor", password="bench-editor-pw"))
issuer = Organisation.objects.filter(slug__startswith="bench-").first()
draft, _ = Release.objects.get_or_create(slug="bench-draft", defaults=dict(
    issuer=issuer, title="Entwurf", lead="Vorspann", body="<p>0</p>", state=State.DRAFT))
number = 0
while True:
    number += 1
    if kind == "draft":
        draft.body = f"<p>Fassung {number}</p>"
        editing.save_edit(draft, editor, lambda release: release.save())
        time.sleep(1)
    else:
        new = Release.objects.create(
            issuer=issuer, title=f"Neu {number}", slug=f"bench-neu-{time.time_ns()}",
            lead="Vorspann", body="<p>Text</p>", state=State.IN_REVIEW)
        workflow.take(new.pk, "publish_now", editor, version=new.version)
        time.sleep(10)
"""


def start_writer(env, kind: str):
    return subprocess.Popen(  # noqa: S603
        [PYTHON, "-c", WRITER, kind], cwd=ROOT, env=env, start_new_session=True
    )


def measure_editing(wrk, env, duration, workers) -> list[dict]:
    """Cached release detail and list page 1: quiet, with a draft saved every second, with a
    release published every ten seconds; the ceiling of the same run first."""
    labels = {"release detail", "list, page 1"}
    rows = []
    process = start_gunicorn(env, workers)
    try:
        ceiling = run_wrk(wrk, f"{BASE}/healthz", duration)
        rows.append({"label": "ceiling: /healthz", **ceiling, "share": 1.0, "queries": "–"})
        for situation in ["quiet", "draft", "publish"]:
            writer = start_writer(env, situation) if situation != "quiet" else None
            try:
                time.sleep(2 if writer else 0)
                for label, path, _ in targets(env):
                    if label not in labels:
                        continue
                    result = run_wrk(wrk, BASE + path, duration)
                    share = result["rps"] / ceiling["rps"]
                    name = f"{label}, {situation}"
                    rows.append({"label": name, **result, "share": share, "queries": "–"})
                    print(f"  {name:<30} {result['rps']:>8.0f} req/s", flush=True)
            finally:
                if writer:
                    os.killpg(writer.pid, signal.SIGTERM)
                    writer.wait(timeout=20)
    finally:
        stop(process)
    return rows


def etag_of(path: str) -> str:
    with urllib.request.urlopen(BASE + path, timeout=30) as response:  # noqa: S310
        return response.headers["ETag"]


def measure(wrk, env, duration, cache_pages, workers, only=None) -> list[dict]:
    rows = []
    process = start_gunicorn(env, workers)
    try:
        ceiling = run_wrk(wrk, f"{BASE}/healthz", duration)
        print(f"  {'ceiling':<22} {ceiling['rps']:>8.0f} req/s", flush=True)
        rows.append({"label": "ceiling: /healthz", **ceiling, "share": 1.0, "queries": "0 / 0"})
        counts = query_counts(env, [path for _, path, _ in targets(env)])
        for label, path, headers in targets(env):
            if only and label not in only:
                continue
            sent = {}
            if headers.get("etag"):
                sent = {"If-None-Match": etag_of(path)}
            else:
                urllib.request.urlopen(BASE + path, timeout=60).read()  # noqa: S310 - warm up
            result = run_wrk(wrk, BASE + path, duration, sent)
            cold, warm = counts.get(path, ["?", "?"])
            rows.append(
                {
                    "label": label,
                    **result,
                    "share": result["rps"] / ceiling["rps"],
                    "queries": f"{cold} / {warm if cache_pages else cold}",
                }
            )
            print(f"  {label:<22} {result['rps']:>8.0f} req/s", flush=True)
        rss = worker_rss_mb(process.pid)
    finally:
        stop(process)
    rows.append({"label": "_rss", "rss": rss})
    return rows


def memory_soak(env, workers, requests: int) -> tuple[list[float], list[float]]:
    """Worker RSS before and after `requests` requests spread over the page types."""
    process = start_gunicorn(env, workers)
    try:
        paths = [path for _, path, headers in targets(env) if not headers]
        for path in paths:
            urllib.request.urlopen(BASE + path, timeout=60).read()  # noqa: S310
        before = worker_rss_mb(process.pid)
        per_path = max(1, requests // len(paths))
        for path in paths:
            for _ in range(per_path):
                urllib.request.urlopen(BASE + path, timeout=60).read()  # noqa: S310
        after = worker_rss_mb(process.pid)
    finally:
        stop(process)
    return before, after


def table(rows: list[dict]) -> str:
    lines = [
        "| page | requests/s | p50 ms | p99 ms | queries (cold / warm) | share of ceiling |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        if row["label"].startswith("_"):
            continue
        errors = f" ({row['errors']} errors)" if row.get("errors") else ""
        lines.append(
            f"| {row['label']}{errors} | {row['rps']:.0f} | {row['p50']:.1f} | {row['p99']:.1f} "
            f"| {row['queries']} | {row['share']:.0%} |"
        )
    return "\n".join(lines)


def machine() -> str:
    cores = os.cpu_count()
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        total = int(re.search(r"MemTotal:\s+(\d+)", meminfo.read_text())[1]) / 1024 / 1024
        memory = f", {total:.0f} GiB RAM"
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        match = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = f" ({match[1].strip()})" if match else ""
    return f"{cores} cores{cpu}{memory}, Python {platform.python_version()}, {platform.system()}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per page (10)")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--soak", type=int, default=20_000, help="requests for the memory check")
    parser.add_argument("--write", help="append the results to this Markdown file")
    parser.add_argument(
        "--editing-only", action="store_true", help="only the editing scenarios (page cache on)"
    )
    args = parser.parse_args()

    wrk = ensure_wrk()
    env = production_env(cache_pages=True)
    database = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "seed_benchmark", "--releases", str(args.releases))

    print(f"== {database}, page cache on, while the press office works", flush=True)
    editing = measure_editing(wrk, env, args.duration, args.workers)
    editing_report = [
        f"### {database}, {args.releases:,} releases, while editing — {time.strftime('%Y-%m-%d')}",
        "",
        f"Machine: {machine()}. gunicorn with {args.workers} sync workers, page cache on, wrk "
        f"with 2 threads and 16 connections for {args.duration} s per row; a background writer "
        "saves a draft every second (draft) or publishes a release every 10 s (publish).",
        "",
        table(editing),
        "",
    ]
    if args.editing_only:
        text = "\n".join(editing_report)
        print(text)
        if args.write:
            with open(ROOT / args.write, "a", encoding="utf-8") as handle:
                handle.write("\n" + text)
        return

    print(f"== {database}, page cache on, {args.workers} gunicorn workers", flush=True)
    cached = measure(wrk, env, args.duration, True, args.workers)
    print(f"== {database}, page cache off", flush=True)
    uncached_env = production_env(cache_pages=False) | {"DATABASE_URL": env.get("DATABASE_URL", "")}
    if not uncached_env["DATABASE_URL"]:
        uncached_env.pop("DATABASE_URL")
    uncached = measure(
        wrk,
        uncached_env,
        args.duration,
        False,
        args.workers,
        only={
            "home",
            "list, page 1",
            "list, page 1,000",
            "release detail",
            "search",
            "feed: all (RSS)",
        },
    )
    print(f"== memory over {args.soak} requests", flush=True)
    before, after = memory_soak(env, args.workers, args.soak)

    report = [
        *editing_report,
        f"### {database}, {args.releases:,} releases — {time.strftime('%Y-%m-%d')}",
        "",
        f"Machine: {machine()}. gunicorn with {args.workers} sync workers, production settings, "
        f"wrk with 2 threads and 16 connections for {args.duration} s per page, on loopback.",
        "",
        "Page cache on (the default):",
        "",
        table(cached),
        "",
        "Page cache off:",
        "",
        table(uncached),
        "",
        f"Worker memory (RSS, MB) before and after {args.soak:,} requests: "
        f"{', '.join(f'{b:.0f} → {a:.0f}' for b, a in zip(before, after, strict=False))}.",
        "",
    ]
    text = "\n".join(report)
    print()
    print(text)
    if args.write:
        with open(ROOT / args.write, "a", encoding="utf-8") as handle:
            handle.write("\n" + text)


if __name__ == "__main__":
    main()
