#!/bin/bash
# Images in the shape Solo5's own toolchain links (solo5shape.ld.S, checked
# by check-solo5shape.sh at build time): the /nonexistent/solo5/ interpreter
# marker, an empty PT_LOAD at address 0, a zero-size PT_TLS, PT_GNU_STACK,
# the OpenBSD ident note, EI_OSABI OpenBSD, a bss-only segment. Such an
# image runs; the same image naming another interpreter, or with a
# PT_DYNAMIC, is refused with exit 1 and one line naming the problem.
. "$(dirname "$0")/lib/guest.sh"
run_tender 0 --mem=32 "$GUESTS/solo5shape.hvt"
expect '^solo5shape: SUCCESS$'

run_tender 1 --mem=32 "$GUESTS/solo5shape-interp.hvt"
expect '^petrel: .*solo5shape-interp\.hvt: unsupported program interpreter "/lib/ld-linux\.so\.2"'
expect_lines 1

run_tender 1 --mem=32 "$GUESTS/solo5shape-dynamic.hvt"
expect '^petrel: .*solo5shape-dynamic\.hvt: dynamically linked \(PT_DYNAMIC\)'
expect_lines 1
