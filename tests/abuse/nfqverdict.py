#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""nfqverdict.py: hostile but legal use of one nfnetlink_queue queue.

  nfqverdict.py ids QUEUE       hold 3 packets; verdicts for an unknown id,
                                an id already given, batch verdicts whose id
                                wraps around (0xffffffff, last id + 2^31):
                                each refused with ENOENT, nothing released;
                                then a batch verdict releases all
  nfqverdict.py full QUEUE      maxlen 4, hold until full; change maxlen
                                (below the queue's length, above it), the
                                fail-open flag, the copy mode while it is
                                full; the held packets stay; release them
  nfqverdict.py threads QUEUE N two threads give a verdict for each of N
                                packets at once: exactly one wins per id

Prints what it checked; exits 1 when the kernel did something else.
"""
import errno
import os
import queue
import socket
import struct
import sys
import threading

NETLINK_NETFILTER = 12
SUBSYS_QUEUE = 3
MSG_PACKET, MSG_VERDICT, MSG_CONFIG, MSG_VERDICT_BATCH = 0, 1, 2, 3
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2
CFG_CMD, CFG_PARAMS, CFG_MAXLEN, CFG_MASK, CFG_FLAGS = 1, 2, 3, 4, 5
CMD_BIND, CMD_UNBIND = 1, 2
COPY_META, COPY_PACKET = 1, 2
F_FAIL_OPEN = 1
VERDICT_HDR = 2
PACKET_HDR = 1
NF_DROP, NF_ACCEPT = 0, 1

failures = 0


def check(what, good):
    global failures
    print(("ok: " if good else "FAIL: ") + what, flush=True)
    if not good:
        failures += 1


def attr(t, payload):
    n = 4 + len(payload)
    return struct.pack("=HH", n, t) + payload + b"\0" * ((4 - n % 4) % 4)


class Queue:
    def __init__(self, num):
        self.num = num
        self.seq = 0
        self.sk = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
        self.sk.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        self.sk.bind((0, 0))
        self.lock = threading.Lock()
        self.pending = []       # packets and errors read while waiting for an ack

    def send(self, msg, attrs, ack=True, flags=0):
        with self.lock:
            self.seq += 1
            seq = self.seq
        body = struct.pack("=BBH", socket.AF_UNSPEC, 0, socket.htons(self.num)) + b"".join(attrs)
        hdr = struct.pack("=IHHII", 16 + len(body), (SUBSYS_QUEUE << 8) | msg,
                          NLM_F_REQUEST | (NLM_F_ACK if ack else 0) | flags, seq, 0)
        self.sk.send(hdr + body)
        return seq

    def read(self, timeout=None):
        """Messages from the socket: ('packet', id) or ('error', seq, errno)."""
        self.sk.settimeout(timeout)
        try:
            data = self.sk.recv(1 << 20)
        except socket.timeout:
            return []
        out = []
        while len(data) >= 16:
            n, t, _, seq, _ = struct.unpack_from("=IHHII", data)
            if t == NLMSG_ERROR:
                out.append(("error", struct.unpack_from("=I", data, 28)[0],
                            -struct.unpack_from("=i", data, 16)[0]))
            elif t == (SUBSYS_QUEUE << 8) | MSG_PACKET:
                off = 20
                while off + 4 <= n:
                    alen, atype = struct.unpack_from("=HH", data, off)
                    if atype & 0x7fff == PACKET_HDR:
                        out.append(("packet", struct.unpack_from(">I", data, off + 4)[0]))
                    off += (alen + 3) & ~3
            data = data[(n + 3) & ~3:]
        return out

    def call(self, msg, attrs):
        """Send with an ack request; the errno of the answer (0: taken)."""
        seq = self.send(msg, attrs)
        while True:
            got = self.read(timeout=30)
            if not got:
                sys.exit("nfqverdict.py: no answer from the kernel")
            for m in got:
                if m[0] == "error" and m[1] == seq:
                    return m[2]
                self.pending.append(m)

    def config(self, *attrs):
        return self.call(MSG_CONFIG, list(attrs))

    def bind(self, maxlen=None):
        cmd = struct.pack(">BBH", CMD_BIND, 0, 0)
        err = self.config(attr(CFG_CMD, cmd), attr(CFG_PARAMS, struct.pack(">IB", 0xffff, COPY_PACKET)))
        if err == 0 and maxlen:
            err = self.config(attr(CFG_MAXLEN, struct.pack(">I", maxlen)))
        if err:
            sys.exit("nfqverdict.py: binding queue %d: %s" % (self.num, os.strerror(err)))
        # the scenario starts its traffic on this line, not after a guess
        print("bound queue %d" % self.num, flush=True)

    def verdict(self, pid, v=NF_ACCEPT, ack=True):
        a = attr(VERDICT_HDR, struct.pack(">II", v, pid))
        if ack:
            return self.call(MSG_VERDICT, [a])
        return self.send(MSG_VERDICT, [a], ack=False)

    def batch(self, pid, v=NF_ACCEPT):
        return self.call(MSG_VERDICT_BATCH, [attr(VERDICT_HDR, struct.pack(">II", v, pid))])

    def held(self, n):
        """Wait for N packets; their ids."""
        ids = [m[1] for m in self.pending if m[0] == "packet"]
        self.pending = [m for m in self.pending if m[0] != "packet"]
        while len(ids) < n:
            got = self.read(timeout=60)
            if not got:
                sys.exit("nfqverdict.py: no packet came to queue %d" % self.num)
            ids += [m[1] for m in got if m[0] == "packet"]
        return ids

    def queued(self):
        with open("/proc/net/netfilter/nfnetlink_queue") as f:
            for line in f:
                v = line.split()
                if int(v[0]) == self.num:
                    return int(v[2])
        return -1


def run_ids(q):
    q.bind()
    ids = q.held(3)
    last = max(ids)
    check("3 packets held (%d in the queue)" % q.queued(), q.queued() >= 3)
    check("verdict for an unknown id refused (ENOENT)", q.verdict(last + 1000) == errno.ENOENT)
    check("verdict for the first id taken", q.verdict(ids[0]) == 0)
    check("the same verdict again refused (ENOENT)", q.verdict(ids[0]) == errno.ENOENT)
    for wid in (0xffffffff, (last + 0x80000000) & 0xffffffff, (ids[1] - 1) & 0xffffffff):
        check("batch verdict up to wrapped id 0x%08x releases nothing (ENOENT)" % wid,
              q.batch(wid) == errno.ENOENT)
    check("the other packets still held", q.queued() >= 2)
    check("a batch verdict up to the last id releases them", q.batch(last) == 0)
    rest = q.queued()
    # more may have arrived meanwhile: release those too
    if rest:
        q.batch(max(q.held(rest)))
    print("ids: unknown, repeated and wrapped ids refused; last id %d" % last)


def run_full(q):
    q.bind(maxlen=4)
    cfg = attr(CFG_MASK, struct.pack(">I", F_FAIL_OPEN))
    ids = q.held(4)
    check("the queue is full (%d of 4)" % q.queued(), q.queued() == 4)
    check("maxlen 1 below the queue's length taken", q.config(attr(CFG_MAXLEN, struct.pack(">I", 1))) == 0)
    check("the fail-open flag set while full", q.config(cfg, attr(CFG_FLAGS, struct.pack(">I", F_FAIL_OPEN))) == 0)
    check("the fail-open flag cleared while full", q.config(cfg, attr(CFG_FLAGS, struct.pack(">I", 0))) == 0)
    check("copy mode meta while full", q.config(attr(CFG_PARAMS, struct.pack(">IB", 0, COPY_META))) == 0)
    check("maxlen 4096 while full", q.config(attr(CFG_MAXLEN, struct.pack(">I", 4096))) == 0)
    check("the 4 packets are still held (%d)" % q.queued(), q.queued() >= 4)
    check("a batch verdict releases them", q.batch(max(ids)) == 0)
    more = q.held(2)
    check("the queue takes packets again", len(more) >= 2)
    q.batch(max(more))
    print("full: maxlen 4 -> 1 -> 4096, fail-open on/off, copy mode changed while full")


def run_threads(q, n):
    q.bind()
    work = [queue.Queue(), queue.Queue()]
    errors = {"enoent": 0, "other": 0}
    done = threading.Event()

    def give(w):
        while True:
            pid = w.get()
            if pid is None:
                return
            q.verdict(pid, ack=False)

    seen = [0]
    ids = set()

    def handle(m):
        if m[0] == "packet":
            seen[0] += 1
            ids.add(m[1])
            for w in work:
                w.put(m[1])
            if seen[0] == n:
                for w in work:
                    w.put(None)
        elif m[2] == errno.ENOENT:
            errors["enoent"] += 1
        else:
            errors["other"] += 1

    def receive():
        for m in q.pending:
            handle(m)
        while not done.is_set():
            for m in q.read(timeout=1):
                handle(m)

    threads = [threading.Thread(target=give, args=(w,)) for w in work]
    rt = threading.Thread(target=receive)
    for t in threads + [rt]:
        t.start()
    for t in threads:
        t.join(timeout=600)
    # the losers' errors may still be on their way
    for _ in range(50):
        if errors["enoent"] >= n:
            break
        threading.Event().wait(0.1)
    done.set()
    rt.join()
    check("each of the %d packets: one verdict taken, the other refused (%d ENOENT)"
          % (n, errors["enoent"]), errors["enoent"] == n)
    check("no other error (%d)" % errors["other"], errors["other"] == 0)
    left = q.queued()
    check("nothing left in the queue (%d)" % left, left == 0)
    if left or len(ids) != n:
        # what the queue holds that the step did not count: still unread?
        late = [m for m in q.read(timeout=2) if m[0] == "packet"]
        print("seen %d messages, %d distinct ids %d..%d; unread after the end: %s"
              % (seen[0], len(ids), min(ids), max(ids), late))
    print("threads: %d packets, 2 verdicts each from 2 threads" % n)


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("ids", "full", "threads"):
        sys.exit(__doc__)
    q = Queue(int(sys.argv[2]))
    if sys.argv[1] == "ids":
        run_ids(q)
    elif sys.argv[1] == "full":
        run_full(q)
    else:
        run_threads(q, int(sys.argv[3]))
    sys.exit(1 if failures else 0)


main()
