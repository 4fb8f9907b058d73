-- wrk: each request a random line of the file named by $URLS (dashboard_urls.py's output).
local urls = {}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end
function init(args)
  for line in io.lines(os.getenv("URLS")) do
    urls[#urls + 1] = line
  end
  math.randomseed(os.time() * 1000 + id)
end
function request()
  return wrk.format("GET", urls[math.random(#urls)])
end
