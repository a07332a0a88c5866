"""Scale-out tests: three `hotline serve` instances on one PostgreSQL database behind HAProxy (roundrobin, readiness
checks every 500 ms, retries with redispatch), on loopback.

    python3 Tests/scaleout/run.py BINARY POSTGRES_URL [--keep-logs]

POSTGRES_URL names a PostgreSQL server (as `scripts/postgres.sh start` prints it); the test creates its own database
there and drops it afterwards. HAProxy is installed from Debian's packages when missing. Each test prints
`ok scaleout <name>: ...`, `skip scaleout <name>: ...` or `FAIL scaleout <name>: reason`; the exit status is non-zero
when any failed.

  browser session   the console's login form (cookie), pages and CSRF-checked posts through the balancer: every
                    instance serves the session (access lines in each instance's log, by our X-Request-Id), and a
                    logout through the balancer ends it on every instance
  API client        a bearer token through the balancer: intake, reads and lists on every instance; logout likewise
  idempotency key   one intake sent to one instance, then again with the same Idempotency-Key to another: one order
  kill during intake  eight clients take orders through the balancer, each with an Idempotency-Key, retrying on a
                    broken connection or a 5xx with the same key; one instance is killed with SIGKILL: no request fails
                    once HAProxy has marked it down, every acknowledged order exists exactly once, verify-log passes;
                    the instance is started again and HAProxy takes it back
  leadership        /metrics of each instance: exactly one has hotline_leader{service="sla_sweeper"} 1 (and one per
                    service); it is killed with SIGKILL and exactly one survivor leads sla_sweeper within 10 s (every
                    service within 20 s), never two at once
"""
import argparse
import json
import os
import random
import re
import sys
import threading
import time
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cluster import Client, Cluster, fail_exit, order_body, say  # noqa: E402


class Failure(Exception):
    pass


class Skip(Exception):
    pass


def check(condition, reason):
    if not condition:
        raise Failure(reason)


def landed(cluster, prefix, ids):
    """{instance: count} of the requests `ids` (all starting with `prefix`), from the instances' access lines;
    fails when one of them is in no log."""
    seen = cluster.served_by(prefix)
    missing = [i for i in ids if i not in seen]
    check(not missing, f"{len(missing)} of {len(ids)} requests are in no instance's access log (e.g. {missing[:3]});"
          f" the access line's request_id format may have changed")
    counts = {i.name: 0 for i in cluster.instances}
    for rid in ids:
        for name in seen[rid]:
            counts[name] += 1
    return seen, counts


# a. The console through the balancer ----------------------------------------------------------------------------

CSRF_FIELD = re.compile(r'name="_csrf" value="([0-9a-f]+)"')
ORDER_LINK = re.compile(r'href="/orders/(\d{14})"')


