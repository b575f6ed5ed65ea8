// SPDX-License-Identifier: ISC
/*
 * Attaching net devices to existing tap interfaces. petrel never creates a
 * tap: the orchestrator owns interfaces, we only borrow one.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "devices.h"

static int set_nonblock(int fd, const char *what, struct errbuf *e)
{
	int fl = fcntl(fd, F_GETFL);

	/* NET_READ must answer AGAIN, not block the vCPU, when idle. */
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return errf(e, "%s: cannot make non-blocking: %s", what,
			    strerror(errno));
	return 0;
}

/*
 * The MTU the guest is told (manifest, solo5_net_info) is the tap's, as in
 * solo5-hvt: frames of up to MTU + 14 bytes pass both ways.
 */
static int tap_mtu(const struct dev_request *r, const char *ifname,
		   uint16_t *mtu, struct errbuf *e)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int err;

	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, ifname, strnlen(ifname, IFNAMSIZ - 1));
	if (s < 0 || ioctl(s, SIOCGIFMTU, &ifr) < 0) {
		err = errno;
		if (s >= 0)
			close(s);
		return errf(e, "--net:%s: cannot get the MTU of '%s': %s",
			    r->name, ifname, strerror(err));
	}
	close(s);
	if (ifr.ifr_mtu <= 0 || ifr.ifr_mtu > UINT16_MAX)
		return errf(e, "--net:%s: '%s' has MTU %d, not one a guest "
			    "can be told", r->name, ifname, ifr.ifr_mtu);
	*mtu = (uint16_t)ifr.ifr_mtu;
	return 0;
}

static int tap_by_fd(const struct dev_request *r, int *out, uint16_t *mtu,
		     struct errbuf *e)
{
	struct ifreq ifr;
	int fd = r->tap_fd;

	memset(&ifr, 0, sizeof(ifr));
	if (fcntl(fd, F_GETFD) < 0)
		return errf(e, "--net:%s=@%d: %s", r->name, fd,
			    strerror(errno));
	if (ioctl(fd, TUNGETIFF, &ifr) < 0)
		return errf(e, "--net:%s=@%d: not an attached tap device "
			    "(TUNGETIFF: %s)", r->name, fd, strerror(errno));
	if ((ifr.ifr_flags & (IFF_TUN | IFF_TAP)) != IFF_TAP)
		return errf(e, "--net:%s=@%d: %s is a tun, not a tap device",
			    r->name, fd, ifr.ifr_name);
	/*
	 * IFF_NO_PI cannot be checked: TUNGETIFF reports IFF_NOFILTER, the
	 * same bit, whenever no socket filter is attached. Whoever opens the
	 * tap must use IFF_TAP | IFF_NO_PI, as --help says.
	 */
	if (ifr.ifr_flags & IFF_VNET_HDR)
		return errf(e, "--net:%s=@%d: tap %s was opened with "
			    "IFF_VNET_HDR", r->name, fd, ifr.ifr_name);
	if (tap_mtu(r, ifr.ifr_name, mtu, e) || set_nonblock(fd, r->name, e))
		return -1;
	*out = fd;
	return 0;
}

/*
 * solo5-hvt attaches only to an interface that is up: a guest on a down
 * tap would send into nothing, and every write fails (EIO).
 */
static int tap_is_up(const struct dev_request *r, struct errbuf *e)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int err;

	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, r->iface, strlen(r->iface) + 1);
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0) {
		err = errno;
		if (s >= 0)
			close(s);
		return errf(e, "--net:%s=%s: cannot get the flags of '%s': %s",
			    r->name, r->iface, r->iface, strerror(err));
	}
	close(s);
	if (!(ifr.ifr_flags & IFF_UP))
		return errf(e, "--net:%s=%s: cannot attach to '%s': %s "
			    "(the interface is down: ip link set %s up)",
			    r->name, r->iface, r->iface, strerror(ENETDOWN),
			    r->iface);
	return 0;
}

int net_tap_open(const struct dev_request *r, int *out, uint16_t *mtu,
		 struct errbuf *e)
{
	struct ifreq ifr;
	int fd;

	if (r->tap_fd >= 0)
		return tap_by_fd(r, out, mtu, e);
	/*
	 * TUNSETIFF on a name that does not exist would create a new tap;
	 * refuse instead, the interface must be the orchestrator's.
	 */
	if (if_nametoindex(r->iface) == 0)
		return errf(e, "--net:%s=%s: no interface named '%s'", r->name,
			    r->iface, r->iface);
	if (tap_is_up(r, e))
		return -1;
	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return errf(e, "--net:%s=%s: cannot open /dev/net/tun: %s",
			    r->name, r->iface, strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	memcpy(ifr.ifr_name, r->iface, strlen(r->iface) + 1);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		int err = errno;

		close(fd);
		if (err == EBUSY)
			return errf(e, "--net:%s=%s: tap '%s' is busy (%s)",
				    r->name, r->iface, r->iface,
				    strerror(err));
		if (err == EINVAL)
			return errf(e, "--net:%s=%s: '%s' is not a tap "
				    "interface (%s)", r->name, r->iface,
				    r->iface, strerror(err));
		return errf(e, "--net:%s=%s: cannot attach to '%s': %s",
			    r->name, r->iface, r->iface, strerror(err));
	}
	/* A name the kernel expands ("tap%d") would be another interface. */
	if (strncmp(ifr.ifr_name, r->iface, IFNAMSIZ)) {
		close(fd);
		return errf(e, "--net:%s=%s: attached to '%s' instead",
			    r->name, r->iface, ifr.ifr_name);
	}
	if (tap_mtu(r, r->iface, mtu, e)) {
		close(fd);
		return -1;
	}
	*out = fd;
	return 0;
}
