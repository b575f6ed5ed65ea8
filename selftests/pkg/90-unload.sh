#!/bin/bash
# After the tests, nothing holds the DKMS-built module: it unloads.
. "$(dirname "$0")/lib/pkg.sh"
grep -q '^petrel ' /proc/modules || fail "petrel is not loaded (10-dkms-module loads it)"
rmmod petrel || fail "rmmod petrel"
! grep -q '^petrel ' /proc/modules || fail "petrel still loaded after rmmod"
echo "unloaded"
