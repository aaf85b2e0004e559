"""Closed-loop load with wrk (Debian's ``wrk``): C clients, so the client's CPU stays out of the way.

One wrk thread per client with one connection each (``-t N -c N``): a client sends
its next request when the previous answer has arrived, like ``load.closed_loop``.
A Lua script gives every thread its own cases (``setup``), builds each `record`
with the version taken from the previous answer (``response``), counts answers
per status, and at the end prints one JSON line: counts, duration and the raw
latency histogram, so that rounds can be merged into exact percentiles.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from .load import LoadResult
from .load import today

SCRIPT = r"""
local threads = {}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  thread:set("my_cases", CASES[counter] or "")
  table.insert(threads, thread)
end

local cases, versions, idx, cur = {}, {}, 0, nil
statuses = {}
function init(args)
  for id, v in string.gmatch(my_cases, "(%d+):(%d+)") do
    table.insert(cases, id)
    versions[id] = tonumber(v)
  end
  statuses = {}
end

function request()
  if #cases == 0 then
    return wrk.format("GET", PATH, HEADERS)
  end
  idx = idx % #cases + 1
  cur = cases[idx]
  local body = string.format(BODY, versions[cur], id, idx)
  return wrk.format("POST", "/api/v1/cases/" .. cur .. "/events", HEADERS, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 200 and cur ~= nil then
    local v = string.match(body, '"version":%s*(%d+)')
    if v then versions[cur] = tonumber(v) end
  end
end

function done(summary, latency, requests)
  local counts = {}
  for _, t in ipairs(threads) do
    for code, n in pairs(t:get("statuses") or {}) do
      counts[code] = (counts[code] or 0) + n
    end
  end
  local hist, seen = {}, 0
  local i = 1
  while seen < summary.requests do
    local v, c = latency(i)
    if c == nil or c <= 0 or v == 0 then break end
    table.insert(hist, "[" .. v .. "," .. c .. "]")
    seen = seen + c
    i = i + 1
  end
  local parts = {}
  for code, n in pairs(counts) do table.insert(parts, '"' .. code .. '":' .. n) end
  io.write("WRKJSON {\"duration_us\":" .. summary.duration .. ",\"requests\":" .. summary.requests ..
           ",\"errors\":" .. (summary.errors.connect + summary.errors.read + summary.errors.write +
           summary.errors.timeout) .. ",\"statuses\":{" .. table.concat(parts, ",") ..
           "},\"hist\":[" .. table.concat(hist, ",") .. "]}\n")
end
"""


def available() -> bool:
    return shutil.which("wrk") is not None


def _lua_string(s: str) -> str:
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'"


def script(token: str, clients: list[list[tuple[int, int]]] | None, path: str = "/api/v1/me") -> str:
    """The Lua script: `record` on each client's cases, or GET ``path`` when ``clients`` is None."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    body = ('{"event":"record","expected_version":%d,"comment":"wrk-%d-%d","data":{"record_kind":"谈心谈话",'
            f'"record_date":"{today()}","record_content":"谈心谈话记实：工作主动，群众反映较好。"}}}}')
    lines = ["HEADERS = {" + ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items())
             + "}", f"BODY = {_lua_string(body)}", f"PATH = {_lua_string(path)}", "CASES = {"]
    for cases in clients or []:
        lines.append("  " + _lua_string(" ".join(f"{c}:{v}" for c, v in cases)) + ",")
    lines.append("}")
    return "\n".join(lines) + SCRIPT


def run(host: str, lua: str, clients: int, seconds: float, timeout_s: int = 10) -> tuple[LoadResult, list[list[int]]]:
    """Run wrk; return the result and its latency histogram ([[µs, count], ...])."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False, encoding="utf-8") as fh:
        fh.write(lua)
        path = Path(fh.name)
    try:
        proc = subprocess.run(
            ["wrk", "-t", str(clients), "-c", str(clients), "-d", f"{max(1, round(seconds))}s",
             "--timeout", f"{timeout_s}s", "-s", str(path), f"http://{host}"],
            capture_output=True, text=True, timeout=seconds + 60, check=False)
    finally:
        path.unlink()
    line = next((x for x in proc.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {proc.stderr.strip()} {proc.stdout[-500:]}")
    data = json.loads(line.removeprefix("WRKJSON "))
    hist = [[int(v), int(c)] for v, c in data["hist"]]
    result = LoadResult(data["duration_us"] / 1e6, {int(k): int(v) for k, v in data["statuses"].items()},
                        errors=int(data["errors"]))
    result.latencies = expand(hist)
    return result, hist


def expand(hist: list[list[int]]) -> list[float]:
    """Latencies in ms from a histogram of microsecond values."""
    out: list[float] = []
    for value, count in hist:
        out.extend([value / 1000] * count)
    return out
