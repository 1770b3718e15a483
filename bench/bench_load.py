"""Load on the web app as `jamkoll serve` runs it: logged-in users across roles, loopback only, fixed duration.

Target (issue 14): dashboard, intervention page, findings list and portal at p95 < 150 ms with 32
concurrent users and no errors, on this machine; the single-user figures are reported beside them.

The benchmark builds its own data folder (``load_demo``: the demo association and its users), starts
``jamkoll serve`` on a free port of 127.0.0.1, lets every page be computed once (warm-up), then
measures one user alone (each page ``SINGLE_REPEAT`` times) and ``USERS`` users at once for
``DURATION`` seconds, each logged in as one of the four demo roles in turn and requesting the pages in
a loop. Percentiles are of every request's wall time as the client sees it; an error is any answer but
200 or a failed connection.

The load clients run in ``CLIENT_PROCESSES`` processes of their own (threads in the measuring process would
share its one interpreter lock and become the bottleneck themselves), each user on one kept-alive HTTP/1.1
connection. The machine's load average before and after is recorded beside the figures: on a shared
machine other work takes cores from both the server and the clients.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import multiprocessing
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from bench.run import write_result

SLUG = "siljan-vasterdal-demo"
PASSWORD = "jamkoll-demo-2026"
ROLES = ("admin", "analytiker", "rapportor", "styrgrupp")
PAGES = {
    "dashboard": f"/o/{SLUG}/",
    "intervention": f"/o/{SLUG}/insatser/INS01/",
    "findings": f"/o/{SLUG}/fynd/",
    "portal": "/portal/dalarna/",
}
USERS, DURATION, SINGLE_REPEAT = 32, 60.0, 20
# The server as measured (docs/deployment.md): processes x threads, and the processes of the load clients.
SERVER_PROCESSES = int(os.environ.get("JAMKOLL_BENCH_PROCESSES") or 2)
SERVER_THREADS = int(os.environ.get("JAMKOLL_BENCH_THREADS") or 8)
CLIENT_PROCESSES = 2
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Client:
    """One logged-in user: its own cookies, plain HTTP/1.1 requests to the loopback server."""

    def __init__(self, base: str, username: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = self.opener.open(base + "/konto/logga-in/", timeout=60).read().decode()
        token = _CSRF.search(page)
        if token is None:
            raise RuntimeError("no CSRF token on the login page")
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), "username": username,
                                       "password": PASSWORD}).encode()
        answer = self.opener.open(urllib.request.Request(base + "/konto/logga-in/", data=data), timeout=60)
        if "/konto/logga-in/" in answer.geturl():
            raise RuntimeError(f"{username} could not log in")

    def get(self, path: str) -> tuple[float, bool]:
        start = time.perf_counter()
        try:
            with self.opener.open(self.base + path, timeout=120) as response:
                response.read()
                ok = response.status == 200
        except (urllib.error.URLError, OSError):
            ok = False
        return time.perf_counter() - start, ok

    def cookie(self) -> str:
        jar = next(h for h in self.opener.handlers if isinstance(h, urllib.request.HTTPCookieProcessor)).cookiejar
        return "; ".join(f"{c.name}={c.value}" for c in jar)


class KeptAlive:
    """A logged-in user's pages over one kept-alive HTTP/1.1 connection (cheap for the client)."""

    def __init__(self, port: int, cookie: str):
        self.port, self.cookie = port, cookie
        self.connection: http.client.HTTPConnection | None = None

    def get(self, path: str) -> tuple[float, bool]:
        start = time.perf_counter()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            self.connection.request("GET", path, headers={"Cookie": self.cookie})
            response = self.connection.getresponse()
            response.read()
            ok = response.status == 200
            if response.will_close:
                self.connection.close()
                self.connection = None
        except (OSError, http.client.HTTPException):
            ok = False
            if self.connection is not None:
                self.connection.close()
            self.connection = None
        return time.perf_counter() - start, ok


