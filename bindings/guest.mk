# Flags for building a unikernel against petrel's hvt bindings. Included by
# bindings/Makefile and selftests/guests/Makefile; PETREL_TOP is the source
# tree's top. Guests are freestanding (no libc), non-PIC, red-zone free
# (exceptions push onto the interrupted stack) and stack-protected with a
# global canary (the FS base belongs to the application's TLS).
GUEST_CC ?= $(if $(filter default,$(origin CC)),gcc,$(CC))
GUEST_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -ffreestanding \
	-fno-pic -fno-pie -mno-red-zone -fno-asynchronous-unwind-tables \
	-fno-omit-frame-pointer -fstack-protector-strong \
	-mstack-protector-guard=global \
	-I$(PETREL_TOP)/bindings/include -I$(PETREL_TOP)/abi
GUEST_LDFLAGS := -nostdlib -static -Wl,--build-id=none \
	-Wl,-z,noexecstack -Wl,-z,max-page-size=0x1000 \
	-Wl,-T,$(PETREL_TOP)/bindings/petrel-hvt.ld
