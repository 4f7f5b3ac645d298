#!/usr/bin/env python3
"""Abuse of `terminus serve` on loopback (bench/abuse.sh): slow headers,
many distinct Authorization headers, oversized bodies. Prints what the
service did and how fast an honest request was answered meanwhile.

    abuse.py HOST:PORT TOKEN SLOW_CONNECTIONS DISTINCT_HEADERS
"""
import http.client, socket, sys, time, urllib.request

host, port = sys.argv[1].split(":")
port = int(port)
token, slow_n, distinct_n = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])


def honest():
    """An honest client from another address (127.0.0.2: loopback holds all
    of 127/8), reading the pillars."""
    t = time.perf_counter()
    try:
        c = http.client.HTTPConnection(host, port, timeout=10, source_address=("127.0.0.2", 0))
        c.request("GET", "/collections/pillars/items", headers={"Authorization": f"Bearer {token}"})
        code = c.getresponse().status
        c.close()
    except Exception as e:  # refused, reset
        code = type(e).__name__
    return code, (time.perf_counter() - t) * 1e3


# 1. Slow headers: connections that begin a request and never finish it.
socks, refused = [], 0
t0 = time.perf_counter()
for _ in range(slow_n):
    s = socket.socket()
    s.settimeout(2)
    try:
        s.connect((host, port))
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        socks.append(s)
    except OSError:
        refused += 1
        s.close()
time.sleep(0.3)
closed_at_once = 0
for s in socks:
    s.setblocking(False)
    try:
        if s.recv(1) == b"":
            closed_at_once += 1
    except BlockingIOError:
        pass
    except OSError:
        closed_at_once += 1
code, ms = honest()
print(f"slow headers: {slow_n} connections opened, {refused} refused, {closed_at_once} closed at once "
      f"(over the per-address cap); an honest request from another address meanwhile: {code} in {ms:.1f} ms")
# Wait for the header timeout to close the rest.
deadline = time.time() + 30
open_left = len(socks) - closed_at_once
while time.time() < deadline and open_left > 0:
    open_left = 0
    for s in socks:
        try:
            s.setblocking(False)
            if s.recv(1) != b"":
                open_left += 1
        except BlockingIOError:
            open_left += 1
        except OSError:
            pass
    time.sleep(0.5)
print(f"  after {time.perf_counter() - t0:.1f} s: {open_left} of them still open (header timeout)")
for s in socks:
    s.close()
code, ms = honest()
print(f"  then an honest request: {code} in {ms:.1f} ms")

# 2. Distinct, large Authorization headers on one keep-alive connection.
big = "x" * 20_000
statuses = {}
t = time.perf_counter()
s = socket.create_connection((host, port))
f = s.makefile("rb")
for i in range(distinct_n):
    s.sendall(f"GET / HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer tmn1.{i}{big}\r\n\r\n".encode())
    status = f.readline().split()[1].decode()
    length = 0
    while True:
        h = f.readline()
        if h in (b"\r\n", b""):
            break
        if h.lower().startswith(b"content-length:"):
            length = int(h.split(b":")[1])
    f.read(length)
    statuses[status] = statuses.get(status, 0) + 1
s.close()
print(f"distinct headers: {distinct_n} requests with distinct 20 kB Authorization headers in "
      f"{time.perf_counter() - t:.1f} s: {statuses}")

# 3. Oversized bodies.
statuses = {}
body = b"{" + b" " * (9 << 20) + b"}"
for _ in range(10):
    req = urllib.request.Request(f"http://{host}:{port}/api/events", data=body, method="POST",
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            code = r.status
    except urllib.error.HTTPError as e:
        code = e.code
    except Exception as e:
        code = type(e).__name__
    statuses[code] = statuses.get(code, 0) + 1
print(f"oversized bodies: 10 POSTs of 9 MiB: {statuses}")
