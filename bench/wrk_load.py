"""wrk runs for bench/web_load.py: serve a checkout with gunicorn, load one page or several in turn."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent  # the virtualenv running the bench (a worktree may have none of its own)
SECRET = "bench-web-load-" + "x" * 40
WRK_ROTATION = """
paths = {%s}
local sent = 0
request = function()
  sent = sent + 1
  return wrk.format(nil, paths[(sent - 1) %% #paths + 1])
end
"""
WRK_REPORT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %.3f %.3f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.duration, latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


def serve(source: Path, url: str, port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET, "LOG_LEVEL": "WARNING",
           "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}", "ESSAIM_INSTANCE_DIR": str(log.parent / "instance")}
    env.pop("REDIS_URL", None)
    server = subprocess.Popen([str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"],
                              cwd=source, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
            return server
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError(log.read_text()[-3000:])
            time.sleep(0.5)


def paths_of(path) -> tuple[str, ...]:
    """The paths of a row: one, or several that wrk requests in turn."""
    return (path,) if isinstance(path, str) else tuple(path)


def load(port: int, path, users: int, duration: int, cookie: str | None, script: Path) -> dict:
    paths = paths_of(path)
    if len(paths) > 1:
        script = script.with_name("rotation.lua")
        script.write_text(WRK_ROTATION % ", ".join(f'"{p}"' for p in paths) + WRK_REPORT)
    command = ["wrk", "-t2", f"-c{users}", f"-d{duration}s", "--timeout", "10s", "-s", str(script)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    done = subprocess.run(command + [f"http://127.0.0.1:{port}{paths[0]}"], capture_output=True, text=True,
                          timeout=duration + 60)
    match = re.search(r"RESULT (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+)", done.stdout)
    if not match:
        raise RuntimeError(done.stdout + done.stderr)
    requests, errors, micros, p50, p95 = match.groups()
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
    return {"rps": int(requests) / (int(micros) / 1e6), "p50": float(p50), "p95": float(p95),
            "failed": int(errors) + (int(non_2xx.group(1)) if non_2xx else 0)}
