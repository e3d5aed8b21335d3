-- wrk script for `ita bench submit`: every submission is a form load (POST /s/ with a code) and
-- a post of that form's code and one-time token with a complete answer sheet. wrk's Lua cannot tell
-- which connection a response came from, so each thread keeps a queue of loaded forms and
-- posts them on whichever connection asks for the next request.
-- Arguments: codes file, answers file (url-encoded), tail seconds, total seconds.

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local codes, queue = {}, {}
local next_code, answers, cutoff = 1, "", 0
acknowledged, forms, unexpected = 0, 0, 0

function init(args)
  local n = 0
  for _ in pairs(threads) do n = n + 1 end
  local i = 0
  for line in io.lines(args[1]) do
    if i % 2 == id then table.insert(codes, line) end
    i = i + 1
  end
  answers = io.open(args[2]):read("*a")
  cutoff = os.time() + tonumber(args[4]) - tonumber(args[3])
end

local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }

function request()
  if os.time() >= cutoff then
    return wrk.format("GET", "/healthz")
  end
  local form = table.remove(queue)
  if form then
    return wrk.format("POST", form.path, headers, "code=" .. form.code .. "&token=" .. form.token .. "&" .. answers)
  end
  local code = codes[next_code]
  next_code = next_code + 1
  if not code then
    return wrk.format("GET", "/healthz")  -- out of codes: the bench made too few
  end
  return wrk.format("POST", "/s/", headers, "code=" .. code)
end

function response(status, headers, body)
  if status == 303 then
    acknowledged = acknowledged + 1
  elseif status == 200 then
    local token = string.match(body, 'name="token" value="([^"]+)"')
    if token then
      local path = string.match(body, 'action="([^"]+)" class="survey%-form"')
      local code = string.match(body, 'name="code" value="([^"]+)"')
      table.insert(queue, { path = path, token = token, code = code })
      forms = forms + 1
    end
  else
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  local a, f, u = 0, 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("acknowledged")
    f = f + t:get("forms")
    u = u + t:get("unexpected")
  end
  io.write(string.format('{"acknowledged": %d, "forms": %d, "unexpected": %d}\n', a, f, u))
end
