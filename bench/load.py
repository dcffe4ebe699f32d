"""Servers on loopback and bounded request loops: latency one request at a time, two servers in turns."""

import http.client
import os
import statistics
import subprocess
import time
from dataclasses import dataclass

HOST = "127.0.0.1"
START_TIMEOUT = 60


@dataclass
class Timing:
    p50_ms: float
    p95_ms: float
    status: int  # the first status outside 2xx if any request had one, else the last
    bytes: int


CUT = 0  # the status of a response that never came whole (a worker killed mid-stream, a dropped connection)


def get(port: int, path: str) -> tuple[int, int]:
    """One GET on a fresh connection (gunicorn's sync workers close each one); returns (status, body size)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=300)
    try:
        connection.request("GET", path, headers={"Host": f"{HOST}:{port}", "Accept-Encoding": "identity"})
        response = connection.getresponse()
        return response.status, len(response.read())
    except (http.client.HTTPException, OSError):
        return CUT, 0
    finally:
        connection.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure_pair(ours: tuple[int, str], theirs: tuple[int, str], requests: int, warmup: int = 0):
    """(our Timing, their Timing): latencies taken in turns, one request to each server per round, so a change in
    the host's speed during the loop (this machine's shifts by up to 2x within minutes) falls on both alike."""
    for _ in range(warmup):
        get(*ours)
        get(*theirs)
    latencies = {ours: [], theirs: []}
    outcomes = {ours: [], theirs: []}
    for round_number in range(requests):
        # Alternate who goes first, so neither always follows the other's request.
        order = (ours, theirs) if round_number % 2 == 0 else (theirs, ours)
        for server in order:
            started = time.perf_counter()
            outcomes[server].append(get(*server))
            latencies[server].append(time.perf_counter() - started)
    return tuple(_timing(latencies[server], outcomes[server]) for server in (ours, theirs))


def _timing(latencies: list[float], outcomes: list[tuple[int, int]]) -> Timing:
    failed = [status for status, _ in outcomes if not 200 <= status < 300]
    status, size = outcomes[-1]
    return Timing(
        p50_ms=statistics.median(latencies) * 1000,
        p95_ms=percentile(latencies, 0.95) * 1000,
        status=failed[0] if failed else status,
        bytes=size,
    )


class Server:
    """A process serving HTTP on loopback, stopped when the block ends."""

    def __init__(self, command: list[str], port: int, ready_path: str, env: dict | None = None, output=None):
        self.command, self.port, self.ready_path = command, port, ready_path
        self.env = {**os.environ, **(env or {})}
        self.output = output
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(self.command, env=self.env, stdout=self.output, stderr=self.output)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.command[0]} stopped at start (exit {self.process.returncode})")
            try:
                if get(self.port, self.ready_path)[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"{self.command[0]} did not answer on port {self.port} within {START_TIMEOUT} s")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
