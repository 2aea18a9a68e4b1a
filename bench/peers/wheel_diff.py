"""djust's in-process diff of the same update as `inproc`: parse both + diff + serialize.

Usage: python wheel_diff.py DIR [ITERS]  (DIR holds rows_old.html and rows_new.html)
"""
import statistics
import sys
import time

from djust._rust import diff_html

d = sys.argv[1]
iters = int(sys.argv[2]) if len(sys.argv) > 2 else 20
old = open(f"{d}/rows_old.html", encoding="utf-8").read()
new = open(f"{d}/rows_new.html", encoding="utf-8").read()
out = diff_html(old, new)
times = []
for _ in range(iters):
    t = time.perf_counter()
    diff_html(old, new)
    times.append((time.perf_counter() - t) * 1e6)
print(f"wheel iters {iters} rows_update10_us {statistics.median(times):.1f} rows_update10_bytes {len(out)}")
