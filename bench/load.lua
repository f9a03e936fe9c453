-- bench/load.lua - the wrk script of bench/part-load.sh: a mixed read/write
-- load on `oncobank serve`. Each request picks a specimen at random (from
-- the file LOAD_BARCODES) and is a show (60 %), a search (20 %) or a thaw,
-- a write with an audit event (20 %). Counts 5xx and other non-2xx answers
-- per thread; each thread stops after LOAD_MAX_PER_THREAD requests (0: no
-- limit), so the run is bounded in count as well as in time (wrk -d).
-- done() prints one line: "load: requests N seconds S errors E non2xx X
-- 5xx F p99_ms P".

local threads = {}
local barcodes = {}
local token = os.getenv("LOAD_TOKEN") or ""
local max = tonumber(os.getenv("LOAD_MAX_PER_THREAD") or "0") or 0
local nthread = 0

function setup(thread)
	nthread = nthread + 1
	thread:set("seed", nthread)
	table.insert(threads, thread)
end

function init(args)
	for line in io.lines(os.getenv("LOAD_BARCODES")) do
		barcodes[#barcodes + 1] = line
	end
	math.randomseed(1000 + (seed or 0))
	n5xx, non2xx, sent = 0, 0, 0
end

function request()
	sent = sent + 1
	if max > 0 and sent > max and wrk.thread then
		wrk.thread:stop()
	end
	local b = barcodes[math.random(#barcodes)]
	local r = math.random(100)
	local h = { ["Authorization"] = "Bearer " .. token }
	if r <= 60 then
		return wrk.format("GET", "/api/specimens/" .. b, h)
	elseif r <= 80 then
		return wrk.format("GET", "/api/specimens?type=plasma&limit=20&offset="
			.. math.random(0, 2000), h)
	end
	h["Content-Type"] = "application/json"
	return wrk.format("POST", "/api/specimens/" .. b .. "/thaw", h, "{}")
end

function response(status, headers, body)
	if status >= 500 then n5xx = n5xx + 1 end
	if status < 200 or status >= 300 then non2xx = non2xx + 1 end
end

function done(summary, latency, requests)
	local f, x = 0, 0
	for _, t in ipairs(threads) do
		f = f + (t:get("n5xx") or 0)
		x = x + (t:get("non2xx") or 0)
	end
	local e = summary.errors
	io.write(string.format("load: requests %d seconds %.1f errors %d non2xx %d 5xx %d p99_ms %.2f\n",
		summary.requests, summary.duration / 1e6,
		e.connect + e.read + e.write + e.timeout, x, f, latency:percentile(99) / 1000))
end
