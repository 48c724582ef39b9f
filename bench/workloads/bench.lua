-- rvx bench workload (Lua 5.4): table-heavy and string-heavy interpreter work.
-- Usage: lua5.4 bench.lua SCALE   (SCALE ~ native tenths of a second)
-- Prints one checksum line; must be identical on every engine and architecture.
local scale = tonumber(arg[1]) or 10

local function fib_memo(n, memo)
  if n < 2 then return n end
  local v = memo[n]
  if v then return v end
  v = (fib_memo(n - 1, memo) + fib_memo(n - 2, memo)) % 1000000007
  memo[n] = v
  return v
end

local function sieve(n)
  local composite, count = {}, 0
  for i = 2, n do
    if not composite[i] then
      count = count + 1
      for j = i * i, n, i do composite[j] = true end
    end
  end
  return count
end

local function words(seed, n)
  local syll = {"ka", "lo", "mi", "ne", "ru", "ta", "vo", "shi", "zu", "pe"}
  local out, x = {}, seed
  for i = 1, n do
    x = (x * 1103515245 + 12345) % 2147483648
    local w = syll[x % 10 + 1] .. syll[(x // 10) % 10 + 1] .. syll[(x // 100) % 10 + 1]
    out[i] = w
  end
  return out
end

local sum = 0
for round = 1, scale do
  sum = (sum + fib_memo(2000 + round, {})) % 1000000007
  sum = (sum + sieve(60000 + round)) % 1000000007
  local ws = words(round, 20000)
  local freq = {}
  for _, w in ipairs(ws) do freq[w] = (freq[w] or 0) + 1 end
  local keys = {}
  for k in pairs(freq) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) if freq[a] ~= freq[b] then return freq[a] > freq[b] end return a < b end)
  local s = table.concat(keys, ",", 1, math.min(#keys, 50))
  for i = 1, #s do sum = (sum * 31 + s:byte(i)) % 1000000007 end
  local text = string.rep("the quick brown fox jumps over the lazy dog ", 200)
  local n = 0
  for word in text:gmatch("%a+") do n = n + #word end
  sum = (sum + n + select(2, text:gsub("o", "0"))) % 1000000007
end
print(string.format("lua: %d", sum))
