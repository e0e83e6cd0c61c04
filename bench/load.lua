-- wrk script: POSTs pre-built requests in rotation and prints one JSON line when done.
-- args: <bodies file, one JSON body per line> [<header line "Name: value">...]
-- An answer whose body mentions "errors" is counted: a fast wrong answer is not a result.

local threads = {}
local prepared = {}
local position = 1
answers_with_errors = 0 -- global: done() reads it from each thread

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local headers = { ["Content-Type"] = "application/json" }
  for i = 2, #args do
    local name, value = args[i]:match("^([^:]+):%s*(.*)$")
    headers[name] = value
  end
  for body in io.lines(args[1]) do
    prepared[#prepared + 1] = wrk.format("POST", wrk.path, headers, body)
  end
end

function request()
  local next_request = prepared[position]
  position = position % #prepared + 1
  return next_request
end

function response(status, headers, body)
  if body:find('"errors"', 1, true) then
    answers_with_errors = answers_with_errors + 1
  end
end

function done(summary, latency, requests)
  local with_errors = 0
  for _, thread in ipairs(threads) do
    with_errors = with_errors + thread:get("answers_with_errors")
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, '
      .. '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, '
      .. '"answers_with_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout, with_errors))
end
