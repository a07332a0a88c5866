"""A bounded load test through HAProxy: intake (POST /api/v1/orders as the agent) mixed with list reads
(GET /api/v1/orders?page=… as the dispatcher and the agent) and order reads (GET /api/v1/orders/{number} as the
supervisor), against 1, 2 or 3 `hotline serve` instances on one PostgreSQL database, side by side in one run.

    python3 Tests/scaleout/load.py BINARY POSTGRES_URL [--instances 1,2,3] [--rate-seconds 60] [--intake-rate 7]
                                   [--limit-seconds 30] [--concurrency 4,16,48] [--json FILE] [--smoke]

For each instance count: a fresh database (the demo city), the instances, HAProxy in front (Tests/scaleout/cluster.py), then
  (i)  a fixed rate, open loop: ten times a big city's average — Beijing's 21.4 M requests a year are 0.68/s, so
       ~7 intakes/s — plus as many list reads and order reads each (latency counted from the moment each request was
       due, so a server that falls behind shows it);
  (ii) the machine's limit, closed loop: a sweep of concurrent clients (each sends its next request when the last
       is answered), the same mix, bounded in time;
then every acknowledged order must exist exactly once (by its Idempotency-Key in its title) and `hotline verify-log`
must pass. Prints progress, one table row per instance count, and the CPU each part took (2 cores: what limits it).
Python's standard library only; loopback only.
"""
import argparse
import json
import os
import queue
import random
import subprocess
import sys
import threading
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cluster import Client, Cluster, order_body, psql, say  # noqa: E402

KINDS = ("intake", "list", "read")


class Recorder:
    """Latencies (ms) and errors per kind of request, thread-safe."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latency = {k: [] for k in KINDS}
        self.errors = {k: 0 for k in KINDS}
        self.error_samples = []
        self.started = time.monotonic()
        self.ended = None

    def ok(self, kind, ms):
        with self.lock:
            self.latency[kind].append(ms)

    def error(self, kind, what):
        with self.lock:
            self.errors[kind] += 1
            if len(self.error_samples) < 5:
                self.error_samples.append(f"{kind}: {what}")

    def done(self):
        with self.lock:
            return sum(len(v) for v in self.latency.values()), sum(self.errors.values())

    def summary(self):
        seconds = (self.ended or time.monotonic()) - self.started
        out = {"seconds": round(seconds, 1)}
        for kind in KINDS:
            values = sorted(self.latency[kind])
            out[kind] = {"count": len(values), "per_s": round(len(values) / seconds, 1) if seconds else 0.0,
                         "p50": percentile(values, 50), "p99": percentile(values, 99), "errors": self.errors[kind]}
        total = sum(out[k]["count"] for k in KINDS)
        out["per_s"] = round(total / seconds, 1) if seconds else 0.0
        out["errors"] = sum(self.errors.values())
        out["error_samples"] = list(self.error_samples)
        return out


def percentile(values, p):
    if not values:
        return None
    index = min(len(values) - 1, max(0, int(round(p / 100 * len(values) + 0.5)) - 1))
    return round(values[index], 1)


class Load:
    """The requests of the mix, each on the calling worker's own keep-alive connection to the balancer."""

    def __init__(self, cluster, marker):
        self.cluster = cluster
        self.marker = marker
        login = Client(cluster.lb_port)
        self.tokens = {name: login.login(name).token for name in ("agent", "dispatcher", "supervisor")}
        self.lock = threading.Lock()
        self.acknowledged = {}              # key -> order number
        self.numbers = []                   # acknowledged and demo orders, for order reads
        listing = login.json("GET", "/api/v1/orders?page_size=100", headers={"Authorization": "Bearer " + self.tokens["supervisor"]})
        self.numbers = [item["number"] for item in listing["items"]]
        if not self.numbers:
            raise SystemExit("the demo city has no orders to read")

    def run(self, client, kind, rng, recorder, due=None):
        """One request of `kind`; latency from `due` (open loop) or from now (closed loop)."""
        start = due if due is not None else time.monotonic()
        try:
            if kind == "intake":
                key = f"{uuid.uuid4().hex[:16]}"
                status, _, data = client.request("POST", "/api/v1/orders", order_body(f"{self.marker} {key}", rng),
                                                 {"Authorization": "Bearer " + self.tokens["agent"], "Idempotency-Key": key})
                if status == 201:
                    number = json.loads(data)["order"]["number"]
                    with self.lock:
                        self.acknowledged[key] = number
                        self.numbers.append(number)
            elif kind == "list":
                who = "dispatcher" if rng.random() < 0.5 else "agent"
                page = rng.randint(1, 5)
                status, _, data = client.request("GET", f"/api/v1/orders?page={page}&page_size=20",
                                                 headers={"Authorization": "Bearer " + self.tokens[who]})
            else:
                with self.lock:
                    number = self.numbers[rng.randrange(len(self.numbers))]
                status, _, data = client.request("GET", f"/api/v1/orders/{number}",
                                                 headers={"Authorization": "Bearer " + self.tokens["supervisor"]})
        except Exception as e:
            recorder.error(kind, f"{type(e).__name__}: {e}")
            return
        ms = (time.monotonic() - start) * 1000
        if status in (200, 201):
            recorder.ok(kind, ms)
        else:
            recorder.error(kind, f"{status} {data[:120].decode(errors='replace')}")


