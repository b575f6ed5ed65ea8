#!/bin/bash
# timeout: 900
# 60-ring-xfer for a guest of Solo5's ring protocol (solo5xfer.hvt):
# PETREL_SOLO5_XFER_FRAMES frames each way (default 30,000) through
# petrel.ko serving Solo5's ring, nothing lost, and the guest's,
# petrel.ko's and the tap's counters agree. Solo5's reads are synchronous
# (one entry, one commit, often one kick), so a frame costs a worker
# wakeup under the test VM's emulated CPU: 30,000 each way keeps make
# check within its time; make check-long moves 100,000 each way.
SOLO5_RING=yes XFER_GUEST=solo5xfer \
	PETREL_XFER_FRAMES=${PETREL_SOLO5_XFER_FRAMES:-30000} \
	exec "$(dirname "$0")/60-ring-xfer.sh"