def test_browser_session(cluster):
    lb = cluster.lb_port
    origin = {"Origin": f"http://127.0.0.1:{lb}"}
    form = {"Content-Type": "application/x-www-form-urlencoded", **origin}
    browser = Client(lb)
    ids, kinds = [], {}

    def go(kind, method, path, body=None, headers=None):
        rid = f"sa{os.getpid()}-{len(ids)}"
        ids.append(rid)
        kinds[rid] = kind
        return browser.request(method, path, body, headers, request_id=rid)

    status, _, _ = go("login", "GET", "/login")
    check(status == 200, f"GET /login answered {status}")
    body = urllib.parse.urlencode({"username": "dispatcher", "password": "hotline12345", "next": "/"})
    status, headers, _ = go("login", "POST", "/login", body, form)
    check(status == 303 and "hotline_session" in browser.cookies,
          f"the login form answered {status} (location {headers.get('location')}) without a session cookie")
    order = None
    rounds = 9
    for r in range(rounds):
        # Seven requests a round, so that with three instances each kind of request meets every instance.
        status, headers, page = go("page", "GET", "/")
        check(status == 200 and b"/logout" in page, f"round {r}: home answered {status} {headers.get('location', '')} — signed out?")
        csrf = CSRF_FIELD.search(page.decode())
        check(csrf, f"round {r}: no CSRF field on the home page")
        status, headers, page = go("page", "GET", "/orders")
        check(status == 200 and b"/logout" in page, f"round {r}: /orders answered {status} {headers.get('location', '')}")
        links = ORDER_LINK.findall(page.decode())
        check(links, f"round {r}: the order list shows no orders")
        order = links[r % len(links)]
        status, headers, page = go("page", "GET", f"/orders/{order}")
        check(status == 200 and order.encode() in page, f"round {r}: /orders/{order} answered {status} {headers.get('location', '')}")
        status, headers, _ = go("post", "POST", "/notices/read", urllib.parse.urlencode({"_csrf": csrf.group(1), "all": "true"}), form)
        check(status == 303 and headers.get("location", "").startswith("/notices?done=read"),
              f"round {r}: the form post 全部标为已读 answered {status} → {headers.get('location')} (CSRF or session refused?)")
        status, _, data = go("api", "GET", "/api/v1/auth/session")
        check(status == 200, f"round {r}: GET /api/v1/auth/session answered {status}: {data[:200]!r}")
        session = json.loads(data)
        token = session.get("csrf_token", session.get("csrfToken"))
        check(token == csrf.group(1), f"round {r}: the session's CSRF token differs between the page and the API")
        status, _, data = go("post", "POST", "/api/v1/notices/read", {"all": True}, {"X-CSRF-Token": token, **origin})
        check(status in (200, 204), f"round {r}: POST /api/v1/notices/read with the cookie and X-CSRF-Token answered {status}: {data[:200]!r}")
        status, headers, page = go("page", "GET", "/notices")
        check(status == 200 and b"/logout" in page, f"round {r}: /notices answered {status} {headers.get('location', '')}")
    seen, counts = landed(cluster, f"sa{os.getpid()}-", ids)
    per_kind = {}
    for rid in ids:
        for name in seen[rid]:
            per_kind.setdefault(kinds[rid], set()).add(name)
    everyone = {i.name for i in cluster.instances}
    check(per_kind.get("page") == everyone and per_kind.get("post") == everyone,
          f"signed-in pages were served by {sorted(per_kind.get('page', []))}, CSRF-checked posts by {sorted(per_kind.get('post', []))};"
          f" expected every instance ({counts})")
    # The same cookie straight at each instance, then a logout through the balancer ends it on every one.
    for instance in cluster.instances:
        direct = Client(instance.port)
        direct.cookies = dict(browser.cookies)
        status, _, page = direct.request("GET", "/orders")
        check(status == 200 and b"/logout" in page, f"the session cookie straight at {instance.name}: /orders answered {status}")
    old = dict(browser.cookies)
    status, headers, _ = go("post", "POST", "/logout", urllib.parse.urlencode({"_csrf": csrf.group(1)}), form)
    check(status == 303 and headers.get("location") == "/login", f"logout answered {status} → {headers.get('location')}")
    for instance in cluster.instances:
        direct = Client(instance.port)
        direct.cookies = dict(old)
        status, headers, _ = direct.request("GET", "/orders")
        check(status == 303 and headers.get("location", "").startswith("/login"),
              f"after the logout the old cookie still opens /orders on {instance.name} ({status})")
    spread = ", ".join(f"{k} {v}" for k, v in counts.items())
    return (f"dispatcher's form login, {rounds} rounds of pages (/, /orders, an order, /notices) and CSRF-checked posts"
            f" (form and X-CSRF-Token) through HAProxy: {len(ids)} requests served by {spread}, every kind on all"
            f" {len(everyone)} instances; the cookie works straight at each; logout through HAProxy ends it on every instance")


# b. An API client through the balancer --------------------------------------------------------------------------