def progress(label, recorder, stop, every=5.0):
    def loop():
        while not stop.wait(every):
            done, errors = recorder.done()
            s = recorder.summary()
            say(f"    {label} {s['seconds']:5.0f} s: {done} answered ({s['per_s']}/s), {errors} errors;"
                f" intake p50/p99 {s['intake']['p50']}/{s['intake']['p99']} ms, list {s['list']['p50']}/{s['list']['p99']} ms")
    t = threading.Thread(target=loop, daemon=True)
    t.start()
    return t


def finish(recorder, threads, timeout, stop, reporter, **extra):
    """Waits for the clients, stops the progress line and returns the recorder's summary with `extra` added."""
    for t in threads:
        t.join(timeout=timeout)
    recorder.ended = time.monotonic()
    stop.set()
    reporter.join()
    return {**recorder.summary(), **extra}


def fixed_rate(load, seconds, intake_rate, workers=32):
    """Open loop: intake_rate intakes, list reads and order reads a second each, spread evenly."""
    recorder = Recorder()
    due = queue.Queue()
    stop = threading.Event()

    def worker(n):
        client, rng = Client(load.cluster.lb_port), random.Random(n)
        while True:
            item = due.get()
            if item is None:
                break
            load.run(client, item[0], rng, recorder, due=item[1])
        client.close()

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(workers)]
    for t in threads:
        t.start()
    reporter = progress("rate ", recorder, stop)
    rate = intake_rate * len(KINDS)
    begin = time.monotonic()
    recorder.started = begin
    k = 0
    while True:
        at = begin + k / rate
        if at - begin >= seconds:
            break
        wait = at - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        due.put((KINDS[k % len(KINDS)], at))
        k += 1
    for _ in threads:
        due.put(None)
    return finish(recorder, threads, 60, stop, reporter, offered_per_s=rate)


def closed_loop(load, seconds, concurrency):
    """`concurrency` clients, each sending its next request of the mix as soon as the last is answered."""
    recorder = Recorder()
    stop = threading.Event()
    end = time.monotonic() + seconds

    def worker(n):
        client, rng = Client(load.cluster.lb_port), random.Random(1000 + n)
        i = n
        while time.monotonic() < end:
            load.run(client, KINDS[i % len(KINDS)], rng, recorder)
            i += 1
        client.close()

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(concurrency)]
    reporter = progress(f"c={concurrency:<3}", recorder, stop)
    recorder.started = time.monotonic()
    for t in threads:
        t.start()
    return finish(recorder, threads, seconds + 60, stop, reporter, concurrency=concurrency)


class CPU:
    """CPU seconds of the instances, HAProxy, PostgreSQL's processes and this generator, and of the whole machine."""

    def __init__(self, cluster):
        self.cluster = cluster
        try:
            data_dir = psql(cluster.db_url, "SHOW data_directory").strip()
            with open(os.path.join(data_dir, "postmaster.pid")) as f:
                self.postmaster = int(f.readline())
        except Exception:
            self.postmaster = None
        self.ticks = os.sysconf("SC_CLK_TCK")

    def _proc(self, pid):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return int(fields[1]), (int(fields[11]) + int(fields[12])) / self.ticks   # ppid, utime + stime
        except (OSError, IndexError, ValueError):
            return None, 0.0

    def sample(self):
        parts = {"instances": 0.0, "haproxy": 0.0, "postgres": 0.0}
        for instance in self.cluster.instances:
            if instance.alive:
                parts["instances"] += self._proc(instance.process.pid)[1]
        if self.cluster.haproxy and self.cluster.haproxy.poll() is None:
            parts["haproxy"] = self._proc(self.cluster.haproxy.pid)[1]
        if self.postmaster:
            for pid in os.listdir("/proc"):
                if pid.isdigit():
                    ppid, cpu = self._proc(pid)
                    if int(pid) == self.postmaster or ppid == self.postmaster:
                        parts["postgres"] += cpu
        t = os.times()
        parts["generator"] = t.user + t.system
        with open("/proc/stat") as f:
            cpu = [int(x) for x in f.readline().split()[1:]]
        parts["machine_busy"] = (sum(cpu) - cpu[3] - cpu[4]) / self.ticks
        parts["machine_all"] = sum(cpu) / self.ticks
        parts["at"] = time.monotonic()
        return parts

    @staticmethod
    def share(before, after):
        """Cores used by each part between two samples (2.0 = both cores of this machine)."""
        seconds = after["at"] - before["at"]
        out = {k: round((after[k] - before[k]) / seconds, 2) for k in ("instances", "haproxy", "postgres", "generator")}
        all_ = after["machine_all"] - before["machine_all"]
        out["machine_busy_pct"] = round(100 * (after["machine_busy"] - before["machine_busy"]) / all_, 0) if all_ else None
        return out


