-- wrk script for benchmarks/load.py. The request comes from the environment:
--   BENCH_METHOD (default GET), BENCH_TOKEN (a bearer token), BENCH_BODY (a JSON body).
-- At the end it prints one line, "BENCH_JSON {...}", with the counts and latency
-- percentiles (microseconds) for load.py to read.

local token = os.getenv("BENCH_TOKEN")
local body = os.getenv("BENCH_BODY")

wrk.method = os.getenv("BENCH_METHOD") or "GET"
if body and body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,'
      .. '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},'
      .. '"latency_us":{"mean":%.1f,"p50":%d,"p90":%d,"p99":%d,"max":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max
  ))
end
