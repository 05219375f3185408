-- POST /v1/payments paying the stored quote QUOTE_ID, a new Idempotency-Key per request (one
-- counter per wrk thread, the thread's id in the key), so every request creates a payment.
local counter = 0
local thread_id = 0
local threads = 0

function setup(thread)
    thread:set("thread_id", threads)
    threads = threads + 1
end

function init(args)
    wrk.method = "POST"
    wrk.body = '{"quoteId":"' .. os.getenv("QUOTE_ID") .. '"}'
    wrk.headers["Content-Type"] = "application/json"
    wrk.headers["Authorization"] = "Bearer " .. os.getenv("API_KEY")
end

function request()
    counter = counter + 1
    wrk.headers["Idempotency-Key"] = string.format("bench-%s-%d-%d", os.getenv("RUN_ID"), thread_id, counter)
    return wrk.format()
end

local created = 0
function response(status, headers, body)
    if status == 201 then created = created + 1 end
end
