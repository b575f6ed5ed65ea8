#!/bin/bash
# timeout: 900
# 60-ring-xfer for a guest of Solo5's ring protocol (solo5xfer.hvt):
# 100,000 frames each way through petrel.ko serving Solo5's ring, nothing
# lost, and the guest's, petrel.ko's and the tap's counters agree.
SOLO5_RING=yes XFER_GUEST=solo5xfer \
	PETREL_XFER_FRAMES=${PETREL_XFER_FRAMES:-100000} \
	exec "$(dirname "$0")/60-ring-xfer.sh"
