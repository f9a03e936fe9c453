-- bench/scan.lua - the wrk script of bench/part-shipment.sh: one POST per
-- barcode of the file SCAN_BARCODES, each barcode once, shared out among
-- the threads (thread t takes lines t, t + T, ...; its connections take
-- them in turn). SCAN_MODE "receive": POST SCAN_PATH {"barcode": B} (a
-- scan at the destination); "thaw": POST /api/specimens/B/thaw {} (the
-- peer: the API's simplest audited write). A thread stops when every one
-- of its lines is answered (a connection with none left meanwhile sends
-- GET /healthz, not counted). done() prints one line:
-- "scan: ok N other M seconds S p99_ms P" (ok: 2xx answers to the
-- barcodes' requests; other: any other answer to them).

local threads = {}
local barcodes = {}
local token = os.getenv("SCAN_TOKEN") or ""
local mode = os.getenv("SCAN_MODE") or "receive"
local path = os.getenv("SCAN_PATH") or ""
local nthread = 0

function setup(thread)
	nthread = nthread + 1
	thread:set("tid", nthread)
	table.insert(threads, thread)
end

function init(args)
	local i = 0
	local t, n = tid or 1, tonumber(os.getenv("SCAN_THREADS") or "1")
	for line in io.lines(os.getenv("SCAN_BARCODES")) do
		i = i + 1
		if (i - 1) % n == t - 1 then
			barcodes[#barcodes + 1] = line
		end
	end
	next_i, ok, other, answered = 0, 0, 0, 0
end

function request()
	next_i = next_i + 1
	local h = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
	if next_i > #barcodes then
		return wrk.format("GET", "/healthz")
	end
	local b = barcodes[next_i]
	if mode == "thaw" then
		return wrk.format("POST", "/api/specimens/" .. b .. "/thaw", h, "{}")
	end
	return wrk.format("POST", path, h, '{"barcode":"' .. b .. '"}')
end

function response(status, headers, body)
	if body and string.find(body, '"status"', 1, true) == 2 then
		return  -- /healthz: {"status":...}
	end
	if status >= 200 and status < 300 then
		ok = ok + 1
	else
		other = other + 1
	end
	answered = answered + 1
	if answered >= #barcodes then
		wrk.thread:stop()
	end
end

function done(summary, latency, requests)
	local o, x = 0, 0
	for _, t in ipairs(threads) do
		o = o + (t:get("ok") or 0)
		x = x + (t:get("other") or 0)
	end
	io.write(string.format("scan: ok %d other %d seconds %.3f p99_ms %.2f\n", o, x,
		summary.duration / 1e6, latency:percentile(99) / 1000))
end