def verify(load, cluster):
    """Every acknowledged order exists exactly once (its key in its title), and every chain verifies."""
    rows = psql(cluster.db_url, f"SELECT number, title FROM work_orders WHERE title LIKE '{load.marker} %'")
    stored = {}
    for line in rows.splitlines():
        number, _, title = line.partition("|")
        stored.setdefault(title.split(" ", 1)[1], []).append(number)
    missing = [k for k, n in load.acknowledged.items() if str(n) not in stored.get(k, [])]
    twice = {k: v for k, v in stored.items() if len(v) > 1}
    ok, verify_log = cluster.verify_log()
    return {"acknowledged": len(load.acknowledged), "stored": sum(len(v) for v in stored.values()), "missing": len(missing),
            "stored_twice": len(twice), "verify_log": verify_log, "ok": ok and not missing and not twice,
            "missing_sample": missing[:3], "twice_sample": list(twice.items())[:3]}


def machine_busy(seconds=2.0):
    """The share of the machine's CPU time that was busy over `seconds`, before a run (someone else building?)."""
    def read():
        with open("/proc/stat") as f:
            cpu = [int(x) for x in f.readline().split()[1:]]
        return sum(cpu) - cpu[3] - cpu[4], sum(cpu)
    busy0, all0 = read()
    time.sleep(seconds)
    busy1, all1 = read()
    return round(100 * (busy1 - busy0) / max(1, all1 - all0))


def run_one(args, n):
    say(f"== {n} instance{'s' if n > 1 else ''} behind HAProxy")
    result = {"instances": n, "idle_busy_pct": machine_busy()}
    say(f"  the machine before the run: {result['idle_busy_pct']} % busy")
    with Cluster(args.binary, args.postgres_url, instances=n, name=f"load{n}") as cluster:
        cluster.start()
        load = Load(cluster, marker=f"负载测试{os.getpid()}")
        cpu = CPU(cluster)
        say(f"  (i) fixed rate: {args.intake_rate} intakes/s + {args.intake_rate} list reads/s + {args.intake_rate} order reads/s"
            f" for {args.rate_seconds} s")
        before = cpu.sample()
        result["rate"] = fixed_rate(load, args.rate_seconds, args.intake_rate)
        result["rate"]["cpu"] = CPU.share(before, cpu.sample())
        say(f"  (ii) the limit: closed loop at {args.concurrency} concurrent clients, {args.limit_seconds} s in all")
        steps = [int(c) for c in args.concurrency.split(",")]
        result["limit"] = []
        for c in steps:
            before = cpu.sample()
            step = closed_loop(load, args.limit_seconds / len(steps), c)
            step["cpu"] = CPU.share(before, cpu.sample())
            result["limit"].append(step)
        say("  checking every acknowledged order and the chains...")
        result["check"] = verify(load, cluster)
        check = result["check"]
        say(f"  {check['acknowledged']} acknowledged, {check['stored']} stored, {check['missing']} missing,"
            f" {check['stored_twice']} stored twice; {check['verify_log']}")
        if not check["ok"]:
            cluster.keep_dir = True
            say(f"  logs kept in {cluster.dir}")
    return result


def fmt(x):
    return "–" if x is None else (f"{x:.0f}" if x >= 100 else f"{x:.1f}")


