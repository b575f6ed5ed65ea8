// SPDX-License-Identifier: ISC
/* petrel-elftool's manifest.json parser: what it accepts and refuses. */
#include <string.h>

#include "../../bindings/tools/mft_json.h"
#include "ktest.h"

static struct mft_json m;
static char err[256];

static int parse(const char *s)
{
	err[0] = '\0';
	return mft_json_parse(s, strlen(s), &m, err, sizeof(err));
}

#define HEAD "{\"type\":\"solo5.manifest\",\"version\":1,\"devices\":"

static void accepts_solo5_example(void)
{
	CHECK(parse(HEAD "[{\"name\":\"service0\",\"type\":\"NET_BASIC\"},"
		    "{\"name\":\"storage\",\"type\":\"BLOCK_BASIC\"}]}") == 0);
	CHECK(m.ndevices == 2);
	CHECK(!strcmp(m.dev[0].name, "service0"));
	CHECK(m.dev[0].type == MFT_DEV_NET_BASIC);
	CHECK(m.dev[1].type == MFT_DEV_BLOCK_BASIC);
}

static void accepts_no_devices(void)
{
	CHECK(parse(HEAD "[]}") == 0);
	CHECK(m.ndevices == 0);
}

static void accepts_63_devices_refuses_64(void)
{
	static char buf[8192];
	size_t n = (size_t)snprintf(buf, sizeof(buf), HEAD "[");

	for (int i = 0; i < 64; i++) {
		n += (size_t)snprintf(buf + n, sizeof(buf) - n,
				      "%s{\"name\":\"d%d\",\"type\":"
				      "\"NET_BASIC\"}", i ? "," : "", i);
		if (i == 62) {
			CHECK(snprintf(buf + n, sizeof(buf) - n, "]}") == 2);
			CHECK(parse(buf) == 0);
			CHECK(m.ndevices == 63);
		}
	}
	snprintf(buf + n, sizeof(buf) - n, "]}");
	CHECK(parse(buf) == -1);
	CHECK_MSG(err, "at most 63");
}

static void name_limits(void)
{
	char buf[512], name[80];

	memset(name, 'a', 67);
	name[67] = '\0';
	snprintf(buf, sizeof(buf), HEAD "[{\"name\":\"%s\",\"type\":"
		 "\"NET_BASIC\"}]}", name);
	CHECK(parse(buf) == 0);
	CHECK(strlen(m.dev[0].name) == 67);
	strcat(name, "b");
	snprintf(buf, sizeof(buf), HEAD "[{\"name\":\"%s\",\"type\":"
		 "\"NET_BASIC\"}]}", name);
	CHECK(parse(buf) == -1);
	CHECK(parse(HEAD "[{\"name\":\"\",\"type\":\"NET_BASIC\"}]}") == -1);
	CHECK(parse(HEAD "[{\"name\":\"a=b\",\"type\":\"NET_BASIC\"}]}") == -1);
	CHECK(parse(HEAD "[{\"name\":\"a\\u0000b\",\"type\":\"NET_BASIC\"}]}")
	      == -1);
}

static void refuses_bad_documents(void)
{
	static const char *const bad[] = {
		"",
		"[]",
		"{}",
		"{\"type\":\"solo5.manifest\",\"version\":2,\"devices\":[]}",
		"{\"type\":\"other\",\"version\":1,\"devices\":[]}",
		"{\"type\":\"solo5.manifest\",\"version\":\"1\",\"devices\":[]}",
		"{\"type\":\"solo5.manifest\",\"version\":1,\"devices\":{}}",
		"{\"type\":\"solo5.manifest\",\"version\":1}",
		HEAD "[]} trailing",
		HEAD "[]",
		HEAD "[], \"extra\": 1}",
		HEAD "[1]}",
		HEAD "[{\"name\":\"a\"}]}",
		HEAD "[{\"name\":\"a\",\"type\":\"USB\"}]}",
		HEAD "[{\"name\":\"a\",\"type\":\"NET_BASIC\",\"mtu\":9000}]}",
		HEAD "[{\"name\":\"a\",\"type\":\"NET_BASIC\"},"
		     "{\"name\":\"a\",\"type\":\"BLOCK_BASIC\"}]}",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(bad[i]) != -1)
			printf("# accepted: %s\n", bad[i]);
		CHECK(err[0] != '\0' && !strchr(err, '\n'));
	}
}

static void refuses_embedded_nul(void)
{
	static const char doc[] = HEAD "[]}\0";

	CHECK(mft_json_parse(doc, sizeof(doc), &m, err, sizeof(err)) == -1);
	CHECK_MSG(err, "NUL");
}

static const struct ktest tests[] = {
	{ "mft_json.accepts_solo5_example", accepts_solo5_example },
	{ "mft_json.accepts_no_devices", accepts_no_devices },
	{ "mft_json.accepts_63_devices_refuses_64",
	  accepts_63_devices_refuses_64 },
	{ "mft_json.name_limits", name_limits },
	{ "mft_json.refuses_bad_documents", refuses_bad_documents },
	{ "mft_json.refuses_embedded_nul", refuses_embedded_nul },
};

KTEST_MAIN(tests)