def test_api_client(cluster):
    client = Client(cluster.lb_port)
    ids, kinds = [], {}
    prefix = f"sb{os.getpid()}-"

    def go(kind, method, path, body=None, headers=None, expect=(200,)):
        rid = f"{prefix}{len(ids)}"
        ids.append(rid)
        kinds[rid] = kind
        status, _, data = client.request(method, path, body, headers, request_id=rid)
        check(status in expect, f"{method} {path} answered {status}: {data[:200]!r}")
        return json.loads(data) if data else None

    token = go("login", "POST", "/api/v1/auth/login", {"username": "agent", "password": "hotline12345"})["token"]
    client.token = token
    rng = random.Random(2)
    numbers = []
    rounds = 9
    for r in range(rounds):
        # Four requests a round: with three instances each kind meets every instance.
        reply = go("intake", "POST", "/api/v1/orders", order_body(f"扩容测试API {r}", rng), expect=(201,))
        numbers.append(reply["order"]["number"])
        go("read", "GET", f"/api/v1/orders/{numbers[-1]}")
        go("read", "GET", f"/api/v1/orders/{numbers[r // 2]}")
        listed = go("list", "GET", f"/api/v1/orders?page={1 + r % 3}&page_size=20")
        check(isinstance(listed.get("items"), list), f"the list has no items: {str(listed)[:200]}")
    seen, counts = landed(cluster, prefix, ids)
    everyone = {i.name for i in cluster.instances}
    by_kind = {}
    for rid in ids:
        for name in seen[rid]:
            by_kind.setdefault(kinds[rid], set()).add(name)
    for kind in ("intake", "read", "list"):
        check(by_kind.get(kind) == everyone, f"{kind} requests reached only {sorted(by_kind.get(kind, []))} ({counts})")
    for instance in cluster.instances:
        direct = Client(instance.port)
        direct.token = token
        for number in numbers:
            status, _, _ = direct.request("GET", f"/api/v1/orders/{number}")
            check(status == 200, f"order {number} read straight from {instance.name} with the token: {status}")
    go("logout", "POST", "/api/v1/auth/logout", expect=(200, 204))
    for instance in cluster.instances:
        direct = Client(instance.port)
        direct.token = token
        status, _, _ = direct.request("GET", "/api/v1/orders?page_size=1")
        check(status == 401, f"after the logout through HAProxy the token still works on {instance.name} ({status})")
    spread = ", ".join(f"{k} {v}" for k, v in counts.items())
    return (f"agent's token through HAProxy: {rounds} intakes, reads and lists, {len(ids)} requests served by {spread};"
            f" every order read straight from each instance; logout through HAProxy revokes the token on all {len(everyone)}")


# c0. The Idempotency-Key: a retry of an intake (on another instance) is not a second order ------------------------

def test_idempotency_key(cluster):
    first, second = cluster.instances[0], cluster.instances[-1]
    token = Client(cluster.lb_port).login("agent").token
    key = f"si{os.getpid()}-{uuid.uuid4().hex[:12]}"
    title = f"幂等测试 {key}"
    body = order_body(title, random.Random(5))
    numbers = []
    for instance in (first, second):
        c = Client(instance.port)
        c.token = token
        status, _, data = c.request("POST", "/api/v1/orders", body, {"Idempotency-Key": key})
        check(status in (200, 201), f"intake on {instance.name} with Idempotency-Key answered {status}: {data[:200]!r}")
        numbers.append(json.loads(data)["order"]["number"])
    reader = Client(cluster.lb_port).login("supervisor")
    listing = reader.json("GET", "/api/v1/orders?" + urllib.parse.urlencode({"q": key, "page_size": 10}))
    stored = [item["number"] for item in listing["items"]]
    check(numbers[0] == numbers[1] and len(stored) == 1,
          f"the same intake sent twice with one Idempotency-Key (to {first.name}, then to {second.name}, as a retry after a"
          f" lost answer would be) was taken twice: answered {numbers}, stored {stored}. A retry by the client or by HAProxy"
          f" (retry-on) after an instance dies can then double an order; the intake does not honour Idempotency-Key")
    return f"an intake sent to {first.name} and again with the same Idempotency-Key to {second.name} is one order ({numbers[0]})"


# c. An instance killed with SIGKILL while orders are taken --------------------------------------------------------

