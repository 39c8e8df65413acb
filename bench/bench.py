"""The benchmark behind `make bench`: issue 13's targets, measured against a bare view.

    .venv/bin/python bench/bench.py [--postgres URL] [--duration 6] [--runs 2] [--write FILE]

gunicorn runs with production settings on loopback, wrk drives it, and `/healthz` (a few bytes,
no database) is the ceiling of the same scenario. One run measures, on SQLite (10,000 releases
under var/bench/) and on PostgreSQL (100,000, with --postgres or a postgres DATABASE_URL):

- uncached (page cache off, no edge): release detail (300 random pages), the release with a
  gallery of 12 photos, home, list page 1, the release feed, a far list page (1,000, or the
  last), search (p95: a rare word, a common word, and a new query each time);
- cached while the press office works: the 300 release pages, the gallery release and list
  page 1, quiet, while an officer saves a draft every second, and while a release is published
  every 10 seconds;
- through the Varnish edge (edge/varnish.py, when varnishd is installed): the same cached
  pages, and the time from a publication until the list at the edge shows it.

`--page LABEL` (repeatable) measures only those pages, e.g. for a short look at one of them.
Every figure is the median of --runs rounds; every share is against the median ceiling of the
same scenario. The page cache is Redis with REDIS_URL, else the file cache under var/bench/.
Raw figures of every round go to var/bench/results.json.
"""

import argparse
import itertools
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # edge/varnish.py

from bench.words import CLAUSES, OBJECTS, SUBJECTS, VERBS  # noqa: E402
from edge import varnish  # noqa: E402

PYTHON = sys.executable
HOST, PORT = "127.0.0.1", 8765
BASE = f"http://{HOST}:{PORT}"
BENCH_VAR = ROOT / "var" / "bench"
SECRET = secrets.token_urlsafe(64)
RANDOM_PAGES = 300
GALLERY = "release with gallery (12 photos)"

# The targets of issue 13: a page's share of the ceiling (uncached), how far a busy office may
# pull cached throughput below the quiet figure, the edge's multiple of the Django ceiling.
UNCACHED_SHARE = {"release detail": 0.25, "home": 0.25, "list, page 1": 0.10, "feed": 0.10}
FAR_PAGE_FACTOR = 1.5
SEARCH_P95_MS = 150
EDITING_LOSS = {"draft": 0.10, "publish": 0.25}
EDGE_FACTOR = 10
VISIBLE_SECONDS = 1.0


