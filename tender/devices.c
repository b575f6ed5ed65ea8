// SPDX-License-Identifier: ISC
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "devices.h"
#include "manifest.h"

static const char *opt_for(uint32_t type)
{
	return type == MFT_DEV_NET_BASIC ? "--net:" : "--block:";
}

int devices_match(const struct mft *mft, const struct petrel_args *a,
		  struct errbuf *e)
{
	for (unsigned i = 0; i < a->ndevs; i++) {
		const struct dev_request *r = &a->devs[i];
		const struct mft_entry *m = NULL;

		for (uint32_t j = 0; j < mft->entries; j++)
			if (mft->e[j].type != MFT_RESERVED_FIRST &&
			    !strcmp(mft->e[j].name, r->name))
				m = &mft->e[j];
		if (!m)
			return errf(e, "%s%s: the image declares no device "
				    "'%s'", opt_for(r->type), r->name,
				    r->name);
		if (m->type != r->type)
			return errf(e, "%s%s: device '%s' is a %s device in "
				    "the image's manifest", opt_for(r->type),
				    r->name, r->name, mft_type_name(m->type));
		if (!r->given)
			return errf(e, "device '%s' has options but is not "
				    "attached (use %s%s=...)", r->name,
				    opt_for(r->type), r->name);
	}
	for (uint32_t j = 0; j < mft->entries; j++) {
		const struct mft_entry *m = &mft->e[j];
		int found = 0;

		if (m->type == MFT_RESERVED_FIRST)
			continue;
		for (unsigned i = 0; i < a->ndevs; i++)
			found |= !strcmp(a->devs[i].name, m->name);
		if (!found)
			return errf(e, "device '%s' (%s) declared by the image "
				    "is not attached (use %s%s=...)", m->name,
				    mft_type_name(m->type), opt_for(m->type),
				    m->name);
	}
	return 0;
}

static const uint8_t zero_mac[6];

static int random_mac(uint8_t mac[6], struct errbuf *e)
{
	if (getrandom(mac, 6, 0) != 6)
		return errf(e, "cannot get random bytes for a MAC: %s",
			    strerror(errno));
	mac[0] = (uint8_t)((mac[0] & ~1U) | 2U);	/* unicast, local */
	return 0;
}

int devices_attach(struct devices *devs, struct mft *mft,
		   struct petrel_args *a, struct errbuf *e)
{
	memset(devs, 0, sizeof(*devs));
	if (devices_match(mft, a, e))
		return -1;
	devs->n = mft->entries;
	devs->block_sync = a->block_sync;

	for (uint32_t j = 0; j < mft->entries; j++) {
		struct mft_entry *m = &mft->e[j];
		struct device *d = &devs->d[j];
		struct dev_request *r;

		d->fd = -1;
		if (m->type == MFT_RESERVED_FIRST) {
			m->attached = false;	/* whatever the image said */
			continue;
		}
		r = args_find_dev(a, m->name);
		d->type = m->type;
		d->name = m->name;
		if (m->type == MFT_DEV_NET_BASIC) {
			if (net_tap_open(r, &d->fd, &d->mtu, e))
				return -1;
			/* Two devices on one queue would steal each other's frames. */
			for (unsigned i = 0; i < devs->npoll; i++)
				if (devs->pollfd[i].fd == d->fd)
					return errf(e, "--net:%s=@%d: fd already "
						    "used by another net device",
						    r->name, d->fd);
			/* All zero, as in solo5-hvt: pick one at random. */
			if ((!r->has_mac || !memcmp(r->mac, zero_mac, 6)) &&
			    random_mac(r->mac, e))
				return -1;
			memcpy(m->u.net_basic.mac, r->mac, 6);
			m->u.net_basic.mtu = d->mtu;
			devs->pollfd[devs->npoll] = (struct pollfd){
				.fd = d->fd, .events = POLLIN };
			devs->poll_handle[devs->npoll++] = (uint8_t)j;
		} else {
			d->sector_size = r->sector_size ? r->sector_size :
					 PETREL_SECTOR_DEFAULT;
			if (block_file_open(r, d->sector_size, &d->fd,
					    &d->capacity, e))
				return -1;
			m->u.block_basic.capacity = d->capacity;
			m->u.block_basic.block_size = (uint16_t)d->sector_size;
		}
		m->b.hostfd = d->fd;
		m->attached = true;
	}
	return 0;
}