def test_kill_during_intake(cluster, clients=8):
    lb = cluster.lb_port
    token = Client(lb).login("agent").token
    victim = cluster.instances[1]
    marker = f"扩容压测{os.getpid()}"
    prefix = f"sc{os.getpid()}-"
    lock = threading.Lock()
    acknowledged = {}          # key -> [numbers answered]
    attempts_failed = []       # (started, ended, key, what)
    refused = []               # (key, status, body): 4xx, not retried
    gave_up = []               # keys never acknowledged within the bound
    attempts = [0]
    stop = threading.Event()
    states = []                # (time, {server: status})
    down_at = [None]
    stop_at = [0.0]

    def poll_states():
        while not stop.is_set() or down_at[0] is None:
            try:
                s = cluster.lb_states()
            except OSError:
                s = {}
            now = time.monotonic()
            states.append((now, s))
            if down_at[0] is None and s.get(victim.name, "").startswith("DOWN"):
                down_at[0] = now
            if stop.is_set() and time.monotonic() - stop_at[0] > 10:
                return
            time.sleep(0.02)

    def client(n):
        rng = random.Random(n)
        c = Client(lb, timeout=20)
        c.token = token
        seq = 0
        while not stop.is_set():
            seq += 1
            key = f"{prefix}{n}-{seq}-{uuid.uuid4().hex[:8]}"
            body = order_body(f"{marker} {key}", rng)
            first = time.monotonic()
            tries = 0
            while True:
                tries += 1
                with lock:
                    attempts[0] += 1
                started = time.monotonic()
                try:
                    status, _, data = c.request("POST", "/api/v1/orders", body, {"Idempotency-Key": key}, request_id=f"{key}-{tries}")
                except Exception as e:
                    status, data = None, f"{type(e).__name__}: {e}".encode()
                ended = time.monotonic()
                if status in (200, 201):
                    number = json.loads(data)["order"]["number"]
                    with lock:
                        acknowledged.setdefault(key, []).append(number)
                    break
                if status is not None and status < 500:
                    with lock:
                        refused.append((key, status, data[:200]))
                    break
                with lock:
                    attempts_failed.append((started, ended, key, f"{status or ''} {data[:120].decode(errors='replace')}".strip()))
                if time.monotonic() - first > 30:
                    with lock:
                        gave_up.append(key)
                    break
                time.sleep(0.05)
        c.close()

    poller = threading.Thread(target=poll_states, daemon=True)
    poller.start()
    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    began = time.monotonic()
    for t in threads:
        t.start()
    time.sleep(3)
    before_kill = len(acknowledged)
    served_before = sum(1 for names in cluster.served_by(prefix).values() if victim.name in names)
    killed_at = cluster.kill(victim)
    deadline = killed_at + 10
    while down_at[0] is None and time.monotonic() < deadline:
        time.sleep(0.05)
    if down_at[0] is not None:
        time.sleep(4)   # orders go on with the instance marked down
    stop_at[0] = time.monotonic()
    stop.set()
    for t in threads:
        t.join(timeout=60)
    check(not any(t.is_alive() for t in threads), "a client did not finish within 60 s of the stop")
    poller.join(timeout=15)
    ended = time.monotonic()
    check(down_at[0] is not None, f"HAProxy did not mark {victim.name} down within 10 s of the kill; last states {states[-1][1] if states else None}")
    detect = down_at[0] - killed_at
    after_down = [f for f in attempts_failed if f[0] >= down_at[0]]
    before_down = [f for f in attempts_failed if f[0] < down_at[0]]
    check(not refused, f"{len(refused)} intakes refused with a 4xx (not retried): {refused[:3]}")
    check(not gave_up, f"{len(gave_up)} orders never acknowledged within 30 s of retries: {gave_up[:3]}")
    check(not after_down, f"{len(after_down)} requests failed after HAProxy marked {victim.name} down"
          f" ({detect:.2f} s after the kill): {[(round(f[0] - killed_at, 2), f[3]) for f in after_down[:5]]}")
    check(before_kill >= 20, f"only {before_kill} orders acknowledged in the 3 s before the kill: the load did not run")
    check(served_before > 0, f"{victim.name} had served no intake before the kill (per its log)")
    # Every acknowledged order, through the API: listed once under its key, and readable.
    reader = Client(lb).login("supervisor")
    stored = {}
    page, total = 1, None
    while True:
        listing = reader.json("GET", "/api/v1/orders?" + urllib.parse.urlencode({"q": marker, "page": page, "page_size": 100}))
        total = listing["total"]
        for item in listing["items"]:
            key = item["title"].split(" ", 1)[1]
            stored.setdefault(key, []).append(item["number"])
        if len(listing["items"]) < 100:
            break
        page += 1
    numbers = {n for ns in acknowledged.values() for n in ns}
    twice = {k: v for k, v in stored.items() if len(v) > 1}
    answered_twice = {k: v for k, v in acknowledged.items() if len(set(v)) > 1}
    missing = [k for k, ns in acknowledged.items() if k not in stored or not set(ns) <= set(stored[k])]
    unacknowledged = [k for k in stored if k not in acknowledged]
    check(not missing, f"{len(missing)} acknowledged orders are missing: {[(k, acknowledged[k]) for k in missing[:3]]}")
    check(not twice, f"{len(twice)} of {len(acknowledged)} keys were stored more than once — a retried request whose answer"
          f" was lost was taken again (is the Idempotency-Key honoured?): {list(twice.items())[:3]}")
    check(not answered_twice, f"{len(answered_twice)} keys were answered with different order numbers: {list(answered_twice.items())[:3]}")
    check(not unacknowledged, f"{len(unacknowledged)} orders stored that no client had acknowledged: {unacknowledged[:3]}")
    check(total == len(stored) == len(acknowledged), f"the list's total {total} ≠ {len(stored)} stored keys ≠ {len(acknowledged)} acknowledged")
    sample = random.Random(3).sample(sorted(numbers), min(30, len(numbers)))
    for number in sample:
        status, _, _ = reader.request("GET", f"/api/v1/orders/{number}")
        check(status == 200, f"acknowledged order {number} answers {status}")
    ok, verify = cluster.verify_log()
    check(ok, f"verify-log: {verify}")
    # The killed instance comes back, and HAProxy takes it again.
    restarted = time.monotonic()
    cluster.start_instance(victim)
    cluster.wait_ready(victim, 120)
    back = cluster.wait_lb_state({victim.name: "UP"}, timeout=30)
    retried = sum(1 for k in acknowledged if k in {f[2] for f in attempts_failed})
    resent = cluster.haproxy_retried("/api/v1/orders")
    return (f"{clients} clients, {attempts[0]} attempts, {len(acknowledged)} orders acknowledged in {ended - began:.1f} s;"
            f" {victim.name} (had served {served_before} intakes) killed with SIGKILL after {before_kill} orders, marked DOWN by"
            f" HAProxy {detect:.2f} s later; failed attempts before the mark {len(before_down)}, after it 0"
            f" ({retried} orders needed a retry by the client, HAProxy sent {resent} again itself); every acknowledged order stored exactly once (API list by"
            f" key, {len(sample)} read back); {verify}; {victim.name} restarted and UP again after {back - restarted:.1f} s")


