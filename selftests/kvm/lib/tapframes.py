#!/usr/bin/python3
"""Raw Ethernet frames into and out of a tap, for the ring abuse tests.

  tapframes.py send IFNAME DSTMAC K...
      one 100-byte frame per K (ethertype 0x88b5, byte i >= 14 is
      (K * 7 + i) & 0xff) sent into IFNAME, towards the guest
  tapframes.py fill IFNAME SECONDS UNTIL_FILE UNTIL_TEXT
      for SECONDS, or until UNTIL_FILE contains UNTIL_TEXT: send frames made
      only of 0xa5 bytes (60 to 1514 long) into IFNAME, about 500 a second,
      and capture every frame the guest sends; then print
      "captured N", "foreign N" (frames holding any byte but 0xa5, or of
      a length outside 14..65535), "capture_drops N" and "sent N"
Run inside the test's network namespace.
"""
import os
import random
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
SOL_PACKET = 263
PACKET_STATISTICS = 6
PACKET_OUTGOING = 4


def send(ifname, dst, ks):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((ifname, 0))
    hdr = bytes.fromhex(dst.replace(":", "")) + bytes.fromhex("020000000001") + b"\x88\xb5"
    for k in ks:
        s.send(hdr + bytes((k * 7 + i) & 0xFF for i in range(14, 100)))


def fill(ifname, seconds, until_file, until_text):
    cap = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    cap.setsockopt(socket.SOL_SOCKET, 33, 16 << 20)  # SO_RCVBUFFORCE
    cap.bind((ifname, 0))
    cap.setblocking(False)
    out = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    out.bind((ifname, 0))
    rnd = random.Random(1)
    captured = foreign = sent = 0
    end = time.time() + seconds
    next_send = time.time()
    next_look = 0.0

    # The guest can send faster than this loop reads (thousands of frames a
    # second under emulation): each pass reads a bounded number, so that
    # sending keeps its pace; what the capture socket then drops is counted.
    def drain(limit):
        nonlocal captured, foreign
        for _ in range(limit):
            try:
                data, addr = cap.recvfrom(70000)
            except BlockingIOError:
                return
            if addr[2] == PACKET_OUTGOING:
                continue
            captured += 1
            if not 14 <= len(data) <= 65535 or data.count(0xA5) != len(data):
                foreign += 1

    while time.time() < end:
        now = time.time()
        if now >= next_send:
            try:
                out.send(b"\xa5" * rnd.randint(60, 1514))
                sent += 1
            except OSError:
                pass
            next_send = now + 0.002
        drain(64)
        if now >= next_look:
            next_look = now + 0.2
            try:
                with open(until_file) as f:
                    if until_text in f.read():
                        break
            except OSError:
                pass
        time.sleep(0.001)
    time.sleep(0.5)
    drain(1 << 20)
    st = cap.getsockopt(SOL_PACKET, PACKET_STATISTICS, 8)
    _, drops = struct.unpack("II", st)
    print("captured %d" % captured)
    print("foreign %d" % foreign)
    print("capture_drops %d" % drops)
    print("sent %d" % sent)


def main():
    a = sys.argv[1:]
    if len(a) >= 3 and a[0] == "send":
        send(a[1], a[2], [int(k) for k in a[3:]])
    elif len(a) == 5 and a[0] == "fill":
        fill(a[1], float(a[2]), a[3], a[4])
    else:
        sys.stderr.write(__doc__)
        sys.exit(1)


if __name__ == "__main__":
    main()