def production_env(database_url: str | None, cache_pages: bool, purge_url: str = "") -> dict:
    env = dict(os.environ)
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(
        {
            "NEWSROOM_ENV": "production",
            "DJANGO_SECRET_KEY": env.get("DJANGO_SECRET_KEY") or SECRET,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "NEWSROOM_BASE_URL": "http://127.0.0.1:8000",
            "NEWSROOM_SSL_REDIRECT": "0",
            "NEWSROOM_SERVE_MEDIA": "1",
            "NEWSROOM_VAR_DIR": str(BENCH_VAR),
            "NEWSROOM_CACHE_PAGES": "1" if cache_pages else "0",
            "NEWSROOM_EDGE_PURGE_URLS": purge_url,
            "NEWSROOM_BENCH": "1",  # installs the `bench` app with seed_benchmark
            "DJANGO_LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def django(env, script: str, *args: str) -> object:
    """Run `script` in a Django process with `env`; its last printed line is JSON."""
    output = subprocess.run(  # noqa: S603
        [PYTHON, "-c", "import django\ndjango.setup()\n" + script, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def clear_caches(env):
    django(
        env,
        "from django.core.cache import caches\n"
        "for alias in caches:\n"
        "    caches[alias].clear()\n"
        "print('null')\n",
    )


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("Installing wrk from Debian's packages ...", flush=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)  # noqa: S607
    return shutil.which("wrk")


@contextmanager
def gunicorn(env, workers: int):
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
    try:
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"{BASE}/healthz", timeout=1):  # noqa: S310
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("gunicorn did not start")
        yield process
    finally:
        stop(process)


def stop(process):
    """SIGTERM to the process group; SIGKILL if it has not gone within 15 s."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)
    except ProcessLookupError:
        pass


@contextmanager
def edge_cache():
    """Varnish with edge/newsroom.vcl in front of gunicorn; yields its base URL."""
    port = varnish.free_port()
    with tempfile.TemporaryDirectory(prefix="bench-varnish-") as directory:
        process = varnish.start(HOST, PORT, port, Path(directory))
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=20)


# wrk reports p50/p75/p90/p99 by itself; p95 (the search target) needs a script.
LUA_DONE = """
done = function(summary, latency, requests)
  io.write(string.format("P95 %d\\n", latency:percentile(95)))
end
"""
LUA_RANDOM = """
local paths = {%s}
request = function()
  return wrk.format(nil, paths[math.random(#paths)])
end
"""


def to_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def parse_wrk(output: str) -> dict:
    """Requests/s, latency percentiles (ms) and errors from wrk's --latency output."""
    status_errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    timeouts = re.search(r"timeout (\d+)", output)
    p95 = re.search(r"^P95 (\d+)$", output, re.MULTILINE)
    requests = int(re.search(r"(\d+) requests in", output)[1])

    def percentile(share):
        found = re.search(rf"^\s+{share}%\s+(\S+)\s*$", output, re.MULTILINE)
        if not requests or not found:
            return float("nan")  # no request finished in time
        return to_ms(found[1])

    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        "p50": percentile(50),
        "p95": int(p95[1]) / 1000 if p95 and requests else float("nan"),
        "p99": percentile(99),
        "errors": (int(status_errors[1]) if status_errors else 0)
        + (int(timeouts[1]) if timeouts else 0),
    }


def run_wrk(wrk: str, base: str, paths: list[str], duration: int, connections: int = 16) -> dict:
    """wrk against one path, or against a random one of `paths` for each request."""
    script = LUA_DONE
    if len(paths) > 1:
        script += LUA_RANDOM % ", ".join(json.dumps(path) for path in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        command = [wrk, "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s"]
        command += ["--latency", "-s", handle.name, base + paths[0]]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    finally:
        os.unlink(handle.name)
    settle()
    return parse_wrk(output)


def settle(limit: float = 60):
    """Wait until gunicorn has worked off what wrk left queued (slow pages go on after wrk
    stops), so that the next row starts on an idle server."""
    ended = time.monotonic() + limit
    while time.monotonic() < ended:
        started = time.monotonic()
        try:
            urllib.request.urlopen(f"{BASE}/healthz", timeout=limit).read()  # noqa: S310
        except OSError:
            return  # no gunicorn (it has stopped)
        if time.monotonic() - started < 0.05:
            return


def warm(base: str, paths: list[str]):
    for path in paths:
        urllib.request.urlopen(base + path, timeout=120).read()  # noqa: S310


PATHS = """
import json, random, sys
from django.urls import reverse
from bench.management.commands.seed_benchmark import GALLERY_SLUG
from releases.models import Release
from releases.views import PAGE_SIZE
gallery = reverse("releases:detail", kwargs={"slug": GALLERY_SLUG})
slugs = list(Release.objects.live().filter(slug__startswith="bench-0")
             .order_by("slug").values_list("slug", flat=True))
detail = [reverse("releases:detail", kwargs={"slug": slug})
          for slug in random.Random(13).sample(slugs, min(int(sys.argv[1]), len(slugs)))]
word = Release.objects.get(slug=slugs[0]).title.split("Projekt ")[-1].split(" ")[0]
count = Release.objects.live().count()
far = min(1000, max(1, -(-count // PAGE_SIZE)))
print(json.dumps({"count": count, "detail": detail, "gallery": gallery, "word": word, "far": far}))
"""


def page_paths(env) -> dict:
    """The pages of the run, resolved against the seeded archive."""
    found = django(env, PATHS, str(RANDOM_PAGES))
    return {
        "count": found["count"],
        "far": found["far"],
        "release detail": found["detail"],
        GALLERY: [found["gallery"]],
        "home": ["/"],
        "list, page 1": ["/pressemitteilungen/"],
        "feed": ["/feeds/pressemitteilungen.rss"],
        "list, far page": [f"/pressemitteilungen/?seite={found['far']}"],
        # A rare project name (a handful of hits) and a word in nearly every release.
        "search, rare word": [f"/pressemitteilungen/?q={found['word']}"],
        "search, common word": ["/pressemitteilungen/?q=Radwege"],
        SEARCH_EACH_NEW: new_searches(),
        SEARCH_WARM_UP: new_searches(skip=6000, count=300),
    }


# A search's ranked ids are kept per content generation: the same words searched again cost no
# search. This row asks something new nearly every time (four common words of the seed, one of
# 32,256 combinations, 6,000 of them drawn): what a cold search costs. Like every other row it
# is warmed first, by 300 searches of its kind that it never asks: their hits' teasers are kept
# and each worker has seen the seed's words, as on a site people search. Every query it asks
# still costs a search of its own.
SEARCH_EACH_NEW = "search, a new query each time"
SEARCH_WARM_UP = "search, the new queries' warm-up"
SEARCH_WORDS = [
    # The longest word of each phrase the seed writes sentences of: no stop word among them.
    [max(phrase.split(), key=len) for phrase in phrases]
    for phrases in (SUBJECTS, VERBS, OBJECTS, CLAUSES)
]


def new_searches(count: int = 6000, skip: int = 0) -> list[str]:
    """`count` different searches, after the `skip` first of the same drawing."""
    combinations = list(itertools.product(*SEARCH_WORDS))
    drawn = random.Random(29).sample(combinations, min(skip + count, len(combinations)))  # noqa: S311
    return [
        f"/pressemitteilungen/?q={urllib.parse.quote_plus(' '.join(words))}"
        for words in drawn[skip:]
    ]


QUERIES = """
import json, sys
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client()
result = {}
for path in json.loads(sys.argv[1]):
    for alias in caches:
        caches[alias].clear()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as context:
            client.get(path)
        counts.append(len(context))
    result[path] = counts
print(json.dumps(result))
"""


def query_counts(env, paths: list[str]) -> dict:
    """Queries of a first and a second request of each path, in-process."""
    return django(env, QUERIES, json.dumps(paths))


def chosen(args, labels: list[str]) -> list[str]:
    """The pages of `labels` that --page asked for (all without it)."""
    return [label for label in labels if not args.page or label in args.page]


def median_of(rounds: list[dict]) -> dict:
    names = ["rps", "p50", "p95", "p99", "errors", "share"]
    return {
        name: statistics.median(result[name] for result in rounds)
        for name in names
        if all(name in result for result in rounds)
    }


def beside_ceiling(wrk, found: dict) -> dict:
    """`found` with its share of a ceiling measured right after it: other processes on a
    shared machine change its speed from one minute to the next."""
    ceiling = run_wrk(wrk, BASE, ["/healthz"], 3)
    return found | {"ceiling": ceiling["rps"], "share": found["rps"] / ceiling["rps"]}


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f}/{five:.1f}"


# A press office at work beside the readers: one process that saves a draft through the edit
# path every second, or publishes a new release every ten seconds.
WRITER = """
import sys, time, django
django.setup()
from django.contrib.auth import get_user_model
from contacts.models import Organisation
from releases import editing, workflow
from releases.models import Release, State
kind = sys.argv[1]
User = get_user_model()
editor = User.objects.filter(username="bench-editor").first() or User.objects.create_superuser(
    "bench-editor", password="bench-editor-pw-" + str(time.time_ns()))
issuer = Organisation.objects.filter(slug__startswith="bench-").order_by("pk").first()


def publish(title):
    new = Release.objects.create(
        issuer=issuer, title=title, slug=f"bench-neu-{time.time_ns()}",
        lead="Vorspann", body="<p>Text</p>", state=State.IN_REVIEW)
    workflow.take(new.pk, "publish_now", editor, version=new.version)


if kind == "visible":
    # Publish, then poll the list at the edge until it shows the release: seconds per release.
    import json, urllib.request
    base, count = sys.argv[2], int(sys.argv[3])
    seconds = []
    for number in range(count):
        title = f"Sichtbar {time.time_ns()}"
        started = time.monotonic()
        publish(title)
        while time.monotonic() - started < 30:
            with urllib.request.urlopen(base + "/pressemitteilungen/", timeout=10) as response:
                if title.encode() in response.read():
                    break
            time.sleep(0.02)
        seconds.append(time.monotonic() - started)
        time.sleep(1)
    print(json.dumps(seconds))
    sys.exit()
draft, _ = Release.objects.get_or_create(slug="bench-draft", defaults=dict(
    issuer=issuer, title="Entwurf", lead="Vorspann", body="<p>0</p>", state=State.DRAFT))
number = 0
while True:
    number += 1
    if kind == "draft":
        draft.body = f"<p>Fassung {number} {time.time_ns()}</p>"
        editing.save_edit(draft, editor, lambda release: release.save())
        print("wrote", flush=True)
        time.sleep(1)
    else:
        publish(f"Neu {number}")
        print("wrote", flush=True)
        time.sleep(10)
"""


@contextmanager
def writer(env, kind: str | None, writes: list):
    """Run the `kind` writer while the block runs; append how many writes it made to `writes`."""
    if kind is None:
        yield
        return
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(  # noqa: S603
            [PYTHON, "-c", WRITER, kind], cwd=ROOT, env=env, stdout=log, start_new_session=True
        )
        time.sleep(3)  # Django set up, the first write done
        if process.poll() is not None:
            raise SystemExit(f"the {kind} writer failed")
        try:
            yield
            if process.poll() is not None:
                raise SystemExit(f"the {kind} writer stopped during the measurement")
        finally:
            stop(process)
        log.seek(0)
        writes.append(log.read().count("wrote"))


def measure_uncached(wrk, url, args, paths, postgres: bool) -> dict:
    env = production_env(url, cache_pages=False)
    labels = ["release detail", GALLERY, "home", "list, page 1", "feed", "list, far page"]
    labels = chosen(args, [*labels, "search, rare word", "search, common word", SEARCH_EACH_NEW])
    rounds = {label: [] for label in ["ceiling", *labels]}
    clear_caches(env)  # nothing from another database's run (feed items are keyed by pk)
    # The new searches are counted and warmed by their warm-up's: the row asks none of its own
    # before its rounds.
    warming = {label: SEARCH_WARM_UP if label == SEARCH_EACH_NEW else label for label in labels}
    counts = query_counts(env, [paths[warming[label]][0] for label in labels])
    with gunicorn(env, args.workers):
        for label in labels:
            warm(BASE, paths[warming[label]])  # stored renderings made on first use exist
        for number in range(args.runs):
            print(f"  uncached, round {number + 1} (load {load()})", flush=True)
            rounds["ceiling"].append(run_wrk(wrk, BASE, ["/healthz"], args.duration))
            for label in labels:
                rounds[label].append(run_wrk(wrk, BASE, paths[label], args.duration))
    result = {label: median_of(found) for label, found in rounds.items()}
    for label in labels:
        result[label]["queries"] = counts[paths[warming[label]][0]]
    return {"rounds": rounds, "median": result, "postgres": postgres}


def measure_editing(wrk, url, args, paths) -> dict:
    env = production_env(url, cache_pages=True)
    labels = chosen(args, ["release detail", GALLERY, "list, page 1"])
    situations = ["quiet", "draft", "publish"]
    rounds = {"ceiling": []} | {f"{label} / {s}": [] for label in labels for s in situations}
    writes = {}
    clear_caches(env)
    with gunicorn(env, args.workers):
        for number in range(args.runs):
            print(f"  cached while editing, round {number + 1} (load {load()})", flush=True)
            rounds["ceiling"].append(run_wrk(wrk, BASE, ["/healthz"], args.duration))
            for situation in situations:
                kind = None if situation == "quiet" else situation
                with writer(env, kind, writes.setdefault(situation, [])):
                    for label in labels:
                        warm(BASE, paths[label])
                        # Each publish row spans a whole period: one publication, no more.
                        seconds = max(args.duration, 10) if kind == "publish" else args.duration
                        found = run_wrk(wrk, BASE, paths[label], seconds)
                        rounds[f"{label} / {situation}"].append(beside_ceiling(wrk, found))
    return {
        "rounds": rounds,
        "median": {key: median_of(found) for key, found in rounds.items()},
        "writes": writes,
    }


def measure_edge(wrk, url, args, paths) -> dict | None:
    if not varnish.varnishd():
        print("  no varnishd: the edge is not measured", flush=True)
        return None
    labels = chosen(args, ["release detail", "home", "list, page 1"])
    rounds = {"ceiling": []} | {
        f"{label} / {at}": [] for label in labels for at in ["django", "edge"]
    }
    with edge_cache() as edge:
        env = production_env(url, cache_pages=True, purge_url=edge + "/")
        clear_caches(env)
        with gunicorn(env, args.workers):
            for label in labels:
                warm(edge, paths[label])
                warm(BASE, paths[label])  # another Host: another page in Django's cache
            for number in range(args.runs):
                print(f"  edge, round {number + 1} (load {load()})", flush=True)
                rounds["ceiling"].append(run_wrk(wrk, BASE, ["/healthz"], args.duration))
                for label in labels:
                    for at, base in [("django", BASE), ("edge", edge)]:
                        found = run_wrk(wrk, base, paths[label], args.duration)
                        rounds[f"{label} / {at}"].append(found)
            # Publish-to-visible while the edge serves the list under load.
            load_generator = subprocess.Popen(  # noqa: S603
                [wrk, "-t1", "-c8", f"-d{args.duration * 3}s", edge + "/pressemitteilungen/"],
                stdout=subprocess.DEVNULL,
            )
            try:
                result = subprocess.run(  # noqa: S603
                    [PYTHON, "-c", WRITER, "visible", edge, str(args.publications)],
                    cwd=ROOT,
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                visible = json.loads(result.stdout.strip().splitlines()[-1])
            finally:
                load_generator.terminate()
                load_generator.wait(timeout=20)
    return {
        "rounds": rounds,
        "median": {label: median_of(found) for label, found in rounds.items()},
        "visible": visible,
    }


def verdict(met: bool) -> str:
    return "met" if met else "**not met**"


def uncached_table(result: dict) -> list[str]:
    median, ceiling = result["median"], result["median"]["ceiling"]["rps"]
    lines = [
        "| page | requests/s | p50 ms | p95 ms | p99 ms | queries | share of ceiling | target | |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
        f"| ceiling: /healthz | {ceiling:.0f} | {median['ceiling']['p50']:.1f} "
        f"| {median['ceiling']['p95']:.1f} | {median['ceiling']['p99']:.1f} | 0 | 100 % | | |",
    ]
    page_one = median.get("list, page 1", {}).get("rps")
    for label, row in median.items():
        if label == "ceiling":
            continue
        share = row["rps"] / ceiling
        if label in UNCACHED_SHARE:
            target, met = f"≥ {UNCACHED_SHARE[label]:.0%}", share >= UNCACHED_SHARE[label]
        elif label == "list, far page" and page_one:
            target = f"≥ page 1 / {FAR_PAGE_FACTOR}"
            met = row["rps"] * FAR_PAGE_FACTOR >= page_one
        elif label.startswith("search") and result["postgres"]:
            target, met = f"p95 < {SEARCH_P95_MS} ms", row["p95"] < SEARCH_P95_MS
        else:
            target, met = "", None
        errors = f" ({row['errors']:.0f} errors)" if row["errors"] else ""
        first, then = row["queries"]
        lines.append(
            f"| {label}{errors} | {row['rps']:.0f} | {row['p50']:.1f} | {row['p95']:.1f} "
            f"| {row['p99']:.1f} | {first} / {then} | {share:.1%} | {target} "
            f"| {'' if met is None else verdict(met)} |"
        )
    return lines


def editing_table(result: dict) -> list[str]:
    median = result["median"]
    ceiling = median["ceiling"]["rps"]
    lines = [
        "| page (req/s = share of the ceiling beside it) | quiet | draft saved every second "
        "| release published every 10 s | |",
        "| --- | ---: | ---: | ---: | --- |",
        f"| ceiling: /healthz | {ceiling:.0f} | | | |",
    ]
    for label in [key.removesuffix(" / quiet") for key in median if key.endswith(" / quiet")]:
        quiet = median[f"{label} / quiet"]
        cells, met = [], True
        for situation in ["draft", "publish"]:
            row = median[f"{label} / {situation}"]
            # Compared as shares of the ceiling measured beside each row.
            change = row["share"] / quiet["share"] - 1
            met = met and change >= -EDITING_LOSS[situation]
            cells.append(
                f"{row['rps']:.0f} = {row['share']:.0%} ({change:+.0%}, "
                f"target ≥ −{EDITING_LOSS[situation]:.0%})"
            )
        name = f"{label} ({RANDOM_PAGES} random)" if label == "release detail" else label
        lines.append(
            f"| {name} | {quiet['rps']:.0f} = {quiet['share']:.0%} | {cells[0]} "
            f"| {cells[1]} | {verdict(met)} |"
        )
    writes = result.get("writes", {})
    lines += [
        "",
        f"Writes during the measured rows, per round: {writes.get('draft')} draft saves, "
        f"{writes.get('publish')} publications.",
    ]
    return lines


def edge_table(result: dict) -> list[str]:
    median = result["median"]
    ceiling = median["ceiling"]["rps"]
    lines = [
        "| page | Django, cached (req/s) | edge (req/s) | edge p99 ms | × Django ceiling "
        f"| target ≥ {EDGE_FACTOR}× |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
        f"| Django ceiling: /healthz | {ceiling:.0f} | | | 1.0× | |",
    ]
    for label in [key.removesuffix(" / edge") for key in median if key.endswith(" / edge")]:
        row, cached = median[f"{label} / edge"], median[f"{label} / django"]["rps"]
        factor = row["rps"] / ceiling
        lines.append(
            f"| {label} | {cached:.0f} | {row['rps']:.0f} "
            f"| {row['p99']:.1f} | {factor:.1f}× | {verdict(factor >= EDGE_FACTOR)} |"
        )
    visible = result["visible"]
    lines += [
        "",
        f"Publish-to-visible (a release published, list page 1 at the edge polled every 20 ms, "
        f"under load): median {statistics.median(visible):.2f} s, slowest {max(visible):.2f} s "
        f"over {len(visible)} publications, target ≤ {VISIBLE_SECONDS:.0f} s: "
        f"{verdict(max(visible) <= VISIBLE_SECONDS)}.",
    ]
    return lines


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


def bench_database(wrk, name: str, url: str | None, releases: int, args) -> tuple[list, dict]:
    env = production_env(url, cache_pages=True)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "seed_benchmark", "--releases", str(releases))
    paths = page_paths(env)
    postgres = name == "PostgreSQL"
    started = load()
    raw, report = {}, []
    if "uncached" in args.only:
        print(f"== {name}: page cache off", flush=True)
        raw["uncached"] = measure_uncached(wrk, url, args, paths, postgres)
    if "editing" in args.only:
        print(f"== {name}: page cache on, while the press office works", flush=True)
        raw["editing"] = measure_editing(wrk, url, args, paths)
    if "edge" in args.only:
        print(f"== {name}: through the edge", flush=True)
        raw["edge"] = measure_edge(wrk, url, args, paths)
    cache = "Redis" if os.environ.get("REDIS_URL") else "the file cache"
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    report += [
        f"### {name}, {paths['count']:,} releases — {when}",
        "",
        f"gunicorn with {args.workers} sync workers, production settings; wrk with 2 threads and "
        f"16 connections for {args.duration} s per row (rows with a publication every 10 s: "
        f"{max(args.duration, 10)} s); medians of {args.runs} rounds; load "
        f"average (1/5 min) {started} at the start, {load()} at the end.",
        "",
    ]
    if "uncached" in raw:
        report += [
            "Uncached (page cache off, no edge). Each of the 300 release pages and every other "
            f"page was requested once before the rounds; the far page is page {paths['far']:,}; "
            "queries are those of a first and a second request:",
            "",
            *uncached_table(raw["uncached"]),
            "",
        ]
    if "editing" in raw:
        report += [
            f"Cached (page cache in {cache}), requests/s while the press office works (change "
            "against quiet):",
            "",
            *editing_table(raw["editing"]),
            "",
        ]
    if raw.get("edge"):
        report += [
            "Through the edge (Varnish with edge/newsroom.vcl in front of the same gunicorn; "
            "the Django column is the same page straight from gunicorn, page cache on):",
            "",
            *edge_table(raw["edge"]),
            "",
        ]
    return report, raw


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite-releases", type=int, default=10_000)
    parser.add_argument(
        "--postgres",
        default=next(
            (url for url in [os.environ.get("DATABASE_URL", "")] if url.startswith("postgres")),
            "",
        ),
        help="PostgreSQL URL (default: DATABASE_URL when it is one); empty: SQLite only",
    )
    parser.add_argument("--postgres-releases", type=int, default=100_000)
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--duration", type=int, default=6, help="seconds per row (6)")
    parser.add_argument("--runs", type=int, default=2, help="rounds; figures are medians (2)")
    parser.add_argument("--publications", type=int, default=5, help="for publish-to-visible")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument(
        "--only", default="uncached,editing,edge", help="scenarios (uncached,editing,edge)"
    )
    parser.add_argument(
        "--page", action="append", help=f"measure only this page (repeatable), e.g. {GALLERY!r}"
    )
    parser.add_argument("--write", help="append the results to this Markdown file")
    args = parser.parse_args()
    args.only = set(args.only.split(","))

    wrk = ensure_wrk()
    databases = [] if args.skip_sqlite else [("SQLite", None, args.sqlite_releases)]
    if args.postgres:
        databases.append(("PostgreSQL", args.postgres, args.postgres_releases))
    report = [f"Machine: {machine()}.", ""]
    raw = {}
    for name, url, releases in databases:
        section, raw[name] = bench_database(wrk, name, url, releases, args)
        report += section
    (BENCH_VAR / "results.json").write_text(json.dumps(raw, indent=1, default=str))
    text = "\n".join(report)
    print()
    print(text)
    if args.write:
        with open(ROOT / args.write, "a", encoding="utf-8") as handle:
            handle.write("\n" + text)


if __name__ == "__main__":
    main()
