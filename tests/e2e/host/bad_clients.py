#!/usr/bin/env python3
"""Bad clients against `daxtrace exporter` (tests/e2e/host/exporter-clients.sh).

Holds IDLE connections open (each sends a request line and then one header byte every 2 s, so
that it outlives the exporter's 10 s timeout without ever finishing), sends a few fixed bad
requests and then REQUESTS random malformed or hostile ones, each on a connection of its own,
and times a valid GET /metrics before, every 100 requests and after. Every socket has a short
timeout: the test never waits on the exporter for long.

Prints "seed N" first (replay with --seed N) and a JSON summary as its last line:
  fixed: [{"name", "want", "got"}], the fixed requests, "got" a status code, "closed" (the
         exporter closed without answering) or "timeout";
  classes: {"2xx", "3xx", "4xx", "5xx", "closed", "timeout"}: the random requests' answers;
  codes: {code: count}, kinds: {kind: count}, five_xx: up to 10 requests answered 5xx (repr);
  metrics: [{"at", "ms", "status", "idle_open"}], the valid scrapes.
Standard library only.
"""
import argparse
import json
import random
import socket
import time

TIMEOUT = 0.3  # seconds a random request waits for an answer
# after a half-close the exporter answers or closes at once; a connection it keeps longer is
# "held" (not waited for): with epoll, libmicrohttpd kept requests cut mid-line to its timeout
SHUT_WAIT = 0.5  # generous: a loaded machine (the sanitizer lane) answers late
HOST = "127.0.0.1"

METHODS = [b"GET", b"HEAD", b"POST", b"PUT", b"DELETE", b"OPTIONS", b"TRACE", b"CONNECT",
           b"PATCH", b"PRI", b"get", b"head", b"Get", b"gEt", b"G\x00T", b"GET GET", b"",
           b"\xff\xfe", b"M" * 300]


