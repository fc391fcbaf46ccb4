-- wrk script: replay prepared requests, count statuses, print one JSON line at the end.
-- Usage: wrk -s bench/load.lua URL -- REQUESTS_FILE
-- REQUESTS_FILE is Lua returning {requests = {{method, path, headers, body}, ...},
-- threads = T, limit = n}: thread k sends requests k, k + T, k + 2T, ... (T threads),
-- cycling. With limit > 0 (one thread) the run ends after `limit` responses, so that a
-- rush of a fixed size is replayed and timed: wrk itself only knows durations.

local ffi = require("ffi")
ffi.cdef[[
int getpid(void);
int kill(int pid, int sig);
]]
local SIGINT = 2

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("number", counter)
  table.insert(threads, thread)
end

function init(args)
  local spec = dofile(args[1])
  prepared = {}
  for i = number, #spec.requests, spec.threads do
    local r = spec.requests[i]
    table.insert(prepared, wrk.format(r.method, r.path, r.headers, r.body))
  end
  if #prepared == 0 then
    local r = spec.requests[1]
    table.insert(prepared, wrk.format(r.method, r.path, r.headers, r.body))
  end
  limit = spec.limit or 0
  statuses = {}
  responses = 0
  cursor = 0
end

function request()
  cursor = cursor % #prepared + 1
  return prepared[cursor]
end

function response(status, headers, body)
  -- wrk keeps cycling through the prepared requests until the limit is reached, so a
  -- request may go out twice; the product answers the second copy from its
  -- Idempotency-Key store. That is a replay, not a new attempt: it is not counted.
  if headers["Idempotent-Replayed"] == "true" then
    return
  end
  if status >= 300 and not sample then
    sample = tostring(status) .. " " .. string.sub(body or "", 1, 300)
  end
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
  responses = responses + 1
  if limit > 0 and responses == limit then
    -- wrk's main thread sleeps for --duration; SIGINT is its own way to end early
    -- and still report (Linux hands a process signal to the main thread first).
    wrk.thread:stop()
    ffi.C.kill(ffi.C.getpid(), SIGINT)
  end
end

function json_escape(text)
  return (text:gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end))
end

function done(summary, latency, requests)
  local counts = {}
  local answered = 0
  local first_error = ""
  for _, thread in ipairs(threads) do
    first_error = thread:get("sample") or first_error
    local theirs = thread:get("statuses")
    for key, n in pairs(theirs) do
      counts[key] = (counts[key] or 0) + n
      answered = answered + n
    end
  end
  local parts = {}
  for key, n in pairs(counts) do
    table.insert(parts, string.format('"%s": %d', key, n))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"responses": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "socket_errors": %d, "timeouts": %d, "statuses": {%s}, ' ..
    '"first_error": "%s"}\n',
    answered, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.connect + e.read + e.write, e.timeout, table.concat(parts, ", "),
    json_escape(first_error)))
end