# d. Leadership of the background services ---------------------------------------------------------------------------

# The background services that run on exactly one instance (advisory-lock leadership); others (reference_sync) run on
# every instance.
LEADER_SERVICES = ("sla_sweeper", "channel_sender", "model_refresh", "report_scheduler", "webhook_sender", "topic_refresh")
LEADER = re.compile(r'^hotline_leader\{[^}]*service="([^"]+)"[^}]*\}\s+(\S+)', re.M)


def leaders(cluster, token, live):
    """{instance name: {service: value}} from each live instance's /metrics (straight, not through HAProxy)."""
    out = {}
    for instance in live:
        c = Client(instance.port, timeout=5)
        c.token = token
        status, _, data = c.request("GET", "/metrics")
        check(status == 200, f"/metrics on {instance.name} answered {status}: {data[:200]!r}")
        out[instance.name] = {s: float(v) for s, v in LEADER.findall(data.decode())}
    return out


def leading(snapshot, service):
    return sorted(name for name, gauges in snapshot.items() if gauges.get(service) == 1)


def test_leadership(cluster, service="sla_sweeper", bound=10.0, others_bound=20.0):
    token = Client(cluster.lb_port).login("admin").token
    live = [i for i in cluster.instances if i.alive]
    snapshot = leaders(cluster, token, live)
    if not any(snapshot.values()):
        raise Skip("gauge absent")
    named = sorted({s for g in snapshot.values() for s in g})
    check(service in named, f"no hotline_leader gauge for {service}; the gauge names {named}")
    services = [s for s in named if s in LEADER_SERVICES]
    absent = [s for s in LEADER_SERVICES if s not in named]
    others = [s for s in named if s not in LEADER_SERVICES]

    def settled(snap):
        return all(len(leading(snap, s)) == 1 for s in services)

    deadline = time.monotonic() + bound
    while time.monotonic() < deadline and not settled(snapshot):
        time.sleep(0.25)
        snapshot = leaders(cluster, token, live)
    check(settled(snapshot), "before the kill, services without exactly one leader among"
          f" {[i.name for i in live]}: { {s: leading(snapshot, s) for s in services if len(leading(snapshot, s)) != 1} } ({snapshot})")
    old = next(i for i in live if i.name == leading(snapshot, service)[0])
    before = {s: leading(snapshot, s)[0] for s in services}
    killed_at = cluster.kill(old)
    survivors = [i for i in live if i is not old]
    took = {s: 0.0 for s in services if before[s] != old.name}   # services led elsewhere keep their leader
    while time.monotonic() - killed_at < others_bound and len(took) < len(services):
        snapshot = leaders(cluster, token, survivors)
        elapsed = time.monotonic() - killed_at
        for s in services:
            now = leading(snapshot, s)
            check(len(now) <= 1, f"{elapsed:.1f} s after the kill two instances lead {s}: {now} ({snapshot})")
            if len(now) == 1 and s not in took:
                took[s] = elapsed
        time.sleep(0.2)
    check(service in took and took[service] <= bound, f"after {old.name} (leading {service}) was killed, no survivor led it"
          f" within {bound:.0f} s ({snapshot})")
    late = sorted(set(services) - set(took))
    check(not late, f"no survivor leads {late} {others_bound:.0f} s after {old.name} was killed ({snapshot})")
    time.sleep(1.5)
    snapshot = leaders(cluster, token, survivors)
    check(settled(snapshot), f"leadership did not hold after the takeover: {snapshot}")
    moved = ", ".join(f"{s} {took[s]:.1f} s" for s in services if before[s] == old.name)
    notes = (f"; no gauge for {absent}" if absent else "") + (
        f"; also in the gauge, not led by one instance: {', '.join(f'{s}={sorted(set(g.get(s) for g in snapshot.values()))}' for s in others)}"
        if others else "")
    return (f"{len(services)} services ({', '.join(services)}) each led by exactly one of {len(live)} instances;"
            f" {old.name}, leading {service}, killed with SIGKILL; {leading(snapshot, service)[0]} leads {service}"
            f" {took[service]:.1f} s later, never two leaders; taken over: {moved}{notes}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary")
    parser.add_argument("postgres_url")
    parser.add_argument("--keep-logs", action="store_true", help="keep the instances' and HAProxy's logs (printed at the end)")
    parser.add_argument("--only", help="comma list of tests to run (browser, api, idempotency, kill, leadership)")
    args = parser.parse_args()
    tests = [("browser session", "browser", test_browser_session), ("API client", "api", test_api_client),
             ("idempotency key", "idempotency", test_idempotency_key), ("kill during intake", "kill", test_kill_during_intake), ("leadership", "leadership", test_leadership)]
    only = set(args.only.split(",")) if args.only else None
    failures = []
    started = time.monotonic()
    with Cluster(args.binary, args.postgres_url, instances=3, keep_dir=args.keep_logs) as cluster:
        try:
            cluster.start()
        except SystemExit as e:
            say(f"FAIL scaleout setup: {e}")
            cluster.keep_dir = True
            say(f"  logs kept in {cluster.dir}")
            sys.exit(1)
        for name, short, test in tests:
            if only and short not in only:
                continue
            t0 = time.monotonic()
            try:
                message = test(cluster)
                say(f"ok scaleout {name}: {message} ({time.monotonic() - t0:.1f} s)")
            except Skip as e:
                say(f"skip scaleout {name}: {e}")
            except (Failure, SystemExit, Exception) as e:
                reason = str(e) if isinstance(e, (Failure, SystemExit)) else f"{type(e).__name__}: {e}"
                say(f"FAIL scaleout {name}: {reason}")
                failures.append(name)
                cluster.keep_dir = True
        if failures or args.keep_logs:
            say(f"  instance and HAProxy logs kept in {cluster.dir}")
    say(f"scaleout: {time.monotonic() - started:.0f} s")
    fail_exit(failures)


if __name__ == "__main__":
    main()