def table(results):
    lines = [
        "| instances | (i) offered req/s | (i) intake p50 / p99 ms | (i) list p50 / p99 ms | (i) order read p50 / p99 ms | (i) errors"
        " | (ii) best concurrency | (ii) req/s | (ii) intakes/s | (ii) intake p50 / p99 ms | (ii) list p50 / p99 ms | (ii) errors"
        " | (ii) CPU: instances / PG / HAProxy / generator (cores), machine busy |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        rate = r["rate"]
        best = max(r["limit"], key=lambda s: s["per_s"])
        errors = sum(s["errors"] for s in r["limit"])
        c = best["cpu"]
        lines.append(
            f"| {r['instances']} | {rate['offered_per_s']} ({rate['per_s']} answered) | {fmt(rate['intake']['p50'])} / {fmt(rate['intake']['p99'])}"
            f" | {fmt(rate['list']['p50'])} / {fmt(rate['list']['p99'])} | {fmt(rate['read']['p50'])} / {fmt(rate['read']['p99'])}"
            f" | {rate['errors']} | {best['concurrency']} | {fmt(best['per_s'])} | {fmt(best['intake']['per_s'])}"
            f" | {fmt(best['intake']['p50'])} / {fmt(best['intake']['p99'])} | {fmt(best['list']['p50'])} / {fmt(best['list']['p99'])}"
            f" | {errors} | {c['instances']} / {c['postgres']} / {c['haproxy']} / {c['generator']}, {fmt(c['machine_busy_pct'])} % |")
    return "\n".join(lines)


def sweep_table(results):
    lines = ["| instances | concurrency | req/s | intakes/s | intake p50 / p99 ms | list p50 / p99 ms | order read p50 / p99 ms | errors |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        for s in r["limit"]:
            lines.append(f"| {r['instances']} | {s['concurrency']} | {fmt(s['per_s'])} | {fmt(s['intake']['per_s'])}"
                         f" | {fmt(s['intake']['p50'])} / {fmt(s['intake']['p99'])} | {fmt(s['list']['p50'])} / {fmt(s['list']['p99'])}"
                         f" | {fmt(s['read']['p50'])} / {fmt(s['read']['p99'])} | {s['errors']} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary")
    parser.add_argument("postgres_url", help="a PostgreSQL server's URL; each run creates and drops its own database there")
    parser.add_argument("--instances", default="1,2,3", help="instance counts to compare, e.g. 1,2,3 or 2 (default 1,2,3)")
    parser.add_argument("--rate-seconds", type=float, default=60)
    parser.add_argument("--intake-rate", type=float, default=7, help="intakes a second in phase (i); list and order reads each the same")
    parser.add_argument("--limit-seconds", type=float, default=30, help="phase (ii) in all, split over the concurrency steps")
    parser.add_argument("--concurrency", default="4,16,48", help="phase (ii)'s concurrent clients, a comma list")
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--smoke", action="store_true", help="a few seconds only, to show the generator works (scripts/test.sh)")
    args = parser.parse_args()
    if args.smoke:
        args.rate_seconds, args.limit_seconds, args.concurrency = 3, 3, "8"
    counts = [int(n) for n in args.instances.split(",")]
    if not counts or any(n < 1 or n > 3 for n in counts):
        parser.error("--instances takes 1, 2 or 3 (or a list of them)")
    started = time.monotonic()
    results = []
    for n in counts:
        results.append(run_one(args, n))
    say("")
    say(f"load test: phase (i) {args.rate_seconds:.0f} s at {args.intake_rate:g} intakes/s + as many list and order reads;"
        f" phase (ii) closed loop at {args.concurrency} clients, {args.limit_seconds:.0f} s; {os.cpu_count()} cores;"
        f" {os.path.basename(os.path.dirname(os.path.abspath(args.binary)))} build")
    say(table(results))
    say("")
    say(sweep_table(results))
    say("machine busy before each run (other work on it): " + ", ".join(f"{r['instances']} instances {r['idle_busy_pct']} %" for r in results))
    for r in results:
        for phase in [r["rate"]] + r["limit"]:
            for sample in phase["error_samples"]:
                say(f"  error ({r['instances']} instances): {sample}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    failed = [r["instances"] for r in results if not r["check"]["ok"]]
    errors = sum(r["rate"]["errors"] + sum(s["errors"] for s in r["limit"]) for r in results)
    say(f"load test: {time.monotonic() - started:.0f} s")
    if failed:
        say(f"FAIL scaleout load: acknowledged orders missing or doubled, or verify-log failed, with {failed} instances")
        sys.exit(1)
    if args.smoke:
        r = results[0]
        answered = r["rate"]["per_s"] * r["rate"]["seconds"] + sum(s["intake"]["count"] + s["list"]["count"] + s["read"]["count"] for s in r["limit"])
        if errors or not r["limit"][0]["intake"]["count"]:
            say(f"FAIL scaleout load smoke: {errors} errors, {r['limit'][0]['intake']['count']} intakes at the limit")
            sys.exit(1)
        say(f"ok scaleout load smoke: {r['instances']} instances, {answered:.0f} requests answered, 0 errors,"
            f" {r['check']['acknowledged']} acknowledged orders all stored once; {r['check']['verify_log']}")


if __name__ == "__main__":
    main()
