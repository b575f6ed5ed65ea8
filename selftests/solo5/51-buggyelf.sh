#!/bin/bash
# tests.bats "buggyelf hvt": Solo5's deliberately broken image (a note
# whose size overruns its segment) is refused: status 1, "note does not fall
# within valid size".
# timeout: 450
. "$(dirname "$0")/lib/solo5.sh"
hvt_run test_buggyelf/buggyelf.hvt
expect_error 1 "note does not fall within valid size"