def _client_process(port: int, cookies: list[str], offsets: list[int], stop_at: float,
                    out: Any) -> None:
    """Users in one client process: each in its own thread, pages in turn until ``stop_at`` (time.time())."""
    times: dict[str, list[float]] = {name: [] for name in PAGES}
    errors: dict[str, int] = {name: 0 for name in PAGES}
    guard = threading.Lock()

    def user(cookie: str, offset: int) -> None:
        client = KeptAlive(port, cookie)
        names = list(PAGES)
        i = offset
        while time.time() < stop_at:
            name = names[i % len(names)]
            seconds, ok = client.get(PAGES[name])
            with guard:
                times[name].append(seconds)
                errors[name] += 0 if ok else 1
            i += 1

    threads = [threading.Thread(target=user, args=(c, o)) for c, o in zip(cookies, offsets, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.put((times, errors))


def _percentiles(times: list[float]) -> dict[str, float | None]:
    if not times:
        return {"p50_ms": None, "p95_ms": None, "p99_ms": None}
    ordered = sorted(times)

    def at(q: float) -> float:
        return round(1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)

    return {"p50_ms": round(1000 * statistics.median(ordered), 1), "p95_ms": at(0.95), "p99_ms": at(0.99)}


def _start(work: Path, port: int, processes: int = 1, threads: int = 8) -> subprocess.Popen[bytes]:
    env = {**os.environ, "JAMKOLL_DATA_DIR": str(work / "web"), "JAMKOLL_SECRET_KEY": "bench-load",
           "JAMKOLL_SECRET_FILE": str(work / "pseudonym.key"), "OPENBLAS_NUM_THREADS": "1"}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "jamkoll.web", "migrate", "--verbosity", "0"], env=env, check=True)
    subprocess.run([sys.executable, "-m", "jamkoll.web", "load_demo", "--findings-years", "1"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    command = [sys.executable, "-m", "jamkoll.cli", "serve", "--port", str(port), "--store", str(work / "web"),
               "--processes", str(processes), "--threads", str(threads)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 180  # a start-up deadline, not a measurement
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/konto/logga-in/", timeout=5).read()
            return server
        except (urllib.error.URLError, OSError):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("jamkoll serve did not start") from None
            time.sleep(0.5)


def measure(port: int, users: int, duration: float, repeat: int, warm_rounds: int = 4) -> dict[str, Any]:
    """One user alone, then ``users`` at once for ``duration`` seconds, against a server on ``port``."""
    base = f"http://127.0.0.1:{port}"
    single = Client(base, "analytiker")
    for path in PAGES.values():  # warm-up: every page computed once
        single.get(path)
    for _ in range(warm_rounds):  # and read once by every server process
        for path in PAGES.values():
            Client(base, "analytiker").get(path)
    alone: dict[str, list[float]] = {name: [single.get(path)[0] for _ in range(repeat)]
                                     for name, path in PAGES.items()}
    cookies = [Client(base, ROLES[i % len(ROLES)]).cookie() for i in range(users)]
    load_start = os.getloadavg()
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    started = time.monotonic()
    stop_at = time.time() + duration
    share = [list(range(users))[k::CLIENT_PROCESSES] for k in range(CLIENT_PROCESSES)]
    processes = [context.Process(target=_client_process, args=(port, [cookies[i] for i in ids], ids, stop_at, out))
                 for ids in share if ids]
    for p in processes:
        p.start()
    times: dict[str, list[float]] = {name: [] for name in PAGES}
    errors: dict[str, int] = {name: 0 for name in PAGES}
    for _ in processes:
        part_times, part_errors = out.get(timeout=duration + 300)
        for name in PAGES:
            times[name] += part_times[name]
            errors[name] += part_errors[name]
    for p in processes:
        p.join()
    elapsed = time.monotonic() - started
    pages = {name: {"requests": len(times[name]), "errors": errors[name], **_percentiles(times[name]),
                    "single_user_p50_ms": _percentiles(alone[name])["p50_ms"],
                    "single_user_p95_ms": _percentiles(alone[name])["p95_ms"]} for name in PAGES}
    total = sum(len(v) for v in times.values())
    return {"users": users, "duration_s": duration, "roles": list(ROLES), "client_processes": CLIENT_PROCESSES,
            "connections": "one kept-alive HTTP/1.1 connection per user",
            "load_average_1_5_15": {"before_load": [round(x, 2) for x in load_start],
                                    "after_load": [round(x, 2) for x in os.getloadavg()]},
            "requests_per_s": round(total / elapsed, 1), "errors": sum(errors.values()), "pages": pages,
            "target": "p95 < 150 ms per page with 32 users, 0 errors",
            "met": all(p["errors"] == 0 and (p["p95_ms"] or 1e9) < 150 for p in pages.values()),
            "note": _note(load_start, pages)}


def _note(load_start: tuple[float, float, float], pages: dict[str, dict[str, Any]]) -> str:
    """What a reader of the figures should know: the machine, whether others used it, how far off the target."""
    cpus = os.cpu_count() or 1
    parts = [f"{cpus} cores; server, load clients and everything else on the machine share them."]
    if load_start[0] > 1.0:
        parts.append(f"The 1-minute load average was {load_start[0]:.1f} just before the load: other work "
                     "(other users' processes) was using the CPU, so the figures are worse than on a machine "
                     "running only Jämkoll.")
    worst = max((p["p95_ms"] or 0.0) for p in pages.values())
    if worst >= 150:
        parts.append(f"Target not met: the worst p95 is {worst:.0f} ms, {worst / 150:.1f} times the 150 ms target.")
    return " ".join(parts)


def run(quick: bool = False) -> None:
    users, duration, repeat = (4, 5.0, 3) if quick else (USERS, DURATION, SINGLE_REPEAT)
    work = Path(tempfile.mkdtemp(prefix="jamkoll-bench-load-"))
    port = _free_port()
    load_before = os.getloadavg()
    server = _start(work, port, SERVER_PROCESSES, SERVER_THREADS)
    try:
        result = measure(port, users, duration, repeat, warm_rounds=2 * SERVER_PROCESSES)
        result["load_average_1_5_15"]["before_setup"] = [round(x, 2) for x in load_before]
        write_result("load", {"quick": quick, "server": {"processes": SERVER_PROCESSES,
                                                         "threads_per_process": SERVER_THREADS}, **result})
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(work, ignore_errors=True)


def main(argv: Any = None) -> None:  # pragma: no cover - python -m bench.bench_load
    run(quick="--quick" in (argv or sys.argv[1:]))


if __name__ == "__main__":  # pragma: no cover
    main()
