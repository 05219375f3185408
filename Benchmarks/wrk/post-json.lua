-- POSTs the JSON file named by BODY_FILE with the API key in API_KEY (wrk -s post-json.lua URL).
local file = assert(io.open(os.getenv("BODY_FILE"), "r"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
local key = os.getenv("API_KEY")
if key then wrk.headers["Authorization"] = "Bearer " .. key end
