#!/bin/bash
# albatross requires a line "ABI version 2" from --version.
. "$(dirname "$0")/lib/guest.sh"
run_tender 0 --version
expect 'ABI version 2'
