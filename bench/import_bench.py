"""Import benchmark: a generated accounts file of 100,000 rows, dry run then real, timed.

    python bench/import_bench.py [--rows N]          (make bench; SCALE=N sets the rows)

It runs on a fresh, empty database made for the purpose and dropped afterwards: a SQLite
file in a temporary folder by default, or a new ``test_<name>`` database on the server
``DATABASE_URL`` names (e.g. postgres://postgres@127.0.0.1:5432/winroom_bench). The file is
the same for the same row count (a fixed random seed): ids, names, industries in Chinese,
cities, sizes, owners among ten reps, websites. It prints rows per second and writes
bench/results/import-<date>-<database>.json with the timings, the machine and the versions.
This is a measurement, not a test: nothing here passes or fails on time.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
SEED = 20260701
REPS = [f"bench_rep{n:02d}" for n in range(1, 11)]
CITIES = ["上海", "北京", "广州", "深圳", "杭州", "南京", "成都", "武汉", "西安", "苏州", "天津"]
INDUSTRIES = ["政府与公共事业", "能源与公用事业", "制造业", "金融与保险", "交通与物流", "医疗卫生"]
SIZES = ["100 人以下", "100–499 人", "500–1,999 人"]
WORDS = ["华信", "宏达", "东方", "中联", "恒通", "新元", "博远", "汇丰", "金桥", "天成", "瑞和"]
KINDS = ["集团有限公司", "股份有限公司", "科技有限公司", "研究院", "医院", "物流有限公司"]


def generate(rows: int) -> bytes:
    """A UTF-8 (BOM) CSV of ``rows`` accounts, the same for the same count."""
    rng = random.Random(SEED)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["编号", "客户名称", "行业", "区域", "规模", "负责人", "网站", "地址"])
    for n in range(1, rows + 1):
        city = rng.choice(CITIES)
        name = f"{city}{rng.choice(WORDS)}{rng.choice(WORDS)}{KINDS[n % len(KINDS)]}{n:06d}"
        writer.writerow(
            [
                f"BENCH-{n:06d}",
                name,
                rng.choice(INDUSTRIES),
                city,
                rng.choice(SIZES),
                rng.choice(REPS),
                f"https://c{n}.example.cn",
                f"{city}市{rng.randint(1, 999)}号",
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def setup_django(workdir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "winroom.settings")
    os.environ["WINROOM_TASKS_IMMEDIATE"] = "1"  # no task queue file, no consumer
    os.environ["WINROOM_VAR_DIR"] = str(workdir)
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):  # a real file, as in use, not in memory
        database["TEST"] = {"NAME": str(workdir / "bench.sqlite3")}
    django.setup()


def machine() -> dict:
    info = {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo", encoding="utf-8") as meminfo:
            total_kb = int(meminfo.readline().split()[1])
            info["memory_gb"] = round(total_kb / 1024 / 1024, 1)
        info["load_average"] = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        pass
    return info


def versions(connection) -> dict:
    import django
    import openpyxl

    result = {"django": django.get_version(), "openpyxl": openpyxl.__version__}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
        else:
            cursor.execute("show server_version")
        result[connection.vendor] = cursor.fetchone()[0]
    head = ROOT / ".git" / "HEAD"
    try:  # the commit measured, read from the files (no git needed)
        ref = head.read_text().strip()
        if ref.startswith("ref: "):
            ref = (ROOT / ".git" / ref[5:]).read_text().strip()
        result["winroom_commit"] = ref[:12]
    except OSError:
        pass
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=int(os.environ.get("SCALE") or 100_000))
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="winroom-bench-") as folder:
        setup_django(Path(folder))
        from django.db import connection

        started = time.monotonic()
        print(f"== a fresh {connection.vendor} database (migrating)…", flush=True)
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            migrate_seconds = time.monotonic() - started
            result = run(args.rows, connection)
            result["migrate_seconds"] = round(migrate_seconds, 1)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)

    args.out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    path = args.out / f"import-{stamp}-{result['database']}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"== written to {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


def run(rows: int, connection) -> dict:
    from winroom.imports.importer import run_import
    from winroom.imports.mapping import Mapping, propose_columns
    from winroom.imports.reading import read_table
    from winroom.org.models import Role, Team, User

    admin = User.objects.create_user(username="bench_admin", role=Role.ADMIN, is_superuser=True)
    team = Team.objects.create(name="Bench team", manager=admin)
    for username in REPS:
        User.objects.create_user(username=username, role=Role.REP, team=team)

    print(f"== generating {rows:,} accounts", flush=True)
    data = generate(rows)
    timings: dict[str, float] = {}
    #: this process's own CPU time: on a shared machine the wall clock also counts the others
    cpu: dict[str, float] = {}
    started = time.monotonic()
    table = read_table(data, "bench.csv")
    timings["read"] = time.monotonic() - started
    mapping = Mapping(columns=propose_columns("account", table.headers, table.rows[:200]))

    def progress(label):
        shown = {"last": -1}

        def tell(phase, done, total):
            tenth = done * 10 // total if total else 0
            if tenth != shown["last"]:
                shown["last"] = tenth
                print(f"   {phase}: {done:,}/{total:,}", flush=True)

        return tell

    reports = {}
    for label, dry_run in (("dry_run", True), ("real_run", False)):
        print(f"== {label.replace('_', ' ')}", flush=True)
        started, cpu_started = time.monotonic(), time.process_time()
        report = run_import(
            kind="account",
            data=data,
            filename="bench.csv",
            user=admin,
            mapping=mapping,
            source="bench",
            dry_run=dry_run,
            progress=progress(label),
        )
        timings[label] = time.monotonic() - started
        cpu[label] = time.process_time() - cpu_started
        reports[label] = report.counts()
        if not report.ok:
            raise SystemExit(f"the {label} refused rows: {report.lines('en')[:5]}")
        print(
            f"   {timings[label]:.1f} s ({cpu[label]:.1f} s of CPU), "
            f"{rows / timings[label]:,.0f} rows/s, {reports[label]}",
            flush=True,
        )

    from winroom.accounts.models import Account

    assert Account.objects.count() == rows, "the real run did not write every row"
    return {
        "benchmark": "import",
        "kind": "account",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "rows": rows,
        "file_bytes": len(data),
        "database": connection.vendor,
        "seconds": {k: round(v, 2) for k, v in timings.items()},
        "cpu_seconds": {k: round(v, 2) for k, v in cpu.items()},
        "rows_per_second": {
            k: round(rows / timings[k], 1) for k in ("dry_run", "real_run") if timings[k]
        },
        "counts": reports,
        "mapping": mapping.columns,
        "machine": machine(),
        "versions": versions(connection),
    }


if __name__ == "__main__":
    sys.exit(main())
