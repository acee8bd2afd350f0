-- wrk script: POST a small local run. Each request gets its own asset so rows differ like real traffic.
local counter = 0

request = function()
  counter = counter + 1
  local body = '{"asset":"bench/asset_' .. counter .. '","payload":{"script":"true"},' ..
               '"env":{"DATE":"2026-11-28"},"args":["--n","' .. counter .. '"]}'
  return wrk.format("POST", "/api/v1/runs", {["Content-Type"] = "application/json"}, body)
end
