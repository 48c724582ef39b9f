# rvx bench workload (Python 3): dicts, lists, strings, classes and integers.
# Usage: python3 bench.py SCALE   (SCALE ~ native tenths of a second)
# Prints one checksum line; must be identical on every engine and architecture.
import sys

scale = int(sys.argv[1]) if len(sys.argv) > 1 else 10


class Particle:
    __slots__ = ("x", "y", "vx", "vy")

    def __init__(self, x, y, vx, vy):
        self.x, self.y, self.vx, self.vy = x, y, vx, vy

    def step(self, w, h):
        self.x += self.vx
        self.y += self.vy
        if not 0 <= self.x < w:
            self.vx = -self.vx
            self.x += 2 * self.vx
        if not 0 <= self.y < h:
            self.vy = -self.vy
            self.y += 2 * self.vy


def lcg(seed):
    while True:
        seed = (seed * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        yield seed >> 33


total = 0
for rnd in range(scale):
    gen = lcg(rnd + 1)
    ps = [Particle(next(gen) % 1000, next(gen) % 1000, next(gen) % 7 - 3, next(gen) % 7 - 3)
          for _ in range(300)]
    for _ in range(60):
        for p in ps:
            p.step(1000, 1000)
    grid = {}
    for p in ps:
        key = (p.x // 100, p.y // 100)
        grid[key] = grid.get(key, 0) + 1
    total += sum(k[0] * 10 + k[1] * v for k, v in sorted(grid.items()))
    words = ["w%d" % (next(gen) % 5000) for _ in range(20000)]
    counts = {}
    for w in words:
        counts[w] = counts.get(w, 0) + 1
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:20]
    total += sum(len(w) * c for w, c in top)
    text = " ".join(words[:3000]).upper().replace("W1", "x")
    total += len(text) + text.count("X") + (2 ** 200 // (rnd + 3)) % 1000003
    total %= 1000000007
print("python: %d" % total)
