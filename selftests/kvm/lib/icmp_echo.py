#!/usr/bin/python3
"""ICMP echo for the KVM tests: every request answered, however slowly.

  icmp_echo.py ADDR COUNT INTERVAL [WAIT]
      send COUNT echo requests to ADDR, INTERVAL seconds apart, and wait
      for their replies, up to WAIT seconds (default 60) after the last
      request; print ping(8)'s summary lines ("N packets transmitted,
      R received, L% packet loss" and the round trips) and exit 0 iff
      every request was answered.

Why not ping(8): after its last request, ping waits two round-trip times
(at least one interval) and then counts what has not come back as lost,
so on a busy machine a late reply fails a test; with a deadline (-w) it
keeps sending until COUNT replies are in, so a loss can hide behind an
extra request. Here a reply may be late, never missing: WAIT only turns a
hang into a failure. Run inside the test's network namespace, as root.
"""
import os
import select
import socket
import struct
import sys
import time

ECHO_REQUEST = 8
ECHO_REPLY = 0


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def request(ident, seq):
    payload = bytes(range(56))
    head = struct.pack("!BBHHH", ECHO_REQUEST, 0, 0, ident, seq)
    return struct.pack("!BBHHH", ECHO_REQUEST, 0,
                       checksum(head + payload), ident, seq) + payload


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit("usage: icmp_echo.py ADDR COUNT INTERVAL [WAIT]")
    addr, count = sys.argv[1], int(sys.argv[2])
    interval = float(sys.argv[3])
    wait = float(sys.argv[4]) if len(sys.argv) == 5 else 60.0
    ident = os.getpid() & 0xFFFF
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    sent = {}
    rtts = {}
    seq = 0
    next_send = time.monotonic()
    deadline = None
    while len(rtts) < count:
        now = time.monotonic()
        if seq < count and now >= next_send:
            seq += 1
            sent[seq] = now
            try:
                s.sendto(request(ident, seq), (addr, 0))
            except OSError as e:
                sys.exit("icmp_echo.py: %s: %s" % (addr, e.strerror))
            next_send = now + interval
            if seq == count:
                deadline = now + wait
            continue
        if deadline is not None and now >= deadline:
            break
        until = next_send if seq < count else deadline
        r, _, _ = select.select([s], [], [], max(0.0, until - now))
        if not r:
            continue
        pkt, src = s.recvfrom(65535)
        if src[0] != addr or len(pkt) < 20:
            continue
        ihl = (pkt[0] & 0x0F) * 4
        if len(pkt) < ihl + 8:
            continue
        typ, _, _, rid, rseq = struct.unpack("!BBHHH", pkt[ihl:ihl + 8])
        # Duplicates and other processes' replies do not count.
        if typ == ECHO_REPLY and rid == ident and rseq in sent and rseq not in rtts:
            rtts[rseq] = time.monotonic() - sent[rseq]
    lost = seq - len(rtts)
    print("%d packets transmitted, %d received, %d%% packet loss" %
          (seq, len(rtts), lost * 100 // max(seq, 1)))
    if rtts:
        ms = sorted(v * 1000 for v in rtts.values())
        print("rtt min/avg/max = %.3f/%.3f/%.3f ms" %
              (ms[0], sum(ms) / len(ms), ms[-1]))
    sys.exit(0 if lost == 0 else 1)


if __name__ == "__main__":
    main()