def request_status(payload, port, shut=False, hold=0.0, rng=None, timeout=TIMEOUT):
    """Send payload on a new connection; the status code (int), "closed" (no answer),
    "timeout" (none within timeout), "held" (none SHUT_WAIT after a half-close) or "abandoned"
    (the client went away: shut "close", or a slowloris send).

    shut: True to half-close after sending (the exporter sees the end of the stream), "close"
    to close without reading; hold: send the payload in pieces over about this many seconds."""
    sock = socket.create_connection((HOST, port), timeout=timeout)
    try:
        if hold and rng:
            pieces = max(1, int(hold / 0.02))
            step = max(1, len(payload) // pieces)
            for i in range(0, len(payload), step):
                sock.sendall(payload[i:i + step])
                time.sleep(0.02)
            return "abandoned"  # never finished: the client goes away
        else:
            try:
                sock.sendall(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the exporter closed early (a header too long): read its answer
        if shut == "close":
            return "abandoned"
        if shut:
            sock.shutdown(socket.SHUT_WR)
            sock.settimeout(SHUT_WAIT if timeout == TIMEOUT else timeout)
        head = b""
        while b"\r\n" not in head and len(head) < 4096:
            try:
                chunk = sock.recv(4096)
            except socket.timeout:
                return "held" if shut else "timeout"
            except ConnectionResetError:
                break
            if not chunk:
                break
            head += chunk
        if not head.startswith(b"HTTP/"):
            return "closed"
        try:
            return int(head.split(b" ", 2)[1])
        except (IndexError, ValueError):
            return "closed"
    except (BrokenPipeError, ConnectionResetError):
        return "closed"
    finally:
        sock.close()


def scrape(port):
    """A valid GET /metrics: (status, milliseconds), the body read to its end."""
    start = time.monotonic()
    sock = socket.create_connection((HOST, port), timeout=5)
    try:
        sock.sendall(b"GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        data = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    finally:
        sock.close()
    ms = (time.monotonic() - start) * 1000
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0
    if b"daxtrace_mkwrite_total" not in data:
        status = 0
    return status, ms


class Idle:
    """Connections that never finish their request: a request line, then a header byte every
    2 s (the exporter closes a connection idle for 10 s)."""

    def __init__(self, port, count):
        self.socks = []
        for _ in range(count):
            s = socket.create_connection((HOST, port), timeout=2)
            s.sendall(b"GET /metrics HTTP/1.1\r\nHost: localhost\r\nX-Idle: ")
            s.setblocking(False)  # open_count peeks without waiting
            self.socks.append(s)
        self.last = time.monotonic()

    def tick(self):
        if time.monotonic() - self.last < 2:
            return
        for s in self.socks:
            try:
                s.sendall(b"a")
            except OSError:
                pass
        self.last = time.monotonic()

    def open_count(self):
        n = 0
        for s in self.socks:
            try:
                if s.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT):
                    continue  # the exporter answered: the request is not held any more
            except BlockingIOError:
                n += 1
            except OSError:
                pass
        return n

    def close(self):
        for s in self.socks:
            s.close()


def valid(path=b"/metrics", method=b"GET", headers=b"", version=b"HTTP/1.1"):
    return method + b" " + path + b" " + version + b"\r\nHost: localhost\r\n" + headers + b"\r\n"


def fixed_requests():
    """(name, payload, shut, expected status); None: recorded, not checked."""
    return [
        ("lowercase-method", valid(method=b"get"), False, 405),
        ("unknown-method", valid(method=b"BREW"), False, 405),
        ("post-with-body", valid(method=b"POST", headers=b"Content-Length: 5\r\n") + b"hello",
         False, 405),
        ("unknown-path", valid(path=b"/nope"), False, 404),
        # libmicrohttpd would decode %00 into the C string "/metrics": the exporter keeps it
        ("percent-nul-path", valid(path=b"/metrics%00"), False, 404),
        ("percent-nul-path-suffix", valid(path=b"/metrics%00.php"), False, 404),
        ("percent-escaped-path", valid(path=b"/%6detrics"), False, 200),
        ("long-path-20k", valid(path=b"/" + b"a" * 20000), False, 414),
        ("header-100k", valid(headers=b"X-Big: " + b"b" * 100000 + b"\r\n"), False, 431),
        ("headers-500", valid(headers=b"".join(b"X-H%d: v\r\n" % i for i in range(500))),
         False, 431),
        # libmicrohttpd at its default strictness serves HTTP/1.1 without Host (200)
        ("no-host-http11", b"GET /metrics HTTP/1.1\r\n\r\n", False, None),
        ("http2-preface", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", False, 505),
        ("http09", b"GET /metrics\r\n\r\n", False, 400),
        ("truncated-half-closed", b"GET /metrics HTTP/1.1\r\nHo", True, "closed"),
        ("content-length-negative", valid(headers=b"Content-Length: -1\r\n"), False, 400),
        ("content-length-garbage", valid(headers=b"Content-Length: abc\r\n"), False, 400),
        ("header-without-colon", valid(headers=b"NoColonHere\r\n"), False, 400),
    ]


def random_path(rng):
    choice = rng.randrange(10)
    if choice == 0:
        return b"/" + b"x" * rng.choice([1000, 4000, 15000, 17000, 40000])
    if choice == 1:
        return b"/" + b"".join(b"%%%02x" % rng.randrange(256) for _ in range(rng.randrange(1, 200)))
    if choice == 2:
        return b"/metrics\x00" + bytes(rng.randrange(1, 256) for _ in range(rng.randrange(8)))
    if choice == 3:
        return rng.choice([b"%", b"/%", b"/%zz", b"/%0", b"/metrics%", b"/%2e%2e/%2e%2e/etc"])
    if choice == 4:
        return rng.choice([b"*", b"", b"http://localhost/metrics", b"//metrics", b"/../metrics",
                           b"/metrics?" + b"q=" * 500, b"/metrics#x", b"/\xff\xfe", b"metrics"])
    if choice == 5:
        return bytes(rng.randrange(33, 127) for _ in range(rng.randrange(1, 100)))
    return rng.choice([b"/metrics", b"/", b"/metrics/", b"/METRICS", b"/favicon.ico"])


def random_request(rng):
    """(kind, payload, shut, hold)."""
    kind = rng.choice(["method", "path", "version", "header-flood", "big-header", "truncated",
                       "body", "content-length", "http09", "http2", "garbage", "slowloris",
                       "method", "path", "truncated", "content-length"])
    method = rng.choice(METHODS) if kind == "method" else b"GET"
    if kind in ("method", "path"):
        return kind, valid(path=random_path(rng), method=method), False, 0
    if kind == "version":
        version = rng.choice([b"HTTP/1.0", b"HTTP/0.9", b"HTTP/2.0", b"HTTP/9.9", b"http/1.1",
                              b"HTTP/1.1x", b"HTTP/", b"HTTP/1.1 extra", b"FOO"])
        return kind, valid(version=version), False, 0
    if kind == "header-flood":
        n = rng.choice([100, 300, 600, 1200])
        headers = b"".join(b"X-F%d: %s\r\n" % (i, b"v" * rng.randrange(30)) for i in range(n))
        return kind, valid(headers=headers), False, 0
    if kind == "big-header":
        size = rng.choice([8000, 15000, 100000, 300000])
        return kind, valid(headers=b"X-Big: " + b"b" * size + b"\r\n"), False, 0
    if kind == "truncated":
        full = valid(headers=b"Accept: */*\r\nUser-Agent: bad\r\n")
        return kind, full[:rng.randrange(1, len(full) - 1)], rng.choice([True, "close"]), 0
    if kind == "body":
        body = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 3000)))
        headers = b"Content-Length: %d\r\n" % len(body)
        return kind, valid(method=rng.choice([b"POST", b"GET", b"PUT"]), headers=headers) + body, \
            False, 0
    if kind == "content-length":
        value = rng.choice([b"-1", b"abc", b"99999999999999999999999", b"1e3", b" 5", b"5, 6",
                            b"100000", b"0x10", b""])
        headers = b"Content-Length: " + value + b"\r\n"
        if rng.randrange(2):
            headers += b"Content-Length: 3\r\n"
        if rng.randrange(3) == 0:
            headers += b"Transfer-Encoding: chunked\r\n"
        # the exporter may wait for a body it was promised: half-close so it sees the end
        return kind, valid(method=rng.choice([b"GET", b"POST"]), headers=headers) + b"abc", \
            True, 0
    if kind == "http09":
        return kind, b"GET /metrics\r\n", rng.randrange(2) == 0, 0
    if kind == "http2":
        return kind, b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + b"\x00\x00\x00\x04\x00\x00\x00\x00\x00", \
            False, 0
    if kind == "garbage":
        return kind, bytes(rng.randrange(256) for _ in range(rng.randrange(1, 2000))), True, 0
    # slowloris: a request sent in pieces over 0.06 s, never finished
    return kind, valid()[:-4], False, 0.06


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--idle", type=int, default=50)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 32)
    print("seed %d" % seed, flush=True)
    rng = random.Random(seed)

    idle = Idle(args.port, args.idle)
    metrics = []

    def measure(at):
        status, ms = scrape(args.port)
        metrics.append({"at": at, "ms": round(ms, 3), "status": status,
                        "idle_open": idle.open_count()})

    measure("start")
    fixed = []
    for name, payload, shut, want in fixed_requests():
        got = request_status(payload, args.port, shut=shut, timeout=2)
        fixed.append({"name": name, "want": want, "got": got})
    classes = {k: 0 for k in ("2xx", "3xx", "4xx", "5xx", "closed", "timeout", "held",
                                    "abandoned")}
    codes, kinds, five_xx, by_kind = {}, {}, [], {}
    for i in range(args.requests):
        idle.tick()
        kind, payload, shut, hold = random_request(rng)
        got = request_status(payload, args.port, shut=shut, hold=hold, rng=rng)
        kinds[kind] = kinds.get(kind, 0) + 1
        outcome = "%s:%s" % (kind, got)
        by_kind[outcome] = by_kind.get(outcome, 0) + 1
        if isinstance(got, int):
            codes[str(got)] = codes.get(str(got), 0) + 1
            classes["%dxx" % (got // 100)] = classes.get("%dxx" % (got // 100), 0) + 1
            if got >= 500 and len(five_xx) < 10:
                five_xx.append({"request": i, "kind": kind, "status": got,
                                "payload": repr(payload[:200])})
        else:
            classes[got] += 1
        if (i + 1) % 100 == 0:
            measure(i + 1)
    measure("end")
    idle.close()
    print(json.dumps({"seed": seed, "requests": args.requests, "fixed": fixed,
                      "classes": classes, "codes": codes, "kinds": kinds,
                      "five_xx": five_xx, "by_kind": by_kind, "metrics": metrics}))


if __name__ == "__main__":
    main()
